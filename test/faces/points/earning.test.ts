// Proves Points earning over HTTP on SQLite and on PostgreSQL: the golden earning answer, points
// rounded down at the merchant's rate, a repeated order number that awards nothing twice, flat
// rating awards once per review, and the per-merchant earning lock (429 for concurrent losers,
// never a double award; cluster-wide on PostgreSQL).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite, UUID } from './points-face.js';

await pointsFaceSuite((face) => {
  const { newPhone, merchant, api, data, assertError, assertInvalid, earn, wallet } = face;

  describe('earning', () => {
    it('golden: creates an approved earning order with floor(price × points_per_sar) points', async () => {
      const m = await merchant();
      const phone = newPhone();
      await face.activate(phone);
      const res = await api(m, 'POST', '/orders/earning', {
        phone_number: `+966${phone}`,
        name: 'Ahmed',
        total_price: 150.75,
        order_number: '#ORD-2024-0001',
        shipping_amount: 15,
        tax_amount: '19.66',
        products: [
          { product_name: 'Perfume', product_price: '100.75', quantity: 1 },
          { product_name: 'Soap', product_price: 25, quantity: 2 },
        ],
        metadata: { channel: 'web' },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['status', 'message', 'appended_data', 'data']);
      assert.equal(body['message'], '');
      assert.deepEqual(body['appended_data'], {});
      const order = data(res);
      assert.equal(typeof order.id, 'number');
      assert.match(order.uuid, UUID);
      assert.match(order.reference_number ?? '', /^REF-2026-\d{6}$/);
      assert.equal(order.order_status, 'approved');
      assert.equal(order.order_number, 'ORD-2024-0001'); // the leading # is stripped
      assert.equal(order.type, 1);
      assert.equal(order.total_price, 150.75);
      assert.equal(order.total_points, 1507);
      assert.deepEqual(order.metadata, { channel: 'web' });
      assert.equal(order.created_at, '2026-11-23T12:00:00.000000Z');
      assert.deepEqual(order.items, [
        { product_name: 'Perfume', product_price: 100.75, quantity: 1 },
        { product_name: 'Soap', product_price: 25, quantity: 2 },
      ]);
      assert.equal((await wallet(phone)).balance, 1507);
      const read = await api(m, 'GET', `/orders/${order.uuid}`);
      assert.deepEqual(data(read), order);
    });

    it('uses the merchant points_per_sar and never rounds up', async () => {
      const m = await merchant({ points_per_unit: 20 });
      assert.equal(data(await earn(m, { total_price: '0.09' })).total_points, 1);
      assert.equal(data(await earn(m, { total_price: 200 })).total_points, 4000);
    });

    it('a repeated order_number returns the first order and awards nothing twice', async () => {
      const m = await merchant();
      const phone = newPhone();
      const first = data(await earn(m, { phone_number: phone, order_number: 'DUP-1' }));
      const again = data(await earn(m, { phone_number: phone, order_number: 'DUP-1' }));
      assert.equal(again.uuid, first.uuid);
      assert.equal((await wallet(phone)).balance, 1507);
      const other = await earn(m, {
        phone_number: phone,
        order_number: 'DUP-1',
        total_price: 10,
      });
      assertInvalid(other, { order_number: ['The order number has already been taken.'] });
    });

    it('rating channels award flat points once per review_reference', async () => {
      const m = await merchant();
      const phone = newPhone();
      await face.activate(phone);
      const store = await api(m, 'POST', '/orders/earning/store-rating', {
        phone_number: phone,
        review_reference: 'rev-1',
        rating: 5,
      });
      const order = data(store);
      assert.equal(order.order_status, 'approved');
      assert.equal(order.total_price, 0);
      assert.equal(order.total_points, 50);
      assert.equal(order.order_number, 'rev-1');
      const again = await api(m, 'POST', '/orders/earning/store-rating', {
        phone_number: phone,
        review_reference: 'rev-1',
      });
      assertInvalid(again, {
        review_reference: ['The review reference has already been taken.'],
      });
      const product = await api(m, 'POST', '/orders/earning/product-rating', {
        phone_number: phone,
        review_reference: 'rev-1',
        product_id: 42,
      });
      assert.equal(data(product).total_points, 25);
      assertInvalid(
        await api(m, 'POST', '/orders/earning/product-rating', {
          phone_number: phone,
          review_reference: 'rev-2',
          rating: 9,
        }),
        {
          rating: ['The rating must be between 1 and 5.'],
          product_id: ['The product id field is required.'],
        },
      );
      assert.equal((await wallet(phone)).balance, 75);
      // A flat award has no money to refund and cannot be cancelled.
      assertError(
        await api(m, 'POST', `/orders/${order.uuid}/refund`, {}),
        400,
        'Refund amount exceeds the refundable amount.',
      );
      assertError(
        await api(m, 'POST', `/orders/${order.uuid}/cancel`, {}),
        400,
        'Order cannot be cancelled. Use refund for settled orders.',
      );
    });

    it('concurrent earning for one merchant: 429s for the losers and never a double award', async () => {
      const m = await merchant();
      const phone = newPhone();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          earn(m, { phone_number: phone, order_number: 'RACE-1', total_price: 10 }),
        ),
      );
      const ok = results.filter((r) => r.statusCode === 200);
      const busy = results.filter((r) => r.statusCode === 429);
      assert.equal(ok.length + busy.length, 10);
      assert.ok(ok.length >= 1, 'one request wins');
      // Requests overlap while they wait for the database (PostgreSQL's row lock, SQLite's
      // group commit queue): the losers are refused at once, as Points documents.
      assert.ok(busy.length >= 1, `ok ${ok.length}, busy ${busy.length}`);
      for (const r of busy) {
        assertError(r, 429, 'Too many concurrent requests for the same merchant.');
      }
      assert.equal(new Set(ok.map((r) => data(r).uuid)).size, 1);
      assert.equal((await wallet(phone)).balance, 100);
      const entries = (await wallet(phone)).ledger.filter((e) => e.type === 'award');
      assert.equal(entries.length, 1);
    });

    it('the earning lock is held per transaction, cluster-wide on PostgreSQL', async () => {
      const m = await merchant();
      // The merchant's lock row exists once it has earned (created committed, here).
      assert.equal(
        await face.t.deps.store.transaction((tx) => tx.tryLockPointsMerchant(m.id)),
        true,
      );
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let taken!: () => void;
      const first = new Promise<void>((resolve) => (taken = resolve));
      const holder = face.t.deps.store.transaction(async (tx) => {
        assert.equal(await tx.tryLockPointsMerchant(m.id), true);
        taken();
        await held;
      });
      await first;
      if (face.engine === 'postgres') {
        // Another connection (another process, in production) is refused at once.
        const other = await face.t.deps.store
          .transaction((tx) => tx.tryLockPointsMerchant(m.id))
          .finally(release);
        await holder;
        assert.equal(other, false);
      } else {
        // SQLite serialises writers: the second transaction waits, then gets the lock.
        const other = face.t.deps.store.transaction((tx) => tx.tryLockPointsMerchant(m.id));
        release();
        await holder;
        assert.equal(await other, true);
      }
      const later = await face.t.deps.store.transaction((tx) => tx.tryLockPointsMerchant(m.id));
      assert.equal(later, true);
    });
  });
});
