/**
 * Bulk rows written by one SQL statement each (a recursive CTE on SQLite, generate_series on
 * PostgreSQL), for the benchmarks at scale: orders of every status and dialect spread over a
 * year and over the merchants of a `bench_merchants (idx, id, endpoint_id)` table; then outbox
 * events on them and delivered webhook deliveries of those events.
 */
export type Engine = 'sqlite' | 'postgres';

export const BULK_CUSTOMERS = 150_000;
const DAY_MS = 86_400_000;
/** The newest bulk order's time; orders are spread evenly over the year before it. */
export const BULK_END_AT = Date.UTC(2026, 10, 23);
export const bulkSpacingMs = (orders: number): number => Math.floor((365 * DAY_MS) / orders);
const startAt = (orders: number): number => BULK_END_AT - bulkSpacingMs(orders) * orders;

/**
 * Per order n (1-based), the same rules on both engines:
 * - merchant n % (merchants), dialect n % 4;
 * - status from a multiplicative hash of n, about 40% captured and 10% each of the others;
 * - Points orders carry a phone (customer_ref) of one of 150,000 customers;
 * - references: Points order numbers are integers, MPG/admin ones are prefixed, Backd orders have
 *   a merchant_order_id and a backd_order_id instead.
 * With 50 merchants, merchant 0 (n ≡ 0 mod 50, so n even) has only Points and MPG orders.
 */
const STATUS_BUCKETS = [
  'captured',
  'captured',
  'captured',
  'captured',
  'partially_refunded',
  'refunded',
  'authorized',
  'pending',
  'voided',
  'cancelled',
] as const;

const pad = (engine: Engine, expr: string, width: number) =>
  engine === 'sqlite' ? `printf('%0${width}d', ${expr})` : `lpad((${expr})::text, ${width}, '0')`;
const text = (engine: Engine, expr: string) =>
  engine === 'sqlite' ? `CAST(${expr} AS TEXT)` : `(${expr})::text`;

/** `WITH seq (<column>)` of 1 … count. */
export const seqCte = (engine: Engine, count: number, c = 'n'): string =>
  engine === 'sqlite'
    ? `WITH RECURSIVE seq (${c}) AS (SELECT 1 UNION ALL SELECT ${c} + 1 FROM seq WHERE ${c} < ${count})`
    : `WITH seq (${c}) AS (SELECT generate_series(1, ${count})::bigint)`;

/** The id of bulk order n (an SQL expression): its time, then n, so ids sort by time. */
const orderId = (engine: Engine, orders: number, n: string) =>
  `'ord_' || ${pad(engine, `${startAt(orders)} + (${n}) * ${bulkSpacingMs(orders)}`, 13)} || '_' || ${pad(engine, n, 7)}`;

const ORDER_INSERT = `INSERT INTO orders (id, merchant_id, dialect, kind, currency, amount_minor,
  redeemed_minor, authorized_minor, captured_minor, voided_minor, refunded_minor, total_points,
  points_reversed, redeemed_points, points_returned, status, order_number, merchant_order_id,
  backd_order_id, customer_ref, details, capture_method, captured_at, cancelled_at, created_at,
  updated_at, version)`;

/** One statement inserting `orders` orders spread over the `merchants` of bench_merchants. */
export function bulkOrdersSql(engine: Engine, orders: number, merchants: number): string {
  const status = `CASE ((n * 2654435761) / 1000) % 10 ${STATUS_BUCKETS.map(
    (s, i) => `WHEN ${i} THEN '${s}'`,
  ).join(' ')} END`;
  const t = (expr: string) => text(engine, expr);
  return `${ORDER_INSERT} ${seqCte(engine, orders)}
    SELECT
      ${orderId(engine, orders, 'n')} AS id,
      bm.id AS merchant_id,
      CASE n % 4 WHEN 0 THEN 'points' WHEN 1 THEN 'backd' WHEN 2 THEN 'mpg' ELSE 'admin' END,
      CASE n % 4 WHEN 0 THEN 'earning' WHEN 1 THEN 'bnpl' WHEN 2 THEN 'card' ELSE 'standard' END,
      'SAR', amount, 0,
      CASE WHEN status = 'pending' THEN 0 ELSE amount END,
      CASE WHEN status IN ('captured', 'partially_refunded', 'refunded') THEN amount ELSE 0 END,
      CASE WHEN status IN ('voided', 'cancelled') THEN amount ELSE 0 END,
      CASE status WHEN 'partially_refunded' THEN amount / 2 WHEN 'refunded' THEN amount ELSE 0 END,
      0, 0, 0, 0, status,
      CASE n % 4 WHEN 0 THEN ${t('100000 + n')} WHEN 2 THEN 'MPG-' || ${t('n')}
        WHEN 3 THEN 'ADM-' || ${t('n')} END,
      CASE n % 4 WHEN 1 THEN 'MO-' || ${t('n')} END,
      CASE n % 4 WHEN 1 THEN 'bd_' || ${t('n')} END,
      CASE n % 4 WHEN 0 THEN '5' || ${pad(engine, `10000000 + ((n * 48271) % ${BULK_CUSTOMERS}) * 531`, 8)} END,
      '{}',
      CASE WHEN status IN ('captured', 'partially_refunded', 'refunded') THEN 'purchase' END,
      CASE WHEN status IN ('captured', 'partially_refunded', 'refunded') THEN at END,
      CASE WHEN status = 'cancelled' THEN at END,
      at, at, 1
    FROM (
      SELECT n, ${startAt(orders)} + n * ${bulkSpacingMs(orders)} AS at,
        1000 + (n * 7919) % 99000 AS amount, ${status} AS status
      FROM seq
    ) AS o JOIN bench_merchants bm ON bm.idx = o.n % ${merchants}`;
}

/**
 * One statement inserting `events` outbox events (`order.refunded` by admin) on the bulk orders
 * in turn, at their order's time: event i belongs to order ((i - 1) % orders) + 1.
 */
export function bulkEventsSql(engine: Engine, events: number, orders: number): string {
  const n = `((i - 1) % ${orders}) + 1`;
  return `INSERT INTO events (id, merchant_id, order_id, type, actor, reason, status_before,
      status_after, idempotency_key, request_fingerprint, payload, created_at)
    ${seqCte(engine, events, 'i')}
    SELECT 'evt_' || ${pad(engine, 'i', 9)}, o.merchant_id, o.id, 'order.refunded', 'admin',
      NULL, 'partially_refunded', 'partially_refunded', NULL, NULL, '{}', o.created_at
    FROM seq JOIN orders o ON o.id = ${orderId(engine, orders, n)}`;
}

/** One statement inserting a delivered delivery of each of the first `deliveries` bulk events. */
export function bulkDeliveriesSql(deliveries: number): string {
  return `INSERT INTO deliveries (id, event_id, endpoint_id, merchant_id, order_id, event_type,
      status, attempt_count, policy_attempts, next_attempt_at, last_status_code, last_error,
      created_at, updated_at, delivered_at)
    SELECT 'dlv_' || substr(e.id, 5), e.id, bm.endpoint_id, e.merchant_id, e.order_id, e.type,
      'delivered', 1, 1, NULL, 200, NULL, e.created_at, e.created_at, e.created_at
    FROM events e JOIN bench_merchants bm ON bm.id = e.merchant_id
    WHERE e.id >= 'evt_' AND e.id < 'evt\`'
    ORDER BY e.id
    LIMIT ${deliveries}`;
}

/** The bench_merchants table the statements above join. */
export function bulkMerchantsSql(merchants: readonly { id: string; endpointId: string | null }[]) {
  const values = merchants
    .map((m, i) => `(${i}, '${m.id}', ${m.endpointId === null ? 'NULL' : `'${m.endpointId}'`})`)
    .join(', ');
  return `CREATE TABLE bench_merchants (idx INTEGER PRIMARY KEY, id TEXT NOT NULL, endpoint_id TEXT);
    INSERT INTO bench_merchants (idx, id, endpoint_id) VALUES ${values};`;
}
