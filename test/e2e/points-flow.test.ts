/**
 * Proves the Points face end to end with a real webhook receiver: a customer redeems through the
 * hosted page (driven over HTTP), which approves the order and sends `approved` (the merchant's
 * default `checkout_capture`; `authorize` sends `authorized` and leaves /capture to the merchant,
 * `manual` sends nothing until its /complete), the merchant refunds part and then the rest, and
 * the wallet, the order statuses and every Points webhook payload (`approved`, `completed`,
 * `refunded` with points and amounts left, `cancelled` with its reason, `shipping_status_updated`)
 * are exact at each step; a checkout session paid 1 ms before its expiry is approved and announced,
 * one paid at the instant or 1 ms after is refused, takes nothing and announces nothing; on SQLite
 * and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { appCall, outboxCode, payAtCheckout, redeemViaCheckout } from '../support/points.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { headerOf, type Receiver, startReceiver } from '../support/receiver.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

interface PointsHook {
  event: string;
  order: Record<string, unknown>;
  timestamp: string;
}

function definePointsFlowSuite(factory: StoreFactory, skip?: string): void {
  describe(`Points end to end: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let apiKey: string;
    let publicKey: string;
    let secret: string;
    let merchantId: string;
    let seen = 0;

    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver();
      const res = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { name: 'Oud House' },
      });
      const body = res.json() as {
        id: string;
        credentials: { points: { api_key: string; public_key: string } };
      };
      merchantId = body.id;
      apiKey = body.credentials.points.api_key;
      publicKey = body.credentials.points.public_key;
      const hook = await api('POST', '/webhooks', {
        name: 'orders',
        url: `${receiver.url}/points`,
      });
      assert.equal(hook.statusCode, 200, hook.body);
      secret = (hook.json() as { data: { secret: string } }).data.secret;
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    const api = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      t.app.inject({
        method,
        url: `/points/api/v1${path}`,
        headers: { 'x-api-key': apiKey },
        ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      });

    const orderStatus = async (uuid: string) =>
      ((await api('GET', `/orders/${uuid}`)).json() as { data: { order_status: string } }).data
        .order_status;

    const balance = async (phone: string) =>
      (
        (await t.admin({ method: 'GET', url: `/admin/points/customers/${phone}` })).json() as {
          balance: number;
        }
      ).balance;

    /** Delivers what is due and returns the webhooks that arrived since the last call. */
    async function hooks(count: number): Promise<PointsHook[]> {
      const run = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(run.statusCode, 200, run.body);
      const all = await receiver.waitForRequests(seen + count, 5000);
      const fresh = all.slice(seen);
      seen = all.length;
      assert.equal(fresh.length, count);
      for (const r of fresh) {
        assert.equal(headerOf(r, 'x-webhook-secret'), secret);
        const body = JSON.parse(r.body) as PointsHook;
        assert.equal(headerOf(r, 'x-webhook-event'), body.event);
        assert.ok(headerOf(r, 'webhook-signature')?.startsWith('v1,'));
      }
      // Delivery order is not guaranteed (as Points says); sort by event for stable checks.
      return fresh
        .map((r) => JSON.parse(r.body) as PointsHook)
        .sort((a, b) => a.event.localeCompare(b.event));
    }

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

    async function setCheckoutCapture(mode: string) {
      const set = await t.admin({
        method: 'PATCH',
        url: `/admin/merchants/${merchantId}`,
        payload: { settings: { checkout_capture: mode } },
      });
      assert.equal(set.statusCode, 200, set.body);
    }

    /** Sets the merchant's `checkout_capture`; a customer then redeems 100 points of 20.00. */
    async function checkoutWith(mode: string, orderNumber: string) {
      await setCheckoutCapture(mode);
      await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: '500000007', balance: 1000 },
      });
      const begun = await t.app.inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${publicKey}`,
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
      assert.equal(await orderStatus(paid.order_uuid), 'authorized');
      assert.match(paid.redirect_url, /&status=authorized$/);
      assert.deepEqual(
        (await hooks(1)).map((h) => [h.event, h.order['order_status']]),
        [['authorized', 'authorized']],
      );
      const captured = await api('POST', `/orders/${paid.order_uuid}/capture`);
      assert.equal(captured.statusCode, 200, captured.body);
      assert.deepEqual(
        (await hooks(1)).map((h) => [h.event, h.order['order_status']]),
        [['captured', 'captured']],
      );
    });

    it('checkout_capture manual: new and silent until the merchant completes it', async () => {
      const paid = await checkoutWith('manual', 'MANUAL-1');
      assert.equal(await orderStatus(paid.order_uuid), 'new');
      assert.match(paid.redirect_url, /&status=new$/);
      assert.deepEqual(await hooks(0), []);
      const completed = await api('POST', `/orders/${paid.order_uuid}/complete`, {
        payment_method: '2',
      });
      assert.equal(completed.statusCode, 200, completed.body);
      assert.deepEqual(
        (await hooks(2)).map((h) => [h.event, h.order['order_status']]),
        [
          ['approved', 'approved'],
          ['completed', 'approved'],
        ],
      );
      await setCheckoutCapture('automatic');
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
        const begun = await call('POST', `/points/api/v1/orders/checkout/${publicKey}`, {
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
      const [approved] = await hooks(1);
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
      assert.equal(await balance('500000012'), 100);
      assert.equal(await balance('500000013'), 100);
      assert.deepEqual(await hooks(0), []);
    });
  });
}

await onEveryStore(definePointsFlowSuite);
