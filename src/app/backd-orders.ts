/**
 * Backd orders over the core (docs/decisions/backd.md#order-statuses). A Backd order
 * is a core order (`dialect: 'backd'`, `kind: 'bnpl'`) plus Backd's own state in `backd_orders`,
 * and every change writes both in one transaction with the core order's row locked:
 * - create_order creates the core order (nothing reserved) and its Backd row;
 * - the buyer's terms and the merchant's placement change only Backd's state (one event each);
 * - update_order may change the total while nothing is reserved (`planAmendAmount`);
 * - confirm_order captures the whole total (a core purchase); cancel_order is the core cancel.
 */
import crypto from 'node:crypto';
import {
  type BackdAction,
  type BackdAmounts,
  type BackdContact,
  type BackdItem,
  type BackdMode,
  type BackdOrder,
  backdOrderIdFor,
  type BackdTerms,
  checkBackdAmounts,
  checkTotalIncrease,
  transitionBackdOrder,
} from '../domain/backd-order.js';
import { domainError, type DomainError } from '../domain/errors.js';
import type { EventType } from '../domain/events.js';
import { type Order, planAmendAmount, planCancel, planPurchase } from '../domain/order.js';
import type { RefundRequest } from '../domain/refund-request.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import {
  type Actor,
  type AppDeps,
  mapUseCase,
  query,
  type RunContext,
  type UseCase,
} from './context.js';
import { createOrder } from './create-order.js';
import { changeOrder, changeWithoutMoney, commitChange, type OrderOutcome } from './ledger.js';
import {
  backdOrderJson,
  type BackdTarget,
  type BackdTx,
  lockBackdOrder,
  type MerchantBackdTarget,
} from './backd-state.js';
import { hashSecret } from './secrets.js';
import type { BackdStore } from './ports/backd.js';
import type { LedgerStore } from './ports/ledger.js';
import type { MerchantStore } from './ports/merchants.js';

/** What every Backd answer renders: the core order, Backd's state and its refund requests. */
export interface BackdOrderView {
  readonly order: Order;
  readonly backd: BackdOrder;
  readonly refunds: readonly RefundRequest[];
  /** The instant the answer describes (a draft past its deadline shows as approved). */
  readonly now: number;
}

/** The view after a change, read in the same transaction. */
async function viewOf(
  tx: BackdStore & LedgerStore,
  run: RunContext,
  orderId: string,
): Promise<BackdOrderView> {
  const order = await tx.findOrder(orderId);
  const backd = await tx.findBackdOrderByOrderId(orderId);
  assert(order !== undefined && backd !== undefined, `backd order ${orderId} is missing`);
  return { order, backd, refunds: await tx.listBackdRefundRequests(orderId), now: run.now };
}

/** The next status for `action`, or the typed refusal. */
const next = (backd: BackdOrder, action: BackdAction) => transitionBackdOrder(backd.status, action);

export interface CreateBackdOrderCommand {
  readonly merchantId: string;
  readonly actor: Actor;
  readonly amounts: BackdAmounts;
  readonly merchantOrderId: string;
  readonly merchantOrderStatus: string | null;
  readonly shipping: BackdContact | null;
  readonly billing: BackdContact;
  readonly items: readonly BackdItem[];
  readonly mode: BackdMode;
  readonly notifyCustomer: boolean | null;
  readonly customerEmail: string | null;
}

export interface CreatedBackdOrder {
  readonly view: BackdOrderView;
  /** The terms page token for `customer_url`; only its hash is stored. */
  readonly checkoutToken: string;
}

/**
 * create_order: a core order of the whole total with nothing reserved, and Backd's state
 * `created` until the buyer picks terms.
 * Errors: merchant.not_found, validation.failed (the amounts' identity or a total ≤ 0).
 */
export const createBackdOrder =
  (cmd: CreateBackdOrderCommand): UseCase<CreatedBackdOrder, BackdTx & MerchantStore> =>
  async (tx, run) => {
    const amounts = checkBackdAmounts(cmd.amounts);
    if (!amounts.ok) return amounts;
    const merchant = await tx.findMerchant(cmd.merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    const backdOrderId = backdOrderIdFor(run.newId(), run.now);
    const created = await createOrder({
      merchantId: merchant.id,
      actor: cmd.actor,
      dialect: 'backd',
      kind: 'bnpl',
      currency: merchant.currency,
      amountMinor: cmd.amounts.orderTotalMinor,
      capture: 'none',
      merchantOrderId: cmd.merchantOrderId,
      backdOrderId,
    })(tx, run);
    if (!created.ok) return created;
    const checkoutToken = crypto.randomBytes(32).toString('base64url');
    const backd: BackdOrder = {
      ...cmd.amounts,
      orderId: created.value.order.id,
      merchantId: merchant.id,
      backdOrderId,
      merchantOrderId: cmd.merchantOrderId,
      merchantOrderStatus: cmd.merchantOrderStatus,
      status: 'created',
      terms: null,
      checkoutTokenHash: hashSecret(checkoutToken),
      currency: merchant.currency,
      initialTotalMinor: cmd.amounts.orderTotalMinor,
      shipping: cmd.shipping,
      billing: cmd.billing,
      items: cmd.items,
      mode: cmd.mode,
      notifyCustomer: cmd.notifyCustomer,
      customerEmail: cmd.customerEmail,
      termsSelectedAt: null,
      placedAt: null,
      confirmedAt: null,
      canceledAt: null,
      createdAt: run.now,
      updatedAt: run.now,
      version: 0,
    };
    await tx.insertBackdOrder(backd);
    return ok({ view: await viewOf(tx, run, backd.orderId), checkoutToken });
  };

/**
 * The buyer picks terms on the terms page (token from `customer_url`). They may change their
 * choice until the merchant places the order. Errors: order.not_found (unknown token),
 * backd_order.invalid_state.
 */
export const selectBackdTerms =
  (checkoutToken: string, terms: BackdTerms): UseCase<BackdOrderView, BackdTx> =>
  async (tx, run) => {
    const found = await tx.findBackdOrderByCheckoutToken(hashSecret(checkoutToken));
    if (!found) return err(domainError('order.not_found'));
    const locked = await lockBackdOrder(tx, {
      merchantId: found.merchantId,
      backdOrderId: found.backdOrderId,
    });
    if (!locked.ok) return locked;
    const { order, backd } = locked.value;
    const status = next(backd, 'select_terms');
    if (!status.ok) return status;
    const after: BackdOrder = {
      ...backd,
      status: status.value,
      terms,
      termsSelectedAt: run.now,
      updatedAt: run.now,
      version: backd.version + 1,
    };
    await tx.updateBackdOrder(after);
    await changeWithoutMoney(tx, run, {
      eventType: 'order.terms_selected',
      actor: { kind: 'customer' },
      order,
      eventData: { backd_order: backdOrderJson(after, backd.status) },
    });
    return ok(await viewOf(tx, run, order.id));
  };

/** Reads the terms page's order by its token, or null. */
export function findBackdOrderByToken(
  deps: AppDeps,
  checkoutToken: string,
): Promise<BackdOrderView | null> {
  return query(deps, async (tx, now) => {
    const backd = await tx.findBackdOrderByCheckoutToken(hashSecret(checkoutToken));
    const order = backd && (await tx.findOrder(backd.orderId));
    if (!backd || !order) return null;
    return { order, backd, refunds: await tx.listBackdRefundRequests(order.id), now };
  });
}

/**
 * find_order: the merchant's Backd order with its refund requests, or null when it does not
 * exist or belongs to another merchant (reported alike).
 */
export function findBackdOrderView(
  deps: AppDeps,
  merchantId: string,
  backdOrderId: string,
): Promise<BackdOrderView | null> {
  return query(deps, async (tx, now) => {
    const backd = await tx.findBackdOrder(backdOrderId);
    if (!backd || backd.merchantId !== merchantId) return null;
    const order = await tx.findOrder(backd.orderId);
    if (!order) return null;
    return { order, backd, refunds: await tx.listBackdRefundRequests(order.id), now };
  });
}

/**
 * order_placed: the merchant places an order whose buyer picked terms.
 * Errors: order.not_found, backd_order.merchant_order_id_mismatch, backd_order.invalid_state.
 */
export const placeBackdOrder =
  (target: MerchantBackdTarget & { readonly actor: Actor }): UseCase<BackdOrderView, BackdTx> =>
  async (tx, run) => {
    const locked = await lockBackdOrder(tx, target);
    if (!locked.ok) return locked;
    const { order, backd } = locked.value;
    const status = next(backd, 'place');
    if (!status.ok) return status;
    const after: BackdOrder = {
      ...backd,
      status: status.value,
      placedAt: run.now,
      updatedAt: run.now,
      version: backd.version + 1,
    };
    await tx.updateBackdOrder(after);
    await changeWithoutMoney(tx, run, {
      eventType: 'order.placed',
      actor: target.actor,
      order,
      eventData: { backd_order: backdOrderJson(after, backd.status) },
    });
    return ok(await viewOf(tx, run, order.id));
  };

export interface UpdateBackdOrderCommand extends MerchantBackdTarget {
  readonly actor: Actor;
  readonly merchantOrderStatus?: string | null;
  /** Amounts to change; the rest keep their values, and the identity must hold afterwards. */
  readonly amounts?: Partial<BackdAmounts>;
  readonly shipping?: BackdContact | null;
  readonly billing?: BackdContact;
  readonly items?: readonly BackdItem[];
}

/**
 * update_order: changes a placed order. A higher total must stay within the merchant's increase
 * limit, measured from the total agreed at creation; the core order's amount follows the total.
 * Errors: order.not_found, backd_order.merchant_order_id_mismatch, backd_order.invalid_state,
 * validation.failed (the amounts' identity), backd_order.increase_exceeds_limit.
 */
export const updateBackdOrder =
  (cmd: UpdateBackdOrderCommand): UseCase<BackdOrderView, BackdTx & MerchantStore> =>
  async (tx, run) => {
    const locked = await lockBackdOrder(tx, cmd);
    if (!locked.ok) return locked;
    const { order, backd } = locked.value;
    const status = next(backd, 'update');
    if (!status.ok) return status;
    const amounts = checkBackdAmounts({
      orderTotalMinor: cmd.amounts?.orderTotalMinor ?? backd.orderTotalMinor,
      cartAmountMinor: cmd.amounts?.cartAmountMinor ?? backd.cartAmountMinor,
      taxAmountMinor: cmd.amounts?.taxAmountMinor ?? backd.taxAmountMinor,
      shippingAmountMinor: cmd.amounts?.shippingAmountMinor ?? backd.shippingAmountMinor,
      discountAmountMinor: cmd.amounts?.discountAmountMinor ?? backd.discountAmountMinor,
    });
    if (!amounts.ok) return amounts;
    const merchant = await tx.findMerchant(order.merchantId);
    assert(merchant !== undefined, 'an order has a merchant');
    const total = checkTotalIncrease(
      backd.initialTotalMinor,
      amounts.value.orderTotalMinor,
      merchant.settings.orderTotalIncreaseLimitPercent,
    );
    if (!total.ok) return total;
    const change = planAmendAmount(order, total.value);
    if (!change.ok) return change;
    const after: BackdOrder = {
      ...backd,
      ...amounts.value,
      status: status.value,
      merchantOrderStatus:
        cmd.merchantOrderStatus === undefined ? backd.merchantOrderStatus : cmd.merchantOrderStatus,
      shipping: cmd.shipping === undefined ? backd.shipping : cmd.shipping,
      billing: cmd.billing ?? backd.billing,
      items: cmd.items ?? backd.items,
      updatedAt: run.now,
      version: backd.version + 1,
    };
    await tx.updateBackdOrder(after);
    // A Backd order has no customer wallet, so the change cannot be refused here.
    const committed = await commitChange(tx, run, {
      before: order,
      after: { ...order, amountMinor: total.value, version: order.version + 1 },
      change: change.value,
      eventType: 'order.updated',
      command: { merchantId: cmd.merchantId, actor: cmd.actor },
      requestFingerprint: '',
      eventData: {
        backd_order: backdOrderJson(after, backd.status),
        amount_before_minor: order.amountMinor,
      },
    });
    if (!committed.ok) return committed;
    return ok(await viewOf(tx, run, order.id));
  };

/** A Backd change that is also a core change: Backd's view and the core outcome. */
export interface BackdCoreChange {
  readonly view: BackdOrderView;
  readonly outcome: OrderOutcome;
}

/**
 * confirm_order: captures the whole order total (a core purchase) and moves the order to
 * `order_confirmed`, from which refunds may be requested.
 * Errors: order.not_found, backd_order.merchant_order_id_mismatch, backd_order.invalid_state.
 */
export const confirmBackdOrder = (
  target: MerchantBackdTarget & { readonly actor: Actor },
): UseCase<BackdOrderView, BackdTx> =>
  mapUseCase(
    (tx, run) =>
      changeBackdWithCore(tx, run, target, 'confirm', 'order.confirmed', (o) =>
        planPurchase(o, run.now),
      ),
    (changed) => changed.view,
  );

/**
 * cancel_order, for the merchant and for an operator alike: the core cancel of a placed order
 * (nothing was captured) and `order_canceled`, only where Backd's lifecycle allows a cancel.
 * Errors: order.not_found, backd_order.merchant_order_id_mismatch, backd_order.invalid_state,
 * order.not_in_lifecycle (an operator's target that is not a Backd order).
 */
export const cancelBackdOrder =
  (
    target: BackdTarget & { readonly actor: Actor; readonly reason?: string | null },
  ): UseCase<BackdCoreChange, BackdTx> =>
  (tx, run) =>
    changeBackdWithCore(tx, run, target, 'cancel', 'order.cancelled', (order) =>
      planCancel(order, run.now),
    );

/** A Backd transition that is also a core change: one core event carries Backd's state. */
async function changeBackdWithCore(
  tx: BackdTx,
  run: RunContext,
  target: BackdTarget & { readonly actor: Actor; readonly reason?: string | null },
  action: 'confirm' | 'cancel',
  eventType: EventType,
  plan: Parameters<typeof changeOrder>[2]['plan'],
): Promise<Result<BackdCoreChange, DomainError>> {
  const locked = await lockBackdOrder(tx, target);
  if (!locked.ok) return locked;
  const { order, backd } = locked.value;
  const status = next(backd, action);
  if (!status.ok) return status;
  const after: BackdOrder = {
    ...backd,
    status: status.value,
    ...(action === 'confirm' ? { confirmedAt: run.now } : { canceledAt: run.now }),
    updatedAt: run.now,
    version: backd.version + 1,
  };
  const changed = await changeOrder(tx, run, {
    orderId: order.id,
    command: { merchantId: target.merchantId, actor: target.actor, reason: target.reason ?? null },
    eventType,
    request: {},
    plan,
    eventData: () => ({ backd_order: backdOrderJson(after, backd.status) }),
  });
  if (!changed.ok) return changed;
  await tx.updateBackdOrder(after);
  return ok({ view: await viewOf(tx, run, order.id), outcome: changed.value });
}

export { viewOf as backdViewOf };
