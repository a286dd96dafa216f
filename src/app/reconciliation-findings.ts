/** What a reconciliation run's reading and matching share: page sizes, counts, findings. */
import type { Finding, FindingAction, RunSummary } from '../domain/reconciliation.js';
import type { AppDeps } from './context.js';
import type { ReconciliationStore } from './ports/reconciliation.js';

/** Rows (and findings) written per transaction while a report is read. */
export const INGEST_BATCH_ROWS = 500;
/** Groups or orders matched per page. */
export const MATCH_PAGE_SIZE = 500;

/** Collects findings and writes them in batches with increasing `seq`. */
export class FindingWriter {
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
export const UNKNOWN_ORDER_MESSAGE = "no such order for the run's merchant and face";

export const blank = {
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

export type Counts = { -readonly [K in keyof RunSummary]: RunSummary[K] };
