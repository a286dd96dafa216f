// Proves on both stores that a scoped reconciliation's ledger reads (orders by id, the ledger
// page, the orders missing from the report) hold only the scope's orders: neither another face's
// orders of the same merchant nor another merchant's.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EMPTY_SUMMARY } from '../../src/domain/reconciliation.js';
import { storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant, order } = contract;

  it("reconciliation's ledger reads hold only the scope's orders", async () => {
    const { merchant: a } = await merchant('Scope A');
    const { merchant: b } = await merchant('Scope B');
    const mine = await order(a.id, { dialect: 'points', kind: 'earning' });
    const otherFace = await order(a.id, { dialect: 'mpg', kind: 'card' });
    const otherMerchant = await order(b.id, { dialect: 'points', kind: 'earning' });
    const all = [mine.id, otherFace.id, otherMerchant.id];
    const scope = { merchantId: a.id, dialect: 'points' } as const;
    const runId = `scope-run-${clock.now()}`;
    await contract.t.store.transaction((tx) =>
      tx.insertReconciliationRun({
        id: runId,
        status: 'processing',
        source: 'api',
        scope,
        fromAt: mine.createdAt,
        toAt: mine.createdAt + 1,
        summary: EMPTY_SUMMARY,
        error: null,
        createdAt: clock.now(),
        completedAt: null,
        appliedAt: null,
      }),
    );
    const read = await contract.t.store.read(async (tx) => ({
      found: (await tx.findScopedOrders(scope, all)).map((o) => o.id),
      page: await tx.ledgerOrderPage(scope, mine.createdAt, mine.createdAt + 1, '', 100),
      missing: (
        await tx.ledgerMissingFromReport(runId, scope, all, mine.createdAt, mine.createdAt + 1)
      ).map((m) => m.orderId),
    }));
    assert.deepEqual(read, { found: [mine.id], page: [mine.id], missing: [mine.id] });
  });
});
