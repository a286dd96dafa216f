// Proves migration 12 on a database that already holds reconciliation runs, on both engines: the
// database is built with migrations 1 to 9 only, a run and its finding are stored the old way,
// then the store migrates. The old run reads back with a null scope and its finding intact, and
// applying it is refused (it matched every merchant's orders); a new finding kind (unknown_order)
// and a scoped run are accepted; a half scope is refused.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { TestClock } from '../../src/app/clocks.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import type { Store } from '../../src/app/ports/store.js';
import { applyReconciliation } from '../../src/app/reconciliation-apply.js';
import { MIGRATIONS_TABLE } from '../../src/store/sql/migrate.js';
import { MIGRATIONS } from '../../src/store/sql/migrations/index.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { EMPTY_SUMMARY } from '../../src/domain/reconciliation.js';
import { postgresSkipReason, testDatabaseUrl } from '../support/stores.js';

const BEFORE = MIGRATIONS.filter((m) => m.version < 12);
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
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-m10-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const file = path.join(dataDir, 'unwind.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    db.exec(MIGRATIONS_TABLE);
    for (const m of BEFORE) {
      db.exec(m.sql);
      if (m.sqlite) db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
    }
    db.exec(OLD_ROWS);
    db.close();
    const store = openSqliteStore({ dataDir });
    cleanups.push(() => store.close());
    const exec = async (sql: string) => {
      const raw = new Database(file);
      try {
        raw.exec(sql);
      } finally {
        raw.close();
      }
    };
    await proveUpgrade(store, exec);
  });

  it('postgres: the same', { skip: postgresSkip }, async () => {
    const url = testDatabaseUrl();
    const schema = `unwind_m10_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push(async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    await client.query(MIGRATIONS_TABLE);
    for (const m of BEFORE) {
      await client.query(m.sql);
      if (m.postgres) await client.query(m.postgres);
      await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [m.version, m.name]);
    }
    await client.query(OLD_ROWS);
    const store = openPostgresStore({ connectionString: url, schema, poolSize: 2 });
    cleanups.push(() => store.close());
    await proveUpgrade(store, async (sql) => void (await client.query(sql)));
  });
});
