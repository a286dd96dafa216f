// Proves Points refunds move money and points exactly, over HTTP on SQLite and on PostgreSQL:
// twenty concurrent refunds against one order succeed only while money is left, uneven partial
// refunds reverse exactly the order's points, and a reversal may take a wallet below zero.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { newPhone, merchant, api, data, assertError, earn, wallet, seed } = face;

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
      const ledger = await face.t.admin({ method: 'GET', url: `/admin/orders/${order.uuid}` });
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
});
