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
// The order's shape and totals live in order-model.ts; they are re-exported here so every name
// this module has always exported stays importable from it (callers and other branches import
// them from src/domain/order.ts).
export * from './order-model.js';
import {
  applyTransactions,
  capturableMinor,
  type Change,
  type Order,
  type OrderTotals,
  pickTotals,
  refundableMinor,
  totalsViolations,
  type TransactionDraft,
  type TransactionOutcome,
} from './order-model.js';

/** The change of `order` that appends `transactions`, with its totals checked. */
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
