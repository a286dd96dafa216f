// Proves that a `points`-format webhook endpoint hears only of Points orders (and of the admin
// API's own), never of the same merchant's MPG or Backd orders, on SQLite and PostgreSQL: one
// merchant makes a Points redeem order, an MPG purchase and refund, and a confirmed Backd order,
// with an endpoint registered through the Points API and a standard one. The standard endpoint
// gets every event; the Points one gets the Points order's alone, also after a replay since
// the start. The suite's closing `unwind verify` agrees that nothing is missing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import { basic, type BackdMerchant, orderIn } from '../support/backd.js';
import { cardOrder } from '../support/mpg.js';
import { redeemViaCheckout } from '../support/points.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const PHONE = '512345679';

interface DeliveryJson {
  order_id: string | null;
  event_type: string;
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`points-format webhooks hear of Points orders only: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let pointsEndpoint: string;
    let standardEndpoint: string;
    const orders: Record<'points' | 'mpg' | 'backd', string> = { points: '', mpg: '', backd: '' };
    let start: string;

    const deliveriesTo = async (endpointId: string) =>
      (
        await t.call<{ data: DeliveryJson[] }>(
          { method: 'GET', url: `/admin/deliveries?endpoint_id=${endpointId}&limit=100` },
          200,
        )
      ).data;
    const ordersOf = (deliveries: DeliveryJson[]) =>
      [...new Set(deliveries.map((d) => d.order_id))].sort();

    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver();
      start = new Date(t.clock.now()).toISOString();
      const merchant = await t.call<{
        id: string;
        credentials: {
          points: { api_key: string; public_key: string };
          mpg: { api_key: string };
          backd: { public_key: string; secret_key: string };
        };
      }>(
        {
          method: 'POST',
          url: '/admin/merchants',
          payload: {
            name: 'Every Face',
            // Its checkout's order waits for the merchant's /complete, which this suite sends.
            settings: { checkout_capture: 'manual' },
          },
        },
        201,
      );
      const { points, mpg, backd } = merchant.credentials;
      const hook = await t.app.inject({
        method: 'POST',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': points.api_key },
        payload: { name: 'loyalty', url: `${receiver.url}/points` },
      });
      assert.equal(hook.statusCode, 200, hook.body);
      pointsEndpoint = (hook.json() as { data: { uuid: string } }).data.uuid;
      standardEndpoint = (
        await t.call<{ id: string }>(
          {
            method: 'POST',
            url: `/admin/merchants/${merchant.id}/webhooks`,
            payload: { url: `${receiver.url}/standard` },
          },
          201,
        )
      ).id;

      await t.call(
        {
          method: 'POST',
          url: '/admin/points/customers',
          payload: { phone_number: PHONE, balance: 1000 },
        },
        201,
      );
      orders.points = await redeemViaCheckout(
        t,
        points.public_key,
        { total_price: 50, order_number: 'FACES-1' },
        { phoneNumber: PHONE, redeemPoints: 100 },
      );
      const completed = await t.app.inject({
        method: 'POST',
        url: `/points/api/v1/orders/${orders.points}/complete`,
        headers: { 'x-api-key': points.api_key },
        payload: { payment_method: '2' },
      });
      assert.equal(completed.statusCode, 200, completed.body);

      const purchase = await t.app.inject({
        method: 'POST',
        url: '/mpg/v1/orders/purchase',
        headers: { authorization: `Bearer ${mpg.api_key}` },
        payload: cardOrder('Card order'),
      });
      assert.equal(purchase.statusCode, 200, purchase.body);
      orders.mpg = (purchase.json() as { id: string }).id;
      const mpgRefund = await t.app.inject({
        method: 'POST',
        url: `/mpg/v1/orders/${orders.mpg}/refund`,
        headers: { authorization: `Bearer ${mpg.api_key}` },
        payload: { amount: 2500 },
      });
      assert.equal(mpgRefund.statusCode, 200, mpgRefund.body);

      const backdMerchant: BackdMerchant = {
        id: merchant.id,
        publicKey: backd.public_key,
        secretKey: backd.secret_key,
        auth: basic(backd.public_key, backd.secret_key),
      };
      const confirmed = await orderIn(t, backdMerchant, 'order_confirmed');
      const found = await t.call<{ data: { id: string }[] }>(
        { method: 'GET', url: `/admin/orders?q=${confirmed.backdOrderId}` },
        200,
      );
      orders.backd = found.data[0]!.id;
    });

    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('the standard endpoint hears of every face; the Points one of the Points order only', async () => {
      assert.deepEqual(
        ordersOf(await deliveriesTo(standardEndpoint)),
        [orders.points, orders.mpg, orders.backd].sort(),
      );
      const toPoints = await deliveriesTo(pointsEndpoint);
      assert.deepEqual(ordersOf(toPoints), [orders.points]);
      assert.deepEqual(toPoints.map((d) => d.event_type).sort(), [
        'order.captured',
        'order.completed',
      ]);
    });

    it('a replay since the start adds no delivery of another face to the Points endpoint', async () => {
      const replay = await t.call<{ created: number; reset: number }>(
        {
          method: 'POST',
          url: `/admin/webhooks/${pointsEndpoint}/replay`,
          payload: { since: start, reason: 'receiver was down' },
        },
        202,
      );
      assert.deepEqual([replay.created, replay.reset], [0, 2]);
      assert.deepEqual(ordersOf(await deliveriesTo(pointsEndpoint)), [orders.points]);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
