// Proves, against a started `unwind serve` on each store, the bounds that many in-bound requests
// could otherwise pass together: a customer wallet shared by two merchants refuses the earning,
// the return and the reversal that would take it past ±10^14 points, inside the transaction and
// writing nothing, while other customers and merchants keep working and `unwind verify` finds the
// ledger sound; /admin/stats/daily sums a day of refunds past 2^53 exactly; and a figure stored
// past 2^53 around the code is refused with a logged assertion naming it, never read as a wrong
// number, and reported exactly by `unwind verify`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  killAllServers,
  runCli,
  type ServerProcess,
  startServer,
} from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';
import { outboxCode, processCall } from '../support/points.js';
import { insertRefundsAtTheBound } from '../support/rows.js';

const A = 1_000_000_000_000; // BOUNDS.amountMinorMax
const W = 100_000_000_000_000; // BOUNDS.walletPointsMax
const X = '500000010';
const FULL = "The customer's points balance would leave its bounds.";

function suite(factory: StoreFactory, skip?: string) {
  describe(`wallet, stats and reader bounds, over HTTP: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let s: ServerProcess;
    const keys: Record<'a' | 'b', { api: string; public: string; id: string }> = {
      a: { api: '', public: '', id: '' },
      b: { api: '', public: '', id: '' },
    };

    before(async () => {
      store = await factory.create();
      s = await startServer({ env: { ...store.env, UNWIND_TEST_CLOCK: '1' } });
      for (const name of ['a', 'b'] as const) {
        // Their checkouts wait for the merchant's /complete, which this suite sends.
        const settings = { checkout_capture: 'manual' };
        const m = await s.call('POST', '/admin/merchants', { name: `Shop ${name}`, settings }, 201);
        keys[name] = {
          api: m.credentials.points.api_key,
          public: m.credentials.points.public_key,
          id: m.id,
        };
      }
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    const points = (shop: 'a' | 'b', path: string, body: unknown = {}) =>
      s.http('POST', `/points/api${path}`, body, {
        token: null,
        headers: { 'x-api-key': keys[shop].api },
      });
    const earn = (shop: 'a' | 'b', orderNumber: string, price: string, phone = X) =>
      points(shop, '/v1/orders/earning', {
        phone_number: phone,
        total_price: price,
        order_number: orderNumber,
        products: [{ product_name: 'Gold', product_price: price, quantity: 1 }],
      });
    const wallet = async () => s.call('GET', `/admin/points/customers/${X}`, undefined, 200);
    const seed = (balance: number) =>
      s.call('POST', '/admin/points/customers', { phone_number: X, balance }, 201);

    it('a shared wallet refuses what would pass its bound; everyone else keeps working', async () => {
      await seed(W - 1000);
      const toTheBound = await earn('a', 'x-1', '100.00');
      assert.equal(toTheBound.status, 200, JSON.stringify(toTheBound.body));
      assert.equal((await wallet()).balance, W);

      const entries = (await wallet()).ledger.length;
      const past = await earn('a', 'x-2', '0.10');
      assert.deepEqual(
        [past.status, past.body.errors],
        [
          422,
          {
            phone_number: [
              "The customer's points balance must not be greater than 100000000000000.",
            ],
          },
        ],
      );
      const rating = await points('b', '/v1/orders/earning/store-rating', {
        phone_number: X,
        review_reference: 'r-1',
      });
      assert.deepEqual(Object.keys(rating.body.errors ?? {}), ['phone_number']);
      assert.equal((await s.call('GET', '/admin/orders?q=x-2', undefined, 200)).data.length, 0);
      assert.deepEqual([(await wallet()).balance, (await wallet()).ledger.length], [W, entries]);

      // Other customers, other merchants, reads and the hosted page all keep working.
      assert.equal((await earn('b', 'y-1', '10.00', '0500000011')).status, 200);
      assert.equal((await earn('a', 'y-2', '10.00', '0500000011')).status, 200);
      const begun = await s.http(
        'POST',
        `/points/api/v1/orders/checkout/${keys.b.public}`,
        { total_price: '100.00', order_number: 'c-1' },
        { token: null },
      );
      const page = new URL(begun.body.data.checkout_url).pathname;
      const json = { token: null, headers: { accept: 'application/json' } };
      // The customer proves the phone; the verified page shows the full wallet.
      const sent = await s.http('POST', `${page}/code`, { phone_number: `0${X}` }, json);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const code = await outboxCode(processCall(s, true), page);
      const shown = await s.http('POST', `${page}/verify`, { code }, json);
      assert.equal(shown.status, 200, JSON.stringify(shown.body));
      assert.equal(shown.body.data.customer.balance, W);

      // Spend 100, earn 100 back: the wallet is full again, so returning the spent points is
      // refused on every face, and the order stays as it was.
      const token = String(shown.body.data.verification_token);
      const paid = await s.http(
        'POST',
        page,
        { verification_token: token, redeem_points: 100 },
        json,
      );
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      const replacing = paid.body.order_uuid as string;
      assert.equal((await earn('a', 'x-3', '10.00')).status, 200);
      assert.equal((await points('b', `/v1/orders/${replacing}/complete`)).status, 200);
      const refund = await points('b', `/v1/orders/${replacing}/refund`);
      assert.deepEqual([refund.status, refund.body.message], [400, FULL]);
      const admin = await s.http('POST', `/admin/orders/${replacing}/refund`, {});
      assert.equal(admin.status, 409);
      assert.equal(admin.body.error.code, 'points.balance_out_of_bounds');
      assert.deepEqual(admin.body.error.details, { balance: W, change: 100, limit: W });
      const order = await s.call('GET', `/admin/orders/${replacing}`, undefined, 200);
      assert.deepEqual([order.status, order.refunded_minor], ['captured', 0]);

      // The other end: a reversal may take a wallet below zero, but not past −10^14.
      await seed(-W + 500);
      const earned = (await s.call('GET', '/admin/orders?q=x-1', undefined, 200)).data[0].id;
      const whole = await points('a', `/v1/orders/${earned}/refund`);
      assert.deepEqual([whole.status, whole.body.message], [400, FULL]);
      const half = await points('a', `/v1/orders/${earned}/refund`, { amount: '50.00' });
      assert.equal(half.status, 200, JSON.stringify(half.body));
      assert.equal((await wallet()).balance, -W);

      const verify = await runCli(['verify'], store.env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    });

    it('/admin/stats/daily sums a day of refunds past 2^53 exactly', async () => {
      const shop = await s.call('POST', '/admin/merchants', { name: 'Busy day' }, 201);
      const o = await s.call(
        'POST',
        '/admin/orders',
        { merchant_id: shop.id, amount_minor: A },
        201,
      );
      await s.call('POST', `/admin/orders/${o.id}/refund`, {}, 200);
      const now = Date.parse((await s.call('GET', '/admin/clock', undefined, 200)).now);
      // 9008 more refund rows of the same day, each within the bound, written around the code.
      await insertRefundsAtTheBound(
        store,
        { orderId: o.id, merchantId: shop.id, at: now },
        9008,
        'busy',
      );
      const day = new Date(now).toISOString().slice(0, 10);
      const stats = await s.call(
        'GET',
        `/admin/stats/daily?from=${day}&to=${day}&merchant_id=${shop.id}`,
        undefined,
        200,
      );
      // 9009 × 10^12 − 1 = 9,008,999,999,999,999: odd and past 2^53, so no double holds it.
      assert.deepEqual(stats.days[0].refunds, {
        count: 9009,
        amounts: [
          { currency: 'SAR', amount_minor: '9008999999999999', amount: '90089999999999.99' },
        ],
      });
      // Every merchant's: the half refund of the first test (50.00 SAR) is on the same day.
      const everyone = await s.call(
        'GET',
        `/admin/stats/daily?from=${day}&to=${day}`,
        undefined,
        200,
      );
      assert.deepEqual(everyone.days[0].refunds.amounts, [
        { currency: 'SAR', amount_minor: '9009000000004999', amount: '90090000000049.99' },
      ]);
    });

    it('a figure stored past 2^53 is a logged assertion, never a wrong number', async () => {
      const phone = '500000099';
      await s.call('POST', '/admin/points/customers', { phone_number: phone, balance: 5 }, 201);
      // As if written before migration 14 existed: remove the second wall, then corrupt.
      await store.rawExec(
        factory.engine === 'sqlite'
          ? 'DROP TRIGGER points_customers_bounded_update'
          : 'ALTER TABLE points_customers DROP CONSTRAINT points_customers_bounded',
      );
      await store.rawExec(
        `UPDATE points_customers SET balance = 9007199254740993 WHERE phone = '${phone}'`,
      );
      const read = await s.http('GET', `/admin/points/customers/${phone}`);
      assert.equal(read.status, 500);
      await s.waitForLog('request failed');
      const logged = s.logs().find((l) => l['msg'] === 'request failed');
      const message = String((logged?.['err'] as { message?: string } | undefined)?.message);
      assert.equal(logged?.['assertion'], true);
      // SQLite's driver hands over the nearest double; PostgreSQL's text is exact.
      assert.match(
        message,
        factory.engine === 'sqlite'
          ? /column balance holds 9007199254740992, outside the safe integer range/
          : /database value 9007199254740993 is not an integer within ±9007199254740991/,
      );
      assert.equal((await earn('b', 'z-1', '1.00', '0500000012')).status, 200);

      const verify = await runCli(['verify'], store.env);
      assert.equal(verify.code, 1);
      assert.match(
        verify.stdout,
        /VIOLATION wallet 500000099: balance is 9007199254740993, outside -100000000000000\.\.100000000000000/,
      );
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
