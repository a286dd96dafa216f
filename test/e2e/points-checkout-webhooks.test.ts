/**
 * Proves what completing the Points hosted checkout sends, by the merchant's `checkout_capture`,
 * with a real webhook receiver, on SQLite and on PostgreSQL: `authorize` sends `authorized` and
 * leaves /capture (`captured`) to the merchant; `manual` sends nothing until its /complete
 * (`approved`, then `completed`). (The default, `automatic`, is points-flow.test.ts.) And a
 * session expires exactly 30 minutes after it opened: paid 1 ms before, it is approved and
 * announced; at the instant and 1 ms after, the payment is refused, takes no points and sends
 * nothing, and the page answers `expired`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import { appCall, outboxCode, payAtCheckout } from '../support/points.js';
import { openPointsShop, type PointsShop } from '../support/points-shop.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

function defineSuite(factory: StoreFactory, skip?: string): void {
  describe(`Points checkout webhooks: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let shop: PointsShop;

    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver();
      shop = await openPointsShop(t, receiver, 'Oud House');
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    /** Sets the merchant's `checkout_capture`; a customer then redeems 100 points of 20.00. */
    async function checkoutWith(mode: string, orderNumber: string) {
      await shop.setCheckoutCapture(mode);
      await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: '500000007', balance: 1000 },
      });
      const begun = await t.app.inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${shop.publicKey}`,
        payload: {
          total_price: 20,
          order_number: orderNumber,
          callback_url: 'https://shop.example/r',
        },
      });
      const pagePath = new URL(
        (begun.json() as { data: { checkout_url: string } }).data.checkout_url,
      ).pathname;
      return payAtCheckout(appCall(t), appCall(t, true), pagePath, {
        phoneNumber: '0500000007',
        redeemPoints: 100,
      });
    }

    it('checkout_capture authorize: authorized at completion, captured by the merchant', async () => {
      const paid = await checkoutWith('authorize', 'AUTH-1');
      assert.equal(await shop.orderStatus(paid.order_uuid), 'authorized');
      assert.match(paid.redirect_url, /&status=authorized$/);
      assert.deepEqual(
        (await shop.hooks(1)).map((h) => [h.event, h.order['order_status']]),
        [['authorized', 'authorized']],
      );
      const captured = await shop.api('POST', `/orders/${paid.order_uuid}/capture`);
      assert.equal(captured.statusCode, 200, captured.body);
      assert.deepEqual(
        (await shop.hooks(1)).map((h) => [h.event, h.order['order_status']]),
        [['captured', 'captured']],
      );
    });

    it('checkout_capture manual: new and silent until the merchant completes it', async () => {
      const paid = await checkoutWith('manual', 'MANUAL-1');
      assert.equal(await shop.orderStatus(paid.order_uuid), 'new');
      assert.match(paid.redirect_url, /&status=new$/);
      assert.deepEqual(await shop.hooks(0), []);
      const completed = await shop.api('POST', `/orders/${paid.order_uuid}/complete`, {
        payment_method: '2',
      });
      assert.equal(completed.statusCode, 200, completed.body);
      assert.deepEqual(
        (await shop.hooks(2)).map((h) => [h.event, h.order['order_status']]),
        [
          ['approved', 'approved'],
          ['completed', 'approved'],
        ],
      );
      await shop.setCheckoutCapture('automatic');
    });

    it('a session expires exactly 30 minutes after it opened: paid 1 ms before, refused at and after, no order, no webhook', async () => {
      const call = appCall(t);
      const admin = appCall(t, true);
      const clock = async () =>
        Date.parse(((await admin('GET', '/admin/clock')).body as { now: string }).now);
      const setClock = async (ms: number) =>
        assert.equal(
          (await admin('POST', '/admin/clock', { now: new Date(ms).toISOString() })).status,
          200,
        );
      const opened = await clock();
      const sessions: { path: string; token: string }[] = [];
      for (const [n, phone] of ['500000011', '500000012', '500000013'].entries()) {
        await t.admin({
          method: 'POST',
          url: '/admin/points/customers',
          payload: { phone_number: phone, balance: 100 },
        });
        const begun = await call('POST', `/points/api/v1/orders/checkout/${shop.publicKey}`, {
          total_price: 20,
          order_number: `EXPIRY-${n}`,
        });
        assert.equal(begun.status, 200, JSON.stringify(begun.body));
        const url = (begun.body as { data: { checkout_url: string } }).data.checkout_url;
        sessions.push({ path: new URL(url).pathname, token: '' });
      }
      // The codes are asked for and checked a minute before the end, within their 5 minutes.
      await setClock(opened + 29 * 60_000);
      for (const [n, session] of sessions.entries()) {
        const phone = `50000001${n + 1}`;
        assert.equal(
          (await call('POST', `${session.path}/code`, { phone_number: phone })).status,
          200,
        );
        const code = await outboxCode(admin, session.path);
        const verified = await call('POST', `${session.path}/verify`, { code });
        assert.equal(verified.status, 200, JSON.stringify(verified.body));
        session.token = (
          verified.body as { data: { verification_token: string } }
        ).data.verification_token;
      }
      const pay = (session: { path: string; token: string }) =>
        call('POST', session.path, { verification_token: session.token, redeem_points: 50 });
      const expiresAt = opened + 30 * 60_000;

      await setClock(expiresAt - 1);
      const paid = await pay(sessions[0]!);
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      const [approved] = await shop.hooks(1);
      assert.equal(approved?.event, 'approved');
      assert.equal(approved?.order['order_number'], 'EXPIRY-0');

      for (const [at, session] of [
        [expiresAt, sessions[1]!],
        [expiresAt + 1, sessions[2]!],
      ] as const) {
        await setClock(at);
        const refused = await pay(session);
        assert.deepEqual(
          [refused.status, refused.body],
          [
            400,
            { status: false, message: 'This checkout session has expired.', appended_data: {} },
          ],
        );
        const shown = await call('GET', session.path);
        assert.deepEqual((shown.body as { data: unknown }).data, { status: 'expired' });
      }
      // Nothing was taken and nothing was announced for the expired sessions.
      assert.equal(await shop.balance('500000012'), 100);
      assert.equal(await shop.balance('500000013'), 100);
      assert.deepEqual(await shop.hooks(0), []);
    });
  });
}

await onEveryStore(defineSuite);
