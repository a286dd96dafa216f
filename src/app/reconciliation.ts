/**
 * Reconciliation runs (issue 7): read a settlement report into the run's rows, match them
 * against the ledger for a date range, store the findings, and, when applied, auto-refund the
 * replacing Points orders whose payment never settled. Each step works in pages, each page in its
 * own transaction, so a report of any size runs in bounded memory; each automatic refund is one
 * transaction of its own (the core refund, its event and the finding's new action together).
 */
import { domainError, type DomainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import {
  AUTO_REFUND_REASON,
  autoRefundDecision,
  autoRefundKey,
  EMPTY_SUMMARY,
  type Finding,
  type FindingAction,
  type ReconciliationRun,
  type ReportRow,
  type RunSummary,
} from '../domain/reconciliation.js';
import { err, ok, type Result } from '../domain/result.js';
import { type Actor, type AppDeps, execute, type RunContext } from './context.js';
import { refundOrder } from './order-operations.js';
import type { Merchant } from '../domain/merchant.js';
import type { StoreTx } from './ports/store.js';
import { readSettlementReport, type ReportFormat, type ReportItem } from './settlement-report.js';

/** Rows (and findings) written per transaction while a report is read. */
const INGEST_BATCH_ROWS = 500;
/** Groups or orders matched per page. */
const MATCH_PAGE_SIZE = 500;

export const RECONCILIATION_ACTOR: Actor = { kind: 'job', name: 'reconciliation' };

export interface ReconcileInput {
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
  async flush(tx?: StoreTx): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    for (let i = 0; i < batch.length; i += INGEST_BATCH_ROWS) {
      const slice = batch.slice(i, i + INGEST_BATCH_ROWS);
      if (tx) await tx.insertFindings(slice);
      else await this.deps.store.transaction((t) => t.insertFindings(slice));
    }
  }
}

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
 * Errors: validation.failed with `{line, message}` when the report's header is unusable (no run
 * is stored then). A report that breaks off (the stream fails) leaves the run `failed` with the
 * reason and throws.
 */
export async function reconcile(
  deps: AppDeps,
  input: ReconcileInput,
): Promise<Result<ReconciliationRun, DomainError>> {
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
    await match(deps, run, counts, findings);
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

async function match(
  deps: AppDeps,
  run: ReconciliationRun,
  counts: Counts,
  findings: FindingWriter,
): Promise<void> {
  // 1. Every order and kind the report lists, against the ledger (all time: the report may
  //    settle money the ledger moved before the range).
  let after: { orderReference: string; type: string } | null = null;
  for (;;) {
    const cursor = after;
    const page = await deps.store.read(async (tx) => {
      const groups = await tx.reportGroups(run.id, cursor, MATCH_PAGE_SIZE);
      const refs = [...new Set(groups.map((g) => g.orderReference))];
      const orders = await tx.findOrdersByIds(refs);
      return { groups, orders: new Map(orders.map((o) => [o.id, o])) };
    });
    for (const g of page.groups) {
      const order = page.orders.get(g.orderReference);
      const base = {
        ...blank,
        line: g.firstLine,
        orderReference: g.orderReference,
        type: g.type,
        reportedMinor: g.amountMinor,
        reportedCurrency: g.minCurrency,
      };
      if (!order) {
        counts.missing_in_unwind++;
        findings.add({ ...base, kind: 'missing_in_unwind', message: 'no such order in Unwind' });
        continue;
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
        continue;
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
      } else if (expected !== g.amountMinor) {
        counts.amount_mismatch++;
        findings.add({
          ...known,
          kind: 'amount_mismatch',
          expectedMinor: expected,
          message: `the report's ${what(g.type)} (${g.count} rows) do not add up to the ledger's`,
        });
      } else {
        counts.matched++;
      }
    }
    await findings.flush();
    const last = page.groups.at(-1);
    if (!last || page.groups.length < MATCH_PAGE_SIZE) break;
    after = { orderReference: last.orderReference, type: last.type };
  }

  // 2. Money the ledger moved in the range that the report does not list; the policy's one case.
  let afterOrderId = '';
  for (;;) {
    const cursor = afterOrderId;
    const now = deps.clock.now();
    const page = await deps.store.read(async (tx) => {
      const ids = await tx.ledgerOrderPage(run.fromAt, run.toAt, cursor, MATCH_PAGE_SIZE);
      const missing = await tx.ledgerMissingFromReport(run.id, ids, run.fromAt, run.toAt);
      const orders = await tx.findOrdersByIds([...new Set(missing.map((m) => m.orderId))]);
      const merchants = new Map<string, Merchant | undefined>();
      for (const o of orders) {
        if (!merchants.has(o.merchantId))
          merchants.set(o.merchantId, await tx.findMerchant(o.merchantId));
      }
      return { ids, missing, orders: new Map(orders.map((o) => [o.id, o])), merchants, now };
    });
    for (const m of page.missing) {
      const order = page.orders.get(m.orderId);
      const merchant = order && page.merchants.get(order.merchantId);
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

/**
 * Applies a completed (or already applied) run: every auto-refund candidate is re-checked now
 * (still refundable, grace period over) and, if due, refunded in full through the core refund
 * with the key `auto-refund:<order id>`, so no order is ever reversed twice, whichever run or
 * node applies it. Candidates still inside their grace period stay pending for a later apply.
 * Errors: reconciliation.not_found, reconciliation.not_applicable (a run that failed or is still
 * being read), both decided before anything is written.
 *
 * Each candidate commits in a transaction of its own, by design: a run may hold millions, and one
 * transaction over all of them would hold their orders' locks for as long. No candidate refuses
 * (a refund the ledger refuses is recorded as `skipped`), so only an outage can stop an apply part
 * way. The run then stays `completed` and each order's finding says truly whether it was
 * refunded; applying again finishes the rest, and the key `auto-refund:<order id>` keeps any
 * order from being refunded twice.
 */
export async function applyReconciliation(
  deps: AppDeps,
  runId: string,
): Promise<Result<ReconciliationRun, DomainError>> {
  const run = await deps.store.read((tx) => tx.findReconciliationRun(runId));
  if (!run) return err(domainError('reconciliation.not_found'));
  if (run.status !== 'completed' && run.status !== 'applied') {
    return err(domainError('reconciliation.not_applicable'));
  }
  let afterSeq = 0;
  for (;;) {
    const cursor = afterSeq;
    const candidates = await deps.store.read((tx) =>
      tx.listFindings(runId, cursor, MATCH_PAGE_SIZE, ['pending_grace', 'auto_refund']),
    );
    for (const candidate of candidates) {
      const done = await execute(deps, applyFinding(candidate));
      if (!done.ok) return done;
    }
    const last = candidates.at(-1);
    if (!last || candidates.length < MATCH_PAGE_SIZE) break;
    afterSeq = last.seq;
  }
  const applied = await execute(deps, async (tx, ctx) => {
    const locked = await tx.lockReconciliationRun(runId);
    if (!locked) return err(domainError('reconciliation.not_found'));
    const actions = await tx.countFindingActions(runId);
    const count = (a: FindingAction) => actions.find((x) => x.action === a)?.count ?? 0;
    const next: ReconciliationRun = {
      ...locked,
      status: 'applied',
      appliedAt: ctx.now,
      summary: {
        ...locked.summary,
        pending_grace: count('pending_grace'),
        auto_refund: count('auto_refund'),
        auto_refunded: count('auto_refunded'),
        skipped: count('skipped'),
      },
    };
    await tx.updateReconciliationRun(next);
    return ok(next);
  });
  return applied;
}

/** One candidate, in one transaction: re-check, refund, record what happened. */
const applyFinding =
  (candidate: Finding) =>
  async (tx: StoreTx, ctx: RunContext): Promise<Result<null, never>> => {
    const orderId = candidate.orderId;
    const merchantId = candidate.merchantId;
    if (!orderId || !merchantId) return ok(null);
    const order = await tx.lockOrder(orderId);
    // Another apply may have handled this candidate while we waited for the lock.
    const [current] = await tx.listFindings(candidate.runId, candidate.seq - 1, 1);
    if (!order || !current || current.seq !== candidate.seq) return ok(null);
    if (current.action !== 'pending_grace' && current.action !== 'auto_refund') return ok(null);
    const merchant = await tx.findMerchant(order.merchantId);
    const grace = merchant?.settings.autoRefundGraceHours ?? 0;
    const decision = autoRefundDecision(order, grace, ctx.now);
    const record = (action: FindingAction, detail: string | null) =>
      tx.updateFindingAction(candidate.runId, candidate.seq, action, detail, ctx.now);
    if (decision === 'pending_grace') {
      await record('pending_grace', current.actionDetail);
      return ok(null);
    }
    if (decision === 'none') {
      await record('skipped', `nothing to refund now (order ${order.status})`);
      return ok(null);
    }
    const refunded = await refundOrder({
      merchantId,
      orderId,
      actor: RECONCILIATION_ACTOR,
      reason: AUTO_REFUND_REASON,
      idempotencyKey: autoRefundKey(orderId),
      eventType: 'order.auto_refunded',
    })(tx, ctx);
    if (!refunded.ok) await record('skipped', `refund refused: ${refunded.error.code}`);
    else if (refunded.value.replayed) await record('skipped', 'already auto-refunded');
    else await record('auto_refunded', `event ${refunded.value.event.id}`);
    return ok(null);
  };

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
