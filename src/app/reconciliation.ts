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
import { domainError, type DomainError } from '../domain/errors.js';
import {
  EMPTY_SUMMARY,
  type Finding,
  type ReconciliationRun,
  type ReconciliationScope,
  type ReportRow,
} from '../domain/reconciliation.js';
import { err, ok, type Result } from '../domain/result.js';
import type { AppDeps } from './context.js';
import { applyReconciliation } from './reconciliation-apply.js';
import {
  blank,
  type Counts,
  FindingWriter,
  INGEST_BATCH_ROWS,
  MATCH_PAGE_SIZE,
} from './reconciliation-findings.js';
import { match } from './reconciliation-match.js';
import { readSettlementReport, type ReportFormat, type ReportItem } from './settlement-report.js';

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
