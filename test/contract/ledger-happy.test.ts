// Proves the ledger's core path on both stores, driving the real use cases: migrations apply once,
// a whole lifecycle (authorize, partial capture, void, refunds) keeps the order's totals equal to
// its ledger rows' sums with one event per change, cancel works only before capture, and committed
// data survives a restart.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import {
  authorizeOrder,
  cancelOrder,
  captureOrder,
  refundOrder,
  voidOrder,
} from '../../src/app/order-operations.js';
import type { Store } from '../../src/app/ports/store.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { merchant, order, sums } = contract;

  it('applies migrations once and reports ready', async () => {
    assert.deepEqual(await contract.t.store.migrate(), []);
    assert.equal(await contract.t.store.ready(), true);
  });

  it('walks authorize, partial capture, void, refunds; totals equal the ledger sums', async () => {
    const { merchant: m } = await merchant();
    const created = await order(m.id, { amountMinor: 10000, capture: 'none' });
    assert.equal(created.status, 'pending');
    const id = created.id;
    const steps = [
      [authorizeOrder({ merchantId: m.id, actor: admin, orderId: id }), 'authorized'],
      [
        captureOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 6000 }),
        'captured',
      ],
      [voidOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 4000 }), 'captured'],
      [
        refundOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 2500 }),
        'partially_refunded',
      ],
      [
        refundOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 2500 }),
        'partially_refunded',
      ],
    ] as const;
    for (const [useCase, status] of steps) {
      const r = await execute(contract.deps, useCase);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.value.order.status, status);
    }
    const tooMuch = await execute(
      contract.deps,
      refundOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 1001 }),
    );
    assert.deepEqual(tooMuch, {
      ok: false,
      error: { code: 'refund.exceeds_refundable', details: { refundableMinor: 1000 } },
    });
    const rest = await execute(
      contract.deps,
      refundOrder({ merchantId: m.id, actor: admin, orderId: id }),
    );
    assert.ok(rest.ok);
    assert.equal(rest.value.order.status, 'refunded');
    const stored = await contract.t.store.read((tx) => tx.findOrder(id));
    assert.ok(stored);
    assert.deepEqual(await sums(id), {
      captured: stored.capturedMinor,
      refunded: stored.refundedMinor,
      voided: stored.voidedMinor,
      authorized: stored.authorizedMinor,
    });
    assert.deepEqual(
      [stored.authorizedMinor, stored.capturedMinor, stored.voidedMinor, stored.refundedMinor],
      [10000, 6000, 4000, 6000],
    );
    // Exactly one event per state change: create + 6 successful operations.
    const events = await contract.t.store.read((tx) => tx.listEvents({ orderId: id, limit: 100 }));
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'order.created',
        'order.authorized',
        'order.captured',
        'order.voided',
        'order.refunded',
        'order.refunded',
        'order.refunded',
      ],
    );
    assert.equal(events.at(-1)?.statusBefore, 'partially_refunded');
    assert.equal(events.at(-1)?.statusAfter, 'refunded');
  });

  it('cancels only before capture, releasing the reservation; refusals write nothing', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id, { capture: 'authorize' });
    const cancelled = await execute(
      contract.deps,
      cancelOrder({ merchantId: m.id, actor: admin, orderId: o.id, reason: 'Customer asked' }),
    );
    assert.ok(cancelled.ok);
    assert.equal(cancelled.value.order.status, 'cancelled');
    assert.equal(cancelled.value.order.voidedMinor, 1000);
    const again = await execute(
      contract.deps,
      cancelOrder({ merchantId: m.id, actor: admin, orderId: o.id }),
    );
    assert.deepEqual(again, { ok: false, error: { code: 'order.already_cancelled' } });
    const refund = await execute(
      contract.deps,
      refundOrder({ merchantId: m.id, actor: admin, orderId: o.id }),
    );
    assert.deepEqual(refund, { ok: false, error: { code: 'order.cancelled' } });

    const captured = await order(m.id);
    const refused = await execute(
      contract.deps,
      cancelOrder({ merchantId: m.id, actor: admin, orderId: captured.id }),
    );
    assert.deepEqual(refused, { ok: false, error: { code: 'order.already_captured' } });
    const events = await contract.t.store.read((tx) =>
      tx.listEvents({ orderId: captured.id, limit: 10 }),
    );
    assert.equal(events.length, 1, 'a refused command writes no event');
  });

  it('keeps committed data across a restart', async () => {
    const { merchant: m } = await merchant('Durable');
    const o = await order(m.id);
    const reopened: Store = await contract.reopen();
    const found = await reopened.read((tx) => tx.findOrder(o.id));
    assert.equal(found?.capturedMinor, 1000);
    assert.equal((await reopened.read((tx) => tx.findMerchant(m.id)))?.name, 'Durable');
  });
});
