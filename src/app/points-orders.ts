/**
 * The Points face's use cases: earning (purchase and rating channels), the hosted checkout of a
 * replacing order, and the order operations under Points' own state machine. Each runs in one
 * transaction; money and points rules come from the domain (`pointsTransitionError` first, then
 * the core planners), and every change writes its outbox event through `changeOrder` /
 * `createOrder`, which also move the customer's wallet (src/app/points-customers.ts).
 */
import crypto from 'node:crypto';
import { domainError, type DomainError } from '../domain/errors.js';
import { orderSnapshot } from '../domain/events.js';
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
  maxRedeemablePoints,
  type PointsOperation,
  pointsReferenceNumber,
  pointsTransitionError,
  RATING_POINTS,
  redeemedValueMinor,
  type ShippingUpdate,
} from '../domain/points.js';
import type {
  CheckoutSession,
  PointsChannel,
  PointsOrderRecord,
} from '../domain/points-records.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import {
  type Actor,
  actorLabel,
  type AppDeps,
  query,
  type RunContext,
  type UseCase,
} from './context.js';
import { createOrder } from './create-order.js';
import { appendEvent } from './events.js';
import { changeOrder, type OrderCommandBase } from './ledger.js';
import { refundOrder } from './order-operations.js';
import type { StoreTx } from './ports/store.js';

/** Points is a Saudi platform: its prices are SAR. */
export const POINTS_CURRENCY = 'SAR';
/** How long a hosted checkout session can be confirmed after it was created. */
export const CHECKOUT_SESSION_TTL_MS = 30 * 60_000;

/** An order as the Points face shows it: the core order and its Points record. */
export interface PointsOrderView {
  readonly order: Order;
  readonly record: PointsOrderRecord;
}

export interface PointsOutcome extends PointsOrderView {
  /** True when an earlier identical request's order is returned and nothing was written. */
  readonly replayed: boolean;
}

async function viewOf(tx: StoreTx, order: Order): Promise<PointsOrderView> {
  const record = await tx.findPointsOrder(order.id);
  assert(record !== undefined, `points order ${order.id} has no points record`);
  return { order, record };
}

const yearOf = (ms: number): number => new Date(ms).getUTCFullYear();

/** A Points order of this merchant, or undefined: other merchants' and other faces' orders do not exist here. */
async function ownPointsOrder(
  tx: StoreTx,
  merchantId: string,
  orderId: string,
): Promise<PointsOrderView | undefined> {
  const order = await tx.findOrder(orderId);
  if (!order || order.merchantId !== merchantId || order.dialect !== 'points') return undefined;
  return viewOf(tx, order);
}

/** Reads a Points order of the merchant. */
export const getPointsOrder = (
  deps: AppDeps,
  merchantId: string,
  orderId: string,
): Promise<PointsOrderView | undefined> =>
  query(deps, (tx) => ownPointsOrder(tx, merchantId, orderId));

/** Writes a new Points order: draws its integer id, then creates the core order with it. */
async function createPointsOrder(
  tx: StoreTx,
  run: RunContext,
  input: {
    readonly merchantId: string;
    readonly actor: Actor;
    readonly channel: PointsChannel;
    readonly reviewReference: string | null;
    readonly kind: 'earning' | 'replacing';
    readonly amountMinor: number;
    readonly capture: 'none' | 'purchase';
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

/**
 * Awards points for a purchase (`floor(total_price × points_per_sar)`) or a rating (flat), inside
 * the merchant's earning lock. The same `order_number` with the same phone and price returns the
 * first order and awards nothing again; with different data it is a conflict. A repeated
 * `review_reference` is rejected.
 * Errors: points.merchant_busy, merchant.not_found, order.duplicate_reference (details.field).
 */
export const createEarningOrder =
  (cmd: EarningCommand): UseCase<PointsOutcome> =>
  async (tx, run) => {
    if (!(await tx.tryLockPointsMerchant(cmd.merchantId))) {
      return err(domainError('points.merchant_busy'));
    }
    const merchant = await tx.findMerchant(cmd.merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
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
        return ok({ ...(await viewOf(tx, earlier)), replayed: true });
      }
    }
    const totalPoints =
      cmd.channel === 'earning'
        ? earnedPoints(cmd.amountMinor, POINTS_CURRENCY, merchant.settings.pointsPerUnit)
        : RATING_POINTS[cmd.channel];
    return createPointsOrder(tx, run, {
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
  };

export interface CheckoutCommand {
  readonly merchantId: string;
  readonly amountMinor: number;
  readonly orderNumber: string;
  readonly phone: string | null;
  readonly callbackUrl: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** 32 random bytes: the session URL is the customer's only credential. */
export const newCheckoutSessionId = (): string => crypto.randomBytes(32).toString('base64url');

/**
 * Opens a hosted checkout session for a replacing order; the order itself is created when the
 * customer confirms. Errors: merchant.not_found, order.duplicate_reference (order_number used).
 */
export const createCheckoutSession =
  (cmd: CheckoutCommand): UseCase<CheckoutSession> =>
  async (tx, run) => {
    const merchant = await tx.findMerchant(cmd.merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    if (await tx.findOrderByNumber(merchant.id, 'points', cmd.orderNumber)) {
      return err(domainError('order.duplicate_reference', { field: 'order_number' }));
    }
    const session: CheckoutSession = {
      id: newCheckoutSessionId(),
      merchantId: merchant.id,
      orderNumber: cmd.orderNumber,
      amountMinor: cmd.amountMinor,
      currency: POINTS_CURRENCY,
      phone: cmd.phone,
      callbackUrl: cmd.callbackUrl,
      details: cmd.details,
      status: 'open',
      orderId: null,
      expiresAt: run.now + CHECKOUT_SESSION_TTL_MS,
      createdAt: run.now,
      completedAt: null,
    };
    await tx.insertCheckoutSession(session);
    return ok(session);
  };

/** What the hosted page shows. */
export interface CheckoutPage {
  readonly session: CheckoutSession;
  readonly merchantName: string;
  readonly minorPerPoint: number;
  readonly expired: boolean;
  /** Present when a phone was given: the wallet and how much of it may go to this order. */
  readonly customer: {
    readonly phone: string;
    readonly balance: number;
    readonly maxRedeemPoints: number;
  } | null;
}

/** Errors: points.checkout_session_not_found. */
export const getCheckoutPage = (
  deps: AppDeps,
  sessionId: string,
  phone: string | null,
): Promise<Result<CheckoutPage, DomainError>> =>
  query(deps, async (tx, now) => {
    const session = await tx.findCheckoutSession(sessionId);
    if (!session) return err(domainError('points.checkout_session_not_found'));
    const merchant = await tx.findMerchant(session.merchantId);
    assert(merchant !== undefined, 'checkout session without merchant');
    const minorPerPoint = merchant.settings.minorPerPoint;
    let customer: CheckoutPage['customer'] = null;
    if (phone !== null) {
      const balance = (await tx.findPointsCustomer(phone))?.balance ?? 0;
      const cap = maxRedeemablePoints(session.amountMinor, minorPerPoint);
      customer = { phone, balance, maxRedeemPoints: Math.max(0, Math.min(balance, cap)) };
    }
    return ok({
      session,
      merchantName: merchant.name,
      minorPerPoint,
      expired: now >= session.expiresAt,
      customer,
    });
  });

export interface ConfirmCheckoutCommand {
  readonly sessionId: string;
  /** Normalised `5XXXXXXXX`. */
  readonly phone: string;
  readonly redeemPoints: number;
}

export interface ConfirmedCheckout extends PointsOrderView {
  readonly session: CheckoutSession;
}

/**
 * The customer confirms: the redeemed points leave the wallet at once and the replacing order is
 * created `new`, waiting for the merchant's /complete or /authorize + /capture. A session is used
 * once. Errors: points.checkout_session_not_found, points.checkout_session_used,
 * points.checkout_session_expired, validation.failed (redeem value above the price;
 * details.field, details.max), points.insufficient_balance, order.duplicate_reference.
 */
export const confirmCheckout =
  (cmd: ConfirmCheckoutCommand): UseCase<ConfirmedCheckout> =>
  async (tx, run) => {
    const session = await tx.lockCheckoutSession(cmd.sessionId);
    if (!session) return err(domainError('points.checkout_session_not_found'));
    if (session.status !== 'open') return err(domainError('points.checkout_session_used'));
    if (run.now >= session.expiresAt) return err(domainError('points.checkout_session_expired'));
    const merchant = await tx.findMerchant(session.merchantId);
    assert(merchant !== undefined, 'checkout session without merchant');
    const minorPerPoint = merchant.settings.minorPerPoint;
    const max = maxRedeemablePoints(session.amountMinor, minorPerPoint);
    if (cmd.redeemPoints > max) {
      return err(domainError('validation.failed', { field: 'redeem_points', max }));
    }
    if (cmd.redeemPoints > 0) {
      // Locked until commit, so two checkouts cannot both spend the same points.
      const wallet = await tx.lockPointsCustomer(cmd.phone, run.now);
      if (wallet.balance < cmd.redeemPoints) {
        return err(domainError('points.insufficient_balance', { balance: wallet.balance }));
      }
    }
    const created = await createPointsOrder(tx, run, {
      merchantId: session.merchantId,
      actor: { kind: 'customer' },
      channel: 'checkout',
      reviewReference: null,
      kind: 'replacing',
      amountMinor: session.amountMinor,
      capture: 'none',
      totalPoints: 0,
      redeemedPoints: cmd.redeemPoints,
      redeemedMinor: redeemedValueMinor(cmd.redeemPoints, minorPerPoint),
      phone: cmd.phone,
      orderNumber: session.orderNumber,
      details: session.details,
    });
    if (!created.ok) return created;
    const done = await tx.completeCheckoutSession(session.id, created.value.order.id, run.now);
    assert(done, 'checkout session changed under its lock');
    return ok({
      order: created.value.order,
      record: created.value.record,
      session: {
        ...session,
        status: 'completed',
        orderId: created.value.order.id,
        completedAt: run.now,
      },
    });
  };

export interface PointsOrderCommand {
  readonly merchantId: string;
  readonly orderId: string;
  readonly actor: Actor;
}

/**
 * One operation under Points' state machine: `pointsTransitionError` refuses what Points
 * refuses, then the core planner decides the money.
 */
async function operate(
  tx: StoreTx,
  run: RunContext,
  cmd: PointsOrderCommand & { readonly reason?: string | null },
  operation: PointsOperation | null,
  eventType: Parameters<typeof changeOrder>[2]['eventType'],
  plan: (order: Order) => Result<Change, DomainError>,
  eventData?: () => Readonly<Record<string, unknown>>,
): Promise<Result<PointsOrderView, DomainError>> {
  const command: OrderCommandBase = {
    merchantId: cmd.merchantId,
    actor: cmd.actor,
    reason: cmd.reason ?? null,
    guard: (order) => pointsRefusal(operation, order),
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
  return ok(await viewOf(tx, outcome.value.order));
}

/** What Points refuses before the core plans: another face's order, and its state machine's no. */
export function pointsRefusal(operation: PointsOperation | null, order: Order): DomainError | null {
  if (order.dialect !== 'points') return domainError('order.not_found');
  const refused = operation && pointsTransitionError(operation, order);
  return refused ? domainError(refused) : null;
}

/** Errors: order.not_found and the refusals of the Points table and `planAuthorize`. */
export const authorizePointsOrder =
  (cmd: PointsOrderCommand): UseCase<PointsOrderView> =>
  (tx, run) =>
    operate(tx, run, cmd, 'authorize', 'order.authorized', (o) => planAuthorize(o, run.now));

/** Captures the whole authorization. Errors: as authorize, with `planCapture`'s. */
export const capturePointsOrder =
  (cmd: PointsOrderCommand): UseCase<PointsOrderView> =>
  (tx, run) =>
    operate(tx, run, cmd, 'capture', 'order.captured', (o) => planCapture(o, undefined, run.now));

/**
 * Completes a replacing order: captures it in one step (`approved`), then announces `completed`,
 * as Points sends both. Errors: order.not_found, points.not_replacing_order,
 * points.already_completed and the other refusals of the Points table.
 */
export const completePointsOrder =
  (cmd: PointsOrderCommand & { readonly paymentMethod: string | null }): UseCase<PointsOrderView> =>
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
    await appendEvent(tx, run, {
      id: run.newId(),
      merchantId: order.merchantId,
      orderId: order.id,
      type: 'order.completed',
      actor: actorLabel(cmd.actor),
      reason: null,
      statusBefore: order.status,
      statusAfter: order.status,
      idempotencyKey: null,
      requestFingerprint: null,
      payload: {
        order: orderSnapshot(order),
        transactions: [],
        reason: null,
        payment_method: cmd.paymentMethod,
      },
      createdAt: run.now,
    });
    return ok({ order, record });
  };

/**
 * Cancels an order that is `new` or `authorized`, releasing redeemed points to the customer.
 * The reason defaults to "Order cancelled via API". Errors: order.not_found,
 * order.already_captured (approved/captured), order.already_cancelled, order.already_refunded.
 */
export const cancelPointsOrder =
  (cmd: PointsOrderCommand & { readonly reason: string | null }): UseCase<PointsOrderView> =>
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
    cmd: PointsOrderCommand & { readonly amountMinor?: number; readonly reason: string | null },
  ): UseCase<PointsRefundOutcome> =>
  async (tx, run) => {
    const done = await refundOrder({
      ...cmd,
      enforceRefundWindow: true,
      guard: (order) => pointsRefusal('refund', order),
    })(tx, run);
    if (!done.ok) return done;
    // Points commands carry no idempotency key, so a refund is never a replay without its split.
    assert(done.value.split !== null, 'a refund without its split');
    return ok({ ...(await viewOf(tx, done.value.order)), split: done.value.split });
  };

/**
 * Sets the shipping status and its labels. Moves no money; writes one
 * `order.shipping_status_updated` event. Errors: order.not_found.
 */
export const updateShippingStatus =
  (cmd: PointsOrderCommand & { readonly update: ShippingUpdate }): UseCase<PointsOrderView> =>
  async (tx, run) => {
    // Locked first, so two updates cannot both compute from the same earlier labels.
    const locked = await tx.lockOrder(cmd.orderId);
    if (!locked || locked.merchantId !== cmd.merchantId || locked.dialect !== 'points') {
      return err(domainError('order.not_found'));
    }
    const before = await viewOf(tx, locked);
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
      cmd,
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
