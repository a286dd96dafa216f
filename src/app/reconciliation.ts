/**
 * Reconciliation runs (issue 7): read a settlement report into the run's rows, match them
 * against the ledger for a date range, store the findings, and, when applied (applying is
 * src/app/reconciliation-apply.ts), auto-refund the replacing Points orders whose payment never
 * settled. Each step works in pages, each page in its own transaction, so a report of any size
 * runs in bounded memory; each automatic refund is one transaction of its own (the core refund,
 * its event and the finding's new action together).
 *
 * A run is scoped: it names the merchant and the face whose report it is, and every read of the
 * ledger filters by both in its SQL, so another merchant's or face's orders are never read,
 * reported or refunded. A report row naming one of them reads as an order that does not exist.
 */
import { BOUNDS } from '../domain/bounds.js';
import { domainError, type DomainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import {
  autoRefundDecision,
  EMPTY_SUMMARY,
  type Finding,
  type FindingAction,
  type ReconciliationRun,
  type ReconciliationScope,
  type ReportRow,
  type RunSummary,
} from '../domain/reconciliation.js';
import { err, ok, type Result } from '../domain/result.js';
import type { AppDeps } from './context.js';
import type { Merchant } from '../domain/merchant.js';
import { applyReconciliation } from './reconciliation-apply.js';
import type { ReconciliationStore, ReportGroup } from './ports/reconciliation.js';
import { readSettlementReport, type ReportFormat, type ReportItem } from './settlement-report.js';

/** Rows (and findings) written per transaction while a report is read. */
const INGEST_BATCH_ROWS = 500;
/** Groups or orders matched per page. */
const MATCH_PAGE_SIZE = 500;

export interface ReconcileInput {
  /** The merchant and face whose settlement report this is; nothing outside it is touched. */
  readonly scope: ReconciliationScope;
  readonly fromAt: number;
  readonly toAt: number;
  /** `api`, `cli` or `folder:<file>`: where the report came from. */
  readonly source: string;
  readonly format: ReportFormat;
  readonly report: AsyncIterable<Buffer | string>;
  readonly apply: boolean;
  /** Told the number of lines read so far, every few thousand rows (the CLI's progress line). */
  readonly onProgress?: (rows: number) => void;
}

/** Collects findings and writes them in batches with increasing `seq`. */
class FindingWriter {
  private seq = 0;
  private pending: Finding[] = [];
  constructor(
    private readonly deps: AppDeps,
    private readonly runId: string,
  ) {}
  add(
    finding: Omit<Finding, 'runId' | 'seq' | 'updatedAt' | 'action' | 'actionDetail'> & {
      readonly action?: FindingAction;
      readonly actionDetail?: string | null;
    },
  ): void {
    this.pending.push({
      action: 'none',
      actionDetail: null,
      ...finding,
      runId: this.runId,
      seq: ++this.seq,
      updatedAt: this.deps.clock.now(),
    });
  }
  get size(): number {
    return this.pending.length;
  }
  /** Writes what is pending in `tx`, or in a transaction of its own. */
  async flush(tx?: ReconciliationStore): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    for (let i = 0; i < batch.length; i += INGEST_BATCH_ROWS) {
      const slice = batch.slice(i, i + INGEST_BATCH_ROWS);
      if (tx) await tx.insertFindings(slice);
      else await this.deps.store.transaction((t) => t.insertFindings(slice));
    }
  }
}

/** An unknown order's finding: never says whether an order with that id exists elsewhere. */
const UNKNOWN_ORDER_MESSAGE = "no such order for the run's merchant and face";

const blank = {
  line: null,
  orderReference: null,
  orderId: null,
  merchantId: null,
  transactionReference: null,
  type: null,
  expectedMinor: null,
  reportedMinor: null,
  expectedCurrency: null,
  reportedCurrency: null,
} as const;

type Counts = { -readonly [K in keyof RunSummary]: RunSummary[K] };

/**
 * Reads the report, matches it and stores the run; applies it at once when asked.
 * Errors: merchant.not_found (the scope's merchant); validation.failed with `{line, message}`
 * when the report's header is unusable. No run is stored then. A report that breaks off (the
 * stream fails) leaves the run `failed` with the reason and throws.
 */
export async function reconcile(
  deps: AppDeps,
  input: ReconcileInput,
): Promise<Result<ReconciliationRun, DomainError>> {
  const merchant = await deps.store.read((tx) => tx.findMerchant(input.scope.merchantId));
  if (!merchant) return err(domainError('merchant.not_found'));
  const items = readSettlementReport(input.report, input.format)[Symbol.asyncIterator]();
  // The header decides whether there is a run at all: peek at the first item before storing one.
  const first = await items.next();
  if (!first.done && !first.value.ok && first.value.fatal) {
    return err(
      domainError('validation.failed', { line: first.value.line, message: first.value.message }),
    );
  }
  const now = deps.clock.now();
  const run: ReconciliationRun = {
    id: deps.newId(),
    status: 'processing',
    source: input.source,
    scope: input.scope,
    fromAt: input.fromAt,
    toAt: input.toAt,
    summary: EMPTY_SUMMARY,
    error: null,
    createdAt: now,
    completedAt: null,
    appliedAt: null,
  };
  await deps.store.transaction((tx) => tx.insertReconciliationRun(run));
  const counts: Counts = { ...EMPTY_SUMMARY };
  const findings = new FindingWriter(deps, run.id);
  try {
    await ingest(deps, run, first, items, counts, findings, input.onProgress);
    await match({ deps, run, scope: input.scope, counts, findings });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.store.transaction((tx) =>
      tx.updateReconciliationRun({
        ...run,
        status: 'failed',
        summary: counts,
        error: message.slice(0, 1000),
        completedAt: deps.clock.now(),
      }),
    );
    throw error;
  }
  const completed: ReconciliationRun = {
    ...run,
    status: 'completed',
    summary: counts,
    completedAt: deps.clock.now(),
  };
  await deps.store.transaction((tx) => tx.updateReconciliationRun(completed));
  if (!input.apply) return ok(completed);
  return applyReconciliation(deps, run.id);
}

async function ingest(
  deps: AppDeps,
  run: ReconciliationRun,
  first: IteratorResult<ReportItem>,
  items: AsyncIterator<ReportItem>,
  counts: Counts,
  findings: FindingWriter,
  onProgress?: (rows: number) => void,
): Promise<void> {
  let rows: ReportRow[] = [];
  const flush = async () => {
    const batch = rows;
    rows = [];
    await deps.store.transaction(async (tx) => {
      await tx.insertReportRows(run.id, batch);
      await findings.flush(tx);
    });
  };
  for (let next = first; !next.done; next = await items.next()) {
    const item = next.value;
    counts.rows++;
    if (item.ok) rows.push(item.row);
    else {
      counts.malformed_rows++;
      findings.add({ ...blank, kind: 'malformed_row', line: item.line, message: item.message });
    }
    if (rows.length + findings.size >= INGEST_BATCH_ROWS) await flush();
    if (onProgress && counts.rows % 10_000 === 0) onProgress(counts.rows);
  }
  await flush();
  onProgress?.(counts.rows);
}

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

async function match(pass: MatchPass): Promise<void> {
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

/** A run's findings page by page, for the export. */
export async function* runFindings(deps: AppDeps, runId: string): AsyncGenerator<Finding> {
  let afterSeq = 0;
  for (;;) {
    const cursor = afterSeq;
    const page = await deps.store.read((tx) => tx.listFindings(runId, cursor, MATCH_PAGE_SIZE));
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < MATCH_PAGE_SIZE) return;
    afterSeq = last.seq;
  }
}

/**
 * What the admin API, the CLI and the folder job answer about a run they made or applied: its
 * id, status, scope and counts (snake case, as every edge prints it).
 */
export const runOutline = (run: ReconciliationRun) => ({
  id: run.id,
  status: run.status,
  merchant_id: run.scope?.merchantId ?? null,
  dialect: run.scope?.dialect ?? null,
  summary: run.summary,
});
