/**
 * The invariants of DESIGN.md §2 for one order, as a pure function of the stored order, the sums
 * of its ledger rows and its number of state-change events. `unwind verify` runs it over every
 * order; tests run it too.
 */
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

export interface LedgerSum {
  readonly type: TransactionType;
  readonly status: string;
  readonly amountMinor: number;
  readonly points: number;
  readonly count: number;
}

/** Every broken invariant of one order, in words; empty when the order is sound. */
export function orderViolations(
  order: Order,
  sums: readonly LedgerSum[],
  stateChangeEvents: number,
): string[] {
  const v: string[] = [];
  // Totals are the sums of approved rows only.
  const approved: TransactionDraft[] = sums
    .filter((s) => s.status === 'approved')
    .map((s) => ({ type: s.type, amountMinor: s.amountMinor, points: s.points }));
  const recomputed = applyTransactions(ZERO_TOTALS, approved);
  const stored = pickTotals(order);
  for (const key of Object.keys(recomputed) as (keyof typeof recomputed)[]) {
    if (recomputed[key] !== stored[key]) {
      v.push(`${key} is ${stored[key]} but the ledger sums to ${recomputed[key]}`);
    }
  }
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
  const settled = requests
    .filter((r) => r.status === 'refunded')
    .reduce((s, r) => s + r.amountMinor, 0);
  if (settled > order.refundedMinor) {
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
