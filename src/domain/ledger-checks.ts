/**
 * The invariants of one order (docs/decisions/general.md#ledger-invariants), as a pure function
 * of the stored order, the sums of its ledger rows and its number of state-change events.
 * `unwind verify` runs it over every order; tests run it too.
 */
import { BOUNDS, pointsPerUnitProblem, withinBounds } from './bounds.js';
import type { MerchantSettings } from './merchant.js';
import { isActiveStatus, type RefundRequest } from './refund-request.js';
import {
  applyTransactions,
  deriveStatus,
  type Order,
  pickTotals,
  type TransactionDraft,
  type TransactionType,
  totalsViolations,
  ZERO_TOTALS,
} from './order.js';

/** The sums of one order's rows of one type and status, exact whatever the rows hold. */
export interface LedgerSum {
  readonly type: TransactionType;
  readonly status: string;
  readonly amountMinor: bigint;
  readonly points: bigint;
  readonly count: number;
}

/**
 * Every broken invariant of one order, in words; empty when the order is sound. The order's own
 * figures are within their bounds (the verifier reports the others from the database first).
 */
export function orderViolations(
  order: Order,
  sums: readonly LedgerSum[],
  stateChangeEvents: number,
): string[] {
  const v: string[] = [];
  v.push(...recomputedTotalsViolations(order, sums));
  v.push(...totalsViolations(order.amountMinor, order));
  const cancelRows = sums
    .filter((s) => s.type === 'cancel' && s.status === 'approved')
    .reduce((n, s) => n + s.count, 0);
  if (cancelRows > 0 !== (order.cancelledAt !== null)) {
    v.push(`cancelled_at disagrees with ${cancelRows} cancel rows`);
  }
  const derived = deriveStatus(order, order.cancelledAt !== null);
  if (derived !== order.status) v.push(`status is ${order.status} but the amounts say ${derived}`);
  if ((order.capturedAt !== null) !== (order.capturedMinor > 0 || order.refundedMinor > 0)) {
    v.push('captured_at disagrees with the captured amount');
  }
  // Creation is one event and every later change one more: version + 1 events in all.
  if (stateChangeEvents !== order.version + 1) {
    v.push(`${stateChangeEvents} state-change events for version ${order.version}`);
  }
  return v;
}

/**
 * The stored totals against the sums of the approved rows. A sound order's approved rows of one
 * type add up to at most its amount (or its points); a sum past the bound is reported exactly as
 * it is, and nothing is recomputed from it.
 */
function recomputedTotalsViolations(order: Order, sums: readonly LedgerSum[]): string[] {
  const approved = sums.filter((s) => s.status === 'approved');
  const oversized = approved.filter(
    (s) =>
      s.amountMinor > BigInt(BOUNDS.amountMinorMax) || s.points > BigInt(BOUNDS.orderPointsMax),
  );
  if (oversized.length > 0) {
    return oversized.map(
      (s) =>
        `approved ${s.type} rows sum to ${s.amountMinor} minor units and ${s.points} points, past the bounds`,
    );
  }
  // Each sum is within its bound now, so the numbers below are exact.
  const rows: TransactionDraft[] = approved.map((s) => ({
    type: s.type,
    amountMinor: Number(s.amountMinor),
    points: Number(s.points),
  }));
  const recomputed = applyTransactions(ZERO_TOTALS, rows);
  const stored = pickTotals(order);
  const v: string[] = [];
  for (const key of Object.keys(recomputed) as (keyof typeof recomputed)[]) {
    if (recomputed[key] !== stored[key]) {
      v.push(`${key} is ${stored[key]} but the ledger sums to ${recomputed[key]}`);
    }
  }
  return v;
}

/** A merchant's settings that the bounds refuse (stored before the bounds existed). */
export function settingsViolations(settings: MerchantSettings): string[] {
  const v: string[] = [];
  const perUnit = pointsPerUnitProblem(settings.pointsPerUnit);
  if (perUnit !== null) v.push(`points_per_unit ${settings.pointsPerUnit}: ${perUnit}`);
  if (!withinBounds(settings.minorPerPoint, 1, BOUNDS.minorPerPointMax)) {
    v.push(`minor_per_point ${settings.minorPerPoint} is outside 1..${BOUNDS.minorPerPointMax}`);
  }
  return v;
}

/**
 * A Backd refund request's timestamps must fit its status, and the requests of an order that
 * settled add up to exactly the order's refunded money: a Backd order's money leaves only through
 * its refund requests (docs/dialects/backd.md), so Backd's `find_order` shows every refund.
 */
export function refundRequestViolations(
  order: Order,
  requests: readonly RefundRequest[],
): { id: string; problem: string }[] {
  const v: { id: string; problem: string }[] = [];
  for (const r of requests) {
    const problem = ((): string | null => {
      switch (r.status) {
        case 'draft':
          return r.approvedAt === null && r.refundedAt === null && r.declinedAt === null
            ? null
            : 'a draft carries a later step';
        case 'approved':
          return r.approvedAt !== null && r.approvedAt >= r.lockedAt && r.refundedAt === null
            ? null
            : 'approved before its lock time, or marked refunded';
        case 'refunded':
          return r.approvedAt !== null && r.refundedAt !== null && r.refundedAt >= r.approvedAt
            ? null
            : 'refunded without being approved first';
        case 'declined':
          return r.declinedAt !== null && r.refundedAt === null ? null : 'declined without a time';
      }
    })();
    if (problem) v.push({ id: r.id, problem });
  }
  const active = requests.filter((r) => isActiveStatus(r.status));
  if (active.length > 1)
    v.push({ id: order.id, problem: `${active.length} active refund requests` });
  // Exact however many requests there are (each is within the amount bound).
  const settled = requests
    .filter((r) => r.status === 'refunded')
    .reduce((s, r) => s + BigInt(r.amountMinor), 0n);
  if (settled > BigInt(order.refundedMinor)) {
    v.push({
      id: order.id,
      problem: `settled requests ${settled} exceed refunded ${order.refundedMinor}`,
    });
  } else if (settled < order.refundedMinor) {
    v.push({
      id: order.id,
      problem: `refunded ${order.refundedMinor} but settled requests sum to ${settled}: money left outside its refund requests`,
    });
  }
  return v;
}
