// Proves the Points order state machine over HTTP on SQLite and on PostgreSQL: an order of each
// status, every illegal transition refused with 400 and its exact message while the order stays
// as it was, cancel's default reason and released points, the refund window, and the shipping
// status with its labels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_S, type Merchant, pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { merchant, api, data, assertError, assertInvalid, earn, wallet, redeemOrder } = face;

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
      const events = await face.t.admin({
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
      await face.t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: 30 * DAY_S },
      });
      assertError(
        await api(m, 'POST', `/orders/${late.uuid}/refund`, {}),
        400,
        'Refund window has expired.',
      );
      await face.t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: -30 * DAY_S },
      });
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
});
