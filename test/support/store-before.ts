/**
 * A store whose database was built by the migrations before `version` only and holds `oldRows`
 * written the old way, for tests that prove a migration over existing data (test/store/). The
 * store itself is not migrated yet: the test calls `store.migrate()`. `exec` runs SQL on the same
 * database outside the store.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../src/app/ports/store.js';
import { MIGRATIONS_TABLE } from '../../src/store/sql/migrate.js';
import { type Migration, MIGRATIONS } from '../../src/store/sql/migrations/index.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { testDatabaseUrl } from './stores.js';

export interface StoreBefore {
  readonly store: Store;
  exec(sql: string): Promise<void>;
}

type Cleanups = (() => Promise<void>)[];

/** `migrations`: what the store's `migrate` applies (the real list unless given). */
export function sqliteStoreBefore(
  version: number,
  oldRows: string,
  cleanups: Cleanups,
  migrations?: readonly Migration[],
): StoreBefore {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `unwind-m${version}-`));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const file = path.join(dataDir, 'unwind.sqlite');
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  db.exec(MIGRATIONS_TABLE);
  for (const m of MIGRATIONS.filter((m) => m.version < version)) {
    db.exec(m.sql);
    if (m.sqlite) db.exec(m.sqlite);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
  }
  db.exec(oldRows);
  db.close();
  const store = openSqliteStore({ dataDir, ...(migrations ? { migrations } : {}) });
  cleanups.push(() => store.close());
  const exec = async (sql: string) => {
    const raw = new Database(file);
    try {
      raw.exec(sql);
    } finally {
      raw.close();
    }
  };
  return { store, exec };
}

export async function postgresStoreBefore(
  version: number,
  oldRows: string,
  cleanups: Cleanups,
  migrations?: readonly Migration[],
): Promise<StoreBefore> {
  const url = testDatabaseUrl();
  const schema = `unwind_m${version}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  await client.query(MIGRATIONS_TABLE);
  for (const m of MIGRATIONS.filter((m) => m.version < version)) {
    await client.query(m.sql);
    if (m.postgres) await client.query(m.postgres);
    await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [m.version, m.name]);
  }
  await client.query(oldRows);
  const store = openPostgresStore({
    connectionString: url,
    schema,
    poolSize: 2,
    ...(migrations ? { migrations } : {}),
  });
  cleanups.push(() => store.close());
  return { store, exec: async (sql) => void (await client.query(sql)) };
}
