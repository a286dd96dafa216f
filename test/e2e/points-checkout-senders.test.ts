// Proves, against real `unwind serve` processes on each store with the page's forms driven like a
// browser, the hosted checkout's edges beyond one session: a client address gets exactly
// UNWIND_CHECKOUT_ADDRESS_PER_HOUR code requests and checks, then 429 until 1 ms before the window
// ends and again from its end; with UNWIND_SMS_SENDER=http the code reaches a local gateway as the
// documented JSON with the bearer token (and not the outbox), and a failing gateway ends in a
// clear page, not a 500, logged without secrets; Points' sandbox numbers act as its sandbox
// accounts only for a merchant in sandbox mode (their codes kept in the outbox), and are ordinary
// numbers, sent through the gateway, for every other merchant.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CheckoutBrowser, formNamed, formsOf, textOf } from '../support/checkout-browser.js';
import {
  beginCheckout,
  codeOf,
  outboxOf,
  type PointsMerchant,
  pointsMerchant,
  requestCode,
  setClock,
  wrongCode,
} from '../support/checkout-steps.js';
import { headerOf, type Receiver, startReceiver } from '../support/receiver.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const START = Date.UTC(2026, 2, 2, 10);
const HOUR_MS = 3_600_000;
const GATEWAY_TOKEN = 'gateway-bearer-7f3a9c';
const NO_ACCOUNT = 'للاسف ما عندك حساب في بوينتس';

function suite(factory: StoreFactory, skip?: string) {
  describe(`Points hosted checkout senders and limits: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let limited: ServerProcess;
    let gatewayed: ServerProcess;
    let receiver: Receiver;

    before(async () => {
      store = await factory.create();
      receiver = await startReceiver();
      const common = { ...store.env, UNWIND_TEST_CLOCK: '1', UNWIND_WORKERS: '0' };
      [limited, gatewayed] = await Promise.all([
        startServer({ env: { ...common, UNWIND_CHECKOUT_ADDRESS_PER_HOUR: '3' } }),
        startServer({
          env: {
            ...common,
            UNWIND_SMS_SENDER: 'http',
            UNWIND_SMS_HTTP_URL: `${receiver.url}/sms`,
            UNWIND_SMS_HTTP_TOKEN: GATEWAY_TOKEN,
          },
          logLevel: 'debug',
        }),
      ]);
      await Promise.all([setClock(limited, START), setClock(gatewayed, START)]);
    });
    after(async () => {
      await killAllServers();
      await receiver?.close();
      await store?.cleanup();
    });

    it('gives one address 3 code requests and checks an hour, pages stay readable, again from the window end', async () => {
      const browser = new CheckoutBrowser(limited.url);
      const shop = await pointsMerchant(limited, 'Busy Shop');
      const path = await beginCheckout(limited, shop);
      let page = await requestCode(browser, path, '561111111');
      const code = await codeOf(limited, path);
      for (let i = 0; i < 2; i++) {
        page = await browser.submit(formNamed(page, 'Verify'), { code: wrongCode(code) });
        assert.equal(page.status, 400);
      }
      const fourth = await browser.submit(formNamed(page, 'Verify'), { code });
      assert.equal(fourth.status, 429);
      assert.equal(fourth.headers.get('retry-after'), '3600');
      assert.match(textOf(fourth), /Too many requests from this address/);
      assert.doesNotMatch(fourth.html, /Points balance/);
      const json = await limited.http(
        'POST',
        `${path}/code`,
        { phone_number: '561111112' },
        {
          token: null,
        },
      );
      assert.equal(json.status, 429);
      assert.equal(json.body.status, false);
      assert.equal((await browser.open(path)).status, 200, 'reading the page is not counted');

      await setClock(limited, START + HOUR_MS - 1);
      const still = await browser.post(`${path}/verify`, { code });
      assert.equal(still.status, 429);
      assert.equal(still.headers.get('retry-after'), '1');
      await setClock(limited, START + HOUR_MS);
      const again = await requestCode(browser, await beginCheckout(limited, shop), '561111113');
      assert.equal(again.status, 200, again.html);
    });

    it('sends the code to the gateway as documented JSON with the bearer token, not to the outbox', async () => {
      const browser = new CheckoutBrowser(gatewayed.url);
      const shop = await pointsMerchant(gatewayed, 'Gateway Shop');
      const path = await beginCheckout(gatewayed, shop);
      const before = receiver.requests.length;
      const codePage = await requestCode(browser, path, '0562222222');
      assert.equal(codePage.status, 200, codePage.html);
      const [sent] = receiver.requestsTo('/sms').slice(before);
      assert.ok(sent, 'the gateway got nothing');
      assert.equal(headerOf(sent, 'authorization'), `Bearer ${GATEWAY_TOKEN}`);
      assert.equal(headerOf(sent, 'content-type'), 'application/json');
      const body = JSON.parse(sent.body) as Record<string, string>;
      assert.deepEqual(Object.keys(body).sort(), ['code', 'expires_at', 'text', 'to']);
      assert.equal(body['to'], '+966562222222');
      assert.equal(body['expires_at'], new Date(START + 300_000).toISOString());
      assert.ok(body['text']!.includes(body['code']!));
      assert.deepEqual(await outboxOf(gatewayed, { phone: '562222222' }), []);
      const wallet = await browser.submit(formNamed(codePage, 'Verify'), { code: body['code']! });
      assert.equal(wallet.status, 200, wallet.html);
      assert.match(textOf(wallet), /Points balance for 0562222222: 0/);
    });

    it('answers a failing gateway with a clear page, logged without the token or the code', async () => {
      const browser = new CheckoutBrowser(gatewayed.url);
      const shop = await pointsMerchant(gatewayed, 'Flaky Gateway Shop');
      const path = await beginCheckout(gatewayed, shop);
      receiver.queue(503);
      const failed = await requestCode(browser, path, '0563333333');
      assert.equal(failed.status, 502);
      assert.match(textOf(failed), /The verification code could not be sent\. Try again\./);
      assert.equal(formsOf(failed.html)[0]?.button, 'Send code');
      const [attempt] = receiver.requestsTo('/sms').slice(-1);
      const code = (JSON.parse(attempt!.body) as { code: string }).code;
      await gatewayed.waitForLog('checkout code not sent');
      const line = gatewayed.logs().find((l) => l['msg'] === 'checkout code not sent')!;
      assert.equal(line['reason'], 'gateway answered HTTP 503');
      const logs = gatewayed.stdout + gatewayed.stderr;
      assert.ok(!logs.includes(GATEWAY_TOKEN), 'the gateway token reached the logs');
      assert.ok(!new RegExp(`(?<![\\d.])${code}(?![\\d.])`).test(logs), 'the code was logged');
      // The customer asks again and the gateway takes it.
      const retried = await requestCode(browser, path, '0563333333');
      assert.equal(retried.status, 200, retried.html);
    });

    describe('sandbox numbers', () => {
      let ordinary: PointsMerchant;
      let sandbox: PointsMerchant;
      let browser: CheckoutBrowser;
      before(async () => {
        browser = new CheckoutBrowser(gatewayed.url);
        ordinary = await pointsMerchant(gatewayed, 'Live Shop');
        sandbox = await pointsMerchant(gatewayed, 'Sandbox Shop', { sandbox: true });
      });

      /** Phone to wallet page; the code from wherever it went (gateway or outbox). */
      const verify = async (m: PointsMerchant, phone: string, via: 'gateway' | 'outbox') => {
        const path = await beginCheckout(gatewayed, m);
        const seen = receiver.requestsTo('/sms').length;
        const codePage = await requestCode(browser, path, phone);
        assert.equal(codePage.status, 200, codePage.html);
        const atGateway = receiver.requestsTo('/sms').slice(seen);
        assert.equal(atGateway.length, via === 'gateway' ? 1 : 0, `expected the ${via}`);
        const code =
          via === 'gateway'
            ? (JSON.parse(atGateway[0]!.body) as { code: string }).code
            : await codeOf(gatewayed, path);
        return { path, page: await browser.submit(formNamed(codePage, 'Verify'), { code }) };
      };

      it('are ordinary numbers at a merchant not in sandbox mode', async () => {
        for (const phone of ['500000001', '500000003']) {
          const { page } = await verify(ordinary, phone, 'gateway');
          assert.equal(page.status, 200, page.html);
          assert.match(textOf(page), new RegExp(`Points balance for 0${phone}: 0`));
          assert.doesNotMatch(page.html, new RegExp(NO_ACCOUNT));
        }
      });

      it('act as Points sandbox accounts in sandbox mode, their codes kept in the outbox', async () => {
        const rich = await verify(sandbox, '500000001', 'outbox');
        assert.match(textOf(rich.page), /Points balance for 0500000001: 10000/);
        const paid = await browser.submit(formNamed(rich.page, 'Confirm'), {
          redeem_points: '2000',
        });
        assert.equal(paid.status, 303, paid.html);
        const wallet = await gatewayed.call(
          'GET',
          '/admin/points/customers/500000001',
          undefined,
          200,
        );
        assert.equal(wallet.balance, 8000);

        const empty = await verify(sandbox, '500000002', 'outbox');
        assert.match(textOf(empty.page), /Points balance for 0500000002: 0/);

        const none = await verify(sandbox, '500000003', 'outbox');
        assert.equal(none.page.status, 200);
        // The English page says Points' Arabic sentence in English (the Arabic page says it as is).
        assert.match(textOf(none.page), /Unfortunately, you have no Points account\./);
        assert.doesNotMatch(none.page.html, /Points balance|Confirm/);
        const spend = await browser.post(none.path, {
          verification_token: 'x',
          redeem_points: '0',
        });
        assert.equal(spend.status, 403);
        const json = await gatewayed.http(
          'POST',
          `${none.path}/code`,
          { phone_number: '500000003' },
          {
            token: null,
          },
        );
        assert.equal(json.status, 200);
        const code = await codeOf(gatewayed, none.path);
        const answer = await gatewayed.http(
          'POST',
          `${none.path}/verify`,
          { code },
          { token: null },
        );
        assert.deepEqual(answer.body, { status: false, message: NO_ACCOUNT, appended_data: {} });
        assert.equal(answer.status, 404);
      });
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
