// Proves the admin API's orders over HTTP on SQLite and on PostgreSQL: creation by purchase,
// authorization or neither, in the merchant's or a given currency; every operation's effect on the
// totals, status and ledger rows through a whole lifecycle; operations without a body; the order
// with its ledger; and concurrent refunds that never refund more than was captured.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  expectError,
  getOrder,
  operate,
  type OrderJson,
  START,
  succeed,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('orders', () => {
    const app = appPerSuite(factory);
    let merchantId = '';
    before(async () => {
      merchantId = (await createMerchant(app(), { name: 'Order Shop' })).id;
    });

    it('POST /admin/orders purchases by default: 201 with the order and its purchase row', async () => {
      const o = await createOrder(app(), merchantId, 1000);
      assert.equal(o.merchant_id, merchantId);
      assert.equal(o.dialect, 'admin');
      assert.equal(o.kind, 'standard');
      assert.equal(o.status, 'captured');
      assert.equal(o.currency, 'SAR');
      assert.equal(o.amount, '10.00');
      assert.equal(o.amount_minor, 1000);
      assert.equal(o.authorized_minor, 1000);
      assert.equal(o.captured_minor, 1000);
      assert.equal(o.capturable_minor, 0);
      assert.equal(o.refundable_minor, 1000);
      assert.equal(o.version, 0);
      assert.equal(o.created_at, START);
      assert.equal(o.captured_at, START);
      assert.deepEqual(
        o.transactions?.map((r) => [r.type, r.amount_minor, r.actor, r.status]),
        [['purchase', 1000, 'admin', 'approved']],
      );

      const omitted = await app().admin({
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: merchantId, amount_minor: 50 },
      });
      assert.equal(omitted.statusCode, 201);
      assert.equal((omitted.json() as OrderJson).status, 'captured');
    });

    it('operations whose fields are all optional take no body at all, as documented', async () => {
      const pending = await createOrder(app(), merchantId, 700, 'none');
      const authorized = await app().admin({
        method: 'POST',
        url: `/admin/orders/${pending.id}/authorize`,
      });
      assert.equal(authorized.statusCode, 200);
      assert.equal((authorized.json() as OrderJson).status, 'authorized');
      const captured = await app().admin({
        method: 'POST',
        url: `/admin/orders/${pending.id}/capture`,
      });
      assert.equal(captured.statusCode, 200);
      assert.equal((captured.json() as OrderJson).captured_minor, 700);
      const refunded = await app().admin({
        method: 'POST',
        url: `/admin/orders/${pending.id}/refund`,
      });
      assert.equal(refunded.statusCode, 200);
      assert.equal((refunded.json() as OrderJson).status, 'refunded');
      const toCancel = await createOrder(app(), merchantId, 700, 'authorize');
      const cancelled = await app().admin({
        method: 'POST',
        url: `/admin/orders/${toCancel.id}/cancel`,
      });
      assert.equal(cancelled.statusCode, 200);
      assert.equal((cancelled.json() as OrderJson).status, 'cancelled');
    });

    it('capture "authorize" reserves and "none" leaves the order pending', async () => {
      const authorized = await createOrder(app(), merchantId, 700, 'authorize');
      assert.equal(authorized.status, 'authorized');
      assert.equal(authorized.authorized_minor, 700);
      assert.equal(authorized.capturable_minor, 700);
      assert.equal(authorized.refundable_minor, 0);
      assert.deepEqual(
        authorized.transactions?.map((r) => r.type),
        ['authorize'],
      );

      const pending = await createOrder(app(), merchantId, 700, 'none');
      assert.equal(pending.status, 'pending');
      assert.equal(pending.authorized_minor, 0);
      assert.deepEqual(pending.transactions, []);
    });

    it('an order takes the merchant currency unless given, and formats by its exponent', async () => {
      const kwd = await createMerchant(app(), { name: 'KWD Shop', currency: 'KWD' });
      const o = await createOrder(app(), kwd.id, 1234);
      assert.equal(o.currency, 'KWD');
      assert.equal(o.amount, '1.234');
      const usd = await createOrder(app(), kwd.id, 1234, 'purchase', { currency: 'USD' });
      assert.equal(usd.currency, 'USD');
      assert.equal(usd.amount, '12.34');
      const jpy = await createOrder(app(), kwd.id, 1234, 'purchase', { currency: 'JPY' });
      assert.equal(jpy.amount, '1234');
    });

    it('authorize, partial capture, void, capture of the rest, partial and full refund', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      let now = await succeed(t, o.id, 'capture', { amount_minor: 400 });
      assert.equal(now.status, 'captured');
      assert.equal(now.captured_minor, 400);
      assert.equal(now.capturable_minor, 600);
      assert.equal(now.refundable_minor, 400);
      assert.deepEqual(
        now.transactions?.map((r) => [r.type, r.amount_minor]),
        [['capture', 400]],
      );

      now = await succeed(t, o.id, 'void', { amount_minor: 100 });
      assert.equal(now.status, 'captured');
      assert.equal(now.voided_minor, 100);
      assert.equal(now.capturable_minor, 500);

      now = await succeed(t, o.id, 'capture');
      assert.equal(now.captured_minor, 900);
      assert.equal(now.capturable_minor, 0);

      now = await succeed(t, o.id, 'refund', { amount_minor: 300, reason: 'damaged' });
      assert.equal(now.status, 'partially_refunded');
      assert.equal(now.refunded_minor, 300);
      assert.equal(now.refundable_minor, 600);

      now = await succeed(t, o.id, 'refund');
      assert.equal(now.status, 'refunded');
      assert.equal(now.refunded_minor, 900);
      assert.equal(now.refundable_minor, 0);
      assert.equal(now.version, 5);

      const got = await getOrder(t, o.id);
      assert.deepEqual(
        got.transactions?.map((r) => [r.type, r.amount_minor, r.reason, r.actor]),
        [
          ['authorize', 1000, null, 'admin'],
          ['capture', 400, null, 'admin'],
          ['void', 100, null, 'admin'],
          ['capture', 500, null, 'admin'],
          ['refund', 300, 'damaged', 'admin'],
          ['refund', 600, null, 'admin'],
        ],
      );
      assert.equal(new Set(got.transactions?.map((r) => r.event_id)).size, 6);
    });

    it('cancel of an authorized order voids the reservation and ends the order', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 800, 'authorize');
      const now = await succeed(t, o.id, 'cancel', { reason: 'customer changed mind' });
      assert.equal(now.status, 'cancelled');
      assert.equal(now.voided_minor, 800);
      assert.equal(now.capturable_minor, 0);
      assert.equal(now.cancelled_at, START);
      assert.deepEqual(
        now.transactions?.map((r) => [r.type, r.amount_minor, r.reason]),
        [
          ['void', 800, 'customer changed mind'],
          ['cancel', 0, 'customer changed mind'],
        ],
      );
      const pending = await createOrder(t, merchantId, 800, 'none');
      const cancelled = await succeed(t, pending.id, 'cancel');
      assert.equal(cancelled.status, 'cancelled');
      assert.deepEqual(
        cancelled.transactions?.map((r) => r.type),
        ['cancel'],
      );
    });

    it('authorize of a pending order reserves its whole amount', async () => {
      const o = await createOrder(app(), merchantId, 450, 'none');
      const now = await succeed(app(), o.id, 'authorize');
      assert.equal(now.status, 'authorized');
      assert.equal(now.authorized_minor, 450);
    });

    it('GET /admin/orders/:id returns the order with every ledger row', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      await succeed(t, o.id, 'refund', { amount_minor: 100 });
      const got = await getOrder(t, o.id);
      assert.equal(got.id, o.id);
      assert.equal(got.refunded_minor, 100);
      assert.equal(got.version, 1);
      assert.deepEqual(
        got.transactions?.map((r) => [r.type, r.amount_minor, r.currency]),
        [
          ['purchase', 1000, 'SAR'],
          ['refund', 100, 'SAR'],
        ],
      );
    });

    it('concurrent refunds never refund more than was captured', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 500);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => operate(t, o.id, 'refund', { amount_minor: 100 })),
      );
      const ok = results.filter((r) => r.statusCode === 200);
      const refused = results.filter((r) => r.statusCode !== 200);
      assert.equal(ok.length, 5);
      for (const r of refused) expectError(r, 409, 'order.already_fully_refunded');
      const got = await getOrder(t, o.id);
      assert.equal(got.refunded_minor, 500);
      assert.equal(got.status, 'refunded');
      assert.equal(got.transactions?.filter((r) => r.type === 'refund').length, 5);
    });
  });
});
