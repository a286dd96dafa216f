// Proves migration 12 on a database that already holds reconciliation runs, on both engines: the
// database is built with migrations 1 to 9 only, a run and its finding are stored the old way,
// then the store migrates. The old run reads back with a null scope and its finding intact, and
// applying it is refused (it matched every merchant's orders); a new finding kind (unknown_order)
// and a scoped run are accepted; a half scope is refused.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TestClock } from '../../src/app/clocks.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import type { Store } from '../../src/app/ports/store.js';
import { applyReconciliation } from '../../src/app/reconciliation-apply.js';
import { MIGRATIONS } from '../../src/store/sql/migrations/index.js';
import { EMPTY_SUMMARY } from '../../src/domain/reconciliation.js';
import { postgresStoreBefore, sqliteStoreBefore } from '../support/store-before.js';
import { postgresSkipReason } from '../support/stores.js';

const postgresSkip = await postgresSkipReason();

/** A merchant, a run and one finding, as migration 11's schema stores them. */
const OLD_ROWS = `
INSERT INTO merchants (id, name, currency, settings, created_at, updated_at)
  VALUES ('m-1', 'Old Shop', 'SAR', '{}', 0, 0);
INSERT INTO reconciliation_runs (id, status, source, from_at, to_at, summary, created_at)
  VALUES ('run-old', 'completed', 'api', 0, 1, '${JSON.stringify(EMPTY_SUMMARY)}', 5);
INSERT INTO reconciliation_findings (run_id, seq, kind, message, action, updated_at)
  VALUES ('run-old', 1, 'missing_in_unwind', 'no such order in Unwind', 'none', 5);
`;

async function proveUpgrade(store: Store, exec: (sql: string) => Promise<void>): Promise<void> {
  assert.deepEqual(
    await store.migrate(),
    MIGRATIONS.filter((m) => m.version >= 12).map((m) => m.version),
  );
  const old = await store.read((tx) => tx.findReconciliationRun('run-old'));
  assert.equal(old?.scope, null);
  assert.equal(old?.source, 'api');
  const findings = await store.read((tx) => tx.listFindings('run-old', 0, 10));
  assert.deepEqual(
    findings.map((f) => [f.seq, f.kind, f.message]),
    [[1, 'missing_in_unwind', 'no such order in Unwind']],
  );
  const clock = new TestClock(Date.UTC(2026, 10, 23, 12));
  const applied = await applyReconciliation(
    { store, clock, newId: uuidV7Generator(clock) },
    'run-old',
  );
  assert.equal(applied.ok, false);
  assert.equal(!applied.ok && applied.error.code, 'reconciliation.not_applicable');
  await exec(
    `INSERT INTO reconciliation_findings (run_id, seq, kind, message, action, updated_at)
       VALUES ('run-old', 2, 'unknown_order', 'x', 'none', 6)`,
  );
  await exec(
    `UPDATE reconciliation_runs SET merchant_id = 'm-1', dialect = 'points' WHERE id = 'run-old'`,
  );
  const scoped = await store.read((tx) => tx.findReconciliationRun('run-old'));
  assert.deepEqual(scoped?.scope, { merchantId: 'm-1', dialect: 'points' });
  await assert.rejects(exec(`UPDATE reconciliation_runs SET dialect = NULL`));
  await assert.rejects(
    exec(
      `INSERT INTO reconciliation_findings (run_id, seq, kind, message, action, updated_at)
         VALUES ('run-old', 3, 'out_of_scope', 'x', 'none', 6)`,
    ),
  );
}

describe('migration 12 (reconciliation scope) over existing runs', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('sqlite: old runs get a null scope; findings survive the table rebuild', async () => {
    const { store, exec } = sqliteStoreBefore(12, OLD_ROWS, cleanups);
    await proveUpgrade(store, exec);
  });

  it('postgres: the same', { skip: postgresSkip }, async () => {
    const { store, exec } = await postgresStoreBefore(12, OLD_ROWS, cleanups);
    await proveUpgrade(store, exec);
  });
});
