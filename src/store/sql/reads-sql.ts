/**
 * The admin reads' statements (AdminReadStore). The dashboard's figures (webhook health, the
 * per-day charts) are aggregates computed by the database over an index range; no rows are loaded
 * to be counted in JavaScript. Counts are COUNT(*) of rows, which no table will ever hold 2^53 of;
 * money sums run over any number of rows and are therefore exact (`exactSum`). The verifier's
 * checks read many orders' sums at once, and every stored figure outside its bound
 * (src/domain/bounds.ts) as text, so that even a value no JS number carries is reported exactly:
 * migration 14 refuses such figures from now on; rows stored before it, or written around the
 * code, are what `figuresOutOfBounds` finds.
 */
import type {
  AdminReadStore,
  DayRange,
  EndpointHealth,
  FigureOutOfBounds,
  TransactionSum,
} from '../../app/ports/reads.js';
import { BOUNDS, WALLET_ENTRY_POINTS_MAX } from '../../domain/bounds.js';
import { type Row, int, intOrNull, str, strOrNull, sum } from './rows.js';
import { type SqlSession, SUM_SPLIT, exactSum, exactSumOf, marks } from './sql-helpers.js';

/** An attempt answered with a 2xx: `judgeAttempt`'s rule for "delivered" (src/domain/webhooks.ts). */
const SUCCEEDED = 'a.status_code BETWEEN 200 AND 299';
/** Its complement, with no answer at all (timeout, refused connection) counted as failed. */
const FAILED = '(a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299)';

/**
 * The days as a table `days (day, from_at, to_at)` for a range join. The casts give PostgreSQL
 * the types of the parameters, which a VALUES list would otherwise read as text. The parameters
 * go on with the whole range as two constants (so any plan reads only that part of an index),
 * then the merchant when given: the query's own `?`s must come in that order.
 */
function daysTable(
  days: readonly DayRange[],
  merchantId: string | undefined,
): { sql: string; params: unknown[] } {
  const rows = days.map(() => '(CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT))');
  return {
    sql: `WITH days (day, from_at, to_at) AS (VALUES ${rows.join(', ')})`,
    params: [
      ...days.flatMap((d, i) => [i, d.fromAt, d.toAt]),
      Math.min(...days.map((d) => d.fromAt)),
      Math.max(...days.map((d) => d.toAt)),
      ...(merchantId === undefined ? [] : [merchantId]),
    ],
  };
}

const AMOUNT = [0, BOUNDS.amountMinorMax] as const;
const POINTS = [0, BOUNDS.orderPointsMax] as const;
const WALLET = [-BOUNDS.walletPointsMax, BOUNDS.walletPointsMax] as const;
const ENTRY = [-WALLET_ENTRY_POINTS_MAX, WALLET_ENTRY_POINTS_MAX] as const;

/**
 * Each table's key and bounded columns. An order's other amounts and points are held below its
 * amount and its points by migration 1's CHECKs, so these three bound them all.
 */
const FIGURES: readonly {
  readonly table: string;
  readonly key: string;
  readonly columns: Readonly<Record<string, readonly [number, number]>>;
}[] = [
  {
    table: 'orders',
    key: 'id',
    columns: { amount_minor: AMOUNT, total_points: POINTS, redeemed_points: POINTS },
  },
  { table: 'transactions', key: 'id', columns: { amount_minor: AMOUNT, points: POINTS } },
  { table: 'points_customers', key: 'phone', columns: { balance: WALLET } },
  {
    table: 'points_customer_entries',
    key: 'id',
    columns: { points: ENTRY, balance_after: WALLET },
  },
  { table: 'points_checkout_sessions', key: 'id', columns: { amount_minor: AMOUNT } },
  {
    table: 'backd_orders',
    key: 'order_id',
    columns: {
      initial_total_minor: AMOUNT,
      order_total_minor: AMOUNT,
      cart_amount_minor: AMOUNT,
      tax_amount_minor: AMOUNT,
      shipping_amount_minor: AMOUNT,
      discount_amount_minor: AMOUNT,
    },
  },
  { table: 'backd_refund_requests', key: 'id', columns: { amount_minor: AMOUNT } },
  {
    table: 'reconciliation_report_rows',
    key: `run_id || ':' || CAST(line AS TEXT)`,
    columns: { amount_minor: AMOUNT },
  },
  {
    table: 'reconciliation_findings',
    key: `run_id || ':' || CAST(seq AS TEXT)`,
    columns: { expected_minor: AMOUNT, reported_minor: AMOUNT },
  },
];

/** Joins webhookHealth's three reads into one figure per endpoint with attempts or a backlog. */
function healthOf(
  attempts: readonly Row[],
  backlog: readonly Row[],
  failures: readonly Row[],
): EndpointHealth[] {
  const health = new Map<
    string,
    { attempts: number; succeeded: number; pending: number; dead: number }
  >();
  const entry = (id: string) => {
    let h = health.get(id);
    if (!h) health.set(id, (h = { attempts: 0, succeeded: 0, pending: 0, dead: 0 }));
    return h;
  };
  for (const r of attempts) {
    const h = entry(str(r, 'endpoint_id'));
    h.attempts = int(r, 'attempts');
    h.succeeded = sum(r, 'succeeded');
  }
  for (const r of backlog) {
    const h = entry(str(r, 'endpoint_id'));
    h.pending = sum(r, 'pending');
    h.dead = sum(r, 'dead');
  }
  const lastFailures = new Map(
    failures.map((r) => [
      str(r, 'endpoint_id'),
      {
        at: int(r, 'started_at'),
        deliveryId: str(r, 'delivery_id'),
        statusCode: intOrNull(r, 'status_code'),
        error: strOrNull(r, 'error'),
      },
    ]),
  );
  return [...health].map(([endpointId, h]) => ({
    endpointId,
    ...h,
    lastFailure: lastFailures.get(endpointId) ?? null,
  }));
}

// The window is read first, through the attempts' start-time index, and each attempt's
// delivery by its key: SQLite keeps a CROSS JOIN's order (without table statistics it would
// otherwise walk all of a merchant's deliveries ever made); PostgreSQL plans it freely.
const webhookHealth =
  (db: SqlSession): AdminReadStore['webhookHealth'] =>
  async ({ merchantId, fromAt, toAt }) => {
    const ofMerchant = merchantId === undefined ? '' : 'AND d.merchant_id = ?';
    const windowParams = merchantId === undefined ? [fromAt, toAt] : [fromAt, toAt, merchantId];
    const attempts = await db.all(
      `SELECT d.endpoint_id, COUNT(*) AS attempts,
         SUM(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END) AS succeeded
       FROM delivery_attempts a CROSS JOIN deliveries d
       WHERE d.id = a.delivery_id AND a.started_at >= ? AND a.started_at < ? ${ofMerchant}
       GROUP BY d.endpoint_id`,
      windowParams,
    );
    const failures = await db.all(
      `SELECT endpoint_id, started_at, delivery_id, status_code, error FROM (
         SELECT d.endpoint_id, a.started_at, a.delivery_id, a.status_code, a.error,
           ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY a.started_at DESC, a.id DESC)
             AS latest
         FROM delivery_attempts a CROSS JOIN deliveries d
         WHERE d.id = a.delivery_id AND a.started_at >= ? AND a.started_at < ? AND ${FAILED}
           ${ofMerchant}
       ) AS failures WHERE latest = 1`,
      windowParams,
    );
    // The backlog now, whatever its age; the partial index holds only these two states.
    const backlog = await db.all(
      `SELECT endpoint_id,
         SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
         SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) AS dead
       FROM deliveries
       WHERE status IN ('pending', 'dead') ${merchantId === undefined ? '' : 'AND merchant_id = ?'}
       GROUP BY endpoint_id`,
      merchantId === undefined ? [] : [merchantId],
    );
    return healthOf(attempts, backlog, failures);
  };

const dailyLedgerCounts =
  (db: SqlSession): AdminReadStore['dailyLedgerCounts'] =>
  async (days, merchantId) => {
    if (days.length === 0) return [];
    const table = daysTable(days, merchantId);
    const rows = await db.all(
      `${table.sql}
       SELECT days.day, t.type, t.currency, COUNT(*) AS n, ${exactSum('t.amount_minor', 'amount')}
       FROM days JOIN transactions t
         ON t.created_at >= days.from_at AND t.created_at < days.to_at
       WHERE t.type IN ('refund', 'cancel', 'void') AND t.status = 'approved'
         AND t.created_at >= ? AND t.created_at < ?
         ${merchantId === undefined ? '' : 'AND t.merchant_id = ?'}
       GROUP BY days.day, t.type, t.currency`,
      table.params,
    );
    return rows.map((r) => ({
      day: int(r, 'day'),
      type: str(r, 'type') as 'refund' | 'cancel' | 'void',
      currency: str(r, 'currency'),
      count: int(r, 'n'),
      amountMinor: exactSumOf(r, 'amount'),
    }));
  };

const dailyAttemptCounts =
  (db: SqlSession): AdminReadStore['dailyAttemptCounts'] =>
  async (days, merchantId) => {
    if (days.length === 0) return [];
    const table = daysTable(days, merchantId);
    const rows = await db.all(
      `${table.sql}
       SELECT days.day, COUNT(*) AS attempts,
         SUM(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END) AS succeeded
       FROM days CROSS JOIN delivery_attempts a
       ${merchantId === undefined ? '' : 'CROSS JOIN deliveries d'}
       WHERE a.started_at >= days.from_at AND a.started_at < days.to_at
         AND a.started_at >= ? AND a.started_at < ?
         ${merchantId === undefined ? '' : 'AND d.id = a.delivery_id AND d.merchant_id = ?'}
       GROUP BY days.day`,
      table.params,
    );
    return rows.map((r) => ({
      day: int(r, 'day'),
      attempts: int(r, 'attempts'),
      succeeded: sum(r, 'succeeded'),
    }));
  };

const transactionSums =
  (db: SqlSession): AdminReadStore['transactionSums'] =>
  async (orderIds) => {
    if (orderIds.length === 0) return [];
    const rows = await db.all(
      `SELECT order_id, type, status, ${exactSum('amount_minor', 'amount_minor')},
         ${exactSum('points', 'points')}, COUNT(*) AS n
       FROM transactions WHERE order_id IN (${marks(orderIds.length)})
       GROUP BY order_id, type, status`,
      orderIds,
    );
    return rows.map((r) => ({
      orderId: str(r, 'order_id'),
      type: str(r, 'type') as TransactionSum['type'],
      status: str(r, 'status'),
      amountMinor: exactSumOf(r, 'amount_minor'),
      points: exactSumOf(r, 'points'),
      count: int(r, 'n'),
    }));
  };

const orderEventCounts =
  (db: SqlSession): AdminReadStore['orderEventCounts'] =>
  async (orderIds, excludedTypes) => {
    if (orderIds.length === 0) return [];
    const excluded = excludedTypes.length ? `AND type NOT IN (${marks(excludedTypes.length)})` : '';
    const rows = await db.all(
      `SELECT order_id, COUNT(*) AS n FROM events
       WHERE order_id IN (${marks(orderIds.length)}) ${excluded}
       GROUP BY order_id`,
      [...orderIds, ...excludedTypes],
    );
    return rows.map((r) => ({ orderId: str(r, 'order_id'), count: int(r, 'n') }));
  };

const walletMismatches =
  (db: SqlSession): AdminReadStore['walletMismatches'] =>
  async (limit) => {
    // balance − Σ points, in the two parts of `exactSum` (a plain SUM may overflow on SQLite):
    // (balance / S − Σ hi) × S + (balance % S − Σ lo), which is 0 exactly when they agree.
    const rows = await db.all(
      `SELECT c.phone, CAST(c.balance AS TEXT) AS balance, ${exactSum('e.points', 'entries')}
       FROM points_customers c LEFT JOIN points_customer_entries e ON e.phone = c.phone
       GROUP BY c.phone, c.balance
       HAVING (c.balance / ${SUM_SPLIT} - COALESCE(SUM(e.points / ${SUM_SPLIT}), 0)) * ${SUM_SPLIT}
         + (c.balance % ${SUM_SPLIT} - COALESCE(SUM(e.points % ${SUM_SPLIT}), 0)) <> 0
       ORDER BY c.phone LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({
      phone: str(r, 'phone'),
      balance: str(r, 'balance'),
      entriesSum: exactSumOf(r, 'entries').toString(),
    }));
  };

const figuresOutOfBounds =
  (db: SqlSession): AdminReadStore['figuresOutOfBounds'] =>
  async (limit) => {
    const found: FigureOutOfBounds[] = [];
    for (const { table, key, columns } of FIGURES) {
      for (const [column, [min, max]] of Object.entries(columns)) {
        // NOT BETWEEN leaves NULL figures (a finding without an amount) alone, as a CHECK does.
        const rows = await db.all(
          `SELECT ${key} AS id, CAST(${column} AS TEXT) AS value FROM ${table}
           WHERE ${column} NOT BETWEEN ? AND ? ORDER BY ${key} LIMIT ?`,
          [min, max, limit],
        );
        for (const r of rows) {
          found.push({ table, id: str(r, 'id'), column, value: str(r, 'value'), min, max });
        }
      }
    }
    return found;
  };

export const createAdminReadSql = (db: SqlSession): AdminReadStore => ({
  webhookHealth: webhookHealth(db),
  dailyLedgerCounts: dailyLedgerCounts(db),
  dailyAttemptCounts: dailyAttemptCounts(db),
  transactionSums: transactionSums(db),
  orderEventCounts: orderEventCounts(db),
  walletMismatches: walletMismatches(db),
  figuresOutOfBounds: figuresOutOfBounds(db),
});
