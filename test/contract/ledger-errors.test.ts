// Proves the ledger refuses what must never happen, on both stores: fifty concurrent refunds never
// refund more than was captured, racing creations never share an order number, the database's
// CHECK constraints and append-only triggers hold the invariants behind the code, and a failing
// transaction among concurrent ones leaves no trace while the rest commit.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { createOrder } from '../../src/app/create-order.js';
import { refundOrder } from '../../src/app/order-operations.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant, order, sums } = contract;

  it('fifty concurrent partial refunds never refund more than was captured', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id, { amountMinor: 1000 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        execute(
          contract.deps,
          refundOrder({ merchantId: m.id, actor: admin, orderId: o.id, amountMinor: 30 }),
        ),
      ),
    );
    const won = results.filter((r) => r.ok).length;
    const lost = results.filter((r) => !r.ok);
    assert.equal(won, 33);
    assert.equal(lost.length, 17);
    for (const r of lost) assert.equal(!r.ok && r.error.code, 'refund.exceeds_refundable');
    const stored = await contract.t.store.read((tx) => tx.findOrder(o.id));
    assert.equal(stored?.refundedMinor, 990);
    assert.equal((await sums(o.id)).refunded, 990);
  });

  it('refuses a duplicate order number, also when two creations race', async () => {
    const { merchant: m } = await merchant();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        execute(
          contract.deps,
          createOrder({
            merchantId: m.id,
            actor: admin,
            dialect: 'admin',
            kind: 'standard',
            amountMinor: 500,
            capture: 'purchase',
            orderNumber: 'ORD-1',
          }),
        ),
      ),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results.filter((x) => !x.ok)) {
      assert.deepEqual(r, {
        ok: false,
        error: { code: 'order.duplicate_reference', details: { field: 'order_number' } },
      });
    }
  });

  it('holds the invariants in the database itself, behind the code', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    // Each engine names the broken rule: "CHECK constraint failed" (SQLite), "violates check
    // constraint" (PostgreSQL), and the append-only triggers' own message on both.
    const check = /check constraint/i;
    await assert.rejects(
      contract.t.rawExec(`UPDATE orders SET refunded_minor = 2000 WHERE id = '${o.id}'`),
      check,
    );
    await assert.rejects(
      contract.t.rawExec(`UPDATE orders SET voided_minor = 1 WHERE id = '${o.id}'`),
      check,
    );
    await assert.rejects(
      contract.t.rawExec(`UPDATE orders SET status = 'refunded' WHERE id = '${o.id}'`),
      check,
    );
    await assert.rejects(
      contract.t.rawExec(`UPDATE transactions SET amount_minor = 1 WHERE order_id = '${o.id}'`),
      /append-only/,
    );
    await assert.rejects(
      contract.t.rawExec(`DELETE FROM transactions WHERE order_id = '${o.id}'`),
      /append-only/,
    );
    await assert.rejects(
      contract.t.store.transaction((tx) => tx.updateOrder({ ...o, version: o.version + 5 })),
      /changed under a lock/,
    );
  });

  it('isolates a failing transaction among concurrent ones: it leaves no trace, the rest commit', async () => {
    const settings = Array.from({ length: 12 }, (_, i) => `group-${i}`);
    const results = await Promise.allSettled(
      settings.map((name, i) =>
        contract.t.store.transaction(async (tx) => {
          await tx.putSetting(name, 'written', clock.now());
          // Every third one fails after writing, as a bug or a lost race would.
          if (i % 3 === 1) throw new Error(`fail ${name}`);
          return name;
        }),
      ),
    );
    const rows = await contract.t.rawRows('settings');
    const written = new Set(rows.map((r) => String(r['name'])));
    settings.forEach((name, i) => {
      const failed = i % 3 === 1;
      assert.equal(results[i]!.status, failed ? 'rejected' : 'fulfilled', name);
      assert.equal(written.has(name), !failed, name);
    });
  });
});
