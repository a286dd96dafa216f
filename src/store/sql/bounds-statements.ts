/**
 * The verifier's look at the bounds (src/domain/bounds.ts): every stored amount and points figure
 * outside its bound, read as text so that even a value no JS number carries is reported exactly.
 * Migration 14 refuses such figures from now on; rows stored before it, or written around the
 * code, are what this finds.
 */
import type { FigureOutOfBounds, StoreTx } from '../../app/ports/store.js';
import { BOUNDS, WALLET_ENTRY_POINTS_MAX } from '../../domain/bounds.js';
import { str } from './rows.js';
import type { SqlSession } from './sql-helpers.js';

type BoundsStatements = Pick<StoreTx, 'figuresOutOfBounds'>;

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

export function createBoundsStatements(db: SqlSession): BoundsStatements {
  return {
    async figuresOutOfBounds(limit) {
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
    },
  };
}
