// Proves the Points hosted checkout over HTTP on SQLite and on PostgreSQL: the golden flow (no
// wallet shown before the phone is verified, one use per code, a forged token refused, payment
// once, then only the state), the browser form flow with its 303s, cancellation and expiry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionOf } from '../../support/points.js';
import { type Merchant, pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { inject, newPhone, merchant, api, data, assertError, assertInvalid, wallet, seed } = face;

  describe('hosted checkout', () => {
    const json = { accept: 'application/json' };
    const begin = async (m: Merchant, payload: Record<string, unknown>) => {
      const res = await inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${m.publicKey}`,
        payload,
      });
      assert.equal(res.statusCode, 200, res.body);
      return new URL((res.json() as { data: { checkout_url: string } }).data.checkout_url);
    };
    const step = (path: string, payload: Record<string, unknown>) =>
      inject({ method: 'POST', url: path, headers: json, payload });

    it('golden: checkout_url, no wallet before the code, verify, pay once, then only the state', async () => {
      const m = await merchant();
      const phone = newPhone();
      await seed(phone, 500);
      const url = await begin(m, {
        total_price: '80.50',
        order_number: '#CHK-1',
        phone_number: `0${phone}`,
        callback_url: 'https://shop.example/return?x=1',
        products: [{ product_name: 'Tea', product_price: 80.5, quantity: 1 }],
      });
      assert.equal(url.origin, 'http://unwind.test');
      assert.match(url.pathname, /^\/points\/pay\/[A-Za-z0-9_-]{43}$/);
      const path = url.pathname;

      // Before verification: the order, a phone form, and nothing of the wallet.
      const first = await inject({ method: 'GET', url: `${path}?phone_number=0${phone}` });
      assert.equal(first.statusCode, 200);
      assert.match(String(first.headers['content-type']), /^text\/html/);
      assert.match(first.body, /<label for="phone_number">/);
      assert.match(first.body, /action="\/points\/pay\/[^"]+\/code"/);
      assert.match(first.body, /80\.50 SAR/);
      assert.doesNotMatch(first.body, /500|balance/i);
      // The customer confirms a redemption here: not framable, not cached, not sniffed.
      assert.match(String(first.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(first.headers['cache-control'], 'no-store');
      assert.equal(first.headers['x-content-type-options'], 'nosniff');
      const info = await inject({
        method: 'GET',
        url: `${path}?phone_number=${phone}`,
        headers: json,
      });
      assert.deepEqual((info.json() as { data: unknown }).data, {
        status: 'open',
        order_number: 'CHK-1',
        merchant_name: 'Shop',
        total_price: 80.5,
        sar_per_point: 0.1,
      });
      // Spending without a verification is refused, whatever phone is named.
      assertError(
        await step(path, { phone_number: phone, verification_token: 'x', redeem_points: 1 }),
        403,
        'Verify your phone number first.',
      );
      assertError(
        await step(`${path}/verify`, { code: '123456' }),
        400,
        'Request a verification code first.',
      );

      const sent = await step(`${path}/code`, { phone_number: `0${phone}` });
      assert.equal(sent.statusCode, 200, sent.body);
      assert.deepEqual((sent.json() as { data: unknown }).data, {
        status: 'code_sent',
        phone_number: phone,
        expires_at: new Date(face.t.clock.now() + 300_000).toISOString(),
      });
      const code = face.t.outbox.latest({ sessionId: sessionOf(path) }, 1)[0]!.code;
      assert.match(code, /^[0-9]{6}$/);
      const wrong = await step(`${path}/verify`, {
        code: code === '000000' ? '000001' : '000000',
      });
      assert.equal(wrong.statusCode, 400, wrong.body);
      assert.deepEqual(wrong.json(), {
        status: false,
        message: 'The verification code is incorrect.',
        appended_data: { attempts_left: 4 },
      });
      assertInvalid(await step(`${path}/verify`, { code: '12a456' }), {
        code: ['The code must be 6 digits.'],
      });
      const verified = await step(`${path}/verify`, {
        code: ` ${code.slice(0, 3)} ${code.slice(3)} `,
      });
      assert.equal(verified.statusCode, 200, verified.body);
      const { verification_token: token, customer } = (
        verified.json() as { data: { verification_token: string; customer: unknown } }
      ).data;
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(customer, { phone_number: phone, balance: 500, max_redeem_points: 500 });
      // A code is used once.
      assertError(
        await step(`${path}/verify`, { code }),
        400,
        'Request a verification code first.',
      );

      const pay = (redeem: number, verificationToken = token) =>
        step(path, { verification_token: verificationToken, redeem_points: redeem });
      assertInvalid(await pay(806), {
        redeem_points: ['The redeem points must not be greater than 805.'],
      });
      assertError(await pay(501), 400, 'Insufficient points balance.');
      // One character off (never the same one: the token's last character is often 'A').
      const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      assertError(await pay(1, forged), 403, 'Verify your phone number first.');
      // A script posting JSON without an Accept header is answered in JSON too, not a page.
      const unasked = await inject({
        method: 'POST',
        url: path,
        payload: { verification_token: token, redeem_points: 501 },
      });
      assertError(unasked, 400, 'Insufficient points balance.');

      const paid = await pay(300);
      assert.equal(paid.statusCode, 200, paid.body);
      const { order_uuid, redirect_url } = paid.json() as {
        order_uuid: string;
        redirect_url: string;
      };
      assert.deepEqual(Object.keys(paid.json() as object).sort(), ['order_uuid', 'redirect_url']);
      assert.equal(
        redirect_url,
        `https://shop.example/return?x=1&order_uuid=${order_uuid}&order_number=CHK-1&status=approved`,
      );
      assert.equal((await wallet(phone)).balance, 200);
      // Completing the checkout approves the order (the merchant's default `checkout_capture`).
      const order = data(await api(m, 'GET', `/orders/${order_uuid}`));
      assert.equal(order.order_status, 'approved');
      assert.equal(order.type, 2);
      assert.equal(order.total_price, 80.5);
      assert.equal(order.total_points, 300);
      assert.equal(order.order_number, 'CHK-1');

      // Completed: every step answers the state and nothing else.
      assertError(await pay(0), 400, 'This checkout session has already been used.');
      assertError(
        await step(`${path}/code`, { phone_number: phone }),
        400,
        'This checkout session has already been used.',
      );
      const done = await inject({ method: 'GET', url: `${path}?lang=en` });
      assert.match(done.body, /Checkout complete/);
      assert.doesNotMatch(done.body, /CHK-1|80\.50|Shop/);
      const doneJson = await inject({ method: 'GET', url: path, headers: json });
      assert.deepEqual((doneJson.json() as { data: unknown }).data, { status: 'completed' });
    });

    it('a browser form post pays and redirects with 303; cancel closes; sessions expire after 30 minutes', async () => {
      const m = await merchant();
      const phone = newPhone();
      const path = (
        await begin(m, {
          total_price: 20,
          order_number: 'FORM-1',
          callback_url: 'https://shop.example/cb',
        })
      ).pathname;
      const form = (url: string, body: string) =>
        inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: body,
        });
      // In English (`?lang=en`), which the page's forms keep in their actions.
      const sent = await form(`${path}/code?lang=en`, `phone_number=0${phone}`);
      assert.equal(sent.statusCode, 200, sent.body);
      assert.match(sent.body, /<label for="code">Verification code<\/label>/);
      assert.match(sent.body, /autocomplete="one-time-code"/);
      const code = face.t.outbox.latest({ phone }, 1)[0]!.code;
      assert.match(sent.body, /action="\/points\/pay\/[^"]+\/verify\?lang=en"/);
      const verified = await form(`${path}/verify?lang=en`, `code=${code}`);
      assert.equal(verified.statusCode, 200, verified.body);
      assert.match(
        verified.body,
        /Points balance for <strong><bdi dir="ltr">0\d{9}<\/bdi><\/strong>: <strong>0<\/strong>/,
      );
      const token = /name="verification_token" value="([^"]+)"/.exec(verified.body)![1]!;
      const paid = await form(path, `verification_token=${token}&redeem_points=0`);
      assert.equal(paid.statusCode, 303, paid.body);
      assert.match(String(paid.headers['location']), /^https:\/\/shop\.example\/cb\?order_uuid=/);

      const leaving = (
        await begin(m, {
          total_price: 20,
          order_number: 'CANCEL-1',
          callback_url: 'https://shop.example/cb',
        })
      ).pathname;
      const cancelled = await form(`${leaving}/cancel`, '');
      assert.equal(cancelled.statusCode, 303, cancelled.body);
      assert.equal(
        cancelled.headers['location'],
        'https://shop.example/cb?order_number=CANCEL-1&status=cancelled',
      );
      assertError(
        await step(`${leaving}/code`, { phone_number: phone }),
        400,
        'This checkout session has been cancelled.',
      );
      const left = await inject({ method: 'GET', url: `${leaving}?lang=en` });
      assert.match(left.body, /Checkout cancelled/);
      assert.match((await inject({ method: 'GET', url: leaving })).body, /أُلغيت عملية الدفع/);

      const expiring = (await begin(m, { total_price: 20, order_number: 'EXP-1' })).pathname;
      await face.t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: 30 * 60 },
      });
      assertError(
        await step(`${expiring}/code`, { phone_number: phone }),
        400,
        'This checkout session has expired.',
      );
      assertError(
        await step('/points/pay/nope/code', { phone_number: phone }),
        404,
        'Checkout session not found.',
      );
      const badKey = await inject({
        method: 'POST',
        url: '/points/api/v1/orders/checkout/pts_pk_nope',
        payload: { total_price: 20, order_number: 'X' },
      });
      assertError(badKey, 400, 'Invalid or inactive API key');
      assertInvalid(
        await inject({
          method: 'POST',
          url: `/points/api/v1/orders/checkout/${m.publicKey}`,
          payload: { total_price: 20, order_number: 'FORM-1' },
        }),
        { order_number: ['The order number has already been taken.'] },
      );
    });
  });
});
