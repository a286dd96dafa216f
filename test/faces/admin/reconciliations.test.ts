// Proves GET /admin/reconciliations over HTTP on SQLite and on PostgreSQL: runs uploaded through the
// API are listed newest first with a cursor, with their scope (merchant and face), filtered by it,
// and bad parameters are 422.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPerSuite } from '../../support/app.js';
import { adminApiSuite, createMerchant, walk } from './admin-face.js';

await adminApiSuite((factory) => {
  describe('GET /admin/reconciliations', () => {
    const app = appPerSuite(factory);

    it('lists runs newest first with a cursor', async () => {
      const t = app();
      const m = await createMerchant(t);
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t.admin({
          method: 'POST',
          url:
            `/admin/reconciliations?merchant_id=${m.id}&dialect=${i === 1 ? 'mpg' : 'points'}` +
            '&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
          headers: { 'content-type': 'text/csv' },
          payload: 'order_reference,transaction_reference,type,amount,currency,settled_at\n',
        });
        assert.equal(res.statusCode, 201, res.body);
        made.push((res.json() as { id: string }).id);
        t.clock.advance(1000);
      }
      const pages = await walk<{
        id: string;
        status: string;
        merchant_id: string | null;
        dialect: string | null;
        summary: unknown;
      }>(t, '/admin/reconciliations?limit=2');
      assert.deepEqual(
        pages.map((p) => p.data.map((r) => r.id)),
        [[made[2], made[1]], [made[0]]],
      );
      assert.deepEqual(Object.keys(pages[0]!.data[0]!), [
        'id',
        'status',
        'source',
        'merchant_id',
        'dialect',
        'from',
        'to',
        'summary',
        'error',
        'created_at',
        'completed_at',
        'applied_at',
      ]);
      assert.deepEqual(
        pages[0]!.data.map((r) => [r.merchant_id, r.dialect]),
        [
          [m.id, 'points'],
          [m.id, 'mpg'],
        ],
      );
      const points = await walk<{ id: string }>(
        t,
        `/admin/reconciliations?merchant_id=${m.id}&dialect=points&limit=3`,
      );
      assert.deepEqual(
        points.map((p) => p.data.map((r) => r.id)),
        [[made[2], made[0]]],
      );
      for (const query of ['cursor=garbage', 'limit=0', 'status=applied', 'dialect=admin']) {
        const res = await t.admin({ method: 'GET', url: `/admin/reconciliations?${query}` });
        assert.equal(res.statusCode, 422, `${query}: ${res.body}`);
      }
    });
  });
});
