/**
 * How Points names what happened to an order: its order statuses and webhook events
 * (docs/decisions/points.md#state-machine, docs/decisions/points.md#webhooks).
 */
import { BOUNDS } from './bounds.js';
import { currencyExponent } from './currencies.js';
import type { ErrorCode } from './errors.js';
import type { EventFacts } from './events.js';
import type { MerchantSettings } from './merchant.js';
import type { CaptureMethod, OrderKind, OrderStatus } from './order.js';

export type { EventFacts } from './events.js';
import { assert } from './result.js';

export {
  applyShippingUpdate,
  SHIPPING_LABELS,
  SHIPPING_STATUSES,
  type ShippingState,
  type ShippingStatus,
  type ShippingUpdate,
  shippingStatusNumber,
} from './points-shipping.js';
export {
  CUSTOMER_ENTRY_TYPES,
  customerEntryType,
  type CustomerEntryType,
  customerPointsDelta,
} from './points-wallet.js';

export const POINTS_ORDER_STATUSES = [
  'new',
  'approved',
  'authorized',
  'captured',
  'cancelled',
  'fully_refunded',
  'partially_refunded',
] as const;
export type PointsOrderStatus = (typeof POINTS_ORDER_STATUSES)[number];

/** Points' `order_status`: a one-step capture is `approved`, a capture after authorize `captured`. */
export function pointsOrderStatus(
  status: OrderStatus,
  captureMethod: CaptureMethod | null,
): PointsOrderStatus {
  switch (status) {
    case 'pending':
      return 'new';
    case 'authorized':
      return 'authorized';
    case 'captured':
      return captureMethod === 'purchase' ? 'approved' : 'captured';
    case 'partially_refunded':
      return 'partially_refunded';
    case 'refunded':
      return 'fully_refunded';
    case 'cancelled':
    case 'voided':
      return 'cancelled';
  }
}

/** Webhooks use strings for the order type; the API uses 1 (earning) and 2 (replacing). */
export const pointsOrderType = (kind: OrderKind): 'earning' | 'replacing' =>
  kind === 'replacing' ? 'replacing' : 'earning';

export const POINTS_WEBHOOK_EVENTS = [
  'approved',
  'authorized',
  'captured',
  'cancelled',
  'completed',
  'refunded',
  'auto_refunded',
  'shipping_status_updated',
] as const;
export type PointsWebhookEvent = (typeof POINTS_WEBHOOK_EVENTS)[number];

/**
 * The Points webhook event for a core event, or null when Points has no such event (a void, or
 * an order created without capture, which Points announces only when it is approved).
 */
export function pointsWebhookEvent(e: EventFacts): PointsWebhookEvent | null {
  switch (e.type) {
    case 'order.created':
      if (e.statusAfter === 'authorized') return 'authorized';
      if (e.statusAfter === 'pending' && e.kind !== undefined && e.amountMinor !== undefined) {
        // A flat award (rating channels, a zero-price earning order) is approved at creation.
        return isFlatAward(e.kind, e.amountMinor, 'pending') ? 'approved' : null;
      }
      return e.statusAfter === 'captured' ? 'approved' : null;
    case 'order.authorized':
      return 'authorized';
    case 'order.captured':
      return e.captureMethod === 'purchase' ? 'approved' : 'captured';
    case 'order.cancelled':
      return 'cancelled';
    case 'order.completed':
      return 'completed';
    case 'order.refunded':
      return 'refunded';
    case 'order.auto_refunded':
      return 'auto_refunded';
    case 'order.shipping_status_updated':
      return 'shipping_status_updated';
    default:
      return null;
  }
}

/**
 * An earning order with no price (a rating award, or an earning order of 0.00) has no money to
 * capture, so the core keeps it `pending`; Points shows it `approved` from the start, because its
 * points were awarded at creation.
 */
export const isFlatAward = (kind: OrderKind, amountMinor: number, status: OrderStatus): boolean =>
  kind === 'earning' && amountMinor === 0 && status === 'pending';

/** Points' `order_status` of an order, flat awards included. */
export function pointsStatusOf(order: {
  readonly kind: OrderKind;
  readonly amountMinor: number;
  readonly status: OrderStatus;
  readonly captureMethod: CaptureMethod | null;
}): PointsOrderStatus {
  if (isFlatAward(order.kind, order.amountMinor, order.status)) return 'approved';
  return pointsOrderStatus(order.status, order.captureMethod);
}

/** The points figures of an order, as the Order carries them. */
interface OrderPoints {
  readonly kind: OrderKind;
  readonly totalPoints: number;
  readonly pointsReversed: number;
  readonly redeemedPoints: number;
  readonly pointsReturned: number;
}

/** An order's `total_points`: a replacing order's are the points the customer spent on it. */
export const pointsOfOrder = (
  order: Omit<OrderPoints, 'pointsReversed' | 'pointsReturned'>,
): number => (order.kind === 'replacing' ? order.redeemedPoints : order.totalPoints);

/**
 * An order's `left_points`: what is still in play after refunds, a replacing order's spent points
 * not yet returned, an earning order's earned points not yet reversed.
 */
export const pointsLeft = (order: OrderPoints): number =>
  order.kind === 'replacing'
    ? order.redeemedPoints - order.pointsReturned
    : order.totalPoints - order.pointsReversed;

/**
 * `fully_paid`, except a replacing order still waiting for its cash part: `partially_paid`
 * (the customer paid with points, the merchant has not completed or captured it yet).
 */
export function pointsPaymentStatus(order: {
  readonly kind: OrderKind;
  readonly status: OrderStatus;
  readonly amountMinor: number;
  readonly redeemedMinor: number;
}): 'fully_paid' | 'partially_paid' {
  const waitingForCash =
    order.kind === 'replacing' &&
    order.status === 'pending' &&
    order.redeemedMinor < order.amountMinor;
  return waitingForCash ? 'partially_paid' : 'fully_paid';
}

/** The API's integer order type: 1 earning, 2 replacing. */
export const pointsApiOrderType = (kind: OrderKind): 1 | 2 => (kind === 'replacing' ? 2 : 1);

/**
 * A customer's phone number in Points' normal form `5XXXXXXXX`, or null when it is not a Saudi
 * mobile number. Accepted: `+966…`, `00966…`, `966…`, `0…` and the bare form, with spaces and
 * dashes ignored (the SDK mirrors the backend's rule, docs/decisions/points.md#phone-numbers).
 */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  const local = compact.replace(/^(\+966|00966|966|0)/, '');
  return /^5\d{8}$/.test(local) ? local : null;
}

/**
 * Points earned for a price: `floor(total_price × points_per_sar)`, exactly. `pointsPerUnit` may
 * have decimals (e.g. 2.5 points per SAR); it is read as the decimal it prints as, so no binary
 * fraction leaks into the result. Null when the points would exceed `BOUNDS.orderPointsMax`,
 * which only a `points_per_unit` stored before its bound existed can cause.
 */
export function earnedPoints(
  amountMinor: number,
  currency: string,
  pointsPerUnit: number,
): number | null {
  const exponent = currencyExponent(currency);
  assert(exponent !== undefined, `unknown currency ${currency}`);
  assert(Number.isSafeInteger(amountMinor) && amountMinor >= 0, 'amount must be a safe integer');
  const text = String(pointsPerUnit);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  assert(match !== null, `points per unit must be a plain non-negative decimal, got ${text}`);
  const fraction = match[2] ?? '';
  const numerator = BigInt(match[1]! + fraction);
  const denominator = 10n ** BigInt(exponent + fraction.length);
  const points = (BigInt(amountMinor) * numerator) / denominator;
  return points <= BigInt(BOUNDS.orderPointsMax) ? Number(points) : null;
}

/** The value in minor units of `points` redeemed at `minorPerPoint` (10 halalas by default). */
export function redeemedValueMinor(points: number, minorPerPoint: number): number {
  assert(Number.isSafeInteger(points) && points >= 0, 'points must be a non-negative integer');
  assert(Number.isSafeInteger(minorPerPoint) && minorPerPoint > 0, 'bad minor per point');
  const value = points * minorPerPoint;
  assert(Number.isSafeInteger(value), 'redeemed value exceeds the safe integer range');
  return value;
}

/** The most points a customer may redeem on a price: their value never exceeds the price. */
export const maxRedeemablePoints = (amountMinor: number, minorPerPoint: number): number =>
  Math.floor(amountMinor / minorPerPoint);

export const POINTS_OPERATIONS = ['authorize', 'capture', 'complete', 'cancel', 'refund'] as const;
export type PointsOperation = (typeof POINTS_OPERATIONS)[number];

/**
 * The Points state machine as data (docs/decisions/points.md#state-machine): for each
 * operation and Points status, null when the operation may proceed, otherwise the error it gets.
 * The core planners run after this table and hold the money rules; this table holds the rules
 * Points adds on top (no cancel after approval, complete only once, ...).
 */
const TRANSITIONS: Readonly<
  Record<PointsOperation, Readonly<Record<PointsOrderStatus, ErrorCode | null>>>
> = {
  authorize: {
    new: null,
    authorized: 'order.already_authorized',
    approved: 'order.already_captured',
    captured: 'order.already_captured',
    partially_refunded: 'order.already_refunded',
    fully_refunded: 'order.already_refunded',
    cancelled: 'order.cancelled',
  },
  capture: {
    new: 'order.not_authorized',
    authorized: null,
    approved: 'order.already_captured',
    captured: 'order.already_captured',
    partially_refunded: 'order.already_refunded',
    fully_refunded: 'order.already_refunded',
    cancelled: 'order.cancelled',
  },
  complete: {
    new: null,
    // An authorized order is finished with /capture, not /complete.
    authorized: 'order.already_authorized',
    approved: 'points.already_completed',
    captured: 'order.already_captured',
    partially_refunded: 'order.already_refunded',
    fully_refunded: 'order.already_refunded',
    cancelled: 'order.cancelled',
  },
  cancel: {
    new: null,
    authorized: null,
    approved: 'order.already_captured',
    captured: 'order.already_captured',
    partially_refunded: 'order.already_refunded',
    fully_refunded: 'order.already_refunded',
    cancelled: 'order.already_cancelled',
  },
  refund: {
    new: 'order.not_captured',
    authorized: 'order.not_captured',
    approved: null,
    captured: null,
    partially_refunded: null,
    fully_refunded: 'order.already_fully_refunded',
    cancelled: 'order.cancelled',
  },
};

/** Why Points refuses `operation` on an order, or null when the core may plan it. */
export function pointsTransitionError(
  operation: PointsOperation,
  order: {
    readonly kind: OrderKind;
    readonly amountMinor: number;
    readonly status: OrderStatus;
    readonly captureMethod: CaptureMethod | null;
  },
): ErrorCode | null {
  if (operation === 'complete' && order.kind !== 'replacing') return 'points.not_replacing_order';
  const status = pointsStatusOf(order);
  const refused = TRANSITIONS[operation][status];
  if (refused !== null) return refused;
  // A flat award has no money: nothing of it can be refunded.
  if (operation === 'refund' && order.amountMinor === 0) return 'refund.exceeds_refundable';
  return null;
}

/** The reason a cancel records when the request gives none (docs/decisions/points.md#cancel). */
export const DEFAULT_CANCEL_REASON = 'Order cancelled via API';

/**
 * The flat points a rating channel awards at this merchant, or null when the merchant has not
 * enabled the channel (merchant settings `store_rating_points`, `product_rating_points`).
 */
export const ratingPoints = (
  settings: Pick<MerchantSettings, 'storeRatingPoints' | 'productRatingPoints'>,
  channel: 'store_rating' | 'product_rating',
): number | null =>
  channel === 'store_rating' ? settings.storeRatingPoints : settings.productRatingPoints;

/** Points' reference number of an order: the year it was created and its integer id. */
export const pointsReferenceNumber = (year: number, number: number): string =>
  `REF-${year}-${String(number).padStart(6, '0')}`;
