// What the order history tells an operator beyond the money, on both stores: a declined card
// payment carries the issuer's response code and message; a Points order and a Backd order carry
// the customer's phone; a Backd order carries every refund request, newest first, each as Backd's
// clients see it now. The dashboard shows these (docs/dashboard.md "Pages").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPerSuite } from '../support/app.js';
import {
  backdCall,
  createBackdMerchant,
  expectSuccess,
  orderIn,
  refundBody,
} from '../support/backd.js';
import { redeemViaCheckout } from '../support/points.js';
import { onEveryStore } from '../support/stores.js';

interface History {
  order: { status: string; customer_phone: string | null; dialect: string };
  backd: {
    status: string;
    customer_phone: string;
    refund_requests: { id: string; status: string; amount_minor: number }[];
    active_refund_request: { id: string } | null;
  } | null;
  entries: {
    kind: string;
    transaction?: {
      type: string;
      status: string;
      response_code: string | null;
      response_message: string | null;
    };
  }[];
}

await onEveryStore((factory, skip) => {
  describe(`order history tells the whole truth: ${factory.engine}`, { skip }, () => {
    const app = appPerSuite(factory);
    const history = (orderId: string) =>
      app().call<History>({ method: 'GET', url: `/admin/orders/${orderId}/history` }, 200);

    it('a declined card payment carries the issuer code and message; an approved one its own', async () => {
      const merchant = await app().call<{ credentials: { mpg: { api_key: string } } }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Cards', currency: 'SAR' } },
        201,
      );
      const purchase = (number: string) =>
        app().app.inject({
          method: 'POST',
          url: '/mpg/v1/orders/purchase',
          headers: { authorization: `Bearer ${merchant.credentials.mpg.api_key}` },
          payload: {
            amount: 5000,
            currency: 'SAR',
            description: 'Declined',
            source: { type: 'card', number, month: 12, year: 2035, security_code: '123' },
            device: { user_agent: 'tests', ip_address: '192.0.2.1' },
          },
        });
      const declined = await purchase('4000000000000002');
      assert.equal(declined.statusCode, 200, declined.body);
      const h = await history((declined.json() as { id: string }).id);
      // No money moved: the order stays pending, the row says why.
      assert.equal(h.order.status, 'pending');
      const row = h.entries.find((e) => e.kind === 'transaction')?.transaction;
      assert.deepEqual(row, { ...row, type: 'purchase', status: 'failed' });
      assert.equal(row?.response_code, '05');
      assert.equal(row?.response_message, 'DO NOT HONOUR');

      const approved = await purchase('4242424242424242');
      const ok = await history((approved.json() as { id: string }).id);
      const okRow = ok.entries.find((e) => e.kind === 'transaction')?.transaction;
      assert.equal(okRow?.status, 'approved');
      assert.equal(okRow?.response_code, '00');
      assert.equal(ok.order.customer_phone, null);
    });

    it("a Points order carries the customer's phone; an admin order none", async () => {
      const merchant = await app().call<{
        id: string;
        credentials: { points: { public_key: string } };
      }>({ method: 'POST', url: '/admin/merchants', payload: { name: 'Points shop' } }, 201);
      await app().call(
        {
          method: 'POST',
          url: '/admin/points/customers',
          payload: { phone_number: '512345670', balance: 1000 },
        },
        201,
      );
      const orderId = await redeemViaCheckout(
        app(),
        merchant.credentials.points.public_key,
        { total_price: 50, order_number: 'PH-1' },
        { phoneNumber: '512345670', redeemPoints: 100 },
      );
      const h = await history(orderId);
      assert.equal(h.order.dialect, 'points');
      assert.match(h.order.customer_phone ?? '', /512345670$/);
      assert.equal(h.backd, null);

      const plain = await app().call<{ id: string }>(
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchant.id, amount_minor: 100 },
        },
        201,
      );
      assert.equal((await history(plain.id)).order.customer_phone, null);
    });

    it("a Backd order carries Backd's status, the buyer's phone and every refund request, newest first", async () => {
      const merchant = await createBackdMerchant(app());
      const order = await orderIn(app(), merchant, 'order_confirmed');
      expectSuccess(await backdCall(app(), merchant, 'POST', '/refund', refundBody(order, 10)));
      // Withdrawn, then another: two requests, one active.
      expectSuccess(
        await backdCall(app(), merchant, 'DELETE', '/refund', {
          backd_order_id: order.backdOrderId,
          merchant_order_id: order.merchantOrderId,
        }),
      );
      app().clock.advance(1000);
      expectSuccess(await backdCall(app(), merchant, 'POST', '/refund', refundBody(order, 7)));
      const found = await app().call<{ data: { id: string }[] }>(
        { method: 'GET', url: `/admin/orders?q=${order.backdOrderId}` },
        200,
      );
      const h = await history(found.data[0]!.id);
      assert.ok(h.backd);
      assert.equal(h.backd.status, 'order_confirmed');
      assert.ok(h.backd.customer_phone.length > 0);
      assert.deepEqual(
        h.backd.refund_requests.map((r) => [r.amount_minor, r.status]),
        [
          [700, 'draft'],
          [1000, 'declined'],
        ],
      );
      assert.equal(h.backd.active_refund_request?.id, h.backd.refund_requests[0]!.id);
    });
  });
});
