// Proves migration 14, the database's second wall behind the bounds (src/domain/bounds.ts), on
// both engines: for every bounded figure, SQL written around the code stores a value exactly at
// the bound and is refused one past it (a CHECK on PostgreSQL, a trigger on SQLite), on insert
// and on update; and the literals of the migration are the bounds of the code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOUNDS, WALLET_ENTRY_POINTS_MAX } from '../../../domain/bounds.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../../../../test/support/stores.js';
import { merchantWithOrder } from '../../../../test/support/rows.js';
import { migration } from './014-figure-bounds.js';

const A = BOUNDS.amountMinorMax;
const P = BOUNDS.orderPointsMax;
const W = BOUNDS.walletPointsMax;
const E = WALLET_ENTRY_POINTS_MAX;
const refused = /check constraint/i;

function suite(factory: StoreFactory, skip?: string) {
  describe(`figure bounds in the database: ${factory.engine}`, { skip }, () => {
    let t: TestStore;
    let merchantId = '';
    let orderId = '';
    let seq = 0;
    const unique = () => `b${++seq}`;

    before(async () => {
      t = await factory.create();
      ({ merchantId, orderId } = await merchantWithOrder(t, 'Bounded'));
      await t.rawExec(
        `INSERT INTO reconciliation_runs (id, status, source, from_at, to_at, summary, created_at)
         VALUES ('run', 'completed', 'test', 0, 1, '{}', 0)`,
      );
    });
    after(async () => t?.cleanup());

    /** `sql(value)` is stored at the bound and refused one past it. */
    const holds = async (sql: (value: number) => string, bound: number, past: number) => {
      await t.rawExec(sql(bound));
      await assert.rejects(t.rawExec(sql(past)), refused, sql(past));
    };

    it('orders: the amount and the points, on update', async () => {
      const set = (column: string) => (v: number) =>
        `UPDATE orders SET ${column} = ${v} WHERE id = '${orderId}'`;
      await holds(set('amount_minor'), A, A + 1);
      await holds(set('total_points'), P, P + 1);
      await holds(set('redeemed_points'), P, P + 1);
    });

    it('ledger rows: the amount and the points, on insert', async () => {
      const row = (amount: number, points: number) =>
        `INSERT INTO transactions (id, order_id, merchant_id, type, status, amount_minor, points,
           currency, reason, actor, event_id, details, created_at)
         VALUES ('${unique()}', '${orderId}', '${merchantId}', 'verify', 'failed', ${amount},
           ${points}, 'SAR', NULL, 'test', 'e', '{}', 0)`;
      await holds((v) => row(v, 0), A, A + 1);
      await holds((v) => row(0, v), P, P + 1);
    });

    it('wallets and their entries, either way', async () => {
      const wallet = (v: number) =>
        `INSERT INTO points_customers (phone, balance, created_at, updated_at)
         VALUES ('5${String(++seq).padStart(8, '0')}', ${v}, 0, 0)`;
      await holds(wallet, W, W + 1);
      await holds(wallet, -W, -W - 1);
      await t.rawExec(`INSERT INTO points_customers VALUES ('500000000', 0, 0, 0)`);
      await holds(
        (v) => `UPDATE points_customers SET balance = ${v} WHERE phone = '500000000'`,
        -W,
        W + 1,
      );
      const entry = (points: number, after: number) =>
        `INSERT INTO points_customer_entries (id, phone, type, points, balance_after, created_at)
         VALUES ('${unique()}', '500000000', 'adjustment', ${points}, ${after}, 0)`;
      await holds((v) => entry(v, 0), E, E + 1);
      await holds((v) => entry(v, 0), -E, -E - 1);
      await holds((v) => entry(1, v), W, W + 1);
      await holds((v) => entry(1, v), -W, -W - 1);
    });

    it('checkout sessions, Backd orders and refund requests', async () => {
      await holds(
        (v) =>
          `INSERT INTO points_checkout_sessions (id, merchant_id, order_number, amount_minor,
             currency, details, status, expires_at, created_at)
           VALUES ('${unique()}', '${merchantId}', 'n', ${v}, 'SAR', '{}', 'open', 1, 0)`,
        A,
        A + 1,
      );
      const backd = (total: number, cart: number, discount: number) =>
        `INSERT INTO backd_orders (order_id, merchant_id, backd_order_id, merchant_order_id,
           status, checkout_token_hash, currency, initial_total_minor, order_total_minor,
           cart_amount_minor, tax_amount_minor, shipping_amount_minor, discount_amount_minor,
           billing, items, mode, created_at, updated_at, version)
         VALUES ('${orderId}', '${merchantId}', '${unique()}', 'm', 'created', '${unique()}',
           'SAR', 1, ${total}, ${cart}, 0, 0, ${discount}, '{}', '[]', '{}', 0, 0, 0)`;
      await assert.rejects(t.rawExec(backd(1, A + 2, A + 1)), refused);
      await assert.rejects(t.rawExec(backd(A + 1, A + 1, 0)), refused);
      await t.rawExec(backd(A, A, 0));
      await holds(
        (v) =>
          `UPDATE backd_orders SET order_total_minor = ${v}, cart_amount_minor = ${v}
           WHERE order_id = '${orderId}'`,
        A,
        A + 1,
      );
      await holds(
        (v) =>
          `INSERT INTO backd_refund_requests (id, order_id, merchant_id, amount_minor, currency,
             status, locked_at, created_at, updated_at)
           VALUES ('${unique()}', '${orderId}', '${merchantId}', ${v}, 'SAR', 'draft', 2, 1, 1)`,
        A,
        A + 1,
      );
    });

    it('settlement-report rows and findings; a finding without amounts passes', async () => {
      await holds(
        (v) =>
          `INSERT INTO reconciliation_report_rows (run_id, line, order_reference,
             transaction_reference, type, amount_minor, currency, settled_at)
           VALUES ('run', ${++seq}, 'o', 't', 'payment', ${v}, 'SAR', 0)`,
        A,
        A + 1,
      );
      const finding = (expected: string, reported: string) =>
        `INSERT INTO reconciliation_findings (run_id, seq, kind, expected_minor, reported_minor,
           message, action, updated_at)
         VALUES ('run', ${++seq}, 'amount_mismatch', ${expected}, ${reported}, 'm', 'none', 0)`;
      await holds((v) => finding(String(v), 'NULL'), A, A + 1);
      await holds((v) => finding('NULL', String(v)), A, A + 1);
      await t.rawExec(finding('NULL', 'NULL'));
    });
  });
}

describe('migration 14', () => {
  it('writes out exactly the bounds of src/domain/bounds.ts', () => {
    for (const text of [migration.sqlite ?? '', migration.postgres ?? '']) {
      const numbers = new Set([...text.matchAll(/-?\d{6,}/g)].map((m) => Number(m[0])));
      assert.deepEqual(
        [...numbers].sort((a, b) => a - b),
        [-E, -W, A, P, W, E],
      );
    }
  });
});

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
