// Proves Points orders' refunds on both stores: earned points are reversed cumulatively, so uneven
// partial refunds reverse exactly the total, and a redeem order's refunds split between points and
// cash and return every redeemed point in the end.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { refundOrder } from '../../src/app/order-operations.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { merchant, order } = contract;

  it('reverses earned points cumulatively: three uneven refunds reverse exactly the total', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id, {
      dialect: 'points',
      kind: 'earning',
      amountMinor: 15075,
      totalPoints: 1507,
    });
    let reversed = 0;
    for (const amountMinor of [2500, 7001, 5574]) {
      const r = await execute(
        contract.deps,
        refundOrder({ merchantId: m.id, actor: admin, orderId: o.id, amountMinor }),
      );
      assert.ok(r.ok);
      reversed += r.value.split!.pointsReversed;
    }
    assert.equal(reversed, 1507);
    const stored = await contract.t.store.read((tx) => tx.findOrder(o.id));
    assert.equal(stored?.pointsReversed, 1507);
    assert.equal(stored?.status, 'refunded');
  });

  it('splits a redeem order refund between points and cash, returning all points in the end', async () => {
    const { merchant: m } = await merchant();
    // 150.75 SAR, of which 50.00 paid with 500 points.
    const o = await order(m.id, {
      dialect: 'points',
      kind: 'replacing',
      amountMinor: 15075,
      redeemedMinor: 5000,
      redeemedPoints: 500,
    });
    const first = await execute(
      contract.deps,
      refundOrder({ merchantId: m.id, actor: admin, orderId: o.id, amountMinor: 1000 }),
    );
    assert.ok(first.ok);
    assert.deepEqual(
      {
        value: first.value.split!.pointsValueMinor,
        cash: first.value.split!.cashMinor,
        points: first.value.split!.pointsReturned,
      },
      { value: 332, cash: 668, points: 33 },
    );
    const rest = await execute(
      contract.deps,
      refundOrder({ merchantId: m.id, actor: admin, orderId: o.id }),
    );
    assert.ok(rest.ok);
    assert.equal(rest.value.order.pointsReturned, 500);
    assert.equal(first.value.split!.pointsValueMinor + rest.value.split!.pointsValueMinor, 5000);
  });
});
