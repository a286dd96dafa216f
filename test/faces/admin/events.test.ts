// Proves GET /admin/events over HTTP on SQLite and on PostgreSQL: an order's events in order, with
// status before and after, one per change and none for a refusal, each matching its ledger rows;
// filters by type, merchant and time (from inclusive, to exclusive); cursor pages; 422s.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  type EventJson,
  expectError,
  expectIssue,
  getOrder,
  listEvents,
  operate,
  type Page,
  succeed,
  walk,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('GET /admin/events', () => {
    const app = appPerSuite(factory);
    let merchantId = '';
    let orderId = '';
    let otherOrderId = '';
    const T0 = '2026-11-23T12:00:00.000Z';
    const T1 = '2026-11-23T12:01:00.000Z';
    const T2 = '2026-11-23T12:02:00.000Z';

    before(async () => {
      const t = app();
      merchantId = (await createMerchant(t, { name: 'Evented Shop' })).id;
      orderId = (await createOrder(t, merchantId, 1000, 'authorize')).id;
      otherOrderId = (await createOrder(t, merchantId, 50, 'none')).id;
      t.clock.advance(60_000);
      await succeed(t, orderId, 'capture', { amount_minor: 400 });
      t.clock.advance(60_000);
      await succeed(t, orderId, 'refund', { amount_minor: 100, reason: 'damaged' });
      // Refused operations write no event.
      expectError(
        await operate(t, orderId, 'refund', { amount_minor: 10_000 }),
        409,
        'refund.exceeds_refundable',
      );
      expectError(await operate(t, orderId, 'cancel'), 409, 'order.already_refunded');
      // Another merchant's events.
      const other = await createMerchant(t, { name: 'Quiet Shop' });
      await createOrder(t, other.id, 10);
    });

    it('lists an order events in order with status_before and status_after', async () => {
      const page = await listEvents(app(), `order_id=${orderId}`);
      assert.equal(page.next_cursor, null);
      assert.deepEqual(
        page.data.map((e) => [
          e.type,
          e.status_before,
          e.status_after,
          e.actor,
          e.reason,
          e.created_at,
        ]),
        [
          ['order.created', null, 'authorized', 'admin', null, T0],
          ['order.captured', 'authorized', 'captured', 'admin', null, T1],
          ['order.refunded', 'captured', 'partially_refunded', 'admin', 'damaged', T2],
        ],
      );
      for (const e of page.data) {
        assert.equal(e.order_id, orderId);
        assert.equal(e.merchant_id, merchantId);
      }
      const refunded = page.data[2]?.payload as {
        order: { status: string; refunded: { minor: number } };
        refund: Record<string, number>;
      };
      assert.equal(refunded.order.status, 'partially_refunded');
      assert.equal(refunded.order.refunded.minor, 100);
      assert.deepEqual(refunded.refund, {
        amount_minor: 100,
        cash_minor: 100,
        points_value_minor: 0,
        points_reversed: 0,
        points_returned: 0,
      });
    });

    it('each event id matches the event_id of its ledger rows', async () => {
      const page = await listEvents(app(), `order_id=${orderId}`);
      const rows = (await getOrder(app(), orderId)).transactions ?? [];
      assert.deepEqual(
        rows.map((r) => r.event_id),
        page.data.map((e) => e.id),
      );
    });

    it('filters by type and by merchant', async () => {
      const refunds = await listEvents(app(), `type=order.refunded&merchant_id=${merchantId}`);
      assert.deepEqual(
        refunds.data.map((e) => [e.type, e.order_id]),
        [['order.refunded', orderId]],
      );
      const mine = await listEvents(app(), `merchant_id=${merchantId}`);
      assert.equal(mine.data.length, 4);
      assert.ok(mine.data.every((e) => e.merchant_id === merchantId));
      assert.deepEqual(
        mine.data.filter((e) => e.order_id === otherOrderId).map((e) => e.type),
        ['order.created'],
      );
      const all = await listEvents(app(), '');
      assert.equal(all.data.length, 5);
      const none = await listEvents(app(), 'type=order.voided');
      assert.deepEqual(none, { data: [], next_cursor: null });
    });

    it('filters by time: from is inclusive, to is exclusive, offsets are honoured', async () => {
      const q = (s: string) => listEvents(app(), `order_id=${orderId}&${s}`);
      const types = (p: Page<EventJson>) => p.data.map((e) => e.type);
      assert.deepEqual(types(await q(`from=${T1}`)), ['order.captured', 'order.refunded']);
      assert.deepEqual(types(await q(`to=${T1}`)), ['order.created']);
      assert.deepEqual(types(await q(`from=${T1}&to=${T2}`)), ['order.captured']);
      assert.deepEqual(types(await q(`from=${encodeURIComponent('2026-11-23T15:01:00+03:00')}`)), [
        'order.captured',
        'order.refunded',
      ]);
    });

    it('pages with a cursor through the same events in the same order', async () => {
      const all = await listEvents(app(), `merchant_id=${merchantId}`);
      const pages = await walk<EventJson>(app(), `/admin/events?merchant_id=${merchantId}&limit=1`);
      assert.deepEqual(
        pages.flatMap((p) => p.data.map((e) => e.id)),
        all.data.map((e) => e.id),
      );
      assert.ok(pages.slice(0, -1).every((p) => p.data.length === 1));
      const three = await walk<EventJson>(app(), `/admin/events?merchant_id=${merchantId}&limit=3`);
      assert.deepEqual(
        three.map((p) => p.data.length),
        [3, 1],
      );
    });

    it('a garbage cursor, bad time or bad limit is 422', async () => {
      const cases: [string, string][] = [
        ['cursor=garbage', 'cursor'],
        ['from=yesterday', 'from'],
        ['to=2026-11-23', 'to'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['status=captured', ''],
      ];
      for (const [query, path] of cases) {
        expectIssue(await app().admin({ method: 'GET', url: `/admin/events?${query}` }), path);
      }
    });
  });
});
