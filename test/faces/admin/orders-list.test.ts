// Proves GET /admin/orders over HTTP on SQLite and on PostgreSQL: pages oldest first or newest
// first with cursors that walk every order once (a cursor made for one direction is refused with
// the other), exact search by id, order number or phone, filters by status, dialect and creation
// window, and a 422 at each bad parameter.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { execute } from '../../../src/app/context.js';
import { createOrder as createOrderUseCase } from '../../../src/app/create-order.js';
import type { Order } from '../../../src/domain/order.js';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  expectIssue,
  type OrderJson,
  type Page,
  succeed,
  walk,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('orders', () => {
    const app = appPerSuite(factory);

    describe('GET /admin/orders', () => {
      let listed = '';
      const ids: string[] = [];
      before(async () => {
        listed = (await createMerchant(app(), { name: 'Listed Shop' })).id;
        for (let i = 0; i < 5; i++) ids.push((await createOrder(app(), listed, 100 + i)).id);
      });

      it('pages a merchant orders oldest first with next_cursor until the end', async () => {
        const pages = await walk<OrderJson>(app(), `/admin/orders?merchant_id=${listed}&limit=2`);
        assert.deepEqual(
          pages.map((p) => p.data.length),
          [2, 2, 1],
        );
        assert.deepEqual(
          pages.flatMap((p) => p.data.map((o) => o.id)),
          ids,
        );
        assert.equal(pages.at(-1)?.next_cursor, null);
        for (const o of pages.flatMap((p) => p.data)) {
          assert.equal(o.merchant_id, listed);
          assert.equal(o.transactions, undefined);
        }
      });

      it('a full last page has a cursor to an empty page', async () => {
        const pages = await walk<OrderJson>(app(), `/admin/orders?merchant_id=${listed}&limit=5`);
        assert.deepEqual(
          pages.map((p) => p.data.length),
          [5, 0],
        );
        assert.equal(pages[1]?.next_cursor, null);
      });

      it('filters by dialect', async () => {
        const admin = await app().admin({
          method: 'GET',
          url: `/admin/orders?merchant_id=${listed}&dialect=admin`,
        });
        assert.equal((admin.json() as Page<OrderJson>).data.length, 5);
        const points = await app().admin({
          method: 'GET',
          url: `/admin/orders?merchant_id=${listed}&dialect=points`,
        });
        assert.deepEqual(points.json(), { data: [], next_cursor: null });
      });

      it('a garbage cursor, a bad limit or an unknown parameter is 422', async () => {
        const cases: [string, string][] = [
          ['cursor=garbage', 'cursor'],
          ['cursor=%25%25%25', 'cursor'],
          [`cursor=${Buffer.from('abc:').toString('base64url')}`, 'cursor'],
          [`cursor=${Buffer.from('1.5:x').toString('base64url')}`, 'cursor'],
          ['limit=0', 'limit'],
          ['limit=501', 'limit'],
          ['limit=abc', 'limit'],
          ['limit=2.5', 'limit'],
          // What Number() reads as an integer is still not one in decimal digits.
          ['limit=0x10', 'limit'],
          ['limit=1e2', 'limit'],
          ['limit=%2B5', 'limit'],
          ['limit=%205', 'limit'],
          ['limit=', 'limit'],
          [`cursor=${Buffer.from(`0x10:${'x'}`).toString('base64url')}`, 'cursor'],
          [`cursor=${Buffer.from(':x').toString('base64url')}`, 'cursor'],
          ['dialect=paypal', 'dialect'],
          ['colour=red', ''],
        ];
        for (const [query, path] of cases) {
          const res = await app().admin({ method: 'GET', url: `/admin/orders?${query}` });
          expectIssue(res, path);
        }
      });
    });
  });

  describe('order search and filters (GET /admin/orders)', () => {
    const app = appPerSuite(factory);
    let shop = '';
    let other = '';
    let first: OrderJson;
    let authorized: OrderJson;
    let refunded: OrderJson;
    let points: Order;

    const list = async (query: string) => {
      const res = await app().admin({ method: 'GET', url: `/admin/orders?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Page<OrderJson>;
    };
    const ids = async (query: string) => (await list(query)).data.map((o) => o.id);

    before(async () => {
      const t = app();
      shop = (await createMerchant(t, { name: 'Search Shop' })).id;
      other = (await createMerchant(t, { name: 'Other Shop' })).id;
      first = await createOrder(t, shop, 1000, 'purchase', { order_number: 'DASH-1' });
      t.clock.advance(3_600_000);
      authorized = await createOrder(t, shop, 2000, 'authorize');
      t.clock.advance(3_600_000);
      refunded = await createOrder(t, shop, 3000);
      await succeed(t, refunded.id, 'refund');
      await createOrder(t, other, 500, 'purchase', { order_number: 'DASH-1' });
      t.clock.advance(3_600_000);
      // A Points order carries the customer's phone; the admin face cannot make one.
      const made = await execute(
        t.deps,
        createOrderUseCase({
          merchantId: shop,
          actor: { kind: 'admin' },
          dialect: 'points',
          kind: 'earning',
          amountMinor: 4000,
          capture: 'purchase',
          customerRef: '501234567',
        }),
      );
      assert.ok(made.ok);
      points = made.value.order;
    });

    it('order=desc lists newest first and its cursors walk to the end; the default stays oldest first', async () => {
      const all = [first.id, authorized.id, refunded.id, points.id];
      assert.deepEqual(await ids(`merchant_id=${shop}`), all);
      assert.deepEqual(await ids(`merchant_id=${shop}&order=asc`), all);
      const pages = await walk<OrderJson>(
        app(),
        `/admin/orders?merchant_id=${shop}&order=desc&limit=3`,
      );
      assert.deepEqual(
        pages.map((p) => p.data.map((o) => o.id)),
        [[points.id, refunded.id, authorized.id], [first.id]],
      );
    });

    it('a cursor made for one order is refused with the other', async () => {
      const desc = await list(`merchant_id=${shop}&order=desc&limit=1`);
      const asc = await list(`merchant_id=${shop}&limit=1`);
      const mixed = [
        `order=asc&cursor=${desc.next_cursor}`,
        `cursor=${desc.next_cursor}`,
        `order=desc&cursor=${asc.next_cursor}`,
      ];
      for (const query of mixed) {
        const error = expectIssue(
          await app().admin({ method: 'GET', url: `/admin/orders?merchant_id=${shop}&${query}` }),
          'cursor',
        );
        assert.match(error.issues![0]!.message, /order=(asc|desc)/);
      }
      // A cursor of the form before `order` existed still pages oldest first.
      const legacy = Buffer.from(`${Date.parse(first.created_at)}:${first.id}`).toString(
        'base64url',
      );
      assert.deepEqual(await ids(`merchant_id=${shop}&limit=1&cursor=${legacy}`), [authorized.id]);
    });

    it('q finds an order exactly by id, order number or phone, trimmed, with the other filters', async () => {
      assert.deepEqual(await ids(`q=${first.id}`), [first.id]);
      assert.equal((await ids('q=DASH-1')).length, 2);
      assert.deepEqual(await ids(`q=%20DASH-1%20&merchant_id=${shop}`), [first.id]);
      assert.deepEqual(await ids(`q=${encodeURIComponent('+966 50 123 4567')}`), [points.id]);
      assert.deepEqual(await ids(`q=0501234567&dialect=points&status=captured`), [points.id]);
      assert.deepEqual(await ids(`q=0501234567&status=refunded`), []);
      // Exact, never a part of a value.
      assert.deepEqual(await list('q=DASH'), { data: [], next_cursor: null });
      assert.deepEqual(await ids(`q=${first.id.slice(0, -1)}`), []);
    });

    it('filters by status, dialect and a creation window (from inclusive, to exclusive)', async () => {
      assert.deepEqual(await ids(`merchant_id=${shop}&status=authorized`), [authorized.id]);
      assert.deepEqual(await ids(`status=refunded`), [refunded.id]);
      assert.deepEqual(await ids(`merchant_id=${shop}&dialect=points`), [points.id]);
      const window = (from: string, to: string) =>
        ids(
          `merchant_id=${shop}&created_from=${encodeURIComponent(from)}&created_to=${encodeURIComponent(to)}`,
        );
      assert.deepEqual(await window(authorized.created_at, refunded.created_at), [authorized.id]);
      // The same instants written with an offset.
      assert.deepEqual(await window('2026-11-23T16:00:00+03:00', '2026-11-23T17:00:00+03:00'), [
        authorized.id,
      ]);
      assert.deepEqual(
        await ids(
          `merchant_id=${shop}&created_from=${encodeURIComponent(refunded.created_at)}&order=desc`,
        ),
        [points.id, refunded.id],
      );
    });

    it('bad query parameters are 422 at the parameter', async () => {
      const cases: [string, string][] = [
        ['q=', 'q'],
        ['q=%20%20%20', 'q'],
        [`q=${'x'.repeat(256)}`, 'q'],
        ['status=shipped', 'status'],
        ['order=sideways', 'order'],
        ['created_from=yesterday', 'created_from'],
        ['created_from=2026-11-23', 'created_from'],
        ['created_to=2026-11-23T12:00:00', 'created_to'],
        ['created_from=2026-11-23T12:00:00Z&created_to=2026-11-23T12:00:00Z', 'created_to'],
        ['created_from=2026-11-24T00:00:00Z&created_to=2026-11-23T00:00:00Z', 'created_to'],
        ['cursor=garbage', 'cursor'],
        [`cursor=${Buffer.from('desc:1.5:x').toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from('up:1:x').toString('base64url')}`, 'cursor'],
        ['sort=created_at', ''],
      ];
      for (const [query, path] of cases) {
        expectIssue(await app().admin({ method: 'GET', url: `/admin/orders?${query}` }), path);
      }
      // 255 characters after trimming is the longest search.
      assert.deepEqual(await list(`q=%20${'x'.repeat(255)}%20`), { data: [], next_cursor: null });
    });
  });
});
