// Proves over HTTP, on SQLite and on PostgreSQL, Points' pending earnings: an earning (or a rating)
// for a phone without an activated account answers the PendingEarningResponse and opens no
// wallet; the same request again is the same queued earning, another under its number is a
// duplicate, and a checkout cannot take its number. Activating the account awards every queued
// earning in the activation's transaction: an operator opening the wallet through the admin API,
// or the customer proving the phone at the hosted checkout. The awarded order is the earning's
// (approved, its points in the wallet) and a retry of the earning finds it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from './points-face.js';

interface Pending {
  pending_client_activation: boolean;
  pending_earning_order: Record<string, unknown>;
}

await pointsFaceSuite((face) => {
  const { merchant, api, data, assertInvalid, newPhone, wallet } = face;
  const earning = (phone: string, orderNumber: string, totalPrice = 150.75) => ({
    phone_number: `0${phone}`,
    total_price: totalPrice,
    order_number: orderNumber,
    products: [{ product_name: 'Perfume', product_price: totalPrice, quantity: 1 }],
  });
  const pendingOf = (res: { statusCode: number; body: string; json(): unknown }): Pending => {
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { status: boolean; data: Pending };
    assert.equal(body.status, true);
    return body.data;
  };
  const walletStatus = async (phone: string) =>
    (await face.t.admin({ method: 'GET', url: `/admin/points/customers/${phone}` })).statusCode;

  describe('pending earnings', () => {
    it('queues without a wallet; replays; refuses a duplicate; an operator activates', async () => {
      const m = await merchant();
      const phone = newPhone();
      const first = pendingOf(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-1')));
      assert.equal(first.pending_client_activation, true);
      const queued = first.pending_earning_order;
      assert.ok(Number.isSafeInteger(queued['id']));
      assert.deepEqual(queued, {
        id: queued['id'],
        merchant_order_number: 'PE-1',
        total_price: 150.75,
        total_points: 1507,
      });
      assert.equal(await walletStatus(phone), 404, 'no wallet was opened');
      const again = pendingOf(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-1')));
      assert.deepEqual(again, first);
      assertInvalid(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-1', 10)), {
        order_number: ['The order number has already been taken.'],
      });
      const rating = pendingOf(
        await api(m, 'POST', '/orders/earning/store-rating', {
          phone_number: phone,
          review_reference: 'rv-1',
        }),
      );
      assert.deepEqual(rating.pending_earning_order, {
        id: rating.pending_earning_order['id'],
        merchant_order_number: 'rv-1',
        total_price: 0,
        total_points: 50,
      });
      assertInvalid(
        await api(m, 'POST', '/orders/earning/store-rating', {
          phone_number: phone,
          review_reference: 'rv-1',
        }),
        { review_reference: ['The review reference has already been taken.'] },
      );
      const checkout = await face.inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${m.publicKey}`,
        payload: { total_price: 5, order_number: 'PE-1' },
      });
      assertInvalid(checkout, { order_number: ['The order number has already been taken.'] });

      const opened = await face.t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: phone, balance: 100 },
      });
      assert.equal(opened.statusCode, 201, opened.body);
      const after = await wallet(phone);
      assert.equal(after.balance, 100 + 1507 + 50);
      assert.deepEqual(after.ledger.map((e) => e.type).sort(), ['adjustment', 'award', 'award']);
      const order = data(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-1')));
      assert.equal(order.order_status, 'approved');
      assert.equal(order.total_points, 1507);
      assert.equal(order.order_number, 'PE-1');
      assert.equal((await wallet(phone)).balance, 1657, 'the retry awards nothing again');
    });

    it('the customer proving the phone at the hosted checkout activates it', async () => {
      const m = await merchant();
      const phone = newPhone();
      pendingOf(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-2', 20)));
      pendingOf(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-3', 30)));
      assert.equal(await walletStatus(phone), 404);
      await face.redeemOrder(m, 10, 0, phone);
      const after = await wallet(phone);
      assert.equal(after.balance, 200 + 300);
      assert.equal(after.ledger.filter((e) => e.type === 'award').length, 2);
      const awarded = data(await api(m, 'POST', '/orders/earning', earning(phone, 'PE-3', 30)));
      assert.equal(awarded.total_points, 300);
    });
  });
});
