/**
 * Migration 14: the bounds on amounts and points (src/domain/bounds.ts, docs/security.md "Amount
 * and points bounds") as the database's second wall. The use cases refuse out-of-bound figures
 * first; these make a bug that slips past them fail its transaction instead of storing a figure
 * whose sums no longer fit a JavaScript number exactly.
 *
 * The figures, written out here because a shipped migration never changes with the code:
 * amounts 1,000,000,000,000 minor units; an order's or a ledger row's points 10,000,000,000,000;
 * a wallet's balance ±100,000,000,000,000 points; a wallet entry ±200,000,000,000,000 (an
 * operator's adjustment from one end to the other). An order's other amounts and points are
 * already held below its amount and its points by migration 1's CHECKs.
 *
 * PostgreSQL adds CHECK constraints `NOT VALID`: they hold for every row written from now on,
 * while rows stored before (when only 2^53 limited them) are left for `unwind verify` to report
 * rather than failing the upgrade. SQLite cannot add a constraint to a table; BEFORE INSERT and
 * BEFORE UPDATE triggers raise the same refusal, with the same effect on old rows.
 */
import type { Migration } from './migration.js';

const AMOUNT_MAX = '1000000000000';
const ORDER_POINTS_MAX = '10000000000000';
const WALLET_MAX = '100000000000000';
const ENTRY_MAX = '200000000000000';

/** A column's bound: at most `max`, and at least `min` where a migration 1 CHECK does not hold it. */
type Bound = readonly [column: string, max: string, min?: string];

const BOUNDED: Readonly<Record<string, readonly Bound[]>> = {
  orders: [
    ['amount_minor', AMOUNT_MAX],
    ['total_points', ORDER_POINTS_MAX],
    ['redeemed_points', ORDER_POINTS_MAX],
  ],
  transactions: [
    ['amount_minor', AMOUNT_MAX],
    ['points', ORDER_POINTS_MAX],
  ],
  points_customers: [['balance', WALLET_MAX, `-${WALLET_MAX}`]],
  points_customer_entries: [
    ['points', ENTRY_MAX, `-${ENTRY_MAX}`],
    ['balance_after', WALLET_MAX, `-${WALLET_MAX}`],
  ],
  points_checkout_sessions: [['amount_minor', AMOUNT_MAX]],
  backd_orders: [
    ['initial_total_minor', AMOUNT_MAX],
    ['order_total_minor', AMOUNT_MAX],
    ['cart_amount_minor', AMOUNT_MAX],
    ['tax_amount_minor', AMOUNT_MAX],
    ['shipping_amount_minor', AMOUNT_MAX],
    ['discount_amount_minor', AMOUNT_MAX],
  ],
  backd_refund_requests: [['amount_minor', AMOUNT_MAX]],
  reconciliation_report_rows: [['amount_minor', AMOUNT_MAX]],
  reconciliation_findings: [
    ['expected_minor', AMOUNT_MAX],
    ['reported_minor', AMOUNT_MAX],
  ],
};

/** The row's condition; `row` is `NEW.` inside a trigger. A NULL figure passes, as in a CHECK. */
const condition = (bounds: readonly Bound[], row = ''): string =>
  bounds
    .map(([column, max, min]) =>
      min === undefined ? `${row}${column} <= ${max}` : `${row}${column} BETWEEN ${min} AND ${max}`,
    )
    .join(' AND ');

// On SQLite a NULL figure makes the WHEN condition NULL, so the trigger lets it pass, as a CHECK
// would; a REAL beyond int64 compares as the number it is and is refused.
const sqliteTriggers = Object.entries(BOUNDED)
  .flatMap(([table, bounds]) =>
    [
      ['insert', 'INSERT'],
      ['update', `UPDATE OF ${bounds.map(([column]) => column).join(', ')}`],
    ].map(
      ([name, event]) => `CREATE TRIGGER ${table}_bounded_${name} BEFORE ${event} ON ${table}
WHEN NOT (${condition(bounds, 'NEW.')})
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ${table}_bounded'); END;`,
    ),
  )
  .join('\n');

const postgresChecks = Object.entries(BOUNDED)
  .map(
    ([table, bounds]) =>
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_bounded CHECK (${condition(bounds)}) NOT VALID;`,
  )
  .join('\n');

export const migration: Migration = {
  version: 14,
  name: 'amount and points bounds',
  // Nothing both engines share: a constraint on PostgreSQL, triggers on SQLite.
  sql: '',
  sqlite: sqliteTriggers,
  postgres: postgresChecks,
};
