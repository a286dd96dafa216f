/**
 * Proves the Points face end to end with a real webhook receiver: a customer redeems through the
 * hosted page (driven over HTTP), which approves the order and sends `approved` (the merchant's
 * default `checkout_capture`), the merchant refunds part and then the rest, and the wallet, the
 * order statuses and every Points webhook payload (`approved`, `refunded` with points and amounts
 * left, `cancelled` with its reason, `shipping_status_updated`) are exact at each step; on SQLite
 * and on PostgreSQL. The other `checkout_capture` modes and expiry: points-checkout-webhooks.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appCall, payAtCheckout, redeemViaCheckout } from '../support/points.js';
import { openPointsShop, type PointsShop } from '../support/points-shop.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

function definePointsFlowSuite(factory: StoreFactory, skip?: string): void {
  describe(`Points end to end: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let shop: PointsShop;
    let publicKey: string;

    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver();
      shop = await openPointsShop(t, receiver, 'Oud House');
      ({ publicKey } = shop);
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    const api = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      shop.api(method, path, payload);
    const orderStatus = (uuid: string) => shop.orderStatus(uuid);
    const balance = (phone: string) => shop.balance(phone);
    const hooks = (count: number) => shop.hooks(count);
    const setCheckoutCapture = (mode: string) => shop.setCheckoutCapture(mode);

    it('redeem on the hosted page (approved and its webhook at once), refund part, then the rest', async () => {
      const phone = '500000001';
      await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: phone, balance: 1000 },
      });

      // The merchant starts a checkout; the customer uses the hosted page.
      const checkout = await t.app.inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${publicKey}`,
        payload: {
          total_price: 150.75,
          order_number: 'ORD-2024-0001',
          callback_url: 'https://shop.example/done',
          metadata: { cart: 'c-1' },
        },
      });
      const pagePath = new URL(
        (checkout.json() as { data: { checkout_url: string } }).data.checkout_url,
      ).pathname;
      // The page shows nothing of the wallet until the customer has proven the phone with a code.
      const form = await t.app.inject({ method: 'GET', url: `${pagePath}?phone_number=0${phone}` });
      assert.equal(form.statusCode, 200);
      assert.doesNotMatch(form.body, /1000/);
      const paid = await payAtCheckout(appCall(t), appCall(t, true), pagePath, {
        phoneNumber: `+966${phone}`,
        redeemPoints: 500,
      });
      const uuid = paid.order_uuid;
      // The points leave the wallet at once; completing the checkout approved the order, and the
      // merchant hears it from the webhook, as Points' checkout flow draws it.
      assert.equal(await balance(phone), 500);
      assert.equal(await orderStatus(uuid), 'approved');
      assert.match(paid.redirect_url, /&status=approved$/);
      const [approved] = await hooks(1);
      assert.equal(approved?.event, 'approved');
      const again = await api('POST', `/orders/${uuid}/complete`, { payment_method: '2' });
      assert.equal(again.statusCode, 400, again.body);
      assert.equal((again.json() as { message: string }).message, 'Order is already completed');
      const common = {
        id: uuid,
        order_number: 'ORD-2024-0001',
        type: 'replacing',
        total_price: 150.75,
        total_points: 500,
        payment_status: 'fully_paid',
        metadata: { cart: 'c-1' },
        created_at: '2026-11-23T12:00:00Z',
        updated_at: '2026-11-23T12:00:00Z',
      };
      assert.deepEqual(approved?.order, {
        ...common,
        reference_number: approved?.order['reference_number'],
        order_status: 'approved',
      });
      assert.match(String(approved?.order['reference_number']), /^REF-2026-\d{6}$/);

      const part = await api('POST', `/orders/${uuid}/refund`, {
        amount: 25.0,
        reason: 'One line item returned',
      });
      assert.equal(part.statusCode, 200, part.body);
      assert.equal(await orderStatus(uuid), 'partially_refunded');
      // round_half_up(500 × 25.00 / 150.75) = 83 points go back to the customer.
      assert.equal(await balance(phone), 583);
      const [first] = await hooks(1);
      assert.deepEqual(first, {
        event: 'refunded',
        order: {
          ...common,
          reference_number: approved?.order['reference_number'],
          order_status: 'partially_refunded',
          refund_amount: 25,
          refund_points: 83,
          left_points: 417,
          left_amount: 125.75,
          reason: 'One line item returned',
        },
        timestamp: '2026-11-23T12:00:00Z',
      });

      const rest = await api('POST', `/orders/${uuid}/refund`, {});
      assert.equal(rest.statusCode, 200, rest.body);
      assert.equal(await orderStatus(uuid), 'fully_refunded');
      assert.equal(await balance(phone), 1000);
      const [second] = await hooks(1);
      assert.deepEqual(second?.order, {
        ...common,
        reference_number: approved?.order['reference_number'],
        order_status: 'fully_refunded',
        refund_amount: 125.75,
        refund_points: 417,
        left_points: 0,
        left_amount: 0,
      });
      // Every point the customer spent came back, in exactly two refunds.
      assert.equal(
        (first?.order['refund_points'] as number) + (second?.order['refund_points'] as number),
        500,
      );
      const wallet = (
        await t.admin({ method: 'GET', url: `/admin/points/customers/${phone}` })
      ).json() as {
        ledger: { type: string; points: number; balance_after: number }[];
      };
      assert.deepEqual(wallet.ledger.map((e) => [e.type, e.points, e.balance_after]).reverse(), [
        ['adjustment', 1000, 1000],
        ['redeem', -500, 500],
        ['return', 83, 583],
        ['return', 417, 1000],
      ]);
    });

    it('earning: approved, partial refund reversing points, shipping update; cancel carries its reason', async () => {
      const phone = '500000002';
      // The customer's account is activated (an operator opened it), so the earning is awarded.
      await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: phone, balance: 0 },
      });
      const earned = await api('POST', '/orders/earning', {
        phone_number: `0${phone}`,
        total_price: 150.75,
        order_number: 'ORD-2024-0002',
        products: [{ product_name: 'Oud', product_price: 150.75, quantity: 1 }],
      });
      const uuid = (earned.json() as { data: { uuid: string } }).data.uuid;
      const [approved] = await hooks(1);
      assert.equal(approved?.event, 'approved');
      assert.equal(approved?.order['type'], 'earning');
      assert.equal(approved?.order['total_points'], 1507);
      assert.equal(await balance(phone), 1507);

      await api('POST', `/orders/${uuid}/refund`, {
        amount: '25.00',
        reason: 'One line item returned',
      });
      const [refunded] = await hooks(1);
      assert.equal(refunded?.order['refund_amount'], 25);
      assert.equal(refunded?.order['refund_points'], 250); // round_half_up(1507 × 25 / 150.75)
      assert.equal(refunded?.order['left_points'], 1257);
      assert.equal(refunded?.order['left_amount'], 125.75);
      assert.equal(refunded?.order['type'], 'earning');
      assert.equal(await balance(phone), 1257);

      await api('POST', `/orders/${uuid}/status`, { status: 'delivered' });
      const [shipping] = await hooks(1);
      assert.equal(shipping?.event, 'shipping_status_updated');
      assert.equal(shipping?.order['status'], 'delivered');
      assert.equal(shipping?.order['status_label'], 'تم التوصيل');
      assert.equal(shipping?.order['order_status'], 'partially_refunded');

      // A replacing order cancelled before its capture (a merchant that authorizes at checkout):
      // `cancelled` with the default reason.
      await setCheckoutCapture('authorize');
      const replacing = await redeemViaCheckout(
        t,
        publicKey,
        { total_price: 20, order_number: 'ORD-2024-0003' },
        { phoneNumber: phone, redeemPoints: 57 },
      );
      assert.equal(await balance(phone), 1200);
      assert.equal((await hooks(1))[0]?.event, 'authorized');
      await setCheckoutCapture('automatic');
      await api('POST', `/orders/${replacing}/cancel`, {});
      const [cancelled] = await hooks(1);
      assert.equal(cancelled?.event, 'cancelled');
      assert.equal(cancelled?.order['reason'], 'Order cancelled via API');
      assert.equal(cancelled?.order['order_status'], 'cancelled');
      assert.equal(await balance(phone), 1257);
    });
  });
}

await onEveryStore(definePointsFlowSuite);
