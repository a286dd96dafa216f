/**
 * Orders and the pure rules that change them.
 *
 * Vocabulary (defined once, in docs/architecture.md, and used strictly here):
 * - authorize: reserve money on an order without moving it.
 * - capture:   move reserved money to the merchant. A one-step purchase authorizes and captures.
 * - void:      release reserved money that was never captured.
 * - cancel:    stop an order before any money was captured; voids what is still reserved and
 *              releases redeemed points. Terminal.
 * - refund:    return captured money (and the points tied to it) after capture.
 *
 * Every planner takes the order and the time as parameters and returns either a typed error or a
 * `Change`: the ledger rows to append and the order's new totals. The app layer writes a change
 * in one database transaction with the order row locked.
 */
import { allocate, roundHalfUpRatio } from './allocate.js';
import { domainError, type DomainError } from './errors.js';
import { assert, err, ok, type Result, unreachable } from './result.js';

export const DIALECTS = ['points', 'backd', 'mpg', 'admin'] as const;
/**
 * The API face an order was created through. `admin` is Unwind's own generic face, so this is a
 * face, not a dialect: the older name stays until it is renamed (docs/glossary.md#dialect).
 */
export type Dialect = (typeof DIALECTS)[number];

export const ORDER_KINDS = ['earning', 'replacing', 'bnpl', 'card', 'standard'] as const;
/**
 * - earning:   a Points order that awards points for a purchase paid elsewhere.
 * - replacing: a Points redeem order, paid partly with points and partly in cash.
 * - bnpl:      a Backd buy-now-pay-later order.
 * - card:      a Moyasar Payment Gateway card order.
 * - standard:  an order created through the admin API.
 */
export type OrderKind = (typeof ORDER_KINDS)[number];

export const ORDER_STATUSES = [
  'pending', // created; nothing reserved or captured yet
  'authorized', // money reserved, nothing captured
  'captured', // money captured (possibly in part), nothing refunded
  'partially_refunded', // some captured money returned
  'refunded', // all captured money returned; terminal
  'voided', // the whole reservation released without capture; terminal
  'cancelled', // stopped before capture; terminal
] as const;
/** Derived from the amounts and the cancel flag by `deriveStatus`, so it cannot disagree with them. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Totals of an order. Each equals the sum of its approved ledger rows of the matching types. */
export interface OrderTotals {
  readonly authorizedMinor: number;
  readonly capturedMinor: number;
  readonly voidedMinor: number;
  readonly refundedMinor: number;
  /** Points the customer earned with this order. */
  readonly totalPoints: number;
  /** Earned points taken back by refunds. */
  readonly pointsReversed: number;
  /** Points the customer spent on this order (replacing orders). */
  readonly redeemedPoints: number;
  /** Redeemed points given back to the customer by refunds or a cancel. */
  readonly pointsReturned: number;
}

export interface Order extends OrderTotals {
  readonly id: string;
  readonly merchantId: string;
  readonly dialect: Dialect;
  readonly kind: OrderKind;
  readonly currency: string;
  /** The order's total price. Changes only before any money moves (`planAmendAmount`). */
  readonly amountMinor: number;
  /** The part of `amountMinor` paid with points (replacing orders); the rest is cash. */
  readonly redeemedMinor: number;
  readonly status: OrderStatus;
  readonly orderNumber: string | null;
  readonly merchantOrderId: string | null;
  readonly backdOrderId: string | null;
  /** The customer's normalised phone number, for points ledgers. */
  readonly customerRef: string | null;
  /** Face data the core does not interpret: items, addresses, masked card source, ... */
  readonly details: Readonly<Record<string, unknown>>;
  /** When money was first captured; the refund window counts from here. */
  readonly capturedAt: number | null;
  /** How money was first captured: in one step (purchase) or after an authorization. */
  readonly captureMethod: CaptureMethod | null;
  readonly cancelledAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Incremented by every change; the store refuses an update from a stale version. */
  readonly version: number;
}

export const TRANSACTION_TYPES = [
  'authorize', // reserves amount
  'capture', // captures amount of the reservation
  'purchase', // authorizes and captures amount in one step
  'void', // releases amount of the reservation
  'cancel', // marks the order cancelled; amount is always 0 (the void row carries money)
  'refund', // returns amount of captured money
  'points_award', // awards points to the customer
  'points_redeem', // takes points from the customer to pay part of the order
  'points_reversal', // takes back earned points on a refund
  'points_return', // gives redeemed points back on a refund or a cancel
  'verify', // checks a card with the issuer (MPG); moves no money, whatever its amount
  'extension', // extends the hold period of a reservation (MPG); moves no money
  'reversal', // scheme-level reversal of a transaction whose outcome was unknown (MPG); moves no money
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = [
  'initiated', // sent, no answer yet: counts toward nothing
  'approved', // the operation happened: the only status that counts toward the totals
  'failed', // declined by the scheme or the issuer: counts toward nothing
  'timeout', // no answer in time, outcome unknown: counts toward nothing (MPG reverses these)
  'system_error', // an internal processing error: counts toward nothing
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** How an attempted operation ended, with the dialect's per-row facts (MPG: references, codes). */
export interface TransactionOutcome {
  readonly status: TransactionStatus;
  readonly details: Readonly<Record<string, unknown>>;
}

export type CaptureMethod = 'purchase' | 'capture';

/** A ledger row before it is written. Ids, time and actor are added by the app layer. */
export interface TransactionDraft {
  readonly type: TransactionType;
  readonly amountMinor: number;
  readonly points: number;
  /** Omitted means `approved`. Only approved rows count toward the totals. */
  readonly status?: TransactionStatus;
  /** Dialect facts kept on the row (MPG: retrieval reference, STAN, response code, …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a planner decided: rows to append and the order's totals afterwards. */
export interface Change {
  readonly transactions: readonly TransactionDraft[];
  readonly totals: OrderTotals;
  readonly cancelled: boolean;
  /** Set when this change is the first capture. */
  readonly capturedAt: number | null;
  readonly captureMethod: CaptureMethod | null;
}

/** The single source of an order's status: amounts and the cancel flag decide it. */
export function deriveStatus(
  totals: Pick<OrderTotals, 'authorizedMinor' | 'capturedMinor' | 'voidedMinor' | 'refundedMinor'>,
  cancelled: boolean,
): OrderStatus {
  if (cancelled) return 'cancelled';
  if (totals.capturedMinor > 0) {
    if (totals.refundedMinor === totals.capturedMinor) return 'refunded';
    return totals.refundedMinor > 0 ? 'partially_refunded' : 'captured';
  }
  if (totals.authorizedMinor > 0) {
    return totals.voidedMinor === totals.authorizedMinor ? 'voided' : 'authorized';
  }
  return 'pending';
}

/** Money still reserved and neither captured nor voided. */
export const capturableMinor = (o: OrderTotals): number =>
  o.authorizedMinor - o.capturedMinor - o.voidedMinor;

/** Captured money not yet refunded. */
export const refundableMinor = (o: OrderTotals): number => o.capturedMinor - o.refundedMinor;

/**
 * Applies ledger rows to totals: the same arithmetic the verifier uses to recompute an order.
 * Only approved rows count: a declined, timed-out or failed row is history, not money.
 */
export function applyTransactions(
  totals: OrderTotals,
  rows: readonly TransactionDraft[],
): OrderTotals {
  let t = pickTotals(totals);
  for (const row of rows) {
    if ((row.status ?? 'approved') !== 'approved') continue;
    switch (row.type) {
      case 'authorize':
        t = { ...t, authorizedMinor: t.authorizedMinor + row.amountMinor };
        break;
      case 'capture':
        t = { ...t, capturedMinor: t.capturedMinor + row.amountMinor };
        break;
      case 'purchase':
        t = {
          ...t,
          authorizedMinor: t.authorizedMinor + row.amountMinor,
          capturedMinor: t.capturedMinor + row.amountMinor,
        };
        break;
      case 'void':
        t = { ...t, voidedMinor: t.voidedMinor + row.amountMinor };
        break;
      case 'cancel':
        break;
      case 'refund':
        t = { ...t, refundedMinor: t.refundedMinor + row.amountMinor };
        break;
      case 'points_award':
        t = { ...t, totalPoints: t.totalPoints + row.points };
        break;
      case 'points_redeem':
        t = { ...t, redeemedPoints: t.redeemedPoints + row.points };
        break;
      case 'points_reversal':
        t = { ...t, pointsReversed: t.pointsReversed + row.points };
        break;
      case 'points_return':
        t = { ...t, pointsReturned: t.pointsReturned + row.points };
        break;
      case 'verify':
      case 'extension':
      case 'reversal':
        // Recorded for the audit trail; none of them moves money (a reversal only ever targets a
        // row whose outcome was unknown, which never counted either).
        break;
      default:
        unreachable(row.type);
    }
  }
  return t;
}

/** Only the totals of an order (or of anything that has them). */
export const pickTotals = (o: OrderTotals): OrderTotals => ({
  authorizedMinor: o.authorizedMinor,
  capturedMinor: o.capturedMinor,
  voidedMinor: o.voidedMinor,
  refundedMinor: o.refundedMinor,
  totalPoints: o.totalPoints,
  pointsReversed: o.pointsReversed,
  redeemedPoints: o.redeemedPoints,
  pointsReturned: o.pointsReturned,
});

export const ZERO_TOTALS: OrderTotals = {
  authorizedMinor: 0,
  capturedMinor: 0,
  voidedMinor: 0,
  refundedMinor: 0,
  totalPoints: 0,
  pointsReversed: 0,
  redeemedPoints: 0,
  pointsReturned: 0,
};

/**
 * The invariants (docs/decisions/general.md#ledger-invariants) that one order's totals must
 * satisfy. Empty when all hold.
 */
export function totalsViolations(amountMinor: number, totals: OrderTotals): string[] {
  const t = pickTotals(totals);
  const v: string[] = [];
  const nonNegative = Object.entries(t).filter(([, n]) => !Number.isSafeInteger(n) || n < 0);
  for (const [name] of nonNegative) v.push(`${name} must be a non-negative integer`);
  if (t.authorizedMinor > amountMinor) v.push('authorized exceeds the order amount');
  if (t.capturedMinor + t.voidedMinor > t.authorizedMinor)
    v.push('captured + voided exceeds authorized');
  if (t.refundedMinor > t.capturedMinor) v.push('refunded exceeds captured');
  if (t.pointsReversed > t.totalPoints) v.push('points reversed exceed points earned');
  if (t.pointsReturned > t.redeemedPoints) v.push('points returned exceed points redeemed');
  return v;
}

function change(
  order: Order,
  transactions: TransactionDraft[],
  now: number,
  cancelled = order.cancelledAt !== null,
): Change {
  const totals = applyTransactions(order, transactions);
  const violations = totalsViolations(order.amountMinor, totals);
  assert(violations.length === 0, `planner produced invalid totals: ${violations.join('; ')}`);
  const firstCapture = order.capturedAt === null && totals.capturedMinor > 0;
  const capturedAt = firstCapture ? now : order.capturedAt;
  const captureMethod = firstCapture
    ? transactions.some((t) => t.type === 'purchase')
      ? 'purchase'
      : 'capture'
    : order.captureMethod;
  return { transactions, totals, cancelled, capturedAt, captureMethod };
}

/**
 * A change that moves no money: no rows, or rows kept for the record that leave every total as it
 * is (MPG's extension and reversal). The order's version and time still advance with its event;
 * its cancel flag and capture facts stay, so no clock is needed.
 */
export function planNoMoney(order: Order, rows: readonly TransactionDraft[] = []): Change {
  const before = pickTotals(order);
  const totals = applyTransactions(order, rows);
  const moved = (Object.keys(before) as (keyof OrderTotals)[]).filter(
    (k) => totals[k] !== before[k],
  );
  assert(moved.length === 0, `a change that moves no money moved ${moved.join(', ')}`);
  return {
    transactions: rows,
    totals,
    cancelled: order.cancelledAt !== null,
    capturedAt: order.capturedAt,
    captureMethod: order.captureMethod,
  };
}

/**
 * Gives a planned change the outcome of its attempt. Its first row is the operation's main row.
 * Approved: the change stands, with the outcome's details on the main row. Anything else: the
 * operation did not happen, so the change keeps only the main row, marked with its status, and
 * the totals, the cancel flag and the capture facts stay as they were.
 */
export function withOutcome(
  order: Order,
  planned: Change,
  outcome: TransactionOutcome,
  now: number,
): Change {
  const [main, ...rest] = planned.transactions;
  assert(main !== undefined, 'an outcome needs a main row');
  const marked: TransactionDraft = { ...main, status: outcome.status, details: outcome.details };
  if (outcome.status === 'approved') return { ...planned, transactions: [marked, ...rest] };
  return change(order, [marked], now);
}

/** Reject changes to orders that can no longer move money. */
function terminalError(order: Order): DomainError | null {
  switch (order.status) {
    case 'cancelled':
      return domainError('order.cancelled');
    case 'refunded':
      return domainError('order.already_fully_refunded');
    case 'voided':
      return domainError('order.nothing_to_void');
    case 'pending':
    case 'authorized':
    case 'captured':
    case 'partially_refunded':
      return null;
    default:
      return unreachable(order.status);
  }
}

/**
 * What creating an order does with its money: nothing, reserve it, capture it in one step, or
 * only verify the card (MPG's verify: a row that moves no money).
 */
export type CreationCapture = 'none' | 'authorize' | 'purchase' | 'verify';

/**
 * The rows that create an order: an optional reservation, one-step purchase or verification,
 * points earned and points redeemed. Used by `createOrder` on a fresh order with zero totals.
 * Errors: none; input validity (amounts ≥ 0, redeemed ≤ amount) is asserted.
 */
export function planCreation(
  order: Order,
  input: {
    readonly capture: CreationCapture;
    readonly totalPoints: number;
    readonly redeemedPoints: number;
  },
  now: number,
): Change {
  assert(order.version === 0, 'planCreation runs on a new order');
  assert(order.redeemedMinor <= order.amountMinor, 'redeemed value exceeds the order amount');
  const rows: TransactionDraft[] = [];
  if (input.capture === 'authorize' && order.amountMinor > 0) {
    rows.push({ type: 'authorize', amountMinor: order.amountMinor, points: 0 });
  }
  if (input.capture === 'purchase') {
    rows.push({ type: 'purchase', amountMinor: order.amountMinor, points: 0 });
  }
  if (input.capture === 'verify') {
    rows.push({ type: 'verify', amountMinor: order.amountMinor, points: 0 });
  }
  if (input.redeemedPoints > 0) {
    rows.push({
      type: 'points_redeem',
      amountMinor: order.redeemedMinor,
      points: input.redeemedPoints,
    });
  }
  if (input.totalPoints > 0) {
    rows.push({ type: 'points_award', amountMinor: 0, points: input.totalPoints });
  }
  return change(order, rows, now, false);
}

/**
 * Reserve the whole order amount.
 * Errors: order.cancelled, order.already_fully_refunded, order.nothing_to_void,
 * order.already_captured, order.already_authorized.
 */
export function planAuthorize(order: Order, now: number): Result<Change, DomainError> {
  const terminal = terminalError(order);
  if (terminal) return err(terminal);
  if (order.capturedMinor > 0) return err(domainError('order.already_captured'));
  if (order.authorizedMinor > 0) return err(domainError('order.already_authorized'));
  return ok(change(order, [{ type: 'authorize', amountMinor: order.amountMinor, points: 0 }], now));
}

/**
 * Change the amount of an order on which no money has moved and no points were redeemed yet
 * (Backd's update_order of a placed order). The change has no ledger rows; the caller writes the
 * new amount with it. Errors: order.cancelled, order.already_authorized, order.already_captured,
 * validation.failed (a negative or unsafe amount, or points already redeemed on the order).
 */
export function planAmendAmount(order: Order, amountMinor: number): Result<Change, DomainError> {
  if (order.status === 'cancelled') return err(domainError('order.cancelled'));
  if (order.capturedMinor > 0) return err(domainError('order.already_captured'));
  if (order.authorizedMinor > 0) return err(domainError('order.already_authorized'));
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || order.redeemedMinor > 0) {
    return err(domainError('validation.failed'));
  }
  return ok(planNoMoney(order));
}

/**
 * Authorize and capture the whole amount in one step (Points' "approve", MPG's purchase).
 * Errors: as planAuthorize.
 */
export function planPurchase(order: Order, now: number): Result<Change, DomainError> {
  const terminal = terminalError(order);
  if (terminal) return err(terminal);
  if (order.capturedMinor > 0) return err(domainError('order.already_captured'));
  if (order.authorizedMinor > 0) return err(domainError('order.already_authorized'));
  return ok(change(order, [{ type: 'purchase', amountMinor: order.amountMinor, points: 0 }], now));
}

/**
 * Capture `amountMinor` of the reservation, or all that remains when it is omitted.
 * Errors: order.cancelled, order.already_fully_refunded, order.nothing_to_void,
 * order.not_authorized, order.already_captured (nothing left to capture),
 * capture.amount_not_positive, capture.exceeds_capturable.
 */
export function planCapture(
  order: Order,
  amountMinor: number | undefined,
  now: number,
): Result<Change, DomainError> {
  const terminal = terminalError(order);
  if (terminal) return err(terminal);
  if (order.authorizedMinor === 0) return err(domainError('order.not_authorized'));
  const capturable = capturableMinor(order);
  if (capturable === 0) return err(domainError('order.already_captured'));
  const amount = amountMinor ?? capturable;
  if (amount <= 0) return err(domainError('capture.amount_not_positive'));
  if (amount > capturable) {
    return err(domainError('capture.exceeds_capturable', { capturableMinor: capturable }));
  }
  return ok(change(order, [{ type: 'capture', amountMinor: amount, points: 0 }], now));
}

/**
 * Release `amountMinor` of the uncaptured reservation, or all of it when omitted. Captured money
 * is never voided: that is a refund.
 * Errors: order.cancelled, order.already_fully_refunded, order.nothing_to_void,
 * order.not_authorized, void.amount_not_positive, void.exceeds_voidable.
 */
export function planVoid(
  order: Order,
  amountMinor: number | undefined,
  now: number,
): Result<Change, DomainError> {
  const terminal = terminalError(order);
  if (terminal) return err(terminal);
  if (order.authorizedMinor === 0) return err(domainError('order.not_authorized'));
  const voidable = capturableMinor(order);
  if (voidable === 0) return err(domainError('order.nothing_to_void'));
  const amount = amountMinor ?? voidable;
  if (amount <= 0) return err(domainError('void.amount_not_positive'));
  if (amount > voidable)
    return err(domainError('void.exceeds_voidable', { voidableMinor: voidable }));
  return ok(change(order, [{ type: 'void', amountMinor: amount, points: 0 }], now));
}

/**
 * Cancel an order on which nothing was captured: void the rest of the reservation and give
 * redeemed points back.
 * Errors: order.already_cancelled, order.already_refunded, order.already_captured,
 * order.nothing_to_void (a fully voided order).
 */
export function planCancel(order: Order, now: number): Result<Change, DomainError> {
  if (order.status === 'cancelled') return err(domainError('order.already_cancelled'));
  if (order.refundedMinor > 0) return err(domainError('order.already_refunded'));
  if (order.capturedMinor > 0) return err(domainError('order.already_captured'));
  if (order.status === 'voided') return err(domainError('order.nothing_to_void'));
  const rows: TransactionDraft[] = [];
  const reserved = capturableMinor(order);
  if (reserved > 0) rows.push({ type: 'void', amountMinor: reserved, points: 0 });
  const unreturned = order.redeemedPoints - order.pointsReturned;
  if (unreturned > 0) rows.push({ type: 'points_return', amountMinor: 0, points: unreturned });
  rows.push({ type: 'cancel', amountMinor: 0, points: 0 });
  return ok(change(order, rows, now, true));
}

export interface RefundPolicy {
  /** Days after the first capture during which refunds are accepted; 0 means no window. */
  readonly refundWindowDays: number;
}

const DAY_MS = 86_400_000;

/** The split of one refund: what goes back as money and as points. */
export interface RefundSplit {
  readonly amountMinor: number;
  /** Part of `amountMinor` repaid as points (replacing orders); the rest is cash. */
  readonly pointsValueMinor: number;
  readonly cashMinor: number;
  /** Earned points taken back from the customer. */
  readonly pointsReversed: number;
  /** Redeemed points given back to the customer. */
  readonly pointsReturned: number;
}

/**
 * Split a refund that brings the refunded total from `before` to `after`. Every share is computed
 * on the cumulative total and differenced, so rounding never drifts and a full refund returns
 * exactly the order's points (docs/decisions/points.md#points-reversal).
 */
export function splitRefund(order: Order, amountMinor: number): RefundSplit {
  const before = order.refundedMinor;
  const after = before + amountMinor;
  const base = order.capturedMinor;
  const pointsShare = (refunded: number): number =>
    order.redeemedMinor === 0
      ? 0
      : allocate(refunded, [order.redeemedMinor, order.amountMinor - order.redeemedMinor])[0]!;
  const ratio = (points: number, refunded: number): number =>
    roundHalfUpRatio(points, refunded, base);
  const pointsValueMinor = pointsShare(after) - pointsShare(before);
  return {
    amountMinor,
    pointsValueMinor,
    cashMinor: amountMinor - pointsValueMinor,
    pointsReversed: ratio(order.totalPoints, after) - ratio(order.totalPoints, before),
    pointsReturned: ratio(order.redeemedPoints, after) - ratio(order.redeemedPoints, before),
  };
}

/**
 * Refund `amountMinor` of the captured money, or all that remains when omitted, with the points
 * tied to it.
 * Errors: order.cancelled, order.not_captured, order.already_fully_refunded,
 * refund.window_expired, refund.amount_not_positive, refund.exceeds_refundable.
 */
export function planRefund(
  order: Order,
  amountMinor: number | undefined,
  policy: RefundPolicy,
  now: number,
): Result<{ change: Change; split: RefundSplit }, DomainError> {
  if (order.status === 'cancelled') return err(domainError('order.cancelled'));
  if (order.status === 'pending' || order.status === 'authorized' || order.status === 'voided') {
    return err(domainError('order.not_captured'));
  }
  const refundable = refundableMinor(order);
  if (refundable === 0) return err(domainError('order.already_fully_refunded'));
  if (policy.refundWindowDays > 0 && order.capturedAt !== null) {
    const closesAt = order.capturedAt + policy.refundWindowDays * DAY_MS;
    if (now >= closesAt) return err(domainError('refund.window_expired', { closedAt: closesAt }));
  }
  const amount = amountMinor ?? refundable;
  if (amountMinor !== undefined && amount <= 0)
    return err(domainError('refund.amount_not_positive'));
  if (amount > refundable) {
    return err(domainError('refund.exceeds_refundable', { refundableMinor: refundable }));
  }
  const split = splitRefund(order, amount);
  const rows: TransactionDraft[] = [{ type: 'refund', amountMinor: amount, points: 0 }];
  if (split.pointsReversed > 0) {
    rows.push({ type: 'points_reversal', amountMinor: 0, points: split.pointsReversed });
  }
  if (split.pointsReturned > 0) {
    rows.push({ type: 'points_return', amountMinor: 0, points: split.pointsReturned });
  }
  return ok({ change: change(order, rows, now), split });
}
