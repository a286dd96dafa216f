// Proves GET /admin/metrics on both stores: only an admin may read it (401 in the admin
// envelope otherwise); it counts every answer by status class (the asking request is counted
// with the next one), reads no database itself, and counts the statements, transactions and (on
// PostgreSQL) round trips that a request makes, so the benchmark's per-request figures are real.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

interface Metrics {
  uptime_seconds: number;
  process: { cpu_user_ms: number; cpu_system_ms: number; rss_bytes: number };
  http: { requests: number; responses: Record<string, number> };
  store: {
    engine: string;
    statements: number;
    transactions: number;
    commits: number;
    rollbacks: number;
    reads: number;
    round_trips: number | null;
  };
}

function metricsSuite(factory: StoreFactory, skip?: string) {
  describe(`GET /admin/metrics: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    const metrics = () => t.call<Metrics>({ method: 'GET', url: '/admin/metrics' }, 200);
    before(async () => {
      t = await startTestApp(factory);
    });
    after(async () => {
      await t?.close();
    });

    it('is for admins only', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/admin/metrics' });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'auth.missing');
      const wrong = await t.app.inject({
        method: 'GET',
        url: '/admin/metrics',
        headers: { authorization: 'Bearer not-the-token' },
      });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error.code, 'auth.invalid');
    });

    it('reports the engine, uptime and CPU time', async () => {
      const m = await metrics();
      assert.equal(m.store.engine, factory.engine);
      assert.equal(m.store.round_trips === null, factory.engine === 'sqlite');
      assert.ok(m.uptime_seconds > 0);
      assert.ok(m.process.cpu_user_ms > 0);
      assert.ok(m.process.rss_bytes > 0);
    });

    it('counts the asking request with the next one, and reads no database itself', async () => {
      const first = await metrics();
      const second = await metrics();
      assert.equal(second.http.requests - first.http.requests, 1);
      assert.equal(second.http.responses['2xx']! - first.http.responses['2xx']!, 1);
      assert.deepEqual(second.store, first.store);
    });

    it("counts a request's answer class and what it asked of the store", async () => {
      const before = await metrics();
      const merchant = await t.call<{ id: string }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Metered' } },
        201,
      );
      const order = await t.call<{ id: string }>(
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchant.id, amount_minor: 5000 },
        },
        201,
      );
      const beforeRefund = await metrics();
      await t.call(
        { method: 'POST', url: `/admin/orders/${order.id}/refund`, payload: { amount_minor: 1 } },
        200,
      );
      await t.call({ method: 'GET', url: '/admin/orders/no-such-order' }, 404);
      const after = await metrics();

      // merchant, order, the metrics read between, refund, 404, and the first metrics read.
      assert.equal(after.http.requests - before.http.requests, 6);
      assert.equal(after.http.responses['2xx']! - before.http.responses['2xx']!, 5);
      assert.equal(after.http.responses['4xx']! - before.http.responses['4xx']!, 1);
      assert.equal(after.http.responses['5xx'], before.http.responses['5xx']);

      const refund = {
        statements: after.store.statements - beforeRefund.store.statements,
        transactions: after.store.transactions - beforeRefund.store.transactions,
        commits: after.store.commits - beforeRefund.store.commits,
      };
      // The refund is one write transaction; the 404 at most reads.
      assert.equal(refund.transactions, 1);
      assert.equal(refund.commits, 1);
      assert.ok(
        refund.statements >= 4,
        `lock, write, BEGIN, COMMIT at least: ${refund.statements}`,
      );
      // A round trip per statement, but the refund's BEGIN, which goes with its first statement,
      // and its change, one statement written behind, which goes with its COMMIT.
      if (factory.engine === 'postgres') {
        assert.equal(
          after.store.round_trips! - beforeRefund.store.round_trips!,
          refund.statements - refund.transactions - 1,
        );
      }
    });
  });
}

metricsSuite(sqliteFactory);
metricsSuite(postgresFactory, await postgresSkipReason());
