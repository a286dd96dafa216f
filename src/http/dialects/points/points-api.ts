/**
 * Proves the Points face over HTTP against its documented contract (provider-apis.md §1,
 * decisions.md "Points"): golden request/response shapes and exact messages, every refusal of the
 * state-machine table, validation (422) with Laravel messages, ownership (404), the hosted
 * checkout, customers' wallets, concurrency (refund races, the earning lock) and the webhooks
 * API, by injecting requests into the real server on a real store; the `.sqlite` and
 * `.postgres` test files run this one suite on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import type { StoreFactory } from '../../../../test/support/stores.js';
import { appCall, payAtCheckout, sessionOf } from '../../../../test/support/points.js';

const DAY_S = 86_400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Merchant {
  id: string;
  apiKey: string;
  publicKey: string;
}

interface OrderData {
  id: number;
  uuid: string;
  reference_number: string | null;
  order_status: string;
  order_number: string;
  type: number;
  total_price: number;
  total_points: number;
  metadata: unknown;
  status: number | null;
  status_label: string | null;
  custom_status: { ar: string | null; en: string | null } | null;
  created_at: string;
  updated_at: string;
  items?: { product_name: string; product_price: number; quantity: number }[];
}

interface Wallet {
  balance: number;
  ledger: { type: string; points: number; balance_after: number; order_id: string | null }[];
}

export function definePointsApiSuite(factory: StoreFactory, skip?: string): void {
  describe(`Points API: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let phoneSeq = 0;
    before(async () => {
      t = await startTestApp(factory);
    });
    after(async () => {
      await t?.close();
    });

    const inject = (options: InjectOptions) => t.app.inject(options);
    const newPhone = () => `5${String(10_000_000 + ++phoneSeq * 7919).padStart(8, '0')}`;

    async function merchant(settings: Record<string, unknown> = {}): Promise<Merchant> {
      const res = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { name: 'Shop', settings },
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as {
        id: string;
        credentials: { points: { api_key: string; public_key: string } };
      };
      return {
        id: body.id,
        apiKey: body.credentials.points.api_key,
        publicKey: body.credentials.points.public_key,
      };
    }

    const api = (
      m: Merchant,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      path: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) =>
      inject({
        method,
        url: `/points/api/v1${path}`,
        headers: { 'x-api-key': m.apiKey, ...headers },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });

    const data = (res: LightMyRequestResponse): OrderData => {
      const body = res.json() as { status: boolean; message: string; data: OrderData };
      assert.equal(body.status, true, res.body);
      return body.data;
    };

    function assertError(res: LightMyRequestResponse, status: number, message: string): void {
      assert.equal(res.statusCode, status, res.body);
      assert.deepEqual(res.json(), { status: false, message, appended_data: {} });
    }

    function assertInvalid(res: LightMyRequestResponse, errors: Record<string, string[]>): void {
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(res.json(), {
        status: false,
        message: 'The given data was invalid.',
        appended_data: {},
        errors,
      });
    }

    const earn = (m: Merchant, body: Record<string, unknown> = {}) =>
      api(m, 'POST', '/orders/earning', {
        phone_number: '0500000002',
        total_price: 150.75,
        order_number: `ORD-${++phoneSeq}`,
        products: [{ product_name: 'Perfume', product_price: 150.75, quantity: 1 }],
        ...body,
      });

    const wallet = async (phone: string): Promise<Wallet> => {
      const res = await t.admin({ method: 'GET', url: `/admin/points/customers/${phone}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Wallet;
    };

    const seed = async (phone: string, balance: number) => {
      const res = await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: phone, balance },
      });
      assert.equal(res.statusCode, 201, res.body);
    };

    /** A replacing order created through the hosted checkout, `new` until the merchant acts. */
    async function redeemOrder(
      m: Merchant,
      totalPrice: number,
      redeemPoints: number,
      phone = newPhone(),
    ): Promise<{ uuid: string; phone: string }> {
      if (redeemPoints > 0) await seed(phone, redeemPoints);
      const checkout = await inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${m.publicKey}`,
        payload: { total_price: totalPrice, order_number: `CO-${++phoneSeq}` },
      });
      assert.equal(checkout.statusCode, 200, checkout.body);
      const url = new URL(
        (checkout.json() as { data: { checkout_url: string } }).data.checkout_url,
      );
      const paid = await payAtCheckout(appCall(t), appCall(t, true), url.pathname, {
        phoneNumber: phone,
        redeemPoints,
      });
      return { uuid: paid.order_uuid, phone };
    }

    describe('authentication', () => {
      it('answers 400 with Points messages for a missing, wrong or rotated key', async () => {
        const m = await merchant();
        const missing = await inject({ method: 'GET', url: '/points/api/v1/webhooks' });
        assertError(missing, 400, 'API key is required');
        const wrong = await inject({
          method: 'GET',
          url: '/points/api/v1/webhooks',
          headers: { 'x-api-key': 'pts_sk_nope' },
        });
        assertError(wrong, 400, 'Invalid or inactive API key');
        // The public key is not a private key.
        const publicAsPrivate = await inject({
          method: 'GET',
          url: '/points/api/v1/webhooks',
          headers: { 'x-api-key': m.publicKey },
        });
        assertError(publicAsPrivate, 400, 'Invalid or inactive API key');
        assert.equal((await api(m, 'GET', '/webhooks')).statusCode, 200);
        const rotated = await t.admin({
          method: 'POST',
          url: `/admin/merchants/${m.id}/credentials`,
          payload: { dialect: 'points' },
        });
        assert.equal(rotated.statusCode, 201, rotated.body);
        assertError(await api(m, 'GET', '/webhooks'), 400, 'Invalid or inactive API key');
      });

      it('applies the IP allow-list after the key with 403; checkout is exempt', async () => {
        const m = await merchant({ ip_allow_list: ['203.0.113.7'] });
        const blocked = await inject({
          method: 'GET',
          url: '/points/api/v1/webhooks',
          headers: { 'x-api-key': m.apiKey },
          remoteAddress: '198.51.100.1',
        });
        assertError(blocked, 403, 'Your IP address is not allowed to access this API.');
        const allowed = await inject({
          method: 'GET',
          url: '/points/api/v1/webhooks',
          headers: { 'x-api-key': m.apiKey },
          remoteAddress: '203.0.113.7',
        });
        assert.equal(allowed.statusCode, 200, allowed.body);
        // A wrong key from a blocked address is an auth failure first.
        const wrongKey = await inject({
          method: 'GET',
          url: '/points/api/v1/webhooks',
          headers: { 'x-api-key': 'pts_sk_nope' },
          remoteAddress: '198.51.100.1',
        });
        assertError(wrongKey, 400, 'Invalid or inactive API key');
        const checkout = await inject({
          method: 'POST',
          url: `/points/api/v1/orders/checkout/${m.publicKey}`,
          payload: { total_price: 10, order_number: 'IP-1' },
          remoteAddress: '198.51.100.1',
        });
        assert.equal(checkout.statusCode, 200, checkout.body);
        const empty = await merchant({ ip_allow_list: [] });
        const none = await inject({
          method: 'GET',
          url: '/points/api/v1/webhooks',
          headers: { 'x-api-key': empty.apiKey },
          remoteAddress: '203.0.113.7',
        });
        assertError(none, 403, 'Your IP address is not allowed to access this API.');
      });
    });

    describe('earning', () => {
      it('golden: creates an approved earning order with floor(price × points_per_sar) points', async () => {
        const m = await merchant();
        const phone = newPhone();
        const res = await api(m, 'POST', '/orders/earning', {
          phone_number: `+966${phone}`,
          name: 'Ahmed',
          total_price: 150.75,
          order_number: '#ORD-2024-0001',
          shipping_amount: 15,
          tax_amount: '19.66',
          products: [
            { product_name: 'Perfume', product_price: '100.75', quantity: 1 },
            { product_name: 'Soap', product_price: 25, quantity: 2 },
          ],
          metadata: { channel: 'web' },
        });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as Record<string, unknown>;
        assert.deepEqual(Object.keys(body), ['status', 'message', 'appended_data', 'data']);
        assert.equal(body['message'], '');
        assert.deepEqual(body['appended_data'], {});
        const order = data(res);
        assert.equal(typeof order.id, 'number');
        assert.match(order.uuid, UUID);
        assert.match(order.reference_number ?? '', /^REF-2026-\d{6}$/);
        assert.equal(order.order_status, 'approved');
        assert.equal(order.order_number, 'ORD-2024-0001'); // the leading # is stripped
        assert.equal(order.type, 1);
        assert.equal(order.total_price, 150.75);
        assert.equal(order.total_points, 1507);
        assert.deepEqual(order.metadata, { channel: 'web' });
        assert.equal(order.created_at, '2026-11-23T12:00:00.000000Z');
        assert.deepEqual(order.items, [
          { product_name: 'Perfume', product_price: 100.75, quantity: 1 },
          { product_name: 'Soap', product_price: 25, quantity: 2 },
        ]);
        assert.equal((await wallet(phone)).balance, 1507);
        const read = await api(m, 'GET', `/orders/${order.uuid}`);
        assert.deepEqual(data(read), order);
      });

      it('uses the merchant points_per_sar and never rounds up', async () => {
        const m = await merchant({ points_per_unit: 20 });
        assert.equal(data(await earn(m, { total_price: '0.09' })).total_points, 1);
        assert.equal(data(await earn(m, { total_price: 200 })).total_points, 4000);
      });

      it('a repeated order_number returns the first order and awards nothing twice', async () => {
        const m = await merchant();
        const phone = newPhone();
        const first = data(await earn(m, { phone_number: phone, order_number: 'DUP-1' }));
        const again = data(await earn(m, { phone_number: phone, order_number: 'DUP-1' }));
        assert.equal(again.uuid, first.uuid);
        assert.equal((await wallet(phone)).balance, 1507);
        const other = await earn(m, {
          phone_number: phone,
          order_number: 'DUP-1',
          total_price: 10,
        });
        assertInvalid(other, { order_number: ['The order number has already been taken.'] });
      });

      it('rating channels award flat points once per review_reference', async () => {
        const m = await merchant();
        const phone = newPhone();
        const store = await api(m, 'POST', '/orders/earning/store-rating', {
          phone_number: phone,
          review_reference: 'rev-1',
          rating: 5,
        });
        const order = data(store);
        assert.equal(order.order_status, 'approved');
        assert.equal(order.total_price, 0);
        assert.equal(order.total_points, 50);
        assert.equal(order.order_number, 'rev-1');
        const again = await api(m, 'POST', '/orders/earning/store-rating', {
          phone_number: phone,
          review_reference: 'rev-1',
        });
        assertInvalid(again, {
          review_reference: ['The review reference has already been taken.'],
        });
        const product = await api(m, 'POST', '/orders/earning/product-rating', {
          phone_number: phone,
          review_reference: 'rev-1',
          product_id: 42,
        });
        assert.equal(data(product).total_points, 25);
        assertInvalid(
          await api(m, 'POST', '/orders/earning/product-rating', {
            phone_number: phone,
            review_reference: 'rev-2',
            rating: 9,
          }),
          {
            rating: ['The rating must be between 1 and 5.'],
            product_id: ['The product id field is required.'],
          },
        );
        assert.equal((await wallet(phone)).balance, 75);
        // A flat award has no money to refund and cannot be cancelled.
        assertError(
          await api(m, 'POST', `/orders/${order.uuid}/refund`, {}),
          400,
          'Refund amount exceeds the refundable amount.',
        );
        assertError(
          await api(m, 'POST', `/orders/${order.uuid}/cancel`, {}),
          400,
          'Order cannot be cancelled. Use refund for settled orders.',
        );
      });

      it('concurrent earning for one merchant: 429s for the losers and never a double award', async () => {
        const m = await merchant();
        const phone = newPhone();
        const results = await Promise.all(
          Array.from({ length: 10 }, () =>
            earn(m, { phone_number: phone, order_number: 'RACE-1', total_price: 10 }),
          ),
        );
        const ok = results.filter((r) => r.statusCode === 200);
        const busy = results.filter((r) => r.statusCode === 429);
        assert.equal(ok.length + busy.length, 10);
        assert.ok(ok.length >= 1, 'one request wins');
        // Requests overlap while they wait for the database (PostgreSQL's row lock, SQLite's
        // group commit queue): the losers are refused at once, as Points documents.
        assert.ok(busy.length >= 1, `ok ${ok.length}, busy ${busy.length}`);
        for (const r of busy) {
          assertError(r, 429, 'Too many concurrent requests for the same merchant.');
        }
        assert.equal(new Set(ok.map((r) => data(r).uuid)).size, 1);
        assert.equal((await wallet(phone)).balance, 100);
        const entries = (await wallet(phone)).ledger.filter((e) => e.type === 'award');
        assert.equal(entries.length, 1);
      });

      it('the earning lock is held per transaction, cluster-wide on PostgreSQL', async () => {
        const m = await merchant();
        // The merchant's lock row exists once it has earned (created committed, here).
        assert.equal(await t.deps.store.transaction((tx) => tx.tryLockPointsMerchant(m.id)), true);
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let taken!: () => void;
        const first = new Promise<void>((resolve) => (taken = resolve));
        const holder = t.deps.store.transaction(async (tx) => {
          assert.equal(await tx.tryLockPointsMerchant(m.id), true);
          taken();
          await held;
        });
        await first;
        if (factory.engine === 'postgres') {
          // Another connection (another process, in production) is refused at once.
          const other = await t.deps.store
            .transaction((tx) => tx.tryLockPointsMerchant(m.id))
            .finally(release);
          await holder;
          assert.equal(other, false);
        } else {
          // SQLite serialises writers: the second transaction waits, then gets the lock.
          const other = t.deps.store.transaction((tx) => tx.tryLockPointsMerchant(m.id));
          release();
          await holder;
          assert.equal(await other, true);
        }
        const later = await t.deps.store.transaction((tx) => tx.tryLockPointsMerchant(m.id));
        assert.equal(later, true);
      });
    });

    describe('validation (422, Laravel messages)', () => {
      it('reports missing fields, wrong types and bad phones with field keys', async () => {
        const m = await merchant();
        assertInvalid(await api(m, 'POST', '/orders/earning', {}), {
          phone_number: ['The phone number field is required.'],
          total_price: ['The total price field is required.'],
          order_number: ['The order number field is required.'],
          products: ['The products field is required.'],
        });
        assertInvalid(
          await api(m, 'POST', '/orders/earning', {
            phone_number: '12345',
            total_price: 'ten',
            order_number: 'X',
            products: [{ product_name: 'a', product_price: 1, quantity: 0 }],
          }),
          {
            total_price: ['The total price must be a number.'],
            'products.0.quantity': ['The quantity must be at least 1.'],
            phone_number: ['The phone number format is invalid.'],
          },
        );
      });

      it('refuses three decimals, negative amounts and zero refunds; accepts numeric strings', async () => {
        const m = await merchant();
        assertInvalid(await earn(m, { total_price: 10.001 }), {
          total_price: ['The total price must not have more than 2 decimal places.'],
        });
        assertInvalid(await earn(m, { total_price: '10.000' }), {
          total_price: ['The total price must not have more than 2 decimal places.'],
        });
        assertInvalid(await earn(m, { total_price: -1 }), {
          total_price: ['The total price must be at least 0.'],
        });
        const order = data(await earn(m, { total_price: '10.00' }));
        assert.equal(order.total_price, 10);
        const refund = (amount: unknown) =>
          api(m, 'POST', `/orders/${order.uuid}/refund`, { amount });
        assertInvalid(await refund(0), { amount: ['The amount must be greater than 0.'] });
        assertInvalid(await refund(-5), { amount: ['The amount must be greater than 0.'] });
        assertInvalid(await refund('1.234'), {
          amount: ['The amount must not have more than 2 decimal places.'],
        });
        assertInvalid(await refund('abc'), { amount: ['The amount must be a number.'] });
        assertInvalid(await refund('1e2'), { amount: ['The amount must be a number.'] });
        assertInvalid(
          await api(m, 'POST', `/orders/${order.uuid}/cancel`, { reason: 'x'.repeat(501) }),
          { reason: ['The reason must not be greater than 500 characters.'] },
        );
        assert.equal(data(await refund('2.50')).order_status, 'partially_refunded');
      });
    });

    describe('ownership', () => {
      it("another merchant's key gets 404 on every order endpoint; nothing changes", async () => {
        const owner = await merchant();
        const stranger = await merchant();
        const { uuid } = await redeemOrder(owner, 50, 0);
        const paths: [string, string, unknown][] = [
          ['GET', `/orders/${uuid}`, undefined],
          ['POST', `/orders/${uuid}/complete`, {}],
          ['POST', `/orders/${uuid}/authorize`, {}],
          ['POST', `/orders/${uuid}/capture`, {}],
          ['POST', `/orders/${uuid}/cancel`, {}],
          ['POST', `/orders/${uuid}/refund`, {}],
          ['POST', `/orders/${uuid}/status`, { status: 'delivered' }],
        ];
        for (const [method, path, payload] of paths) {
          const res = await api(stranger, method as 'GET', path, payload);
          assertError(res, 404, 'Order not found.');
          const missing = await api(
            owner,
            method as 'GET',
            path.replace(uuid, '0190aaaa-0000-7000-8000-000000000000'),
            payload,
          );
          assertError(missing, 404, 'Order not found.');
        }
        assert.equal(data(await api(owner, 'GET', `/orders/${uuid}`)).order_status, 'new');
      });
    });

    describe('state machine (every refusal of the table)', () => {
      /** Orders of each Points status. */
      async function ordersByStatus(m: Merchant) {
        const make = async (steps: [string, unknown][]) => {
          const { uuid } = await redeemOrder(m, 100, 0);
          for (const [op, body] of steps) {
            const res = await api(m, 'POST', `/orders/${uuid}/${op}`, body);
            assert.equal(res.statusCode, 200, `${op}: ${res.body}`);
          }
          return uuid;
        };
        return {
          new: await make([]),
          authorized: await make([['authorize', {}]]),
          captured: await make([
            ['authorize', {}],
            ['capture', {}],
          ]),
          approved: await make([['complete', {}]]),
          partially_refunded: await make([
            ['complete', {}],
            ['refund', { amount: 10 }],
          ]),
          fully_refunded: await make([
            ['complete', {}],
            ['refund', {}],
          ]),
          cancelled: await make([['cancel', {}]]),
        };
      }

      it('each order reaches its status', async () => {
        const m = await merchant();
        const orders = await ordersByStatus(m);
        for (const [status, uuid] of Object.entries(orders)) {
          assert.equal(data(await api(m, 'GET', `/orders/${uuid}`)).order_status, status);
        }
      });

      it('refuses every illegal transition with 400 and the exact message, writing nothing', async () => {
        const m = await merchant();
        const o = await ordersByStatus(m);
        const refusals: [keyof typeof o, string, string][] = [
          ['approved', 'cancel', 'Order cannot be cancelled. Use refund for settled orders.'],
          ['captured', 'cancel', 'Order cannot be cancelled. Use refund for settled orders.'],
          ['cancelled', 'cancel', 'Order is already cancelled.'],
          ['partially_refunded', 'cancel', 'Order is already refunded.'],
          ['fully_refunded', 'cancel', 'Order is already refunded.'],
          ['new', 'refund', 'Order cannot be refunded before it is approved or captured.'],
          ['authorized', 'refund', 'Order cannot be refunded before it is approved or captured.'],
          ['cancelled', 'refund', 'Order is cancelled.'],
          ['fully_refunded', 'refund', 'Order is already fully refunded.'],
          ['new', 'capture', 'Order cannot be captured (not authorized).'],
          ['captured', 'capture', 'Order is already captured.'],
          ['approved', 'capture', 'Order is already captured.'],
          ['partially_refunded', 'capture', 'Order cannot be captured (already refunded).'],
          ['fully_refunded', 'capture', 'Order cannot be captured (already refunded).'],
          ['cancelled', 'capture', 'Order cannot be captured (cancelled).'],
          ['authorized', 'authorize', 'Order is already authorized.'],
          ['captured', 'authorize', 'Order cannot be authorized (already approved or captured).'],
          ['approved', 'authorize', 'Order cannot be authorized (already approved or captured).'],
          ['partially_refunded', 'authorize', 'Order cannot be authorized (already refunded).'],
          ['fully_refunded', 'authorize', 'Order cannot be authorized (already refunded).'],
          ['cancelled', 'authorize', 'Order cannot be authorized (cancelled).'],
          ['approved', 'complete', 'Order is already completed'],
          ['captured', 'complete', 'Order already fully paid'],
          ['authorized', 'complete', 'Order cannot be completed'],
          ['partially_refunded', 'complete', 'Order cannot be completed'],
          ['fully_refunded', 'complete', 'Order cannot be completed'],
          ['cancelled', 'complete', 'Order cannot be completed'],
        ];
        for (const [status, op, message] of refusals) {
          const before = data(await api(m, 'GET', `/orders/${o[status]}`));
          const res = await api(m, 'POST', `/orders/${o[status]}/${op}`, {});
          assertError(res, 400, message);
          assert.deepEqual(
            data(await api(m, 'GET', `/orders/${o[status]}`)),
            before,
            `${op} ${status}`,
          );
        }
        const earning = data(await earn(m));
        assertError(
          await api(m, 'POST', `/orders/${earning.uuid}/complete`, {}),
          400,
          'Only replacing orders can be completed',
        );
      });

      it('cancel records the default reason and releases redeemed points', async () => {
        const m = await merchant();
        const { uuid, phone } = await redeemOrder(m, 100, 400);
        assert.equal((await wallet(phone)).balance, 0);
        const res = await api(m, 'POST', `/orders/${uuid}/cancel`, {});
        assert.equal(data(res).order_status, 'cancelled');
        assert.equal((await wallet(phone)).balance, 400);
        const events = await t.admin({
          method: 'GET',
          url: `/admin/events?order_id=${uuid}&type=order.cancelled`,
        });
        const [event] = (events.json() as { data: { reason: string }[] }).data;
        assert.equal(event?.reason, 'Order cancelled via API');
      });

      it('refund omitted amount refunds the rest; over-refund and an expired window are refused', async () => {
        const m = await merchant({ refund_window_days: 30 });
        const order = data(await earn(m, { total_price: 100 }));
        assertError(
          await api(m, 'POST', `/orders/${order.uuid}/refund`, { amount: 100.01 }),
          400,
          'Refund amount exceeds the refundable amount.',
        );
        assert.equal(
          data(await api(m, 'POST', `/orders/${order.uuid}/refund`, { amount: 40 })).order_status,
          'partially_refunded',
        );
        assert.equal(
          data(await api(m, 'POST', `/orders/${order.uuid}/refund`, {})).order_status,
          'fully_refunded',
        );
        const late = data(await earn(m, { total_price: 100 }));
        await t.admin({
          method: 'POST',
          url: '/admin/clock/advance',
          payload: { seconds: 30 * DAY_S },
        });
        assertError(
          await api(m, 'POST', `/orders/${late.uuid}/refund`, {}),
          400,
          'Refund window has expired.',
        );
        await t.admin({
          method: 'POST',
          url: '/admin/clock/advance',
          payload: { seconds: -30 * DAY_S },
        });
      });
    });

    describe('refunds and points', () => {
      it('twenty concurrent refunds of 10.00 against 150.75: exactly fifteen succeed', async () => {
        const m = await merchant();
        const order = data(await earn(m, { total_price: 150.75 }));
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            api(m, 'POST', `/orders/${order.uuid}/refund`, { amount: '10.00' }),
          ),
        );
        const succeeded = results.filter((r) => r.statusCode === 200);
        assert.equal(succeeded.length, 15);
        for (const r of results.filter((x) => x.statusCode !== 200)) {
          assertError(r, 400, 'Refund amount exceeds the refundable amount.');
        }
        const ledger = await t.admin({ method: 'GET', url: `/admin/orders/${order.uuid}` });
        const o = ledger.json() as {
          refunded_minor: number;
          points_reversed: number;
          transactions: { type: string; amount_minor: number; points: number }[];
        };
        assert.equal(o.refunded_minor, 15_000);
        const refunds = o.transactions.filter((x) => x.type === 'refund');
        assert.equal(refunds.length, 15);
        assert.equal(
          refunds.reduce((s, x) => s + x.amount_minor, 0),
          15_000,
        );
        const reversed = o.transactions.filter((x) => x.type === 'points_reversal');
        assert.equal(
          reversed.reduce((s, x) => s + x.points, 0),
          o.points_reversed,
        );
        // round_half_up(1507 × 150.00 / 150.75) = 1500
        assert.equal(o.points_reversed, 1500);
        assert.equal(
          data(await api(m, 'GET', `/orders/${order.uuid}`)).order_status,
          'partially_refunded',
        );
      });

      it('an earning order refunded in three uneven parts reverses exactly its total_points', async () => {
        const m = await merchant();
        const phone = newPhone();
        const order = data(await earn(m, { phone_number: phone, total_price: 150.75 }));
        assert.equal(order.total_points, 1507);
        for (const amount of [33.33, '100.01']) {
          await api(m, 'POST', `/orders/${order.uuid}/refund`, { amount });
        }
        const last = await api(m, 'POST', `/orders/${order.uuid}/refund`, {});
        assert.equal(data(last).order_status, 'fully_refunded');
        const w = await wallet(phone);
        const reversals = w.ledger.filter((e) => e.type === 'reversal');
        assert.equal(reversals.length, 3);
        assert.equal(-reversals.reduce((s, e) => s + e.points, 0), 1507);
        assert.deepEqual(reversals.map((e) => -e.points).reverse(), [333, 1000, 174]);
        assert.equal(w.balance, 0);
      });

      it('a reversal after the customer spent the points takes the wallet below zero', async () => {
        const m = await merchant();
        const phone = newPhone();
        const order = data(await earn(m, { phone_number: phone, total_price: 100 }));
        await seed(phone, 200); // the customer spent 800 of the 1000 elsewhere
        await api(m, 'POST', `/orders/${order.uuid}/refund`, {});
        assert.equal((await wallet(phone)).balance, -800);
      });
    });

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
          expires_at: new Date(t.clock.now() + 300_000).toISOString(),
        });
        const code = t.outbox.latest({ sessionId: sessionOf(path) }, 1)[0]!.code;
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
          `https://shop.example/return?x=1&order_uuid=${order_uuid}&order_number=CHK-1&status=new`,
        );
        assert.equal((await wallet(phone)).balance, 200);
        const order = data(await api(m, 'GET', `/orders/${order_uuid}`));
        assert.equal(order.order_status, 'new');
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
        const done = await inject({ method: 'GET', url: path });
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
        const sent = await form(`${path}/code`, `phone_number=0${phone}`);
        assert.equal(sent.statusCode, 200, sent.body);
        assert.match(sent.body, /<label for="code">Verification code<\/label>/);
        assert.match(sent.body, /autocomplete="one-time-code"/);
        const code = t.outbox.latest({ phone }, 1)[0]!.code;
        const verified = await form(`${path}/verify`, `code=${code}`);
        assert.equal(verified.statusCode, 200, verified.body);
        assert.match(verified.body, /Points balance for 0\d{9}: <strong>0<\/strong>/);
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
        assert.match((await inject({ method: 'GET', url: leaving })).body, /Checkout cancelled/);

        const expiring = (await begin(m, { total_price: 20, order_number: 'EXP-1' })).pathname;
        await t.admin({
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

    describe('shipping status', () => {
      it('sets status and labels; copies a missing label; a blank body is 422', async () => {
        const m = await merchant();
        const order = data(await earn(m));
        const delivered = data(
          await api(m, 'POST', `/orders/${order.uuid}/status`, { status: 'delivered' }),
        );
        assert.equal(delivered.status, 5);
        assert.deepEqual(delivered.custom_status, { ar: 'تم التوصيل', en: 'Delivered' });
        assert.equal(delivered.order_status, 'approved');
        const named = data(
          await api(m, 'POST', `/orders/${order.uuid}/status`, { name_ar: 'في الطريق' }),
        );
        assert.equal(named.status, 5);
        assert.deepEqual(named.custom_status, { ar: 'في الطريق', en: 'في الطريق' });
        assertInvalid(await api(m, 'POST', `/orders/${order.uuid}/status`, {}), {
          status: ['The status field is required when none of name ar / name en are present.'],
        });
        assertInvalid(await api(m, 'POST', `/orders/${order.uuid}/status`, { status: 'lost' }), {
          status: ['The selected status is invalid.'],
        });
      });
    });

    describe('webhooks API', () => {
      it('creates, lists with per_page, shows, updates, deletes; secrets on every read', async () => {
        const m = await merchant();
        const other = await merchant();
        const created = await api(m, 'POST', '/webhooks', {
          name: 'orders',
          url: 'https://hooks.example/a',
        });
        assert.equal(created.statusCode, 200, created.body);
        const hook = (created.json() as { data: Record<string, unknown> }).data;
        assert.deepEqual(Object.keys(hook).sort(), [
          'created_at',
          'merchant_id',
          'name',
          'secret',
          'updated_at',
          'url',
          'uuid',
        ]);
        assertError(
          await api(m, 'POST', '/webhooks', { name: 'again', url: 'https://hooks.example/a' }),
          400,
          'Webhook already exists for this URL.',
        );
        assertInvalid(await api(m, 'POST', '/webhooks', { url: 'ftp://x' }), {
          name: ['The name field is required.'],
          url: ['The url must be a valid URL.'],
        });
        await api(m, 'POST', '/webhooks', { name: 'b', url: 'https://hooks.example/b' });
        const page2 = await api(m, 'GET', '/webhooks?per_page=1&page=2');
        const list = page2.json() as {
          data: { url: string; secret: string }[];
          meta: Record<string, unknown>;
          links: Record<string, unknown>;
        };
        assert.equal(list.data.length, 1);
        assert.equal(list.data[0]?.url, 'https://hooks.example/b');
        assert.ok(list.data[0]?.secret.length);
        assert.deepEqual(list.meta, {
          current_page: 2,
          from: 2,
          last_page: 2,
          per_page: 1,
          to: 2,
          total: 2,
        });
        assert.equal(list.links['next'], null);
        assertInvalid(await api(m, 'GET', '/webhooks?per_page=0'), {
          per_page: ['The per page must be between 1 and 100.'],
        });
        const shown = await api(m, 'GET', `/webhooks/${hook['uuid']}`);
        assert.equal((shown.json() as { data: { secret: string } }).data.secret, hook['secret']);
        assertError(
          await api(other, 'GET', `/webhooks/${hook['uuid']}`),
          404,
          'Webhook not found.',
        );
        const renamed = await api(m, 'PATCH', `/webhooks/${hook['uuid']}`, { name: 'renamed' });
        assert.equal((renamed.json() as { data: { name: string } }).data.name, 'renamed');
        const moved = await api(m, 'PUT', `/webhooks/${hook['uuid']}`, {
          url: 'https://hooks.example/c',
        });
        assert.equal(
          (moved.json() as { data: { url: string } }).data.url,
          'https://hooks.example/c',
        );
        assertInvalid(await api(m, 'PATCH', `/webhooks/${hook['uuid']}`, {}), {
          name: ['The name field is required when url is not present.'],
        });
        const deleted = await api(m, 'DELETE', `/webhooks/${hook['uuid']}`);
        assert.deepEqual(deleted.json(), {
          status: true,
          message: 'Webhook deleted successfully.',
          appended_data: {},
        });
        assertError(await api(m, 'GET', `/webhooks/${hook['uuid']}`), 404, 'Webhook not found.');
      });
    });

    describe('HTTP edges in the Points shape', () => {
      it('unknown route 404, wrong method 405, malformed JSON 400, huge body 413', async () => {
        const m = await merchant();
        assertError(await api(m, 'GET', '/nothing'), 404, 'The route could not be found.');
        const wrong = await api(m, 'DELETE', '/orders/earning');
        assert.equal(wrong.statusCode, 405);
        assert.equal((wrong.json() as { status: boolean }).status, false);
        assert.match(String(wrong.headers['allow']), /POST/);
        const malformed = await inject({
          method: 'POST',
          url: '/points/api/v1/orders/earning',
          headers: { 'x-api-key': m.apiKey, 'content-type': 'application/json' },
          payload: '{"total_price": ',
        });
        assertError(malformed, 400, 'The request body is not valid JSON.');
        const huge = await inject({
          method: 'POST',
          url: '/points/api/v1/orders/earning',
          headers: { 'x-api-key': m.apiKey, 'content-type': 'application/json' },
          payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
        });
        assertError(huge, 413, 'The request body is too large.');
      });

      it('an Idempotency-Key replays a refund instead of refunding twice', async () => {
        const m = await merchant();
        const order = data(await earn(m, { total_price: 100 }));
        const refund = () =>
          api(
            m,
            'POST',
            `/orders/${order.uuid}/refund`,
            { amount: 10 },
            { 'idempotency-key': 'k-1' },
          );
        const first = await refund();
        const second = await refund();
        assert.equal(second.headers['idempotency-replayed'], 'true');
        assert.equal(second.body, first.body);
        const o = (await t.admin({ method: 'GET', url: `/admin/orders/${order.uuid}` })).json() as {
          refunded_minor: number;
        };
        assert.equal(o.refunded_minor, 1000);
      });
    });

    describe('admin: customers wallets', () => {
      it('seeds, reads with the ledger, refuses bad phones and unknown customers', async () => {
        const phone = newPhone();
        await seed(`+966${phone}`, 70);
        await seed(phone, 50);
        const w = await wallet(`0${phone}`);
        assert.equal(w.balance, 50);
        assert.deepEqual(
          w.ledger.map((e) => [e.type, e.points, e.balance_after]),
          [
            ['adjustment', -20, 50],
            ['adjustment', 70, 70],
          ],
        );
        const unknown = await t.admin({
          method: 'GET',
          url: `/admin/points/customers/${newPhone()}`,
        });
        assert.equal(unknown.statusCode, 404);
        assert.equal(
          (unknown.json() as { error: { code: string } }).error.code,
          'points.customer_not_found',
        );
        const bad = await t.admin({
          method: 'POST',
          url: '/admin/points/customers',
          payload: { phone_number: '123', balance: 1 },
        });
        assert.equal(bad.statusCode, 422);
      });
    });
  });
}
