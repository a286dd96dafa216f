// Proves, against a started `unwind serve` on each store, that every face that takes an amount or
// points figure stores one exactly at its bound and refuses one minor unit (or point) above it
// with a 422 in the face's own validation shape naming the field, writing nothing: admin orders,
// operations, settings and wallets; Points earnings, checkouts, refunds and the hosted page;
// Backd orders, updates and refunds; MPG's own documented maximum. The reproduction of issue 13
// (a Points earning of 90,071,992,547,409.91 SAR) is among them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const A = 1_000_000_000_000; // BOUNDS.amountMinorMax, written out: the documented figure
const P = 10_000_000_000_000; // BOUNDS.orderPointsMax
const W = 100_000_000_000_000; // BOUNDS.walletPointsMax
const AT_BOUND_SAR = '10000000000.00';
const ABOVE_SAR = '10000000000.01';

const product = (price: string) => [{ product_name: 'Gold', product_price: price, quantity: 1 }];
const earning = (orderNumber: string, price: string, extra: Record<string, unknown> = {}) => ({
  phone_number: '0500000001',
  total_price: price,
  order_number: orderNumber,
  products: product('1.00'),
  ...extra,
});

function suite(factory: StoreFactory, skip?: string) {
  describe(`bounds at every face, over HTTP: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let s: ServerProcess;
    let merchantId = '';
    let keys: {
      points: { api_key: string; public_key: string };
      backd: { public_key: string; secret_key: string };
      mpg: { api_key: string };
    };

    before(async () => {
      store = await factory.create();
      s = await startServer({ env: { ...store.env, UNWIND_TEST_CLOCK: '1' }, logLevel: 'warn' });
      const m = await s.call('POST', '/admin/merchants', { name: 'Bounded Shop' }, 201);
      merchantId = m.id;
      keys = m.credentials;
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    const points = (path: string, body: unknown) =>
      s.http('POST', `/points/api${path}`, body, {
        token: null,
        headers: { 'x-api-key': keys.points.api_key },
      });
    const backd = (path: string, body: unknown) =>
      s.http('POST', `/backd${path}`, body, {
        token: null,
        headers: {
          authorization: `Basic ${Buffer.from(`${keys.backd.public_key}:${keys.backd.secret_key}`).toString('base64')}`,
        },
      });
    /** Orders found by this order number (or Backd merchant_order_id): 0, nothing was written. */
    const ordersNumbered = async (orderNumber: string) =>
      (await s.call('GET', `/admin/orders?q=${orderNumber}`, undefined, 200)).data.length;

    it('Points: the reproduction and every amount field, at and above the bound', async () => {
      const repro = await points('/v1/orders/earning', earning('repro', '90071992547409.91'));
      assert.equal(repro.status, 422, JSON.stringify(repro.body));
      assert.deepEqual(repro.body.errors, {
        total_price: ['The total price must not be greater than 10000000000.00.'],
      });
      assert.equal(await ordersNumbered('repro'), 0);
      const wallet = await s.http('GET', '/admin/points/customers/500000001');
      assert.equal(wallet.status, 404, 'a refused earning creates no wallet');
      // The customer's account is activated, so the earnings below are awarded, not queued.
      const opened = await s.http('POST', '/admin/points/customers', {
        phone_number: '500000001',
        balance: 0,
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));

      const top = await points('/v1/orders/earning', earning('top', AT_BOUND_SAR));
      assert.equal(top.status, 200, JSON.stringify(top.body));
      assert.equal(top.body.data.total_price, 10_000_000_000);
      assert.equal(await ordersNumbered('top'), 1);
      // 10,000,000,000 SAR at the default 10 points per SAR.
      assert.equal(top.body.data.total_points, 100_000_000_000);

      for (const [field, body] of [
        ['total_price', earning('over-1', ABOVE_SAR)],
        ['shipping_amount', earning('over-2', '1.00', { shipping_amount: ABOVE_SAR })],
        ['tax_amount', earning('over-3', '1.00', { tax_amount: ABOVE_SAR })],
        ['discount_amount', earning('over-4', '1.00', { discount_amount: ABOVE_SAR })],
        ['products.0.product_price', earning('over-5', '1.00', { products: product(ABOVE_SAR) })],
      ] as const) {
        const refused = await points('/v1/orders/earning', body);
        assert.equal(refused.status, 422, field);
        assert.deepEqual(Object.keys(refused.body.errors), [field]);
        assert.equal(await ordersNumbered(body.order_number), 0);
      }

      const refund = await points(`/v1/orders/${top.body.data.uuid}/refund`, {
        amount: ABOVE_SAR,
      });
      assert.equal(refund.status, 422);
      assert.deepEqual(refund.body.errors, {
        amount: ['The amount must not be greater than 10000000000.00.'],
      });

      const checkout = (price: string, orderNumber: string) =>
        s.http(
          'POST',
          `/points/api/v1/orders/checkout/${keys.points.public_key}`,
          { total_price: price, order_number: orderNumber },
          { token: null },
        );
      const refusedCheckout = await checkout(ABOVE_SAR, 'c-over');
      assert.deepEqual(
        [refusedCheckout.status, Object.keys(refusedCheckout.body.errors)],
        [422, ['total_price']],
      );
      const open = await checkout(AT_BOUND_SAR, 'c-top');
      assert.equal(open.status, 200);
      // The hosted page: redeem_points is held to the points bound before anything else.
      const page = new URL(open.body.data.checkout_url).pathname;
      const pay = await s.http(
        'POST',
        page,
        // Any token: the bound is checked with the body, before the token is looked at.
        { verification_token: 'x'.repeat(43), redeem_points: P + 1 },
        { token: null, headers: { accept: 'application/json' } },
      );
      assert.equal(pay.status, 422);
      assert.deepEqual(pay.body.errors, {
        redeem_points: ['The redeem points must be between 0 and 10000000000000.'],
      });
    });

    it('admin: orders, operations, settings and wallets, at and above the bound', async () => {
      const top = await s.call(
        'POST',
        '/admin/orders',
        { merchant_id: merchantId, amount_minor: A, capture: 'authorize', order_number: 'a-top' },
        201,
      );
      assert.equal(top.amount, AT_BOUND_SAR);
      const issueAt = (body: { error: { issues?: { path: string }[] } }) =>
        body.error.issues?.map((i) => i.path);
      const over = await s.http('POST', '/admin/orders', {
        merchant_id: merchantId,
        amount_minor: A + 1,
        order_number: 'a-over',
      });
      assert.equal(over.status, 422);
      assert.deepEqual(issueAt(over.body), ['amount_minor']);
      assert.equal(await ordersNumbered('a-over'), 0);
      for (const operation of ['capture', 'void', 'refund']) {
        const refused = await s.http('POST', `/admin/orders/${top.id}/${operation}`, {
          amount_minor: A + 1,
        });
        assert.equal(refused.status, 422, operation);
        assert.deepEqual(issueAt(refused.body), ['amount_minor']);
      }
      const captured = await s.call(
        'POST',
        `/admin/orders/${top.id}/capture`,
        { amount_minor: A },
        200,
      );
      assert.equal(captured.captured_minor, A);

      const settings = (value: unknown) =>
        s.http('PATCH', `/admin/merchants/${merchantId}`, { settings: { points_per_unit: value } });
      assert.equal((await settings(1000)).status, 200);
      for (const value of [1000.0001, 1e-7, 2.00001]) {
        const refused = await settings(value);
        assert.equal(refused.status, 422, String(value));
        assert.deepEqual(issueAt(refused.body), ['settings.points_per_unit']);
      }
      assert.equal((await settings(10)).status, 200);

      const seed = (balance: number) =>
        s.http('POST', '/admin/points/customers', { phone_number: '0500000003', balance });
      for (const balance of [W + 1, -W - 1]) {
        const refused = await seed(balance);
        assert.equal(refused.status, 422);
        assert.deepEqual(issueAt(refused.body), ['balance']);
      }
      assert.equal((await s.http('GET', '/admin/points/customers/500000003')).status, 404);
      assert.equal((await seed(W)).status, 201);
      assert.equal((await seed(-W)).status, 201);
    });

    it('Backd: order amounts, items, updates and refunds, at and above the bound', async () => {
      const order = (total: number, extra: Record<string, unknown> = {}) => ({
        order_total: total,
        cart_amount: total,
        merchant_order_id: `b-${total}`,
        billing: {
          name: { first: 'Ada', last: 'Lovelace' },
          company_name: 'Engines',
          address: { line1: '1', city: 'Riyadh', state: 'RI', zipcode: '11564', country: 'SA' },
          phone_number: '+966500000000',
          email: 'ada@example.com',
        },
        items: [{ display_name: 'Gold', sku: 'G', unit_price: 1, qty: 1 }],
        mode: {
          type: 'redirect',
          order_success_url: 'https://shop.example/ok',
          order_close_url: 'https://shop.example/close',
        },
        ...extra,
      });
      const top = await backd('/create_order', order(10_000_000_000));
      assert.equal(top.status, 200, JSON.stringify(top.body));
      assert.equal(top.body.data.order_total, 10_000_000_000);
      const over = await backd('/create_order', order(10_000_000_000.01));
      assert.equal(over.status, 422);
      assert.match(over.body.message, /order_total: Must not be greater than 10000000000\.00/);
      assert.match(over.body.message, /cart_amount: Must not be greater than 10000000000\.00/);
      assert.equal(await ordersNumbered('b-10000000000'), 1);
      assert.equal(await ordersNumbered('b-10000000000.01'), 0);
      const item = await backd(
        '/create_order',
        order(10, { items: [{ display_name: 'G', sku: 'G', unit_price: 1e11, qty: 1 }] }),
      );
      assert.equal(item.status, 422);
      assert.match(item.body.message, /items\.0\.unit_price: Must not be greater than/);
      const ids = {
        backd_order_id: top.body.data.backd_order_id,
        merchant_order_id: 'b-10000000000',
      };
      const update = await backd('/update_order', { ...ids, order_total: 10_000_000_000.01 });
      assert.equal(update.status, 422);
      assert.match(update.body.message, /order_total: Must not be greater than/);
      const refund = await backd('/refund', { ...ids, refund_amount: 10_000_000_000.01 });
      assert.equal(refund.status, 422);
      assert.match(refund.body.message, /refund_amount: Must not be greater than/);
    });

    it('MPG: its documented maximum, 100000000, at every amount and filter', async () => {
      const body = (amount: number) => ({
        amount,
        currency: 'SAR',
        description: 'Bounds',
        source: {
          type: 'card',
          number: '4242424242424242',
          month: 12,
          year: 2035,
          security_code: '123',
        },
        device: { user_agent: 'test', ip_address: '192.0.2.1' },
      });
      const mpg = (path: string, payload: unknown) =>
        s.http('POST', `/mpg${path}`, payload, { token: keys.mpg.api_key });
      const top = await mpg('/v1/orders/authorize', body(100_000_000));
      assert.equal(top.status, 200, JSON.stringify(top.body));
      const over = await mpg('/v1/orders/purchase', body(100_000_001));
      assert.deepEqual(
        [over.status, over.body.errors],
        [422, { amount: ['The value must be less than or equal to 100000000.'] }],
      );
      const capture = await mpg(`/v1/orders/${top.body.id}/capture`, { amount: 100_000_001 });
      assert.deepEqual(capture.body.errors, {
        amount: ['The value must be less than or equal to 100000000.'],
      });
      const list = (query: string) =>
        s.http('GET', `/mpg/v1/orders?${query}`, undefined, { token: keys.mpg.api_key });
      const filtered = await list('amount[gte]=100000000&amount[lte]=100000000');
      assert.deepEqual(
        filtered.body.orders.map((o: { id: string }) => o.id),
        [top.body.id],
      );
      // The same figure in another notation is not a number in decimal digits.
      for (const query of ['amount[lte]=100000001', 'amount[lte]=1e8', 'amount[gte]=0x5F5E100']) {
        const refused = await list(query);
        assert.equal(refused.status, 422, query);
      }
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
