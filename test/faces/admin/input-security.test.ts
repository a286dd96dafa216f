// Proves the admin API reads hostile input as input, over HTTP on SQLite and on PostgreSQL: an
// empty merchant, order or endpoint filter is refused rather than read as every merchant's rows,
// and text with a NUL byte is refused or not found, never a 500.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { appPerSuite } from '../../support/app.js';
import { adminApiSuite, createMerchant, createOrder, expectIssue } from './admin-face.js';

await adminApiSuite((factory) => {
  describe('fixed defects', () => {
    const app = appPerSuite(factory);

    it('an empty merchant, order or endpoint filter is refused, not read as every merchant', async () => {
      // Each list used to drop `merchant_id=` (an id that came out empty) and answer with
      // every merchant's rows; there are two merchants' orders, events and deliveries here.
      const t = app();
      for (const name of ['Filter A', 'Filter B']) {
        const m = await createMerchant(t, { name });
        await createOrder(t, m.id, 1000);
      }
      const lists = [
        '/admin/orders?merchant_id=',
        '/admin/events?merchant_id=',
        '/admin/events?order_id=',
        '/admin/deliveries?merchant_id=',
        '/admin/deliveries?order_id=',
        '/admin/deliveries?endpoint_id=',
        '/admin/actions?merchant_id=',
        '/admin/actions?order_id=',
        '/admin/webhooks?merchant_id=',
        '/admin/stats/daily?from=2026-11-01&to=2026-11-30&merchant_id=',
        '/admin/reconciliations?merchant_id=',
      ];
      for (const url of lists) {
        const parameter = /([a-z_]+)=$/.exec(url)![1]!;
        expectIssue(await t.admin({ method: 'GET', url }), parameter);
      }
    });

    it('text with a NUL byte is refused or not found, never a 500', async () => {
      const t = app();
      const m = await createMerchant(t);
      const o = await createOrder(t, m.id, 1000);
      const requests: InjectOptions[] = [
        { method: 'GET', url: '/admin/orders/a%00b' },
        { method: 'GET', url: '/admin/merchants/a%00b' },
        { method: 'GET', url: '/admin/events?type=a%00b' },
        { method: 'POST', url: '/admin/merchants', payload: { name: '\u0000Shop' } },
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Sh\u0000op' } },
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: 'a\u0000b', amount_minor: 1 },
        },
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: m.id, amount_minor: 1, order_number: 'a\u0000b' },
        },
        {
          method: 'POST',
          url: `/admin/orders/${o.id}/refund`,
          payload: { amount_minor: 1, reason: 'a\u0000b' },
        },
      ];
      const failures: string[] = [];
      for (const request of requests) {
        const res = await t.admin(request);
        if (res.statusCode >= 500) {
          failures.push(
            `${request.method} ${request.url} ${JSON.stringify(request.payload ?? '')}`,
          );
        }
      }
      assert.deepEqual(failures, []);
    });
  });
});
