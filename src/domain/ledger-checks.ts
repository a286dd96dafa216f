/**
 * The invariants of DESIGN.md §2 for one order, as a pure function of the stored order, the sums
 * of its ledger rows and its number of state-change events. `unwind verify` runs it over every
 * order; tests run it too.
 */
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
