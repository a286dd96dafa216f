/**
 * Reconciliation's port: runs, the settlement report's rows, findings, and the grouped reads that
 * let matching walk a report and the ledger of any size in pages (src/app/reconciliation.ts).
 * The SQL is src/store/sql/reconciliation-sql.ts.
 */
import type { Order } from '../../domain/order.js';
import type {
  Finding,
  FindingAction,
  ReconciledDialect,
  ReconciliationRun,
  ReconciliationScope,
  ReportRow,
  ReportRowType,
} from '../../domain/reconciliation.js';

/** A settlement report's rows of one order and type (reconciliation). */
export interface ReportGroup {
  readonly orderReference: string;
  readonly type: ReportRowType;
  /** The sum of any number of report rows: exact, whatever its size. */
  readonly amountMinor: bigint;
  readonly count: number;
  readonly firstLine: number;
  readonly minCurrency: string;
  readonly maxCurrency: string;
}

export interface ReportDuplicate {
  readonly line: number;
  readonly firstLine: number;
  readonly orderReference: string;
  readonly transactionReference: string;
  readonly type: ReportRowType;
}

/** The ledger's approved money rows of one order and type that a report left out. */
export interface LedgerGroup {
  readonly orderId: string;
  readonly merchantId: string;
  readonly type: ReportRowType;
  readonly amountMinor: number;
  readonly currency: string;
}

/** Which runs to list: of one merchant or face, or all; a cursor and a page size. */
export interface RunFilter {
  readonly merchantId?: string;
  readonly dialect?: ReconciledDialect;
  readonly before?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

/** Runs, report rows, findings and the reads that match them against the ledger. */
export interface ReconciliationStore {
  insertReconciliationRun(run: ReconciliationRun): Promise<void>;
  findReconciliationRun(id: string): Promise<ReconciliationRun | undefined>;
  /** Reads the run and locks its row until the transaction ends, so applies take turns. */
  lockReconciliationRun(id: string): Promise<ReconciliationRun | undefined>;
  updateReconciliationRun(run: ReconciliationRun): Promise<void>;
  insertReportRows(runId: string, rows: readonly ReportRow[]): Promise<void>;
  insertFindings(findings: readonly Finding[]): Promise<void>;
  /** The run's findings after `afterSeq`, in order, at most `limit`; `actions` filters. */
  listFindings(
    runId: string,
    afterSeq: number,
    limit: number,
    actions?: readonly FindingAction[],
  ): Promise<Finding[]>;
  updateFindingAction(
    runId: string,
    seq: number,
    action: FindingAction,
    detail: string | null,
    at: number,
  ): Promise<void>;
  /**
   * The report's rows grouped by (order_reference, type), after the `after` pair, at most
   * `limit` groups: totals, row count, first line and currency range (two currencies differ).
   */
  reportGroups(
    runId: string,
    after: { readonly orderReference: string; readonly type: string } | null,
    limit: number,
  ): Promise<ReportGroup[]>;
  /** Rows whose transaction reference an earlier line of the same report already used. */
  reportDuplicates(runId: string, afterLine: number, limit: number): Promise<ReportDuplicate[]>;
  /**
   * Ids of the scope's orders with approved money rows (purchase, capture, refund) created in
   * [fromAt, toAt), after `afterOrderId` in id order, at most `limit`.
   */
  ledgerOrderPage(
    scope: ReconciliationScope,
    fromAt: number,
    toAt: number,
    afterOrderId: string,
    limit: number,
  ): Promise<string[]>;
  /**
   * Those of the scope's orders' money rows in [fromAt, toAt), per order and type, that the
   * report lacks.
   */
  ledgerMissingFromReport(
    runId: string,
    scope: ReconciliationScope,
    orderIds: readonly string[],
    fromAt: number,
    toAt: number,
  ): Promise<LedgerGroup[]>;
  /** How many of the run's findings carry each action. */
  countFindingActions(runId: string): Promise<{ action: FindingAction; count: number }[]>;
  /** The listed orders that are the scope's; any other id is absent, as if it did not exist. */
  findScopedOrders(scope: ReconciliationScope, ids: readonly string[]): Promise<Order[]>;
  /** Runs newest first (of one merchant or face, or all), strictly before the `before` pair. */
  listReconciliationRuns(filter: RunFilter): Promise<ReconciliationRun[]>;
}
