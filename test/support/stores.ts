/**
 * Store factories for tests. SQLite gets a fresh temporary directory; PostgreSQL gets a fresh
 * schema on TEST_DATABASE_URL (default: the local server these machines run), dropped afterwards,
 * so runs never collide and leave nothing behind. When PostgreSQL does not answer, its tests are
 * skipped with a loud message, unless UNWIND_REQUIRE_POSTGRES=1 (set by .ci/run) makes that fail.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
// Every suite with a store changes orders: the dialects' hooks are registered as src/main.ts does.
import '../../src/app/dialects.js';
import type { Store } from '../../src/app/ports/store.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const testDatabaseUrl = (): string =>
  process.env['TEST_DATABASE_URL'] || DEFAULT_TEST_DATABASE_URL;

export interface TestStore {
  readonly engine: 'sqlite' | 'postgres';
  readonly store: Store;
  /** Every row of a table, read around the store, to check what is really on disk. */
  rawRows(table: string): Promise<Record<string, unknown>[]>;
  /** Runs SQL around the store (to prove the database's own constraints). */
  rawExec(sql: string): Promise<void>;
  /** Closes and opens the store again on the same data. */
  reopen(): Promise<Store>;
  /** Environment for a child server process using the same data. */
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface StoreFactory {
  readonly engine: 'sqlite' | 'postgres';
  create(options?: { poolSize?: number }): Promise<TestStore>;
}

export const sqliteFactory: StoreFactory = {
  engine: 'sqlite',
  async create() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-test-'));
    let store = openSqliteStore({ dataDir });
    await store.migrate();
    const raw = () => new Database(path.join(dataDir, 'unwind.sqlite'));
    return {
      engine: 'sqlite',
      get store() {
        return store;
      },
      async rawRows(table) {
        const db = raw();
        try {
          return db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      },
      async rawExec(sql) {
        const db = raw();
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      async reopen() {
        await store.close();
        store = openSqliteStore({ dataDir });
        return store;
      },
      env: { DATA_DIR: dataDir },
      async cleanup() {
        await store.close().catch(() => undefined);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

let postgresProbe: Promise<string | null> | undefined;

/** How long the probe retries a timed-out connection: a loaded machine can be slow to accept one. */
const PROBE_PATIENCE_MS = 30_000;

async function probeOnce(): Promise<string | null> {
  const client = new pg.Client({
    connectionString: testDatabaseUrl(),
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `${testDatabaseUrl()}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Null when PostgreSQL answers; otherwise why not, after trying for PROBE_PATIENCE_MS. */
export function postgresUnavailable(): Promise<string | null> {
  postgresProbe ??= (async () => {
    const deadline = Date.now() + PROBE_PATIENCE_MS;
    for (;;) {
      const why = await probeOnce();
      // Only a slow answer is worth waiting for; a refused connection or a bad login is final.
      if (why === null || !/timeout/i.test(why) || Date.now() >= deadline) return why;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return postgresProbe;
}

export const postgresFactory: StoreFactory = {
  engine: 'postgres',
  async create(options) {
    const url = testDatabaseUrl();
    const schema = `unwind_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const open = () =>
      openPostgresStore({ connectionString: url, schema, poolSize: options?.poolSize ?? 10 });
    let store = open();
    await store.migrate();
    const withClient = async <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${schema}`);
        return await work(client);
      } finally {
        await client.end();
      }
    };
    return {
      engine: 'postgres',
      get store() {
        return store;
      },
      rawRows: (table) => withClient(async (c) => (await c.query(`SELECT * FROM ${table}`)).rows),
      rawExec: (sql) => withClient(async (c) => void (await c.query(sql))),
      async reopen() {
        await store.close();
        store = open();
        return store;
      },
      env: { DATABASE_URL: url, UNWIND_DB_SCHEMA: schema },
      async cleanup() {
        await store.close().catch(() => undefined);
        await withClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      },
    };
  },
};

/**
 * Resolves to a reason to skip the PostgreSQL suite, printed loudly, or to undefined to run it.
 * Under UNWIND_REQUIRE_POSTGRES=1 an unavailable server throws instead.
 */
export async function postgresSkipReason(): Promise<string | undefined> {
  const why = await postgresUnavailable();
  if (why === null) return undefined;
  if (process.env['UNWIND_REQUIRE_POSTGRES'] === '1') {
    throw new Error(`PostgreSQL is required (UNWIND_REQUIRE_POSTGRES=1) but unavailable: ${why}`);
  }
  const message = `SKIPPING PostgreSQL tests: ${why}. Set TEST_DATABASE_URL to run them.`;
  process.stderr.write(`\n${'!'.repeat(80)}\n!! ${message}\n${'!'.repeat(80)}\n`);
  return message;
}

/**
 * Defines a suite on SQLite, then the same suite on PostgreSQL (skipped loudly, as above, when
 * it does not answer): one test file runs its suite on both engines.
 */
export async function onEveryStore(
  define: (factory: StoreFactory, skip?: string) => void,
): Promise<void> {
  define(sqliteFactory);
  define(postgresFactory, await postgresSkipReason());
}
