// Proves the reconciliation store on both stores: runs are listed newest first with a cursor, of
// one scope (merchant and face) or all, older runs have no scope, and the database itself refuses
// a half scope or the admin face as a scope.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EMPTY_SUMMARY } from '../../src/domain/reconciliation.js';
import { storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant } = contract;

  it('lists reconciliation runs newest first with a cursor, of one scope or all', async () => {
    const base = clock.now();
    const { merchant: a } = await merchant('Runs A');
    const { merchant: b } = await merchant('Runs B');
    // Runs 0-1 have no scope (stored before migration 12); then A/points, A/mpg, B/points.
    const scopes = [
      null,
      null,
      { merchantId: a.id, dialect: 'points' },
      { merchantId: a.id, dialect: 'mpg' },
      { merchantId: b.id, dialect: 'points' },
    ] as const;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = `run-${base}-${i}`;
      ids.push(id);
      await contract.t.store.transaction((tx) =>
        tx.insertReconciliationRun({
          id,
          status: 'completed',
          source: 'api',
          scope: scopes[i]!,
          fromAt: 0,
          toAt: 1,
          summary: EMPTY_SUMMARY,
          error: null,
          // Two runs share an instant: the id breaks the tie.
          createdAt: base + Math.floor(i / 2),
          completedAt: null,
          appliedAt: null,
        }),
      );
    }
    const walk = async (filter: { merchantId?: string; dialect?: 'points' | 'mpg' } = {}) => {
      const walked: string[] = [];
      let before: { createdAt: number; id: string } | undefined;
      for (let page = 0; page < 100; page++) {
        const runs = await contract.t.store.read((tx) =>
          tx.listReconciliationRuns({ ...filter, ...(before ? { before } : {}), limit: 2 }),
        );
        walked.push(...runs.map((r) => r.id));
        const last = runs.at(-1);
        if (!last) break;
        before = { createdAt: last.createdAt, id: last.id };
      }
      return walked.filter((id) => id.startsWith(`run-${base}-`));
    };
    assert.deepEqual(await walk(), [...ids].reverse());
    assert.deepEqual(await walk({ merchantId: a.id }), [ids[3], ids[2]]);
    assert.deepEqual(await walk({ merchantId: a.id, dialect: 'points' }), [ids[2]]);
    assert.deepEqual(await walk({ dialect: 'points' }), [ids[4], ids[2]]);
    const stored = await contract.t.store.read((tx) => tx.findReconciliationRun(ids[3]!));
    assert.deepEqual(stored?.scope, { merchantId: a.id, dialect: 'mpg' });
    assert.equal(
      (await contract.t.store.read((tx) => tx.findReconciliationRun(ids[0]!)))?.scope,
      null,
    );
    // The second wall: a scope is both columns or neither, and never the admin face.
    const runSql = (id: string, merchantId: string | null, dialect: string | null) =>
      contract.t.rawExec(
        `INSERT INTO reconciliation_runs (id, status, source, merchant_id, dialect, from_at,
           to_at, summary, created_at) VALUES ('${id}', 'completed', 'api',
           ${merchantId === null ? 'NULL' : `'${merchantId}'`},
           ${dialect === null ? 'NULL' : `'${dialect}'`}, 0, 1, '{}', 0)`,
      );
    await assert.rejects(runSql(`half-${base}`, a.id, null));
    await assert.rejects(runSql(`other-half-${base}`, null, 'points'));
    await assert.rejects(runSql(`admin-${base}`, a.id, 'admin'));
    await runSql(`whole-${base}`, a.id, 'backd');
  });
});
