// Proves on both stores that an operator's order operation on a Points or MPG order stays inside
// that face's lifecycle, so the face's own records show it: Points has no void (its cancel returns
// the redeemed points to the wallet), never cancels what it shows approved, and captures the whole
// authorization; MPG's capture, void and refund by an operator carry MPG's references and are
// found by MPG's search, and MPG has no cancel or later authorize. Each case is asserted through
// the face's own API (Points' GET /orders/:uuid and wallets, MPG's order object and list).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import { redeemViaCheckout } from '../support/points.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

interface Keys {
  id: string;
  points: { api_key: string; public_key: string };
  mpg: { api_key: string };
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`operators inside the Points and MPG lifecycles: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let keys: Keys;
    let phoneSeq = 0;
    before(async () => {
      t = await startTestApp(factory);
      const m = await t.call<{ id: string; credentials: Omit<Keys, 'id'> }>(
        {
          method: 'POST',
          url: '/admin/merchants',
          payload: {
            name: 'Shop',
            currency: 'SAR',
            // Its checkouts leave the order `new` for the merchant's own /authorize.
            settings: { checkout_capture: 'manual' },
          },
        },
        201,
      );
      keys = { id: m!.id, ...m!.credentials };
    });
    after(async () => t?.close());

    const adminOp = (orderId: string, op: string, payload: Record<string, unknown> = {}) =>
      t.admin({ method: 'POST', url: `/admin/orders/${orderId}/${op}`, payload });
    const refusedAs = async (
      res: Awaited<ReturnType<typeof adminOp>>,
      code: string,
      details?: Record<string, unknown>,
    ) => {
      assert.equal(res.statusCode, 409, res.body);
      const error = res.json().error as { code: string; details?: unknown };
      assert.equal(error.code, code);
      if (details) assert.deepEqual(error.details, details);
    };

    describe('Points', () => {
      const points = async (method: 'GET' | 'POST', path: string, payload?: object) => {
        const res = await t.app.inject({
          method,
          url: `/points/api/v1${path}`,
          headers: { 'x-api-key': keys.points.api_key },
          ...(payload ? { payload } : {}),
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().data as { order_status: string; uuid: string };
      };
      const balance = async (phone: string) =>
        (await t.call<{ balance: number }>(
          { method: 'GET', url: `/admin/points/customers/${phone}` },
          200,
        ))!.balance;
      /** A replacing order paid with 100 points, then authorized through Points. */
      const authorizedRedeem = async () => {
        const phone = `5000000${String(++phoneSeq).padStart(2, '0')}`;
        await t.call(
          {
            method: 'POST',
            url: '/admin/points/customers',
            payload: { phone_number: phone, balance: 1000 },
          },
          201,
        );
        const uuid = await redeemViaCheckout(
          t,
          keys.points.public_key,
          { total_price: 50, order_number: `R-${phoneSeq}` },
          { phoneNumber: phone, redeemPoints: 100 },
        );
        await points('POST', `/orders/${uuid}/authorize`);
        return { uuid, phone };
      };

      it("refuses a void (Points has none); the operator's cancel returns the points", async () => {
        const { uuid, phone } = await authorizedRedeem();
        assert.equal(await balance(phone), 900);
        const voided = await adminOp(uuid, 'void');
        await refusedAs(voided, 'order.not_in_lifecycle', { dialect: 'points', operation: 'void' });
        assert.equal(
          voided.json().error.message,
          "Points orders have no void: cancel it instead (Points' cancel releases the reservation and returns redeemed points).",
        );
        assert.equal((await points('GET', `/orders/${uuid}`)).order_status, 'authorized');
        assert.equal(await balance(phone), 900);

        const cancelled = await adminOp(uuid, 'cancel', { reason: 'Customer asked' });
        assert.equal(cancelled.statusCode, 200, cancelled.body);
        assert.equal((await points('GET', `/orders/${uuid}`)).order_status, 'cancelled');
        assert.equal(await balance(phone), 1000, 'the redeemed points are back');
      });

      it('captures only the whole authorization, as Points does', async () => {
        const { uuid } = await authorizedRedeem();
        await refusedAs(
          await adminOp(uuid, 'capture', { amount_minor: 1000 }),
          'order.not_in_lifecycle',
          { dialect: 'points', operation: 'partial_capture' },
        );
        const captured = await adminOp(uuid, 'capture', {});
        assert.equal(captured.statusCode, 200, captured.body);
        assert.equal((await points('GET', `/orders/${uuid}`)).order_status, 'captured');
      });

      it('refuses to cancel what Points shows approved (a rating award keeps its points)', async () => {
        await t.call(
          {
            method: 'POST',
            url: '/admin/points/customers',
            payload: { phone_number: '500000099', balance: 0 },
          },
          201,
        );
        const award = await points('POST', '/orders/earning/store-rating', {
          phone_number: '0500000099',
          review_reference: 'rev-admin-1',
          rating: 5,
        });
        assert.equal(award.order_status, 'approved');
        await refusedAs(await adminOp(award.uuid, 'cancel'), 'order.already_captured');
        assert.equal((await points('GET', `/orders/${award.uuid}`)).order_status, 'approved');
        assert.equal(await balance('500000099'), 50);
      });
    });

    describe('MPG', () => {
      const mpg = async (method: 'GET' | 'POST', path: string, payload?: object) => {
        const res = await t.app.inject({
          method,
          url: `/mpg${path}`,
          headers: { authorization: `Bearer ${keys.mpg.api_key}` },
          ...(payload ? { payload } : {}),
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json();
      };
      const create = (operation: 'authorize' | 'purchase') =>
        mpg('POST', `/v1/orders/${operation}`, {
          amount: 10000,
          currency: 'SAR',
          description: 'Order 1',
          source: {
            type: 'card',
            number: '4111111111111111',
            month: 12,
            year: 2030,
            security_code: '123',
          },
          device: { user_agent: 'curl', ip_address: '192.0.2.1' },
        });
      type MpgTransaction = {
        id: string;
        type: string;
        status: string;
        amount: number;
        retrieval_reference: string | null;
        stan: string | null;
        response_code: string | null;
        auth_code: string | null;
        message: string | null;
      };
      /** The operator's row as MPG shows it, found again by MPG's search on its reference. */
      const mpgRowOf = async (orderId: string, transactionId: string) => {
        const order = await mpg('GET', `/v1/orders/${orderId}`);
        const row = (order.transactions as MpgTransaction[]).find((x) => x.id === transactionId);
        assert.ok(row, JSON.stringify(order.transactions));
        assert.match(row.retrieval_reference ?? '', /^\d{12}$/);
        assert.match(row.stan ?? '', /^\d{6}$/);
        assert.equal(row.response_code, '00');
        assert.equal(row.message, 'APPROVED');
        const found = await mpg('GET', `/v1/orders?retrieval_reference=${row.retrieval_reference}`);
        assert.deepEqual(
          found.orders.map((o: { id: string }) => o.id),
          [orderId],
        );
        return row;
      };

      it("captures, voids and refunds as MPG's own operations, with MPG's references", async () => {
        const authorized = await create('authorize');
        const capture = await adminOp(authorized.id, 'capture', { amount_minor: 6000 });
        assert.equal(capture.statusCode, 200, capture.body);
        const [captureRow] = capture.json().transactions as { id: string; actor: string }[];
        assert.equal(captureRow!.actor, 'admin');
        const captured = await mpgRowOf(authorized.id, captureRow!.id);
        assert.deepEqual([captured.type, captured.amount], ['capture', 6000]);
        assert.match(captured.auth_code ?? '', /^.{6}$/);

        const voided = await adminOp(authorized.id, 'void', {});
        assert.equal(voided.statusCode, 200, voided.body);
        const voidRow = await mpgRowOf(authorized.id, voided.json().transactions[0].id);
        assert.deepEqual([voidRow.type, voidRow.amount], ['void', 4000]);

        const refunded = await adminOp(authorized.id, 'refund', { amount_minor: 2500 });
        assert.equal(refunded.statusCode, 200, refunded.body);
        const refundRow = await mpgRowOf(authorized.id, refunded.json().transactions[0].id);
        assert.deepEqual(
          [refundRow.type, refundRow.amount, refundRow.auth_code],
          ['refund', 2500, null],
        );
        const order = await mpg('GET', `/v1/orders/${authorized.id}`);
        assert.deepEqual(
          [order.captured_amount, order.voided_amount, order.refunded_amount],
          [6000, 4000, 2500],
        );
      });

      it('refuses a cancel and a later authorize, which MPG has not', async () => {
        const authorized = await create('authorize');
        await refusedAs(await adminOp(authorized.id, 'cancel'), 'order.not_in_lifecycle', {
          dialect: 'mpg',
          operation: 'cancel',
        });
        const purchased = await create('purchase');
        await refusedAs(await adminOp(purchased.id, 'authorize'), 'order.not_in_lifecycle', {
          dialect: 'mpg',
          operation: 'authorize',
        });
        const order = await mpg('GET', `/v1/orders/${authorized.id}`);
        assert.deepEqual(
          (order.transactions as MpgTransaction[]).map((x) => x.type),
          ['authorize'],
        );
      });
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
