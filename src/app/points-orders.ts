/**
 * The Points face's use cases: earning (purchase and rating channels) and the order operations
 * under Points' own state machine (the hosted checkout is in points-checkout.ts). Each runs in one
 * transaction; money and points rules come from the domain (`pointsTransitionError` first, then
 * the core planners), and every change writes its outbox event through `changeOrder` /
 * `createOrder`, which also move the customer's wallet (Points' hooks, src/app/points-customers.ts).
 */
import { domainError, type DomainError } from '../domain/errors.js';
import {
  type Change,
  type Order,
  planAuthorize,
  planCancel,
  planCapture,
  planNoMoney,
  planPurchase,
  type RefundSplit,
} from '../domain/order.js';
import {
  applyShippingUpdate,
  DEFAULT_CANCEL_REASON,
  earnedPoints,
  type PointsOperation,
  pointsReferenceNumber,
  pointsTransitionError,
  ratingPoints,
  type ShippingUpdate,
} from '../domain/points.js';
import type { PointsChannel, PointsOrderRecord } from '../domain/points-records.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import { type Actor, type AppDeps, query, type RunContext, type UseCase } from './context.js';
import { createOrder } from './create-order.js';
import {
  announceChange,
  changeOrder,
  type OrderChangeTx,
  type OrderCommandBase,
} from './ledger.js';
import { refundOrder } from './order-operations.js';
import { type OrderOwner, ownedOrder } from './order-owner.js';
import type { LedgerStore } from './ports/ledger.js';
import type { MerchantStore } from './ports/merchants.js';
import type { PointsStore } from './ports/points.js';
import { type PendingOutcome, queuedBefore, queueEarning } from './points-pending.js';

/** Points is a Saudi platform: its prices are SAR. */
export const POINTS_CURRENCY = 'SAR';

/** An order as the Points face shows it: the core order and its Points record. */
export interface PointsOrderView {
  readonly order: Order;
  readonly record: PointsOrderRecord;
}

export interface PointsOutcome extends PointsOrderView {
  /** True when an earlier identical request's order is returned and nothing was written. */
  readonly replayed: boolean;
}

/** What a Points order's use cases touch: an order change, and the Points view of the order. */
type PointsTx = OrderChangeTx & PointsStore;

async function viewOf(tx: PointsStore, order: Order): Promise<PointsOrderView> {
  const record = await tx.findPointsOrder(order.id);
  assert(record !== undefined, `points order ${order.id} has no points record`);
  return { order, record };
}

const yearOf = (ms: number): number => new Date(ms).getUTCFullYear();

/** A Points order of this merchant, or undefined: other merchants' and other faces' orders do not exist here. */
async function ownPointsOrder(
  tx: LedgerStore & PointsStore,
  merchantId: string,
  orderId: string,
): Promise<PointsOrderView | undefined> {
  const order = ownedOrder(await tx.findOrder(orderId), pointsOwner({ merchantId }));
  return order ? viewOf(tx, order) : undefined;
}

/** Reads a Points order of the merchant. */
export const getPointsOrder = (
  deps: AppDeps,
  merchantId: string,
  orderId: string,
): Promise<PointsOrderView | undefined> =>
  query(deps, (tx) => ownPointsOrder(tx, merchantId, orderId));

/** Writes a new Points order: draws its integer id, then creates the core order with it. */
export async function createPointsOrder(
  tx: PointsTx & MerchantStore,
  run: RunContext,
  input: {
    readonly merchantId: string;
    readonly actor: Actor;
    readonly channel: PointsChannel;
    readonly reviewReference: string | null;
    readonly kind: 'earning' | 'replacing';
    readonly amountMinor: number;
    readonly capture: 'none' | 'authorize' | 'purchase';
    readonly totalPoints: number;
    readonly redeemedPoints: number;
    readonly redeemedMinor: number;
    readonly phone: string | null;
    readonly orderNumber: string | null;
    readonly details: Readonly<Record<string, unknown>>;
  },
): Promise<Result<PointsOutcome, DomainError>> {
  const orderId = run.newId();
  // The order row follows in this transaction; its reference is checked at commit.
  const record = await tx.insertPointsOrder({
    orderId,
    merchantId: input.merchantId,
    channel: input.channel,
    reviewReference: input.reviewReference,
    shippingStatus: null,
    labelAr: null,
    labelEn: null,
    paymentMethod: null,
    createdAt: run.now,
    updatedAt: run.now,
  });
  const created = await createOrder({
    merchantId: input.merchantId,
    actor: input.actor,
    dialect: 'points',
    kind: input.kind,
    currency: POINTS_CURRENCY,
    amountMinor: input.amountMinor,
    capture: input.capture,
    totalPoints: input.totalPoints,
    redeemedPoints: input.redeemedPoints,
    redeemedMinor: input.redeemedMinor,
    orderId,
    orderNumber: input.orderNumber,
    customerRef: input.phone,
    details: {
      ...input.details,
      reference_number: pointsReferenceNumber(yearOf(run.now), record.number),
    },
  })(tx, run);
  if (!created.ok) return created;
  return ok({ order: created.value.order, record, replayed: false });
}

export interface EarningCommand {
  readonly merchantId: string;
  readonly actor: Actor;
  readonly channel: 'earning' | 'store_rating' | 'product_rating';
  /** Normalised `5XXXXXXXX`. */
  readonly phone: string;
  /** 0 for the rating channels. */
  readonly amountMinor: number;
  /** The merchant's order number (earning channel only). */
  readonly orderNumber: string | null;
  /** The rating channels' dedupe key. */
  readonly reviewReference: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** An earning's answer: the order, or the earning queued until the phone's account is activated. */
export type EarningOutcome =
  ({ readonly kind: 'order' } & PointsOutcome) | ({ readonly kind: 'pending' } & PendingOutcome);

/**
 * Awards points for a purchase (`floor(total_price × points_per_sar)`) or a rating (flat), inside
 * the merchant's earning lock. A phone without a wallet (no activated account) gets no wallet:
 * the earning is queued (src/app/points-pending.ts) and awarded when the account is activated. The same `order_number` with the same phone and price returns the
 * first order and awards nothing again; with different data it is a conflict. A repeated
 * `review_reference` is rejected.
 * Errors: points.merchant_busy, merchant.not_found, order.duplicate_reference (details.field),
 * validation.failed (total_price earns more than BOUNDS.orderPointsMax),
 * points.balance_out_of_bounds (the customer's wallet cannot take the points),
 * points.channel_disabled (a rating channel the merchant has not enabled).
 */
export const createEarningOrder =
  (cmd: EarningCommand): UseCase<EarningOutcome, PointsTx & MerchantStore> =>
  async (tx, run) => {
    if (!(await tx.tryLockPointsMerchant(cmd.merchantId))) {
      return err(domainError('points.merchant_busy'));
    }
    const merchant = await tx.findMerchant(cmd.merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    const flat = cmd.channel === 'earning' ? null : ratingPoints(merchant.settings, cmd.channel);
    if (cmd.channel !== 'earning' && flat === null) {
      return err(domainError('points.channel_disabled', { channel: cmd.channel }));
    }
    if (cmd.reviewReference !== null) {
      const earlier = await tx.findPointsOrderByReview(
        merchant.id,
        cmd.channel,
        cmd.reviewReference,
      );
      if (earlier)
        return err(domainError('order.duplicate_reference', { field: 'review_reference' }));
    }
    if (cmd.orderNumber !== null) {
      const earlier = await tx.findOrderByNumber(merchant.id, 'points', cmd.orderNumber);
      if (earlier) {
        const same =
          earlier.kind === 'earning' &&
          earlier.customerRef === cmd.phone &&
          earlier.amountMinor === cmd.amountMinor;
        if (!same) return err(domainError('order.duplicate_reference', { field: 'order_number' }));
        return ok({ kind: 'order', ...(await viewOf(tx, earlier)), replayed: true });
      }
    }
    const queued = await queuedBefore(tx, { ...cmd, merchantId: merchant.id });
    if (queued) return queued.ok ? ok({ kind: 'pending', ...queued.value }) : queued;
    const totalPoints =
      cmd.channel === 'earning'
        ? earnedPoints(cmd.amountMinor, POINTS_CURRENCY, merchant.settings.pointsPerUnit)
        : flat;
    // In-bound prices at an in-bound points_per_unit cannot pass the bound; a setting stored
    // before the bound existed can, and is refused here rather than by the database.
    if (totalPoints === null) {
      return err(domainError('validation.failed', { field: 'total_price' }));
    }
    if (!(await tx.findPointsCustomer(cmd.phone))) {
      const pending = await queueEarning(tx, run, { ...cmd, merchantId: merchant.id }, totalPoints);
      return ok({ kind: 'pending', ...pending });
    }
    const created = await createPointsOrder(tx, run, {
      merchantId: merchant.id,
      actor: cmd.actor,
      channel: cmd.channel,
      reviewReference: cmd.reviewReference,
      kind: 'earning',
      amountMinor: cmd.amountMinor,
      // A price of 0 has nothing to capture; the award alone approves it (`isFlatAward`).
      capture: cmd.amountMinor > 0 ? 'purchase' : 'none',
      totalPoints,
      redeemedPoints: 0,
      redeemedMinor: 0,
      phone: cmd.phone,
      orderNumber: cmd.orderNumber,
      details: cmd.details,
    });
    return created.ok ? ok({ kind: 'order', ...created.value }) : created;
  };

/** A merchant asking through Points: other merchants' and other faces' orders do not exist. */
const pointsOwner = (cmd: { readonly merchantId: string }): OrderOwner => ({
  merchantId: cmd.merchantId,
  dialect: 'points',
});

export interface PointsOrderCommand {
  readonly merchantId: string;
  readonly orderId: string;
  readonly actor: Actor;
}

/**
 * The Points order and its record, locked for a change in one statement; another merchant's or
 * another face's order is `order.not_found`, as `lockOwnedOrder` answers.
 */
async function lockPointsView(
  tx: PointsTx,
  cmd: PointsOrderCommand,
): Promise<Result<PointsOrderView, DomainError>> {
  const locked = await tx.lockPointsOrder(cmd.orderId);
  const order = ownedOrder(locked?.order, pointsOwner(cmd));
  return locked && order
    ? ok({ order, record: locked.record })
    : err(domainError('order.not_found'));
}

/**
 * One operation under Points' state machine: `pointsTransitionError` refuses what Points
 * refuses, then the core planner decides the money. The answer's record is the one locked with
 * the order: an operation changes the order, not its record.
 */
async function operate(
  tx: PointsTx,
  run: RunContext,
  cmd: PointsOrderCommand & {
    readonly reason?: string | null;
    /** The order and record as the caller already locked them in this transaction. */
    readonly locked?: PointsOrderView;
  },
  operation: PointsOperation | null,
  eventType: Parameters<typeof changeOrder>[2]['eventType'],
  plan: (order: Order) => Result<Change, DomainError>,
  eventData?: () => Readonly<Record<string, unknown>>,
): Promise<Result<PointsOrderView, DomainError>> {
  const locked = cmd.locked ? ok(cmd.locked) : await lockPointsView(tx, cmd);
  if (!locked.ok) return locked;
  const command: OrderCommandBase = {
    ...pointsOwner(cmd),
    actor: cmd.actor,
    reason: cmd.reason ?? null,
    guard: (order) => pointsRefusal(operation, order),
    locked: locked.value.order,
  };
  const outcome = await changeOrder(tx, run, {
    orderId: cmd.orderId,
    command,
    eventType,
    request: {},
    plan,
    ...(eventData ? { eventData } : {}),
  });
  if (!outcome.ok) return outcome;
  return ok({ order: outcome.value.order, record: locked.value.record });
}

/** What Points' state machine refuses before the core plans (the order is a Points order). */
export function pointsRefusal(operation: PointsOperation | null, order: Order): DomainError | null {
  const refused = operation && pointsTransitionError(operation, order);
  return refused ? domainError(refused) : null;
}

/** Errors: order.not_found and the refusals of the Points table and `planAuthorize`. */
export const authorizePointsOrder =
  (cmd: PointsOrderCommand): UseCase<PointsOrderView, PointsTx> =>
  (tx, run) =>
    operate(tx, run, cmd, 'authorize', 'order.authorized', (o) => planAuthorize(o, run.now));

/** Captures the whole authorization. Errors: as authorize, with `planCapture`'s. */
export const capturePointsOrder =
  (cmd: PointsOrderCommand): UseCase<PointsOrderView, PointsTx> =>
  (tx, run) =>
    operate(tx, run, cmd, 'capture', 'order.captured', (o) => planCapture(o, undefined, run.now));

/**
 * Completes a replacing order: captures it in one step (`approved`), then announces `completed`,
 * as Points sends both. Errors: order.not_found, points.not_replacing_order,
 * points.already_completed and the other refusals of the Points table.
 */
export const completePointsOrder =
  (
    cmd: PointsOrderCommand & { readonly paymentMethod: string | null },
  ): UseCase<PointsOrderView, PointsTx> =>
  async (tx, run) => {
    const done = await operate(tx, run, cmd, 'complete', 'order.captured', (o) =>
      planPurchase(o, run.now),
    );
    if (!done.ok) return done;
    const record: PointsOrderRecord = {
      ...done.value.record,
      paymentMethod: cmd.paymentMethod,
      updatedAt: run.now,
    };
    await tx.updatePointsOrder(record);
    const order = done.value.order;
    // Not a change of state: the capture event above is the change; this one names it for
    // Points receivers (`approved`, then `completed`).
    await announceChange(tx, run, {
      order,
      eventType: 'order.completed',
      actor: cmd.actor,
      eventData: { payment_method: cmd.paymentMethod },
    });
    return ok({ order, record });
  };

/**
 * Cancels an order that is `new` or `authorized`, releasing redeemed points to the customer.
 * The reason defaults to "Order cancelled via API". Errors: order.not_found,
 * order.already_captured (approved/captured), order.already_cancelled, order.already_refunded.
 */
export const cancelPointsOrder =
  (
    cmd: PointsOrderCommand & { readonly reason: string | null },
  ): UseCase<PointsOrderView, PointsTx> =>
  (tx, run) =>
    operate(
      tx,
      run,
      { ...cmd, reason: cmd.reason ?? DEFAULT_CANCEL_REASON },
      'cancel',
      'order.cancelled',
      (o) => planCancel(o, run.now),
    );

export interface PointsRefundOutcome extends PointsOrderView {
  readonly split: RefundSplit;
}

/**
 * Refunds `amountMinor` (omitted: all that remains) within the merchant's refund window,
 * reversing earned points cumulatively and returning redeemed points in proportion.
 * Errors: order.not_found, order.not_captured, order.cancelled, order.already_fully_refunded,
 * refund.window_expired, refund.amount_not_positive, refund.exceeds_refundable.
 */
export const refundPointsOrder =
  (
    cmd: PointsOrderCommand & {
      readonly amountMinor?: number;
      readonly reason: string | null;
      /** The merchant's refund window, as its credential's read found it this request. */
      readonly refundWindowDays: number;
    },
  ): UseCase<PointsRefundOutcome, PointsTx> =>
  async (tx, run) => {
    const locked = await lockPointsView(tx, cmd);
    if (!locked.ok) return locked;
    const done = await refundOrder({
      ...cmd,
      ...pointsOwner(cmd),
      guard: (order) => pointsRefusal('refund', order),
      locked: locked.value.order,
    })(tx, run);
    if (!done.ok) return done;
    // Points commands carry no idempotency key, so a refund is never a replay without its split.
    assert(done.value.split !== null, 'a refund without its split');
    // A refund changes the order, not its Points record: the record locked with it answers.
    return ok({ order: done.value.order, record: locked.value.record, split: done.value.split });
  };

/**
 * Sets the shipping status and its labels. Moves no money; writes one
 * `order.shipping_status_updated` event. Errors: order.not_found.
 */
export const updateShippingStatus =
  (
    cmd: PointsOrderCommand & { readonly update: ShippingUpdate },
  ): UseCase<PointsOrderView, PointsTx> =>
  async (tx, run) => {
    // Locked first, so two updates cannot both compute from the same earlier labels.
    const locked = await lockPointsView(tx, cmd);
    if (!locked.ok) return locked;
    const before = locked.value;
    const next = applyShippingUpdate(
      {
        status: before.record.shippingStatus,
        labelAr: before.record.labelAr,
        labelEn: before.record.labelEn,
      },
      cmd.update,
    );
    const done = await operate(
      tx,
      run,
      { ...cmd, locked: before },
      null,
      'order.shipping_status_updated',
      (order) => ok(planNoMoney(order)),
      () => ({ shipping: { status: next.status, label_ar: next.labelAr, label_en: next.labelEn } }),
    );
    if (!done.ok) return done;
    const record: PointsOrderRecord = {
      ...before.record,
      shippingStatus: next.status,
      labelAr: next.labelAr,
      labelEn: next.labelEn,
      updatedAt: run.now,
    };
    await tx.updatePointsOrder(record);
    return ok({ order: done.value.order, record });
  };
