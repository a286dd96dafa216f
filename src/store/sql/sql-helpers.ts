/**
 * Small pieces of SQL text and parameter encoding shared by every statements file, so each
 * rule (how a JSON column or a boolean is written, which columns an order has) lives once.
 */
import { assert } from '../../domain/result.js';
import { type Row, int } from './rows.js';
import type { ListDirection } from '../../app/ports/ledger.js';

/** What an engine adapter gives the shared statements: one connection inside one transaction. */
export interface SqlSession {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * A write whose answer decides nothing. In a PostgreSQL transaction it is sent behind the next
   * statement instead of on its own (write-behind: no round trip of its own), and its failure
   * fails that statement or, at the latest, the COMMIT: nothing of the transaction is kept.
   * Elsewhere (SQLite, a read outside a transaction) it runs at once.
   */
  write(sql: string, params?: readonly unknown[]): Promise<void>;
  /**
   * `write` for a statement that must change exactly one row (an update guarded by a version or
   * a balance): when it changes another number, the transaction fails with an AssertionFailure
   * naming `failure`. PostgreSQL checks it in the statement itself, so it may be written behind.
   */
  writeOne(sql: string, params: readonly unknown[], failure: string): Promise<void>;
}

export const DELIVERY_COLUMNS = `id, event_id, endpoint_id, merchant_id, order_id, event_type, status,
  attempt_count, policy_attempts, next_attempt_at, last_status_code, last_error, created_at,
  updated_at, delivered_at`;

/**
 * Builds `WHERE …` from optional equality/range filters (a filter whose value is undefined is
 * left out; an array value gives the parameters of a condition with several `?`) and a keyset
 * cursor on (created_at, id), the order every list is read in. The cursor
 * is written with a plain bound on created_at first, which both engines use as the start of an
 * index range; the OR alone would make them scan from the start of the index.
 */
export function filterClause(
  filters: readonly (readonly [string, unknown])[],
  after?: { readonly createdAt: number; readonly id: string },
  direction: ListDirection = 'asc',
): { where: string; params: unknown[] } {
  const active = filters.filter(([, value]) => value !== undefined);
  const conditions = active.map(([sql]) => sql);
  const params = active.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
  if (after) {
    conditions.push(
      direction === 'asc'
        ? 'created_at >= ? AND (created_at > ? OR id > ?)'
        : 'created_at <= ? AND (created_at < ? OR id < ?)',
    );
    params.push(after.createdAt, after.createdAt, after.id);
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

export const keysetOrder = (direction: ListDirection): string =>
  direction === 'asc' ? 'ORDER BY created_at, id' : 'ORDER BY created_at DESC, id DESC';

/** One page of `select` (a SELECT … FROM) with `filters`, in keyset order after the cursor. */
export function keysetPage(
  db: SqlSession,
  select: string,
  filters: readonly (readonly [string, unknown])[],
  page: {
    readonly after?: { readonly createdAt: number; readonly id: string };
    readonly direction?: ListDirection;
    readonly limit: number;
  },
): Promise<Row[]> {
  const direction = page.direction ?? 'asc';
  const { where, params } = filterClause(filters, page.after, direction);
  return db.all(`${select} ${where} ${keysetOrder(direction)} LIMIT ?`, [...params, page.limit]);
}

/** The first row of a query, or undefined when it found none. */
export const first = async (
  db: SqlSession,
  sql: string,
  params: readonly unknown[],
): Promise<Row | undefined> => (await db.all(sql, params))[0];

/** The first row of a query as a record (`map`), or undefined when it found none. */
export const firstOf = async <T>(
  db: SqlSession,
  sql: string,
  params: readonly unknown[],
  map: (row: Row) => T,
): Promise<T | undefined> => {
  const row = await first(db, sql, params);
  return row && map(row);
};

/** Every row of a query as a record (`map`), in the query's order. */
export const allOf = async <T>(
  db: SqlSession,
  sql: string,
  params: readonly unknown[],
  map: (row: Row) => T,
): Promise<T[]> => (await db.all(sql, params)).map(map);

/** The value `n` of a query that always answers one row, such as `SELECT COUNT(*) AS n`. */
export const countOf = async (
  db: SqlSession,
  sql: string,
  params: readonly unknown[],
): Promise<number> => {
  const row = await first(db, sql, params);
  assert(row !== undefined, 'an aggregate query answers one row');
  return int(row, 'n');
};

/**
 * Where a sum runs over any number of rows (a day's refunds, a report's rows of one order), no
 * bound keeps it inside a JS number, and SQLite's SUM stops with "integer overflow" past int64.
 * `exactSum` therefore sums the value in two parts, `v / 10^9` and `v % 10^9` (both engines
 * truncate toward zero, so the parts add back to `v`), each read as text, and `exactSumOf` adds
 * them exactly as a bigint. Either part overflows only after about a billion rows.
 */
export const SUM_SPLIT = 1_000_000_000;
export const exactSum = (expression: string, alias: string): string =>
  `CAST(SUM((${expression}) / ${SUM_SPLIT}) AS TEXT) AS ${alias}_hi, ` +
  `CAST(SUM((${expression}) % ${SUM_SPLIT}) AS TEXT) AS ${alias}_lo`;

const integerText = (row: Row, column: string): bigint => {
  const v = row[column];
  if (v === null || v === undefined) return 0n;
  assert(
    typeof v === 'string' && /^-?\d+$/.test(v),
    `column ${column} is not an integer sum: ${String(v).slice(0, 40)}`,
  );
  return BigInt(v);
};

/** The sum `exactSum(…, alias)` selected, exactly; 0 over no rows. */
export const exactSumOf = (row: Row, alias: string): bigint =>
  integerText(row, `${alias}_hi`) * BigInt(SUM_SPLIT) + integerText(row, `${alias}_lo`);

/** An exact sum that must fit a number (bounded by the ledger's own rules), or a loud failure. */
export function safeNumber(value: bigint, what: string): number {
  assert(
    value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER),
    `${what} ${value} is outside the safe integer range`,
  );
  return Number(value);
}

/** `?, ?, …` for an IN list (or a VALUES row) of n values. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * A column list of one table of a join, each column as `alias.column`, renamed `<alias>_column`
 * when `renamed` (so two tables' columns of the same name cannot shadow each other).
 */
export const columnsOf = (columns: string, alias: string, renamed = false): string =>
  columns
    .split(',')
    .map((c) => `${alias}.${c.trim()}${renamed ? ` AS ${alias}_${c.trim()}` : ''}`)
    .join(', ');

/** The columns of `row` that `columnsOf(…, alias, true)` renamed, under their own names. */
export const renamedColumns = (row: Row, alias: string): Row =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key.startsWith(`${alias}_`))
      .map(([key, value]) => [key.slice(alias.length + 1), value]),
  );

// A merchant joined to another table's row (alias `m`), its columns renamed so they cannot
// shadow the row's own of the same name; `renamedColumns(row, 'm')` reads them back.
const MERCHANT_COLUMNS = 'id, name, currency, settings, created_at, updated_at';
export const JOINED_MERCHANT_COLUMNS = columnsOf(MERCHANT_COLUMNS, 'm', true);

/** A JSON column's text. */
export const json = (value: unknown): string => JSON.stringify(value);

/** A boolean column: both engines store it as the integer 1 or 0. */
export const flag = (value: boolean): number => (value ? 1 : 0);

export const ORDER_COLUMNS = `id, merchant_id, dialect, kind, currency, amount_minor, redeemed_minor,
  authorized_minor, captured_minor, voided_minor, refunded_minor, total_points, points_reversed,
  redeemed_points, points_returned, status, order_number, merchant_order_id, backd_order_id,
  customer_ref, details, capture_method, captured_at, cancelled_at, created_at, updated_at,
  version`;
