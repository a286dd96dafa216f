// Proves what the admin API's orders refuse, over HTTP on SQLite and on PostgreSQL, and that a
// refusal changes nothing (the order, its version, its rows and its events stay as they were):
// unknown merchants and orders (404), invalid fields and amounts past the bound (422), duplicate
// order numbers, amounts over what is left, and every operation out of turn for each status (409).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BOUNDS } from '../../../src/domain/bounds.js';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  expectError,
  expectIssue,
  getOrder,
  operate,
  rejects,
  succeed,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('orders', () => {
    const app = appPerSuite(factory);
    let merchantId = '';
    before(async () => {
      merchantId = (await createMerchant(app(), { name: 'Order Shop' })).id;
    });

    it('an order for an unknown merchant is 404 merchant.not_found', async () => {
      const res = await app().admin({
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: 'no-such-merchant', amount_minor: 100 },
      });
      expectError(res, 404, 'merchant.not_found');
    });

    it('an order in a currency missing from ISO 4217 is 422 validation.failed', async () => {
      const res = await app().admin({
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: merchantId, amount_minor: 100, currency: 'XAU' },
      });
      expectError(res, 422, 'validation.failed');
    });

    it('a repeated order_number is 409 order.duplicate_reference; another merchant may reuse it', async () => {
      await createOrder(app(), merchantId, 100, 'purchase', { order_number: 'INV-1' });
      const res = await app().admin({
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: merchantId, amount_minor: 100, order_number: 'INV-1' },
      });
      const error = expectError(res, 409, 'order.duplicate_reference');
      assert.deepEqual(error.details, { field: 'order_number' });
      const other = await createMerchant(app(), { name: 'Other Shop' });
      const o = await createOrder(app(), other.id, 100, 'purchase', { order_number: 'INV-1' });
      assert.equal(o.order_number, 'INV-1');
    });

    it('an invalid order is 422 at the failing field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ amount_minor: 100 }, 'merchant_id'],
        [{ merchant_id: '', amount_minor: 100 }, 'merchant_id'],
        [{ merchant_id: merchantId }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: -1 }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: 10.5 }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: '10' }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: null }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: 2 ** 53 }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: 1e300 }, 'amount_minor'],
        [{ merchant_id: merchantId, amount_minor: 1, capture: 'later' }, 'capture'],
        [{ merchant_id: merchantId, amount_minor: 1, currency: 'usd' }, 'currency'],
        [{ merchant_id: merchantId, amount_minor: 1, reason: 'r'.repeat(501) }, 'reason'],
        [{ merchant_id: merchantId, amount_minor: 1, order_number: '' }, 'order_number'],
        [{ merchant_id: merchantId, amount_minor: 1, kind: 'bnpl' }, ''],
      ];
      for (const [payload, path] of cases) {
        expectIssue(await app().admin({ method: 'POST', url: '/admin/orders', payload }), path);
      }
    });

    it('an amount at the bound is accepted; one minor unit more is 422', async () => {
      const o = await createOrder(app(), merchantId, BOUNDS.amountMinorMax);
      assert.equal(o.amount_minor, 1_000_000_000_000);
      assert.equal(o.amount, '10000000000.00');
      assert.equal((await getOrder(app(), o.id)).captured_minor, BOUNDS.amountMinorMax);
      for (const payload of [
        `{"merchant_id":"${merchantId}","amount_minor":1000000000001}`,
        `{"merchant_id":"${merchantId}","amount_minor":9007199254740993}`,
      ]) {
        const res = await app().admin({
          method: 'POST',
          url: '/admin/orders',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectIssue(res, 'amount_minor');
      }
      const refund = await app().admin({
        method: 'POST',
        url: `/admin/orders/${o.id}/refund`,
        payload: { amount_minor: BOUNDS.amountMinorMax + 1 },
      });
      expectIssue(refund, 'amount_minor');
    });

    it('refund more than refundable is 409 refund.exceeds_refundable with refundableMinor', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      await succeed(t, o.id, 'refund', { amount_minor: 250 });
      await rejects(t, o.id, 'refund', { amount_minor: 751 }, 409, 'refund.exceeds_refundable', {
        refundableMinor: 750,
      });
    });

    it('capture more than capturable is 409 capture.exceeds_capturable with capturableMinor', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      await succeed(t, o.id, 'capture', { amount_minor: 300 });
      await rejects(t, o.id, 'capture', { amount_minor: 701 }, 409, 'capture.exceeds_capturable', {
        capturableMinor: 700,
      });
    });

    it('void more than voidable is 409 void.exceeds_voidable with voidableMinor', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      await succeed(t, o.id, 'void', { amount_minor: 100 });
      await rejects(t, o.id, 'void', { amount_minor: 901 }, 409, 'void.exceeds_voidable', {
        voidableMinor: 900,
      });
    });

    it('a captured order: cancel 409 order.already_captured, authorize 409, capture/void have nothing left', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      await rejects(t, o.id, 'cancel', undefined, 409, 'order.already_captured');
      await rejects(t, o.id, 'authorize', undefined, 409, 'order.already_captured');
      await rejects(t, o.id, 'capture', undefined, 409, 'order.already_captured');
      await rejects(t, o.id, 'void', undefined, 409, 'order.nothing_to_void');
    });

    it('a pending order: refund 409 order.not_captured; capture and void 409 order.not_authorized', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'none');
      await rejects(t, o.id, 'refund', { amount_minor: 10 }, 409, 'order.not_captured');
      await rejects(t, o.id, 'refund', undefined, 409, 'order.not_captured');
      await rejects(t, o.id, 'capture', { amount_minor: 10 }, 409, 'order.not_authorized');
      await rejects(t, o.id, 'void', undefined, 409, 'order.not_authorized');
    });

    it('an authorized order: refund 409 order.not_captured; authorize 409 order.already_authorized', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      await rejects(t, o.id, 'refund', { amount_minor: 10 }, 409, 'order.not_captured');
      await rejects(t, o.id, 'authorize', undefined, 409, 'order.already_authorized');
    });

    it('a voided order: every operation is refused, mostly as order.nothing_to_void', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      assert.equal((await succeed(t, o.id, 'void')).status, 'voided');
      await rejects(t, o.id, 'void', undefined, 409, 'order.nothing_to_void');
      await rejects(t, o.id, 'capture', undefined, 409, 'order.nothing_to_void');
      await rejects(t, o.id, 'cancel', undefined, 409, 'order.nothing_to_void');
      await rejects(t, o.id, 'authorize', undefined, 409, 'order.nothing_to_void');
      await rejects(t, o.id, 'refund', undefined, 409, 'order.not_captured');
    });

    it('a cancelled order: cancel 409 order.already_cancelled, anything else 409 order.cancelled', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      await succeed(t, o.id, 'cancel');
      await rejects(t, o.id, 'cancel', undefined, 409, 'order.already_cancelled');
      await rejects(t, o.id, 'capture', { amount_minor: 1 }, 409, 'order.cancelled');
      await rejects(t, o.id, 'void', undefined, 409, 'order.cancelled');
      await rejects(t, o.id, 'refund', { amount_minor: 1 }, 409, 'order.cancelled');
      await rejects(t, o.id, 'authorize', undefined, 409, 'order.cancelled');
    });

    it('a refunded order: refund 409 order.already_fully_refunded, cancel 409 order.already_refunded', async () => {
      const t = app();
      const partly = await createOrder(t, merchantId, 1000);
      await succeed(t, partly.id, 'refund', { amount_minor: 1 });
      await rejects(t, partly.id, 'cancel', undefined, 409, 'order.already_refunded');

      const o = await createOrder(t, merchantId, 1000);
      await succeed(t, o.id, 'refund');
      await rejects(t, o.id, 'refund', { amount_minor: 1 }, 409, 'order.already_fully_refunded');
      await rejects(t, o.id, 'refund', undefined, 409, 'order.already_fully_refunded');
      await rejects(t, o.id, 'cancel', undefined, 409, 'order.already_refunded');
      await rejects(t, o.id, 'capture', undefined, 409, 'order.already_fully_refunded');
    });

    it('an invalid amount on capture, void or refund is 422 at amount_minor and changes nothing', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      await succeed(t, o.id, 'capture', { amount_minor: 500 });
      const before = await getOrder(t, o.id);
      const bad: unknown[] = [-1, 0, 10.5, '10', null, true, 2 ** 53, 1e300, [10], { minor: 10 }];
      for (const op of ['capture', 'void', 'refund'] as const) {
        for (const amount of bad) {
          const res = await operate(t, o.id, op, { amount_minor: amount });
          expectIssue(res, 'amount_minor');
        }
        const raw = await t.admin({
          method: 'POST',
          url: `/admin/orders/${o.id}/${op}`,
          headers: { 'content-type': 'application/json' },
          payload: '{"amount_minor":9007199254740993}',
        });
        expectIssue(raw, 'amount_minor');
      }
      assert.deepEqual(await getOrder(t, o.id), before);
    });

    it('an unknown field on an operation is 422, and cancel takes no amount', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000, 'authorize');
      expectIssue(await operate(t, o.id, 'cancel', { amount_minor: 5 }), '');
      expectIssue(await operate(t, o.id, 'authorize', { amount_minor: 5 }), '');
      expectIssue(await operate(t, o.id, 'refund', { amount: 5 }), '');
      expectIssue(await operate(t, o.id, 'refund', { reason: 'r'.repeat(501) }), 'reason');
      assert.equal((await getOrder(t, o.id)).version, 0);
    });

    it('an unknown order id is 404 order.not_found on read and on every operation', async () => {
      const t = app();
      for (const id of ['no-such-order', '01900000-0000-7000-8000-000000000000']) {
        expectError(
          await t.admin({ method: 'GET', url: `/admin/orders/${id}` }),
          404,
          'order.not_found',
        );
        for (const op of ['authorize', 'capture', 'void', 'cancel', 'refund'] as const) {
          const body = op === 'cancel' || op === 'authorize' ? undefined : { amount_minor: 10 };
          expectError(await operate(t, id, op, body), 404, 'order.not_found');
        }
      }
    });
  });
});
