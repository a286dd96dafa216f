/**
 * Reconciliation's statements (ReconciliationStore): runs, the report rows of a run, its findings, and the grouped
 * reads that let matching walk a report of any size in pages. Same portable SQL on both engines.
 */
import type { ReconciliationStore } from '../../app/ports/reconciliation.js';
import {
  type Finding,
  type FindingAction,
  type FindingKind,
  PAYMENT_LEDGER_TYPES,
  type ReconciledDialect,
  type ReconciliationRun,
  type ReconciliationScope,
  type ReportRowType,
  type RunStatus,
  type RunSummary,
} from '../../domain/reconciliation.js';
import { assert } from '../../domain/result.js';
import { type Row, int, intOrNull, parsed, rowToOrder, str, strOrNull } from './rows.js';
import {
  ORDER_COLUMNS,
  exactSum,
  exactSumOf,
  json,
  marks,
  safeNumber,
  type SqlSession,
  keysetPage,
} from './sql-helpers.js';

/** Null on runs stored before runs had a scope (migration 12). */
const rowToScope = (r: Row): ReconciliationScope | null => {
  const merchantId = strOrNull(r, 'merchant_id');
  const dialect = strOrNull(r, 'dialect');
  return merchantId === null || dialect === null
    ? null
    : { merchantId, dialect: dialect as ReconciledDialect };
};

const rowToRun = (r: Row): ReconciliationRun => ({
  id: str(r, 'id'),
  status: str(r, 'status') as RunStatus,
  source: str(r, 'source'),
  scope: rowToScope(r),
  fromAt: int(r, 'from_at'),
  toAt: int(r, 'to_at'),
  summary: parsed<RunSummary>(r, 'summary'),
  error: strOrNull(r, 'error'),
  createdAt: int(r, 'created_at'),
  completedAt: intOrNull(r, 'completed_at'),
  appliedAt: intOrNull(r, 'applied_at'),
});

const rowToFinding = (r: Row): Finding => ({
  runId: str(r, 'run_id'),
  seq: int(r, 'seq'),
  kind: str(r, 'kind') as FindingKind,
  line: intOrNull(r, 'line'),
  orderReference: strOrNull(r, 'order_reference'),
  orderId: strOrNull(r, 'order_id'),
  merchantId: strOrNull(r, 'merchant_id'),
  transactionReference: strOrNull(r, 'transaction_reference'),
  type: strOrNull(r, 'type') as ReportRowType | null,
  expectedMinor: intOrNull(r, 'expected_minor'),
  reportedMinor: intOrNull(r, 'reported_minor'),
  expectedCurrency: strOrNull(r, 'expected_currency'),
  reportedCurrency: strOrNull(r, 'reported_currency'),
  message: str(r, 'message'),
  action: str(r, 'action') as FindingAction,
  actionDetail: strOrNull(r, 'action_detail'),
  updatedAt: int(r, 'updated_at'),
});

const RUN_COLUMNS = `id, status, source, merchant_id, dialect, from_at, to_at, summary, error,
  created_at, completed_at, applied_at`;
const FINDING_COLUMNS = `run_id, seq, kind, line, order_reference, order_id, merchant_id,
  transaction_reference, type, expected_minor, reported_minor, expected_currency,
  reported_currency, message, action, action_detail, updated_at`;

// SQL literals built from the domain's constants, never from input.
const PAYMENT_TYPES = PAYMENT_LEDGER_TYPES.map((type) => `'${type}'`).join(', ');
/** The transaction types a settlement report lists: payments and refunds. */
const SETTLED_TYPES = `${PAYMENT_TYPES}, 'refund'`;
/** A settled transaction's report row type. */
const LEDGER_TYPE = `CASE WHEN t.type IN (${PAYMENT_TYPES}) THEN 'payment' ELSE 'refund' END`;

/** A run by id, with its row locked until the transaction ends when `lock` is set. */
const findRun = async (db: SqlSession, id: string, lock: boolean) => {
  const rows = await db.all(
    `SELECT ${RUN_COLUMNS} FROM reconciliation_runs WHERE id = ?${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] && rowToRun(rows[0]);
};

const insertReconciliationRun =
  (db: SqlSession): ReconciliationStore['insertReconciliationRun'] =>
  async (run) => {
    await db.run(`INSERT INTO reconciliation_runs (${RUN_COLUMNS}) VALUES (${marks(12)})`, [
      run.id,
      run.status,
      run.source,
      run.scope?.merchantId ?? null,
      run.scope?.dialect ?? null,
      run.fromAt,
      run.toAt,
      json(run.summary),
      run.error,
      run.createdAt,
      run.completedAt,
      run.appliedAt,
    ]);
  };

const findReconciliationRun =
  (db: SqlSession): ReconciliationStore['findReconciliationRun'] =>
  (id) =>
    findRun(db, id, false);

const listReconciliationRuns =
  (db: SqlSession): ReconciliationStore['listReconciliationRuns'] =>
  async (filter) => {
    const filters: [string, unknown][] = [];
    if (filter.merchantId !== undefined) filters.push(['merchant_id = ?', filter.merchantId]);
    if (filter.dialect !== undefined) filters.push(['dialect = ?', filter.dialect]);
    const rows = await keysetPage(db, `SELECT ${RUN_COLUMNS} FROM reconciliation_runs`, filters, {
      after: filter.before,
      direction: 'desc',
      limit: filter.limit,
    });
    return rows.map(rowToRun);
  };

const lockReconciliationRun =
  (db: SqlSession): ReconciliationStore['lockReconciliationRun'] =>
  (id) =>
    findRun(db, id, true);

const updateReconciliationRun =
  (db: SqlSession): ReconciliationStore['updateReconciliationRun'] =>
  async (run) => {
    const changed = await db.run(
      `UPDATE reconciliation_runs SET status = ?, summary = ?, error = ?, completed_at = ?,
         applied_at = ? WHERE id = ?`,
      [run.status, json(run.summary), run.error, run.completedAt, run.appliedAt, run.id],
    );
    assert(changed === 1, 'reconciliation run to update exists');
  };

const insertReportRows =
  (db: SqlSession): ReconciliationStore['insertReportRows'] =>
  async (runId, rows) => {
    if (rows.length === 0) return;
    const params: unknown[] = [];
    for (const r of rows) {
      params.push(
        runId,
        r.line,
        r.orderReference,
        r.transactionReference,
        r.type,
        r.amountMinor,
        r.currency,
        r.settledAt,
      );
    }
    await db.run(
      `INSERT INTO reconciliation_report_rows (run_id, line, order_reference,
         transaction_reference, type, amount_minor, currency, settled_at)
       VALUES ${rows.map(() => `(${marks(8)})`).join(', ')}`,
      params,
    );
  };

const insertFindings =
  (db: SqlSession): ReconciliationStore['insertFindings'] =>
  async (findings) => {
    if (findings.length === 0) return;
    const params: unknown[] = [];
    for (const f of findings) {
      params.push(
        f.runId,
        f.seq,
        f.kind,
        f.line,
        f.orderReference,
        f.orderId,
        f.merchantId,
        f.transactionReference,
        f.type,
        f.expectedMinor,
        f.reportedMinor,
        f.expectedCurrency,
        f.reportedCurrency,
        f.message,
        f.action,
        f.actionDetail,
        f.updatedAt,
      );
    }
    await db.run(
      `INSERT INTO reconciliation_findings (${FINDING_COLUMNS})
       VALUES ${findings.map(() => `(${marks(17)})`).join(', ')}`,
      params,
    );
  };

const listFindings =
  (db: SqlSession): ReconciliationStore['listFindings'] =>
  async (runId, afterSeq, limit, actions) => {
    const filter = actions?.length ? `AND action IN (${marks(actions.length)})` : '';
    const rows = await db.all(
      `SELECT ${FINDING_COLUMNS} FROM reconciliation_findings
       WHERE run_id = ? AND seq > ? ${filter} ORDER BY seq LIMIT ?`,
      [runId, afterSeq, ...(actions ?? []), limit],
    );
    return rows.map(rowToFinding);
  };

const updateFindingAction =
  (db: SqlSession): ReconciliationStore['updateFindingAction'] =>
  async (runId, seq, action, detail, at) => {
    const changed = await db.run(
      `UPDATE reconciliation_findings SET action = ?, action_detail = ?, updated_at = ?
       WHERE run_id = ? AND seq = ?`,
      [action, detail, at, runId, seq],
    );
    assert(changed === 1, 'reconciliation finding to update exists');
  };

const reportGroups =
  (db: SqlSession): ReconciliationStore['reportGroups'] =>
  async (runId, after, limit) => {
    const cursor = after ? 'AND order_reference >= ? AND (order_reference > ? OR type > ?)' : '';
    const rows = await db.all(
      `SELECT order_reference, type, ${exactSum('amount_minor', 'amount')}, COUNT(*) AS n,
         MIN(line) AS first_line, MIN(currency) AS min_currency, MAX(currency) AS max_currency
       FROM reconciliation_report_rows WHERE run_id = ? ${cursor}
       GROUP BY order_reference, type ORDER BY order_reference, type LIMIT ?`,
      [runId, ...(after ? [after.orderReference, after.orderReference, after.type] : []), limit],
    );
    return rows.map((r) => ({
      orderReference: str(r, 'order_reference'),
      type: str(r, 'type') as ReportRowType,
      amountMinor: exactSumOf(r, 'amount'),
      count: int(r, 'n'),
      firstLine: int(r, 'first_line'),
      minCurrency: str(r, 'min_currency'),
      maxCurrency: str(r, 'max_currency'),
    }));
  };

const reportDuplicates =
  (db: SqlSession): ReconciliationStore['reportDuplicates'] =>
  async (runId, afterLine, limit) => {
    const rows = await db.all(
      `SELECT r.line, r.order_reference, r.transaction_reference, r.type,
         (SELECT MIN(e.line) FROM reconciliation_report_rows e
           WHERE e.run_id = r.run_id AND e.transaction_reference = r.transaction_reference)
           AS first_line
       FROM reconciliation_report_rows r
       WHERE r.run_id = ? AND r.line > ? AND EXISTS (
         SELECT 1 FROM reconciliation_report_rows e
         WHERE e.run_id = r.run_id AND e.transaction_reference = r.transaction_reference
           AND e.line < r.line)
       ORDER BY r.line LIMIT ?`,
      [runId, afterLine, limit],
    );
    return rows.map((r) => ({
      line: int(r, 'line'),
      firstLine: int(r, 'first_line'),
      orderReference: str(r, 'order_reference'),
      transactionReference: str(r, 'transaction_reference'),
      type: str(r, 'type') as ReportRowType,
    }));
  };

// The scope is in the SQL itself: another merchant's or face's orders are never read.
const ledgerOrderPage =
  (db: SqlSession): ReconciliationStore['ledgerOrderPage'] =>
  async (scope, fromAt, toAt, afterOrderId, limit) => {
    const rows = await db.all(
      `SELECT DISTINCT t.order_id FROM transactions t JOIN orders o ON o.id = t.order_id
       WHERE t.merchant_id = ? AND o.merchant_id = ? AND o.dialect = ?
         AND t.created_at >= ? AND t.created_at < ? AND t.order_id > ? AND t.status = 'approved'
         AND t.type IN (${SETTLED_TYPES})
       ORDER BY t.order_id LIMIT ?`,
      [scope.merchantId, scope.merchantId, scope.dialect, fromAt, toAt, afterOrderId, limit],
    );
    return rows.map((r) => str(r, 'order_id'));
  };

const ledgerMissingFromReport =
  (db: SqlSession): ReconciliationStore['ledgerMissingFromReport'] =>
  async (runId, scope, orderIds, fromAt, toAt) => {
    if (orderIds.length === 0) return [];
    const rows = await db.all(
      `SELECT t.order_id, t.merchant_id, ${LEDGER_TYPE} AS kind,
         ${exactSum('t.amount_minor', 'amount')}, MIN(t.currency) AS currency
       FROM transactions t JOIN orders o ON o.id = t.order_id
       WHERE t.order_id IN (${marks(orderIds.length)})
         AND o.merchant_id = ? AND o.dialect = ?
         AND t.status = 'approved' AND t.type IN (${SETTLED_TYPES})
         AND t.created_at >= ? AND t.created_at < ?
         AND NOT EXISTS (
           SELECT 1 FROM reconciliation_report_rows r
           WHERE r.run_id = ? AND r.order_reference = t.order_id AND r.type = ${LEDGER_TYPE})
       GROUP BY t.order_id, t.merchant_id, ${LEDGER_TYPE}
       ORDER BY t.order_id, kind`,
      [...orderIds, scope.merchantId, scope.dialect, fromAt, toAt, runId],
    );
    return rows.map((r) => ({
      orderId: str(r, 'order_id'),
      merchantId: str(r, 'merchant_id'),
      type: str(r, 'kind') as ReportRowType,
      // One order's approved money of one kind: at most its amount, if the ledger is sound.
      amountMinor: safeNumber(exactSumOf(r, 'amount'), 'ledger sum'),
      currency: str(r, 'currency'),
    }));
  };

const countFindingActions =
  (db: SqlSession): ReconciliationStore['countFindingActions'] =>
  async (runId) => {
    const rows = await db.all(
      `SELECT action, COUNT(*) AS n FROM reconciliation_findings WHERE run_id = ?
       GROUP BY action`,
      [runId],
    );
    return rows.map((r) => ({ action: str(r, 'action') as FindingAction, count: int(r, 'n') }));
  };

const findScopedOrders =
  (db: SqlSession): ReconciliationStore['findScopedOrders'] =>
  async (scope, ids) => {
    if (ids.length === 0) return [];
    const rows = await db.all(
      `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE id IN (${marks(ids.length)}) AND merchant_id = ? AND dialect = ?`,
      [...ids, scope.merchantId, scope.dialect],
    );
    return rows.map(rowToOrder);
  };

export const createReconciliationSql = (db: SqlSession): ReconciliationStore => ({
  insertReconciliationRun: insertReconciliationRun(db),
  findReconciliationRun: findReconciliationRun(db),
  listReconciliationRuns: listReconciliationRuns(db),
  lockReconciliationRun: lockReconciliationRun(db),
  updateReconciliationRun: updateReconciliationRun(db),
  insertReportRows: insertReportRows(db),
  insertFindings: insertFindings(db),
  listFindings: listFindings(db),
  updateFindingAction: updateFindingAction(db),
  reportGroups: reportGroups(db),
  reportDuplicates: reportDuplicates(db),
  ledgerOrderPage: ledgerOrderPage(db),
  ledgerMissingFromReport: ledgerMissingFromReport(db),
  countFindingActions: countFindingActions(db),
  findScopedOrders: findScopedOrders(db),
});
