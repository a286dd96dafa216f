/**
 * Matching a read report against the ledger (src/app/reconciliation.ts): the reported groups, the
 * ledger's orders missing from the report, and the report's duplicates, page by page.
 */
import { BOUNDS } from '../domain/bounds.js';
import type { Merchant } from '../domain/merchant.js';
import type { Order } from '../domain/order.js';
import {
  autoRefundDecision,
  type ReconciliationRun,
  type ReconciliationScope,
} from '../domain/reconciliation.js';
import type { AppDeps } from './context.js';
import type { ReportGroup } from './ports/reconciliation.js';
import {
  blank,
  type Counts,
  type FindingWriter,
  MATCH_PAGE_SIZE,
  UNKNOWN_ORDER_MESSAGE,
} from './reconciliation-findings.js';

/**
 * The ledger's approved money of one kind on one order: its stored totals, which are the sums of
 * its approved rows (payments, of the PAYMENT_LEDGER_TYPES; refunds), as `unwind verify` checks.
 */
const ledgerAmount = (order: Order, type: 'payment' | 'refund'): number =>
  type === 'payment' ? order.capturedMinor : order.refundedMinor;

const what = (type: 'payment' | 'refund') => (type === 'payment' ? 'payments' : 'refunds');

/** What every matching pass reads and adds to. */
interface MatchPass {
  readonly deps: AppDeps;
  readonly run: ReconciliationRun;
  readonly scope: ReconciliationScope;
  readonly counts: Counts;
  readonly findings: FindingWriter;
}

export async function match(pass: MatchPass): Promise<void> {
  await matchReportedGroups(pass);
  await matchMissingInReport(pass);
  await matchDuplicates(pass);
}

async function matchReportedGroups(pass: MatchPass): Promise<void> {
  const { deps, run, scope, counts, findings } = pass;
  // 1. Every order and kind the report lists, against the scope's ledger (all time: the report
  //    may settle money the ledger moved before the range).
  let after: { orderReference: string; type: string } | null = null;
  for (;;) {
    const cursor = after;
    const page = await deps.store.read(async (tx) => {
      const groups = await tx.reportGroups(run.id, cursor, MATCH_PAGE_SIZE);
      const refs = [...new Set(groups.map((g) => g.orderReference))];
      const orders = await tx.findScopedOrders(scope, refs);
      return { groups, orders: new Map(orders.map((o) => [o.id, o])) };
    });
    for (const g of page.groups) {
      judgeGroup(g, page.orders.get(g.orderReference), counts, findings);
    }
    await findings.flush();
    const last = page.groups.at(-1);
    if (!last || page.groups.length < MATCH_PAGE_SIZE) break;
    after = { orderReference: last.orderReference, type: last.type };
  }
}

/** Judges one reported order and kind against the ledger's `order` (undefined: none in scope). */
function judgeGroup(
  g: ReportGroup,
  order: Order | undefined,
  counts: Counts,
  findings: FindingWriter,
): void {
  // Rows are bounded one by one, their sum is not: a sum past the amount bound matches no
  // order, and a finding stores only amounts within the bound (its message has the sum).
  const reported = g.amountMinor <= BigInt(BOUNDS.amountMinorMax) ? Number(g.amountMinor) : null;
  const base = {
    ...blank,
    line: g.firstLine,
    orderReference: g.orderReference,
    type: g.type,
    reportedMinor: reported,
    reportedCurrency: g.minCurrency,
  };
  if (!order) {
    // The same words whether no order exists or another merchant's or face's does.
    counts.unknown_order++;
    findings.add({ ...base, kind: 'unknown_order', message: UNKNOWN_ORDER_MESSAGE });
    return;
  }
  const known = {
    ...base,
    orderId: order.id,
    merchantId: order.merchantId,
    expectedCurrency: order.currency,
  };
  if (g.minCurrency !== g.maxCurrency || g.minCurrency !== order.currency) {
    counts.currency_mismatch++;
    findings.add({
      ...known,
      kind: 'currency_mismatch',
      message: `the report lists ${what(g.type)} in ${g.minCurrency === g.maxCurrency ? g.minCurrency : `${g.minCurrency} and ${g.maxCurrency}`}; the order is in ${order.currency}`,
    });
    return;
  }
  const expected = ledgerAmount(order, g.type);
  if (expected === 0) {
    counts.missing_in_unwind++;
    findings.add({
      ...known,
      kind: 'missing_in_unwind',
      expectedMinor: 0,
      message: `the order has no approved ${what(g.type)} in Unwind`,
    });
  } else if (BigInt(expected) !== g.amountMinor) {
    counts.amount_mismatch++;
    findings.add({
      ...known,
      kind: 'amount_mismatch',
      expectedMinor: expected,
      message:
        reported === null
          ? `the report's ${what(g.type)} (${g.count} rows) add up to ${g.amountMinor} minor units, more than any order may hold`
          : `the report's ${what(g.type)} (${g.count} rows) do not add up to the ledger's`,
    });
  } else {
    counts.matched++;
  }
}

async function matchMissingInReport(pass: MatchPass): Promise<void> {
  const { deps, run, scope, counts, findings } = pass;
  // 2. Money the scope's ledger moved in the range that the report does not list; the policy's
  //    one case.
  let afterOrderId = '';
  for (;;) {
    const cursor = afterOrderId;
    const now = deps.clock.now();
    const page = await deps.store.read(async (tx) => {
      const ids = await tx.ledgerOrderPage(scope, run.fromAt, run.toAt, cursor, MATCH_PAGE_SIZE);
      const missing = await tx.ledgerMissingFromReport(run.id, scope, ids, run.fromAt, run.toAt);
      const orders = await tx.findScopedOrders(scope, [...new Set(missing.map((m) => m.orderId))]);
      const merchant = await tx.findMerchant(scope.merchantId);
      return { ids, missing, orders: new Map(orders.map((o) => [o.id, o])), merchant, now };
    });
    const merchant = page.merchant;
    for (const m of page.missing) {
      const order = page.orders.get(m.orderId);
      const action =
        m.type === 'payment' && order && merchant
          ? autoRefundDecision(order, merchant.settings.autoRefundGraceHours, page.now)
          : 'none';
      counts.missing_in_report++;
      if (action !== 'none') counts[action]++;
      findings.add({
        ...blank,
        kind: 'missing_in_report',
        orderReference: m.orderId,
        orderId: m.orderId,
        merchantId: m.merchantId,
        type: m.type,
        expectedMinor: m.amountMinor,
        expectedCurrency: m.currency,
        message: `the report lists none of the order's ${what(m.type)} in the range`,
        action,
        actionDetail: action === 'none' ? null : graceDetail(order!, merchant!),
      });
    }
    await findings.flush();
    const last = page.ids.at(-1);
    if (!last || page.ids.length < MATCH_PAGE_SIZE) break;
    afterOrderId = last;
  }
}

async function matchDuplicates({ deps, run, counts, findings }: MatchPass): Promise<void> {
  // 3. Transaction references listed more than once.
  let afterLine = 0;
  for (;;) {
    const cursor = afterLine;
    const dups = await deps.store.read((tx) =>
      tx.reportDuplicates(run.id, cursor, MATCH_PAGE_SIZE),
    );
    for (const d of dups) {
      counts.duplicate++;
      findings.add({
        ...blank,
        kind: 'duplicate',
        line: d.line,
        orderReference: d.orderReference,
        transactionReference: d.transactionReference,
        type: d.type,
        message: `transaction_reference already listed on line ${d.firstLine}`,
      });
    }
    await findings.flush();
    const last = dups.at(-1);
    if (!last || dups.length < MATCH_PAGE_SIZE) break;
    afterLine = last.line;
  }
}

const graceDetail = (order: Order, merchant: Merchant): string =>
  `grace period of ${merchant.settings.autoRefundGraceHours} h from capture at ${new Date(order.capturedAt ?? 0).toISOString()}`;
