/**
 * Small pieces of SQL text and parameter encoding shared by every statements file, so each
 * rule (how a JSON column or a boolean is written, which columns an order has) lives once.
 */
import { assert } from '../../domain/result.js';
import { type Row, int } from './rows.js';
import type { SqlSession } from './sql-store-tx.js';

/** The first row of a query, or undefined when it found none. */
export const first = async (
  db: SqlSession,
  sql: string,
  params: readonly unknown[],
): Promise<Row | undefined> => (await db.all(sql, params))[0];

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

/** `?, ?, …` for an IN list (or a VALUES row) of n values. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** A JSON column's text. */
export const json = (value: unknown): string => JSON.stringify(value);

/** A boolean column: both engines store it as the integer 1 or 0. */
export const flag = (value: boolean): number => (value ? 1 : 0);

export const ORDER_COLUMNS = `id, merchant_id, dialect, kind, currency, amount_minor, redeemed_minor,
  authorized_minor, captured_minor, voided_minor, refunded_minor, total_points, points_reversed,
  redeemed_points, points_returned, status, order_number, merchant_order_id, backd_order_id,
  customer_ref, details, capture_method, captured_at, cancelled_at, created_at, updated_at,
  version`;
