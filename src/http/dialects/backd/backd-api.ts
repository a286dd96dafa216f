/**
 * Proves the Backd face's contract over HTTP (envelopes, statuses and the exact messages Unwind
 * documents for Backd, the order lifecycle on the core ledger, refund requests with their lock
 * deadline, replacement, deletion, locking and settlement by the job, the database's one-active
 * wall, concurrency and every rejection) by injecting requests into the real server on a real
 * store; `backd-api.sqlite.test.ts` and `backd-api.postgres.test.ts` run this one suite on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UniqueViolation } from '../../../app/ports/store.js';
import { lockDeadline } from '../../../domain/business-days.js';
import { advanceDueRefundRequests } from '../../../app/backd-refund-requests.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../../../../test/support/app.js';
import {
  backdCall,
  basic,
  type BackdMerchant,
  createBackdMerchant,
  createBackdOrder,
  createBody,
  type CreatedOrder,
  expectFailure,
  expectSuccess,
  findOrder,
  orderIn,
  refundBody,
  selectTerms,
} from '../../../../test/support/backd.js';
import type { StoreFactory } from '../../../../test/support/stores.js';

const LOCKED = 'Refund request is locked and can no longer be replaced or deleted.';
const NOT_CONFIRMED =
  "This can only be done when the order has been confirmed ('order_confirmed').";
const NOT_PLACED = "This can only be done when the order has been placed ('order_placed').";
/** Wed 2026-03-04 10:00 CST: a weekday morning, so a request locks at 17:00 CST (23:00Z). */
const WED_MORNING = Date.parse('2026-03-04T10:00:00-06:00');
const WED_LOCK = Date.parse('2026-03-04T23:00:00Z');
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface CoreOrderJson {
  status: string;
  amount_minor: number;
  captured_minor: number;
  refunded_minor: number;
  transactions: { type: string; amount_minor: number; actor: string }[];
}

export function defineBackdApiSuite(factory: StoreFactory, skip?: string): void {
  describe(`Backd API on ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let m: BackdMerchant;
    let other: BackdMerchant;
    before(async () => {
      t = await startTestApp(factory);
      m = await createBackdMerchant(t);
      other = await createBackdMerchant(t);
    });
    after(async () => {
      await t?.close();
    });

    const call = (
      method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
      path: string,
      payload?: unknown,
      options?: { auth?: string | null; headers?: Record<string, string> },
    ) => backdCall(t, m, method, path, payload, options);
    const ref = (o: CreatedOrder) => ({
      backd_order_id: o.backdOrderId,
      merchant_order_id: o.merchantOrderId,
    });
    const coreOrder = async (o: CreatedOrder): Promise<CoreOrderJson> => {
      const list = await t.admin({ method: 'GET', url: `/admin/orders?dialect=backd&limit=500` });
      const found = (list.json() as { data: { id: string; backd_order_id: string }[] }).data.find(
        (x) => x.backd_order_id === o.backdOrderId,
      );
      assert.ok(found, `core order of ${o.backdOrderId}`);
      return (await t.admin({ method: 'GET', url: `/admin/orders/${found.id}` })).json();
    };
    const runJobs = async () => {
      const res = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { jobs: Record<string, number> }).jobs;
    };
    const requestRows = async (o: CreatedOrder) => {
      const core = await t.admin({ method: 'GET', url: `/admin/orders?dialect=backd&limit=500` });
      const id = (core.json() as { data: { id: string; backd_order_id: string }[] }).data.find(
        (x) => x.backd_order_id === o.backdOrderId,
      )!.id;
      return (await t.testStore.rawRows('backd_refund_requests')).filter(
        (r) => r['order_id'] === id,
      );
    };

    // ---- auth and the envelope ----------------------------------------------------------------

    describe('authentication', () => {
      it('no Authorization header: 401 in the envelope, with a Basic challenge', async () => {
        const res = await call('GET', '/find_order/BO-1', undefined, { auth: null });
        expectFailure(res, 401);
        assert.match(String(res.headers['www-authenticate']), /^Basic realm="Backd"/);
      });

      it('a wrong secret key, a bearer token, or keys of two merchants: 401', async () => {
        expectFailure(
          await call('GET', '/find_order/x', undefined, { auth: basic(m.publicKey, 'sk_nope') }),
          401,
        );
        expectFailure(
          await call('GET', '/find_order/x', undefined, { auth: `Bearer ${m.secretKey}` }),
          401,
        );
        expectFailure(
          await call('GET', '/find_order/x', undefined, {
            auth: basic(m.publicKey, other.secretKey),
          }),
          401,
        );
        expectFailure(
          await call('GET', '/find_order/x', undefined, { auth: basic(m.secretKey, m.publicKey) }),
          401,
        );
        expectFailure(await call('GET', '/find_order/x', undefined, { auth: 'Basic !!!' }), 401);
      });

      it('bad auth is refused before the body is read, and writes nothing', async () => {
        const before = (await t.testStore.rawRows('backd_orders')).length;
        const res = await call('POST', '/create_order', createBody(), {
          auth: basic('pk_x', 'sk_y'),
        });
        expectFailure(res, 401);
        assert.equal((await t.testStore.rawRows('backd_orders')).length, before);
      });
    });

    describe('framework errors in the Backd envelope', () => {
      it('unknown route 404, wrong method 405 with Allow, malformed JSON 422, text/plain 415', async () => {
        expectFailure(await call('POST', '/no_such_endpoint', {}), 404);
        const wrong = await call('PUT', '/refund', {});
        expectFailure(wrong, 405);
        assert.match(String(wrong.headers['allow']), /DELETE/);
        assert.match(String(wrong.headers['allow']), /POST/);
        const malformed = await t.app.inject({
          method: 'POST',
          url: '/backd/refund',
          headers: { authorization: m.auth, 'content-type': 'application/json' },
          payload: '{"backd_order_id": ',
        });
        expectFailure(malformed, 422);
        const plain = await t.app.inject({
          method: 'POST',
          url: '/backd/refund',
          headers: { authorization: m.auth, 'content-type': 'text/plain' },
          payload: 'refund please',
        });
        expectFailure(plain, 415);
      });

      it('a body over the limit is 413 in the envelope', async () => {
        const huge = { ...createBody(), merchant_order_status: 'x'.repeat(1_100_000) };
        expectFailure(await call('POST', '/create_order', huge), 413);
      });
    });

    // ---- create_order and the terms page --------------------------------------------------------

    describe('create_order', () => {
      it('answers the full order data, backd_order_id and customer_url', async () => {
        t.clock.set(Date.parse('2026-04-16T10:30:00Z'));
        const res = expectSuccess(await call('POST', '/create_order', createBody()));
        const d = res.data;
        assert.match(d.backd_order_id, /^BO-20260416-[0-9A-F]{16}$/);
        assert.match(
          d.customer_url,
          new RegExp(`^${TEST_PUBLIC_URL}/backd/checkout/[A-Za-z0-9_-]{43}$`),
        );
        const { customer_url: _url, ...rest } = d;
        assert.deepEqual(rest, {
          backd_order_id: d.backd_order_id,
          create_date: '2026-04-16 10:30:00',
          order_total: 91.5,
          cart_amount: 90,
          tax_amount: 1,
          shipping_amount: 0.5,
          discount_amount: 0,
          status: 'created',
          merchant_order_id: 'JKLMO4321',
          merchant_order_status: 'processing',
          shipping: createBody().shipping,
          billing: createBody().billing,
          items: createBody().items,
        });
      });

      it('refuses bad bodies with 422 and writes nothing', async () => {
        const before = (await t.testStore.rawRows('orders')).length;
        const bad: [Record<string, unknown>, RegExp][] = [
          [{ order_total: '91.50' }, /order_total/],
          [{ order_total: -91.5, cart_amount: -90 }, /order_total: Must not be negative/],
          [{ order_total: 91.505 }, /order_total: Too many decimal places for USD/],
          [{ order_total: 100 }, /order_total must equal cart_amount \+ tax_amount/],
          [{ order_total: 0, cart_amount: 0, tax_amount: 0, shipping_amount: 0 }, /greater than 0/],
          [{ merchant_order_id: undefined }, /merchant_order_id/],
          [{ billing: { name: { first: 'A' } } }, /billing/],
          [{ items: [] }, /items/],
          [
            { items: [{ display_name: 'W', sku: 'W', unit_price: 1.001, qty: 1 }] },
            /items\.0\.unit_price/,
          ],
          [
            {
              mode: {
                type: 'popup',
                order_success_url: 'https://a.example',
                order_close_url: 'https://a.example',
              },
            },
            /mode\.type/,
          ],
          [
            {
              mode: {
                type: 'redirect',
                order_success_url: 'javascript:alert(1)',
                order_close_url: 'https://a.example',
              },
            },
            /order_success_url/,
          ],
        ];
        for (const [overrides, message] of bad) {
          expectFailure(await call('POST', '/create_order', createBody(overrides)), 422, message);
        }
        assert.equal((await t.testStore.rawRows('orders')).length, before);
      });
    });

    describe('the terms page', () => {
      it('is an accessible HTML form with the three terms', async () => {
        const o = await createBackdOrder(t, m);
        const res = await t.app.inject({ method: 'GET', url: `/backd/checkout/${o.token}` });
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(res.body, /<html lang="en">/);
        assert.match(res.body, /<legend>Payment terms<\/legend>/);
        for (const terms of ['net30', 'net60', 'net90']) {
          assert.match(
            res.body,
            new RegExp(
              `<label for="terms-${terms}"><input type="radio" id="terms-${terms}" name="terms" value="${terms}" required`,
            ),
          );
        }
        assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
        const missing = await t.app.inject({
          method: 'GET',
          url: `/backd/checkout/${'A'.repeat(43)}`,
        });
        assert.equal(missing.statusCode, 404);
        assert.match(missing.body, /Order not found/);
      });

      it('a JSON POST selects terms and answers {backd_order_id, status}', async () => {
        const o = await createBackdOrder(t, m);
        const res = await selectTerms(t, o.token, 'net60');
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), { backd_order_id: o.backdOrderId, status: 'terms_selected' });
        assert.equal((await findOrder(t, m, o)).status, 'terms_selected');
        expectFailure(await selectTerms(t, o.token, 'net45'), 422, /terms/);
        expectFailure(await selectTerms(t, 'A'.repeat(43)), 404, 'Order not found.');
      });

      it('a form POST selects terms and redirects to order_success_url', async () => {
        const o = await createBackdOrder(t, m);
        const res = await t.app.inject({
          method: 'POST',
          url: `/backd/checkout/${o.token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: 'terms=net90',
        });
        assert.equal(res.statusCode, 303, res.body);
        assert.equal(res.headers['location'], 'https://shop.example/success');
        assert.equal((await findOrder(t, m, o)).status, 'terms_selected');
        const empty = await t.app.inject({
          method: 'POST',
          url: `/backd/checkout/${o.token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'terms=',
        });
        assert.equal(empty.statusCode, 422);
        assert.match(empty.body, /role="alert"/);
      });

      it('terms cannot change once the order is placed', async () => {
        const o = await orderIn(t, m, 'order_placed');
        expectFailure(await selectTerms(t, o.token, 'net90'), 400, /already been placed/);
      });

      it('once the order is placed, answers only its state and terms, nothing of the order', async () => {
        for (const status of ['order_placed', 'order_confirmed'] as const) {
          const o = await orderIn(t, m, status);
          const html = await t.app.inject({ method: 'GET', url: `/backd/checkout/${o.token}` });
          assert.equal(html.statusCode, 200);
          assert.match(html.body, /role="status"/);
          assert.match(html.body, /Net 30/);
          for (const hidden of [o.merchantOrderId, o.backdOrderId, 'Widget', '<form', '<table']) {
            assert.ok(!html.body.includes(hidden), `${status} page shows ${hidden}`);
          }
          const json = await t.app.inject({
            method: 'GET',
            url: `/backd/checkout/${o.token}`,
            headers: { accept: 'application/json' },
          });
          assert.deepEqual(json.json(), { status, terms: 'net30' });
          const refused = await t.app.inject({
            method: 'POST',
            url: `/backd/checkout/${o.token}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'terms=net60',
          });
          assert.equal(refused.statusCode, 400);
          assert.ok(!refused.body.includes(o.merchantOrderId), refused.body);
        }
      });

      it('refuses a terms form another site made the browser post', async () => {
        const o = await createBackdOrder(t, m);
        for (const headers of [
          { 'sec-fetch-site': 'cross-site' },
          { origin: 'https://evil.example' },
          { origin: 'null' },
        ]) {
          const forged = await t.app.inject({
            method: 'POST',
            url: `/backd/checkout/${o.token}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
            payload: 'terms=net90',
          });
          assert.equal(forged.statusCode, 403, JSON.stringify(headers));
        }
        const own = await t.app.inject({
          method: 'POST',
          url: `/backd/checkout/${o.token}`,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: TEST_PUBLIC_URL,
            'sec-fetch-site': 'same-origin',
          },
          payload: 'terms=net90',
        });
        assert.equal(own.statusCode, 303, own.body);
        const chosen = await t.app.inject({
          method: 'GET',
          url: `/backd/checkout/${o.token}`,
          headers: { accept: 'application/json' },
        });
        assert.equal((chosen.json() as { terms: string }).terms, 'net90');
      });
    });

    // ---- the order lifecycle ------------------------------------------------------------------

    describe('order_placed, update_order, confirm_order, cancel_order', () => {
      it('order_placed needs terms, the right merchant_order_id and the merchant’s own order', async () => {
        const o = await createBackdOrder(t, m);
        expectFailure(await call('POST', '/order_placed', ref(o)), 400, /selected terms/);
        assert.equal((await selectTerms(t, o.token)).statusCode, 200);
        expectFailure(
          await call('POST', '/order_placed', { ...ref(o), merchant_order_id: 'OTHER' }),
          400,
          'merchant_order_id does not match the order.',
        );
        expectFailure(
          await backdCall(t, other, 'POST', '/order_placed', ref(o)),
          404,
          'Order not found.',
        );
        expectFailure(
          await call('POST', '/order_placed', { ...ref(o), backd_order_id: 'BO-nope' }),
          404,
          'Order not found.',
        );
        expectFailure(
          await call('POST', '/order_placed', { backd_order_id: o.backdOrderId }),
          422,
          /merchant_order_id/,
        );
        const placed = expectSuccess(await call('POST', '/order_placed', ref(o)));
        assert.equal(placed.data.status, 'order_placed');
        assert.equal(placed.data.refunds, undefined);
        expectFailure(await call('POST', '/order_placed', ref(o)), 400);
      });

      it('update_order changes a placed order; the core amount follows the total', async () => {
        const o = await orderIn(t, m, 'order_placed');
        const lower = expectSuccess(
          await call('POST', '/update_order', {
            ...ref(o),
            order_total: 81.5,
            cart_amount: 80,
            merchant_order_status: 'packed',
          }),
        );
        assert.equal(lower.data.order_total, 81.5);
        assert.equal(lower.data.merchant_order_status, 'packed');
        assert.equal((await coreOrder(o)).amount_minor, 8150);
        // 10 % of the agreed 91.50 allows up to 100.65.
        expectSuccess(
          await call('POST', '/update_order', {
            ...ref(o),
            order_total: 100.65,
            cart_amount: 99.15,
          }),
        );
        assert.equal((await coreOrder(o)).amount_minor, 10065);
        expectFailure(
          await call('POST', '/update_order', {
            ...ref(o),
            order_total: 100.66,
            cart_amount: 99.16,
          }),
          400,
          'The order_total increase exceeds the limit the merchant has agreed upon.',
        );
        expectFailure(
          await call('POST', '/update_order', { ...ref(o), order_total: 50 }),
          422,
          /order_total must equal/,
        );
        expectFailure(
          await call('POST', '/update_order', { ...ref(o), merchant_order_id: 'X' }),
          400,
          'merchant_order_id does not match the order.',
        );
        assert.equal((await coreOrder(o)).amount_minor, 10065);
        const early = await orderIn(t, m, 'terms_selected');
        expectFailure(
          await call('POST', '/update_order', ref(early)),
          400,
          "An update can only occur if order has been placed ('order_placed').",
        );
      });

      it('the increase limit is a merchant setting', async () => {
        const strict = await createBackdMerchant(t, { order_total_increase_limit_percent: 0 });
        const o = await orderIn(t, strict, 'order_placed');
        const res = await backdCall(t, strict, 'POST', '/update_order', {
          ...ref(o),
          order_total: 91.51,
          cart_amount: 90.01,
        });
        expectFailure(res, 400, /increase exceeds the limit/);
      });

      it('confirm_order captures the whole total; nothing may be updated, confirmed or canceled after', async () => {
        const o = await orderIn(t, m, 'order_placed');
        const res = expectSuccess(await call('POST', '/confirm_order', ref(o)));
        assert.equal(res.data.status, 'order_confirmed');
        const core = await coreOrder(o);
        assert.equal(core.status, 'captured');
        assert.equal(core.captured_minor, 9150);
        expectFailure(await call('POST', '/confirm_order', ref(o)), 400, NOT_PLACED);
        expectFailure(await call('POST', '/cancel_order', ref(o)), 400, NOT_PLACED);
        expectFailure(
          await call('POST', '/update_order', ref(o)),
          400,
          "Once an order has been confirmed ('order_confirmed') no updates can be made.",
        );
        const unplaced = await orderIn(t, m, 'terms_selected');
        expectFailure(await call('POST', '/confirm_order', ref(unplaced)), 400, NOT_PLACED);
      });

      it('cancel_order cancels a placed order; its data has no merchant_order_status', async () => {
        const o = await orderIn(t, m, 'order_placed');
        expectFailure(
          await backdCall(t, other, 'POST', '/cancel_order', { backd_order_id: o.backdOrderId }),
          404,
        );
        const res = expectSuccess(
          await call('POST', '/cancel_order', { backd_order_id: o.backdOrderId }),
        );
        assert.equal(res.data.status, 'order_canceled');
        assert.equal('merchant_order_status' in res.data, false);
        assert.ok('shipping' in res.data && 'billing' in res.data && 'items' in res.data);
        assert.equal((await coreOrder(o)).status, 'cancelled');
        expectFailure(
          await call('POST', '/cancel_order', { backd_order_id: o.backdOrderId }),
          400,
          NOT_PLACED,
        );
        expectFailure(await call('POST', '/refund', refundBody(o, 1)), 400, NOT_CONFIRMED);
      });

      it('find_order shows refunds[]; unknown and foreign orders are 404 alike', async () => {
        const o = await orderIn(t, m, 'order_confirmed');
        const data = await findOrder(t, m, o);
        assert.equal(data.status, 'order_confirmed');
        assert.deepEqual(data.refunds, []);
        assert.match(data.create_date, TIMESTAMP);
        const foreign = await backdCall(t, other, 'GET', `/find_order/${o.backdOrderId}`);
        const unknown = await call('GET', '/find_order/BO-20260101-0000000000000000');
        expectFailure(foreign, 404, 'Order not found.');
        expectFailure(unknown, 404, 'Order not found.');
        assert.equal(foreign.body, unknown.body);
      });
    });

    // ---- refund requests ----------------------------------------------------------------------

    describe('refund requests', () => {
      it('every rejection of POST /refund, with status and envelope', async () => {
        const o = await orderIn(t, m, 'order_confirmed');
        const placed = await orderIn(t, m, 'order_placed');
        expectFailure(await call('POST', '/refund', refundBody(placed, 10)), 400, NOT_CONFIRMED);
        expectFailure(
          await call('POST', '/refund', refundBody(o, 0)),
          400,
          'refund_amount must be greater than 0.',
        );
        expectFailure(
          await call('POST', '/refund', refundBody(o, -5)),
          400,
          'refund_amount must be greater than 0.',
        );
        expectFailure(
          await call('POST', '/refund', refundBody(o, 91.51)),
          400,
          /exceeds the refundable amount/,
        );
        expectFailure(
          await call('POST', '/refund', refundBody(o, 1.005)),
          422,
          /refund_amount: Too many decimal places/,
        );
        expectFailure(await call('POST', '/refund', refundBody(o, '10')), 422, /refund_amount/);
        expectFailure(
          await call('POST', '/refund', { ...refundBody(o, 10), merchant_order_id: 'X' }),
          400,
          'merchant_order_id does not match the order.',
        );
        expectFailure(
          await call('POST', '/refund', { ...refundBody(o, 10), backd_order_id: 'BO-unknown' }),
          404,
          'Order not found.',
        );
        expectFailure(
          await backdCall(t, other, 'POST', '/refund', refundBody(o, 10)),
          404,
          'Order not found.',
        );
        expectFailure(
          await call('POST', '/refund', { backd_order_id: o.backdOrderId }),
          422,
          /merchant_order_id.*refund_amount|refund_amount/,
        );
        assert.deepEqual(await requestRows(o), []);
      });

      it('POST creates a draft locking at the deadline; a second POST declines and replaces it', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        const first = expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
        assert.deepEqual(first.data.refunds, [
          {
            amount: 10,
            create_date: '2026-03-04 16:00:00',
            status: 'draft',
            locked_at: '2026-03-04 23:00:00',
          },
        ]);
        assert.equal(lockDeadline(WED_MORNING), WED_LOCK);
        t.clock.advance(60_000);
        const second = expectSuccess(await call('POST', '/refund', refundBody(o, 25.5)));
        assert.deepEqual(
          second.data.refunds.map((r: { amount: number; status: string }) => [r.amount, r.status]),
          [
            [10, 'declined'],
            [25.5, 'draft'],
          ],
        );
        assert.equal(second.data.status, 'order_confirmed');
        const rows = await requestRows(o);
        assert.equal(
          rows.filter((r) => r['status'] === 'draft' || r['status'] === 'approved').length,
          1,
        );
        assert.equal(rows.find((r) => r['status'] === 'declined')?.['decline_reason'], 'replaced');
      });

      it('DELETE declines the active draft; with none active it is 400', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        expectFailure(
          await call('DELETE', '/refund', ref(o)),
          400,
          'There is no active refund request for this order.',
        );
        expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
        expectFailure(
          await call('DELETE', '/refund', { ...ref(o), merchant_order_id: 'X' }),
          400,
          'merchant_order_id does not match the order.',
        );
        expectFailure(
          await backdCall(t, other, 'DELETE', '/refund', ref(o)),
          404,
          'Order not found.',
        );
        const deleted = expectSuccess(
          await call('DELETE', '/refund', { backd_order_id: o.backdOrderId }),
        );
        assert.deepEqual(
          deleted.data.refunds.map((r: { status: string }) => r.status),
          ['declined'],
        );
        expectFailure(
          await call('DELETE', '/refund', ref(o)),
          400,
          'There is no active refund request for this order.',
        );
        const placed = await orderIn(t, m, 'order_placed');
        expectFailure(
          await call('DELETE', '/refund', ref(placed)),
          400,
          /confirmed \('order_confirmed'\) and there is an active/,
        );
        expectFailure(await call('DELETE', '/refund', {}), 422, /backd_order_id/);
      });

      it('at locked_at the request is locked by time, before the job runs: no replace, no delete', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
        t.clock.set(WED_LOCK - 1);
        assert.equal((await findOrder(t, m, o)).refunds[0].status, 'draft');
        t.clock.set(WED_LOCK);
        assert.equal((await findOrder(t, m, o)).refunds[0].status, 'approved');
        expectFailure(await call('DELETE', '/refund', ref(o)), 400, LOCKED);
        expectFailure(await call('POST', '/refund', refundBody(o, 5)), 400, LOCKED);
        assert.equal((await requestRows(o))[0]!['status'], 'draft');
      });

      it('the job approves at locked_at and settles: refunded, the ledger debited once, status refund', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        expectSuccess(await call('POST', '/refund', refundBody(o, 30)));
        t.clock.set(WED_LOCK - 1);
        await runJobs();
        assert.equal((await requestRows(o))[0]!['status'], 'draft');
        t.clock.set(WED_LOCK);
        const jobs = await runJobs();
        assert.ok((jobs['refund-request-locker'] ?? 0) >= 2);
        const data = await findOrder(t, m, o);
        assert.equal(data.status, 'refund');
        assert.deepEqual(
          data.refunds.map((r: { status: string }) => r.status),
          ['refunded'],
        );
        const core = await coreOrder(o);
        assert.equal(core.refunded_minor, 3000);
        assert.equal(core.status, 'partially_refunded');
        const refunds = core.transactions.filter((x) => x.type === 'refund');
        assert.deepEqual(
          refunds.map((x) => [x.amount_minor, x.actor]),
          [[3000, 'job:refund-request-locker']],
        );
        await runJobs();
        assert.equal(
          (await coreOrder(o)).transactions.filter((x) => x.type === 'refund').length,
          1,
        );

        // The rest may be requested now; more than the rest may not.
        expectFailure(
          await call('POST', '/refund', refundBody(o, 61.51)),
          400,
          /exceeds the refundable/,
        );
        const rest = expectSuccess(await call('POST', '/refund', refundBody(o, 61.5)));
        assert.equal(rest.data.status, 'refund');
        assert.equal(rest.data.refunds.at(-1).locked_at, '2026-03-05 23:00:00');
        t.clock.set(Date.parse('2026-03-05T23:00:00Z'));
        await runJobs();
        const full = await coreOrder(o);
        assert.equal(full.status, 'refunded');
        assert.equal(full.refunded_minor, 9150);
        expectFailure(
          await call('POST', '/refund', refundBody(o, 0.01)),
          400,
          /exceeds the refundable/,
        );

        const types = (
          (
            await t.admin({
              method: 'GET',
              url: `/admin/events?type=refund_request.locked&limit=500`,
            })
          ).json() as {
            data: { order_id: string }[];
          }
        ).data;
        assert.ok(types.length >= 2);
      });

      it('the settlement delay is a merchant setting', async () => {
        const slow = await createBackdMerchant(t, { refund_settlement_delay_seconds: 3600 });
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, slow, 'order_confirmed');
        expectSuccess(await backdCall(t, slow, 'POST', '/refund', refundBody(o, 10)));
        t.clock.set(WED_LOCK);
        await runJobs();
        assert.equal((await requestRows(o))[0]!['status'], 'approved');
        assert.equal((await coreOrder(o)).refunded_minor, 0);
        t.clock.set(WED_LOCK + 3_600_000 - 1);
        await runJobs();
        assert.equal((await requestRows(o))[0]!['status'], 'approved');
        t.clock.set(WED_LOCK + 3_600_000);
        await runJobs();
        assert.equal((await requestRows(o))[0]!['status'], 'refunded');
        assert.equal((await coreOrder(o)).refunded_minor, 1000);
      });

      it('the holiday calendar moves the deadline past a holiday', async () => {
        const holiday = await createBackdMerchant(t, { holidays: ['2026-03-04'] });
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, holiday, 'order_confirmed');
        const res = expectSuccess(
          await backdCall(t, holiday, 'POST', '/refund', refundBody(o, 10)),
        );
        assert.equal(res.data.refunds[0].locked_at, '2026-03-05 23:00:00');
      });

      it('two concurrent POST /refund on one order leave exactly one active request', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        const results = await Promise.all([
          call('POST', '/refund', refundBody(o, 10)),
          call('POST', '/refund', refundBody(o, 20)),
          call('POST', '/refund', refundBody(o, 30)),
          call('DELETE', '/refund', ref(o)),
        ]);
        for (const res of results.slice(0, 3)) expectSuccess(res);
        // The DELETE ran before, between or after the submissions: 200 or "none active".
        const del = results[3]!;
        assert.ok(del.statusCode === 200 || del.statusCode === 400, del.body);
        const rows = await requestRows(o);
        const active = rows.filter((r) => r['status'] === 'draft' || r['status'] === 'approved');
        assert.ok(active.length <= 1);
        assert.equal(rows.length, 3);
        if (del.statusCode === 400) assert.equal(active.length, 1);
        const pair = await orderIn(t, m, 'order_confirmed');
        await Promise.all([
          call('POST', '/refund', refundBody(pair, 1)),
          call('POST', '/refund', refundBody(pair, 2)),
        ]);
        const pairRows = await requestRows(pair);
        assert.equal(pairRows.filter((r) => r['status'] === 'draft').length, 1);
        assert.equal(pairRows.filter((r) => r['status'] === 'declined').length, 1);
      });

      it('two nodes running the job at once settle every request exactly once', async () => {
        t.clock.set(WED_MORNING);
        const orders = await Promise.all(
          Array.from({ length: 6 }, () => orderIn(t, m, 'order_confirmed')),
        );
        for (const o of orders) expectSuccess(await call('POST', '/refund', refundBody(o, 7)));
        t.clock.set(WED_LOCK);
        // The job's step, as two nodes run it (the job is a thin wrapper over this use case).
        const failures: unknown[] = [];
        const step = () =>
          advanceDueRefundRequests(t.deps, 100, (_id, failure) => failures.push(failure));
        let advanced = 0;
        for (let round = 0; round < 20; round++) {
          const [a, b] = await Promise.all([step(), step()]);
          advanced += a + b;
          if (a + b === 0) break;
        }
        assert.deepEqual(failures, []);
        // Six approvals and six settlements here (earlier tests may leave other due requests).
        assert.ok(advanced >= 12, `advanced ${advanced}`);
        for (const o of orders) {
          const core = await coreOrder(o);
          assert.deepEqual(
            core.transactions.filter((x) => x.type === 'refund').map((x) => x.amount_minor),
            [700],
          );
          assert.equal((await requestRows(o))[0]!['status'], 'refunded');
        }
      });

      it('the database refuses a second active request even if code would try', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
        const [row] = await requestRows(o);
        await assert.rejects(
          t.deps.store.transaction(async (tx) => {
            const active = await tx.findActiveBackdRefundRequest(String(row!['order_id']));
            assert.ok(active);
            await tx.insertBackdRefundRequest({
              ...active,
              id: `${active.id.slice(0, -4)}ffff`,
              amountMinor: 5,
            });
          }),
          (error: unknown) => error instanceof UniqueViolation,
        );
        assert.equal((await requestRows(o)).length, 1);
      });

      it('an Idempotency-Key replays the stored answer and submits nothing twice', async () => {
        t.clock.set(WED_MORNING);
        const o = await orderIn(t, m, 'order_confirmed');
        const headers = { 'idempotency-key': `refund-${o.backdOrderId}` };
        const first = await call('POST', '/refund', refundBody(o, 10), { headers });
        const again = await call('POST', '/refund', refundBody(o, 10), { headers });
        expectSuccess(first);
        expectSuccess(again);
        assert.equal(again.headers['idempotency-replayed'], 'true');
        assert.equal(again.body, first.body);
        assert.equal((await requestRows(o)).length, 1);
        const reused = await call('POST', '/refund', refundBody(o, 11), { headers });
        expectFailure(reused, 422, 'This Idempotency-Key was used for a different request.');
      });
    });
  });
}
