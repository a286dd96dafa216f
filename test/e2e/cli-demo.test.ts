// Proves `unwind demo` on both stores, run as a real process: the first run seeds one merchant
// per face with orders in every state of that face, a Backd refund request settled after its lock
// and one still a draft before it, a webhook endpoint whose deliveries fail, and a scoped
// reconciliation run, all consistent for `unwind verify`; the second run says the data is there
// and writes no row to any table.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

/** The tables the demo writes, or could write by mistake on a second run. */
const TABLES = [
  'merchants',
  'credentials',
  'admin_tokens',
  'orders',
  'transactions',
  'events',
  'deliveries',
  'webhook_endpoints',
  'points_orders',
  'points_customer_entries',
  'points_checkout_sessions',
  'backd_orders',
  'backd_refund_requests',
  'mpg_orders',
  'mpg_transactions',
  'reconciliation_runs',
  'claims',
];

async function rowCounts(t: TestStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = (await t.rawRows(table)).length;
  return counts;
}

function demoSuite(factory: StoreFactory, skip?: string) {
  describe(`unwind demo: ${factory.engine}`, () => {
    let t: TestStore;
    before(async () => {
      if (!skip) t = await factory.create();
    });
    after(async () => t?.cleanup());

    it('seeds every face, then says it is there and creates nothing', { skip }, async () => {
      const first = await runCli(['demo'], t.env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^Seeded the demo data/m);

      const merchants = await t.rawRows('merchants');
      const byName = new Map(merchants.map((m) => [String(m['name']), String(m['id'])]));
      const orders = await t.rawRows('orders');
      const statuses = (dialect: string) =>
        orders
          .filter((o) => o['dialect'] === dialect)
          .map((o) => String(o['status']))
          .sort();
      // Points: earning orders approved, partly and fully refunded; checkout orders new,
      // authorized, captured, cancelled and completed (approved, with a payment method).
      assert.deepEqual(statuses('points'), [
        'authorized',
        'cancelled',
        'captured',
        'captured',
        'captured',
        'partially_refunded',
        'pending',
        'refunded',
      ]);
      const completed = (await t.rawRows('points_orders')).filter(
        (p) => p['channel'] === 'checkout' && p['payment_method'] === '2',
      );
      assert.equal(completed.length, 1);
      const backd = (await t.rawRows('backd_orders')).map((b) => String(b['status'])).sort();
      assert.deepEqual(backd, [
        'created',
        'order_canceled',
        'order_confirmed',
        'order_placed',
        'refund',
        'terms_selected',
      ]);
      assert.deepEqual(statuses('mpg'), [
        'authorized',
        'captured',
        'captured',
        'partially_refunded',
        'pending',
        'refunded',
        'voided',
      ]);
      for (const name of ['Demo Points shop', 'Demo Backd supplier', 'Demo MPG store']) {
        assert.ok(byName.has(name), name);
      }

      // One request settled after its lock, one draft waiting for it.
      const requests = await t.rawRows('backd_refund_requests');
      assert.deepEqual(requests.map((r) => String(r['status'])).sort(), ['draft', 'refunded']);

      // The endpoint's deliveries are waiting to fail: its host does not exist.
      const [endpoint] = await t.rawRows('webhook_endpoints');
      assert.equal(endpoint?.['url'], 'https://hooks.unwind-demo.invalid/mpg');
      assert.equal(endpoint?.['merchant_id'], byName.get('Demo MPG store'));
      const deliveries = await t.rawRows('deliveries');
      assert.ok(deliveries.length >= 7, `deliveries: ${deliveries.length}`);

      // A dry run scoped to the Points shop, whose report disagrees with the ledger.
      const [run] = await t.rawRows('reconciliation_runs');
      assert.equal(run?.['merchant_id'], byName.get('Demo Points shop'));
      assert.equal(run?.['dialect'], 'points');
      assert.equal(run?.['status'], 'completed');

      const verified = await runCli(['verify'], t.env);
      assert.equal(verified.code, 0, verified.stdout);
      assert.match(verified.stdout, /ledger is consistent/);

      const before = await rowCounts(t);
      const second = await runCli(['demo'], t.env);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /^The demo data is already there; nothing was created:/);
      assert.deepEqual(await rowCounts(t), before);
    });
  });
}

demoSuite(sqliteFactory);
demoSuite(postgresFactory, await postgresSkipReason());
