// Proves the Backd order lifecycle over HTTP on SQLite and on PostgreSQL: create_order's full
// answer and its 422s that write nothing, then order_placed, update_order (the core amount
// follows, within the merchant's increase limit), confirm_order (captures the total),
// cancel_order and find_order, each refused with Backd's message out of turn.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_PUBLIC_URL } from '../../support/app.js';
import {
  backdCall,
  createBackdMerchant,
  createBackdOrder,
  createBody,
  expectFailure,
  expectSuccess,
  findOrder,
  orderIn,
  refundBody,
  selectTerms,
} from '../../support/backd.js';
import { NOT_CONFIRMED, NOT_PLACED, TIMESTAMP, backdFaceSuite } from './backd-face.js';

await backdFaceSuite((face) => {
  const { call, ref, coreOrder } = face;

  describe('create_order', () => {
    it('answers the full order data, backd_order_id and customer_url', async () => {
      face.t.clock.set(Date.parse('2026-04-16T10:30:00Z'));
      const res = expectSuccess(await call('POST', '/create_order', createBody()));
      const d = res.data;
      assert.match(d.backd_order_id, /^BO-20260416-[0-9A-F]{16}$/);
      assert.match(
        d.customer_url,
        new RegExp(`^${TEST_PUBLIC_URL}/backd/checkout/[A-Za-z0-9_-]{43}$`),
      );
      const { customer_url: _url, ...rest } = d;
      assert.deepEqual(rest, {
        backd_order_id: d.backd_order_id,
        create_date: '2026-04-16 10:30:00',
        order_total: 91.5,
        cart_amount: 90,
        tax_amount: 1,
        shipping_amount: 0.5,
        discount_amount: 0,
        status: 'created',
        merchant_order_id: 'JKLMO4321',
        merchant_order_status: 'processing',
        shipping: createBody().shipping,
        billing: createBody().billing,
        items: createBody().items,
      });
    });

    it('refuses bad bodies with 422 and writes nothing', async () => {
      const before = (await face.t.testStore.rawRows('orders')).length;
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ order_total: '91.50' }, /order_total/],
        [{ order_total: -91.5, cart_amount: -90 }, /order_total: Must not be negative/],
        [{ order_total: 91.505 }, /order_total: Too many decimal places for USD/],
        [{ order_total: 100 }, /order_total must equal cart_amount \+ tax_amount/],
        [{ order_total: 0, cart_amount: 0, tax_amount: 0, shipping_amount: 0 }, /greater than 0/],
        [{ merchant_order_id: undefined }, /merchant_order_id/],
        [{ billing: { name: { first: 'A' } } }, /billing/],
        [{ items: [] }, /items/],
        [
          { items: [{ display_name: 'W', sku: 'W', unit_price: 1.001, qty: 1 }] },
          /items\.0\.unit_price/,
        ],
        [
          {
            mode: {
              type: 'popup',
              order_success_url: 'https://a.example',
              order_close_url: 'https://a.example',
            },
          },
          /mode\.type/,
        ],
        [
          {
            mode: {
              type: 'redirect',
              order_success_url: 'javascript:alert(1)',
              order_close_url: 'https://a.example',
            },
          },
          /order_success_url/,
        ],
      ];
      for (const [overrides, message] of bad) {
        expectFailure(await call('POST', '/create_order', createBody(overrides)), 422, message);
      }
      assert.equal((await face.t.testStore.rawRows('orders')).length, before);
    });
  });

  describe('order_placed, update_order, confirm_order, cancel_order', () => {
    it('order_placed needs terms, the right merchant_order_id and the merchant’s own order', async () => {
      const o = await createBackdOrder(face.t, face.m);
      expectFailure(await call('POST', '/order_placed', ref(o)), 400, /selected terms/);
      assert.equal((await selectTerms(face.t, o.token)).statusCode, 200);
      expectFailure(
        await call('POST', '/order_placed', { ...ref(o), merchant_order_id: 'OTHER' }),
        400,
        'merchant_order_id does not match the order.',
      );
      expectFailure(
        await backdCall(face.t, face.other, 'POST', '/order_placed', ref(o)),
        404,
        'Order not found.',
      );
      expectFailure(
        await call('POST', '/order_placed', { ...ref(o), backd_order_id: 'BO-nope' }),
        404,
        'Order not found.',
      );
      expectFailure(
        await call('POST', '/order_placed', { backd_order_id: o.backdOrderId }),
        422,
        /merchant_order_id/,
      );
      const placed = expectSuccess(await call('POST', '/order_placed', ref(o)));
      assert.equal(placed.data.status, 'order_placed');
      assert.equal(placed.data.refunds, undefined);
      expectFailure(await call('POST', '/order_placed', ref(o)), 400);
    });

    it('update_order changes a placed order; the core amount follows the total', async () => {
      const o = await orderIn(face.t, face.m, 'order_placed');
      const lower = expectSuccess(
        await call('POST', '/update_order', {
          ...ref(o),
          order_total: 81.5,
          cart_amount: 80,
          merchant_order_status: 'packed',
        }),
      );
      assert.equal(lower.data.order_total, 81.5);
      assert.equal(lower.data.merchant_order_status, 'packed');
      assert.equal((await coreOrder(o)).amount_minor, 8150);
      // 10 % of the agreed 91.50 allows up to 100.65.
      expectSuccess(
        await call('POST', '/update_order', {
          ...ref(o),
          order_total: 100.65,
          cart_amount: 99.15,
        }),
      );
      assert.equal((await coreOrder(o)).amount_minor, 10065);
      expectFailure(
        await call('POST', '/update_order', {
          ...ref(o),
          order_total: 100.66,
          cart_amount: 99.16,
        }),
        400,
        'The order_total increase exceeds the limit the merchant has agreed upon.',
      );
      expectFailure(
        await call('POST', '/update_order', { ...ref(o), order_total: 50 }),
        422,
        /order_total must equal/,
      );
      expectFailure(
        await call('POST', '/update_order', { ...ref(o), merchant_order_id: 'X' }),
        400,
        'merchant_order_id does not match the order.',
      );
      assert.equal((await coreOrder(o)).amount_minor, 10065);
      const early = await orderIn(face.t, face.m, 'terms_selected');
      expectFailure(
        await call('POST', '/update_order', ref(early)),
        400,
        "An update can only occur if order has been placed ('order_placed').",
      );
    });

    it('the increase limit is a merchant setting', async () => {
      const strict = await createBackdMerchant(face.t, { order_total_increase_limit_percent: 0 });
      const o = await orderIn(face.t, strict, 'order_placed');
      const res = await backdCall(face.t, strict, 'POST', '/update_order', {
        ...ref(o),
        order_total: 91.51,
        cart_amount: 90.01,
      });
      expectFailure(res, 400, /increase exceeds the limit/);
    });

    it('confirm_order captures the whole total; nothing may be updated, confirmed or canceled after', async () => {
      const o = await orderIn(face.t, face.m, 'order_placed');
      const res = expectSuccess(await call('POST', '/confirm_order', ref(o)));
      assert.equal(res.data.status, 'order_confirmed');
      const core = await coreOrder(o);
      assert.equal(core.status, 'captured');
      assert.equal(core.captured_minor, 9150);
      expectFailure(await call('POST', '/confirm_order', ref(o)), 400, NOT_PLACED);
      expectFailure(await call('POST', '/cancel_order', ref(o)), 400, NOT_PLACED);
      expectFailure(
        await call('POST', '/update_order', ref(o)),
        400,
        "Once an order has been confirmed ('order_confirmed') no updates can be made.",
      );
      const unplaced = await orderIn(face.t, face.m, 'terms_selected');
      expectFailure(await call('POST', '/confirm_order', ref(unplaced)), 400, NOT_PLACED);
    });

    it('cancel_order cancels a placed order; its data has no merchant_order_status', async () => {
      const o = await orderIn(face.t, face.m, 'order_placed');
      expectFailure(
        await backdCall(face.t, face.other, 'POST', '/cancel_order', {
          backd_order_id: o.backdOrderId,
        }),
        404,
      );
      const res = expectSuccess(
        await call('POST', '/cancel_order', { backd_order_id: o.backdOrderId }),
      );
      assert.equal(res.data.status, 'order_canceled');
      assert.equal('merchant_order_status' in res.data, false);
      assert.ok('shipping' in res.data && 'billing' in res.data && 'items' in res.data);
      assert.equal((await coreOrder(o)).status, 'cancelled');
      expectFailure(
        await call('POST', '/cancel_order', { backd_order_id: o.backdOrderId }),
        400,
        NOT_PLACED,
      );
      expectFailure(await call('POST', '/refund', refundBody(o, 1)), 400, NOT_CONFIRMED);
    });

    it('find_order shows refunds[]; unknown and foreign orders are 404 alike', async () => {
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      const data = await findOrder(face.t, face.m, o);
      assert.equal(data.status, 'order_confirmed');
      assert.deepEqual(data.refunds, []);
      assert.match(data.create_date, TIMESTAMP);
      const foreign = await backdCall(face.t, face.other, 'GET', `/find_order/${o.backdOrderId}`);
      const unknown = await call('GET', '/find_order/BO-20260101-0000000000000000');
      expectFailure(foreign, 404, 'Order not found.');
      expectFailure(unknown, 404, 'Order not found.');
      assert.equal(foreign.body, unknown.body);
    });
  });
});
