// Proves, against a real `unwind serve` on each store with the page's forms driven like a browser
// (fetch, urlencoded posts, no redirects followed), that the Points hosted checkout verifies the
// customer: with only a public key nothing of a wallet is shown before the phone's one-time code
// is entered; the spend takes only the verified phone's points, for the session's merchant, once
// (also when two tabs post at the same moment); a completed session answers only its state; wrong
// codes close the session at the limit; a code works 1 ms before its expiry and not at it; the
// per-session and per-phone limits refuse exactly one past their setting and reopen when the
// window ends; a form posted from another site is refused; the codes are read through the admin
// API, are never stored or logged in clear; and the database itself refuses to complete a
// session nobody verified.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CheckoutBrowser, formNamed, textOf } from '../support/checkout-browser.js';
import {
  beginCheckout,
  codeOf,
  outboxOf,
  type PointsMerchant,
  pointsMerchant,
  requestCode,
  sessionOfPath,
  setClock,
  verifyPhone,
  wrongCode,
} from '../support/checkout-steps.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const START = Date.UTC(2026, 2, 2, 10);
const TTL_MS = 120_000;
const HOUR_MS = 3_600_000;
const ENV = {
  UNWIND_TEST_CLOCK: '1',
  UNWIND_WORKERS: '0',
  UNWIND_CHECKOUT_CODE_TTL_SECONDS: '120',
  UNWIND_CHECKOUT_CODE_ATTEMPTS: '3',
  UNWIND_CHECKOUT_CODE_SENDS: '2',
  UNWIND_CHECKOUT_PHONE_SENDS_PER_HOUR: '3',
  UNWIND_CHECKOUT_PHONE_FAILURES_PER_HOUR: '4',
  UNWIND_CHECKOUT_ADDRESS_PER_HOUR: '100000',
};

function suite(factory: StoreFactory, skip?: string) {
  describe(`Points hosted checkout verification: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let server: ServerProcess;
    let browser: CheckoutBrowser;
    let shopA: PointsMerchant;
    let shopB: PointsMerchant;
    let phoneSeq = 0;
    const newPhone = () => `5${String(60_000_000 + ++phoneSeq * 101).padStart(8, '0')}`;
    const balance = async (phone: string) =>
      (await server.call('GET', `/admin/points/customers/${phone}`, undefined, 200)).balance;

    before(async () => {
      store = await factory.create();
      server = await startServer({ env: { ...store.env, ...ENV }, logLevel: 'debug' });
      browser = new CheckoutBrowser(server.url);
      await setClock(server, START);
      shopA = await pointsMerchant(server, 'Shop A');
      shopB = await pointsMerchant(server, 'Shop B');
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    it('shows nothing of the wallet before the code; spends only the verified phone, for the session merchant, once', async () => {
      // 150.75 SAR at shop A earns 1507 points for an activated account (an operator opened it).
      const phone = newPhone();
      await server.call(
        'POST',
        '/admin/points/customers',
        { phone_number: phone, balance: 0 },
        201,
      );
      await server.call(
        'POST',
        '/points/api/v1/orders/earning',
        {
          phone_number: phone,
          total_price: 150.75,
          order_number: 'EARN-1',
          products: [{ product_name: 'Oud', product_price: 150.75, quantity: 1 }],
        },
        200,
        { token: null, headers: { 'x-api-key': shopA.apiKey } },
      );
      assert.equal(await balance(phone), 1507);

      // Shop B's public key alone opens a checkout naming the phone.
      const path = await beginCheckout(server, shopB, {
        order_number: 'B-1',
        phone_number: phone,
        callback_url: 'https://shop-b.example/done',
      });
      for (const url of [path, `${path}?phone_number=${phone}`, `${path}?phone_number=0${phone}`]) {
        const page = await browser.open(url);
        assert.equal(page.status, 200);
        assert.doesNotMatch(page.html, /1507|balance/i, url);
      }
      const asJson = await server.http('GET', `${path}?phone_number=${phone}`, undefined, {
        token: null,
        headers: { accept: 'application/json' },
      });
      assert.doesNotMatch(JSON.stringify(asJson.body), /1507|customer|balance/);
      const codePage = await requestCode(browser, path, phone);
      assert.equal(codePage.status, 200, codePage.html);
      assert.doesNotMatch(codePage.html, /1507/);
      // Without the code, the payment form is refused whatever it names.
      const forged = await browser.post(path, {
        phone_number: phone,
        verification_token: 'guess',
        redeem_points: '1500',
      });
      assert.equal(forged.status, 403);
      assert.doesNotMatch(forged.html, /1507/);
      assert.equal(await balance(phone), 1507);

      const wallet = await browser.submit(formNamed(codePage, 'Verify'), {
        code: await codeOf(server, path),
      });
      assert.equal(wallet.status, 200, wallet.html);
      assert.match(textOf(wallet), /Points balance for 0\d{9}: 1507/);
      const confirm = formNamed(wallet, 'Confirm');
      const paid = await browser.submit(confirm, { redeem_points: '1500' });
      assert.equal(paid.status, 303, paid.html);
      const redirect = new URL(paid.location!);
      assert.equal(redirect.origin, 'https://shop-b.example');
      const orderUuid = redirect.searchParams.get('order_uuid')!;
      assert.equal(await balance(phone), 7);

      // The order is shop B's: its key reads it, shop A's does not, and the wallet says so.
      const asB = await server.call('GET', `/points/api/v1/orders/${orderUuid}`, undefined, 200, {
        token: null,
        headers: { 'x-api-key': shopB.apiKey },
      });
      assert.equal(asB.data.total_points, 1500);
      const asA = await server.http('GET', `/points/api/v1/orders/${orderUuid}`, undefined, {
        token: null,
        headers: { 'x-api-key': shopA.apiKey },
      });
      assert.equal(asA.status, 404);
      const ledger = (await server.call('GET', `/admin/points/customers/${phone}`, undefined, 200))
        .ledger as { type: string; points: number; merchant_id: string }[];
      assert.deepEqual(
        ledger.map((e) => [e.type, e.points, e.merchant_id]),
        [
          ['redeem', -1500, shopB.id],
          ['award', 1507, shopA.id],
        ],
      );

      // Completed: the same form again, every step, and the page answer only the state.
      const replay = await browser.submit(confirm, { redeem_points: '7' });
      assert.equal(replay.status, 400);
      for (const [step, fields] of [
        [`${path}/code`, { phone_number: phone }],
        [`${path}/verify`, { code: '123456' }],
        [`${path}/cancel`, {}],
      ] as const) {
        const refused = await browser.post(step, fields);
        assert.equal(refused.status, 400, step);
        assert.match(textOf(refused), /This checkout is complete\./);
      }
      const done = await browser.open(path);
      assert.equal(done.status, 200);
      assert.match(textOf(done), /Checkout complete/);
      assert.doesNotMatch(done.html, /B-1|200\.00|Shop B|1507|<form/);
      const doneJson = await server.http('GET', path, undefined, {
        token: null,
        headers: { accept: 'application/json' },
      });
      assert.deepEqual(doneJson.body.data, { status: 'completed' });
      assert.equal(await balance(phone), 7);
    });

    it('lets two tabs posting the same payment at once spend once', async () => {
      const phone = newPhone();
      await server.call(
        'POST',
        '/admin/points/customers',
        { phone_number: phone, balance: 900 },
        201,
      );
      const path = await beginCheckout(server, shopB);
      const confirm = formNamed(await verifyPhone(server, browser, path, phone), 'Confirm');
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => browser.submit(confirm, { redeem_points: '600' })),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [303, 400, 400, 400, 400, 400]);
      assert.equal(await balance(phone), 300);
    });

    it('has the database refuse to complete a session nobody verified (the second wall)', async () => {
      const path = await beginCheckout(server, shopB);
      const [order] = await store.rawRows('orders');
      const id = sessionOfPath(path).replace(/'/g, "''");
      await assert.rejects(
        store.rawExec(
          `UPDATE points_checkout_sessions SET status = 'completed', order_id = '${String(order!['id'])}',
             completed_at = 1 WHERE id = '${id}'`,
        ),
        /CHECK constraint|check constraint/i,
      );
    });

    it('closes the session at the third wrong code; two wrong codes still let the right one in', async () => {
      const phone = newPhone();
      const path = await beginCheckout(server, shopB);
      let page = await requestCode(browser, path, phone);
      const code = await codeOf(server, path);
      for (const left of ['2 attempts left', '1 attempt left']) {
        page = await browser.submit(formNamed(page, 'Verify'), { code: wrongCode(code) });
        assert.equal(page.status, 400);
        assert.match(textOf(page), new RegExp(`The verification code is incorrect\\. ${left}\\.`));
      }
      const last = await browser.submit(formNamed(page, 'Verify'), { code: wrongCode(code) });
      assert.equal(last.status, 400);
      assert.match(textOf(last), /Checkout cancelled/);
      const late = await browser.post(`${path}/verify`, { code });
      assert.equal(late.status, 400);
      assert.match(textOf(late), /This checkout was cancelled\./);
      assert.doesNotMatch(late.html, /balance/i);

      const other = await beginCheckout(server, shopB);
      let again = await requestCode(browser, other, newPhone());
      const right = await codeOf(server, other);
      for (let i = 0; i < 2; i++) {
        again = await browser.submit(formNamed(again, 'Verify'), { code: wrongCode(right) });
        assert.equal(again.status, 400);
      }
      const wallet = await browser.submit(formNamed(again, 'Verify'), { code: right });
      assert.equal(wallet.status, 200, wallet.html);
      assert.match(textOf(wallet), /Points balance for/);
    });

    it('accepts a code 1 ms before its expiry and refuses it at its expiry', async () => {
      const at = START + 5 * 60_000;
      await setClock(server, at);
      const path = await beginCheckout(server, shopB);
      const first = await requestCode(browser, path, newPhone());
      const [sent] = await outboxOf(server, { session: sessionOfPath(path) });
      assert.equal(sent!.expires_at, new Date(at + TTL_MS).toISOString());
      await setClock(server, at + TTL_MS - 1);
      const inTime = await browser.submit(formNamed(first, 'Verify'), { code: sent!.code });
      assert.equal(inTime.status, 200, inTime.html);

      const expiring = await beginCheckout(server, shopB);
      const second = await requestCode(browser, expiring, newPhone());
      const code = await codeOf(server, expiring);
      await setClock(server, at + TTL_MS - 1 + TTL_MS);
      const tooLate = await browser.submit(formNamed(second, 'Verify'), { code });
      assert.equal(tooLate.status, 400);
      assert.match(textOf(tooLate), /The verification code has expired\. Request a new one\./);
      assert.doesNotMatch(tooLate.html, /Points balance/);
      await setClock(server, START);
    });

    it('sends at most 2 codes per session and 3 per phone an hour, again from the window end', async () => {
      const phone = newPhone();
      await setClock(server, START + 10 * 60_000);
      const one = await beginCheckout(server, shopB);
      assert.equal((await requestCode(browser, one, phone)).status, 200);
      assert.equal((await requestCode(browser, one, phone)).status, 200);
      const third = await requestCode(browser, one, phone);
      assert.equal(third.status, 429);
      assert.match(textOf(third), /No more codes can be sent for this checkout session\./);
      const two = await beginCheckout(server, shopB);
      assert.equal((await requestCode(browser, two, phone)).status, 200);
      const three = await beginCheckout(server, shopB);
      const limited = await requestCode(browser, three, phone);
      assert.equal(limited.status, 429);
      assert.match(textOf(limited), /Too many attempts for this phone number/);
      assert.equal(limited.headers.get('retry-after'), String(HOUR_MS / 1000));
      // The phone's window began with its first code; it holds until 1 ms before its end.
      await setClock(server, START + 10 * 60_000 + HOUR_MS - 1);
      const four = await beginCheckout(server, shopB);
      assert.equal((await requestCode(browser, four, phone)).status, 429);
      await setClock(server, START + 10 * 60_000 + HOUR_MS);
      const five = await beginCheckout(server, shopB);
      assert.equal((await requestCode(browser, five, phone)).status, 200);
      await setClock(server, START);
    });

    it('refuses even the right code once a phone has taken 4 wrong codes in the hour', async () => {
      const phone = newPhone();
      let sessionWrongs = 0;
      const wrongTwice = async () => {
        const path = await beginCheckout(server, shopB);
        let page = await requestCode(browser, path, phone);
        const code = await codeOf(server, path);
        for (let i = 0; i < 2; i++) {
          page = await browser.submit(formNamed(page, 'Verify'), { code: wrongCode(code) });
          assert.equal(page.status, 400, page.html);
          sessionWrongs++;
        }
        return { page, code };
      };
      await wrongTwice();
      const { page, code } = await wrongTwice();
      assert.equal(sessionWrongs, 4);
      const refused = await browser.submit(formNamed(page, 'Verify'), { code });
      assert.equal(refused.status, 429);
      assert.match(textOf(refused), /Too many attempts for this phone number/);
      assert.doesNotMatch(refused.html, /Points balance/);
    });

    it('refuses a form another site made the browser post, and sends no code for it', async () => {
      const phone = newPhone();
      const path = await beginCheckout(server, shopB);
      for (const headers of [
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        { 'sec-fetch-site': 'same-site', origin: 'https://pay.evil.example' },
      ]) {
        const forged = await browser.post(`${path}/code`, { phone_number: phone }, headers);
        assert.equal(forged.status, 403);
        assert.match(textOf(forged), /only be sent from the checkout page itself/);
      }
      // A browser without Sec-Fetch-Site is judged by its Origin.
      const old = await fetch(`${server.url}${path}/code`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
        body: `phone_number=${phone}`,
      });
      assert.equal(old.status, 403);
      assert.deepEqual(await outboxOf(server, { phone }), []);
    });

    it('lets operators read the codes through the admin API only; keeps them out of the database and the logs', async () => {
      const phone = newPhone();
      const path = await beginCheckout(server, shopA);
      const codePage = await requestCode(browser, path, phone);
      const listed = await outboxOf(server, { phone: `+966${phone}` });
      assert.equal(listed.length, 1);
      assert.deepEqual(Object.keys(listed[0]!).sort(), [
        'code',
        'expires_at',
        'phone_number',
        'sent_at',
        'session_id',
      ]);
      assert.equal(listed[0]!.session_id, sessionOfPath(path));
      const code = listed[0]!.code;
      const anonymous = await server.http('GET', `/admin/points/otp?phone=${phone}`, undefined, {
        token: null,
      });
      assert.equal(anonymous.status, 401);
      assert.equal((await server.http('GET', '/admin/points/otp')).status, 422);
      assert.equal((await server.http('GET', '/admin/points/otp?phone=123')).status, 422);

      // At rest: the pending code only as a hash bound to the session and phone.
      const rowOf = async () =>
        (await store.rawRows('points_checkout_sessions')).find(
          (r) => r['id'] === sessionOfPath(path),
        )!;
      const pending = await rowOf();
      assert.match(String(pending['code_hash']), /^[0-9a-f]{64}$/);
      assert.ok(!Object.values(pending).some((v) => String(v) === code), 'a code stored in clear');

      const wallet = await browser.submit(formNamed(codePage, 'Verify'), { code });
      const token = formNamed(wallet, 'Confirm').hidden['verification_token']!;
      const verified = await rowOf();
      assert.equal(verified['verified_phone'], phone);
      assert.equal(verified['code_hash'], null, 'a used code stays usable');
      assert.match(String(verified['verification_hash']), /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(verified).includes(token), 'the token is stored in clear');

      // Lines arrive in order: once a later request is logged, every earlier line is in.
      // (Query values are redacted in logs, so the marker is the parameter's name.)
      await browser.open(`${path}?logs_flushed=1`);
      await server.waitFor('the later request in the log', () =>
        server.stdout.includes('?logs_flushed=[redacted]'),
      );
      const logs = server.stdout + server.stderr;
      assert.ok(logs.includes('/points/pay/[redacted]/verify'), 'request logs were written');
      assert.ok(!logs.includes(token), 'the verification token reached the logs');
      assert.ok(
        !new RegExp(`(?<![\\d.])${code}(?![\\d.])`).test(logs),
        'the code reached the logs',
      );
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
