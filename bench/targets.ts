/**
 * The stores a benchmark runs on: a fresh SQLite directory or a fresh PostgreSQL schema (dropped
 * afterwards), with the server's environment and direct SQL around the server for counts and
 * bulk seeding.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { benchSchema, type RunningServer, startUnwind } from './load.js';
import type { BenchOptions } from './options.js';

export interface Target {
  readonly engine: 'sqlite' | 'postgres';
  /** Environment that points `unwind serve` at this store. */
  readonly env: Record<string, string>;
  /** PostgreSQL's URL and schema (the ceilings use them); null on SQLite. */
  readonly postgres: { readonly url: string; readonly schema: string } | null;
  /** The store's directory (the SQLite ceiling keeps its file beside the store's). */
  readonly dir: string;
  /** The database's version, for the report. */
  version(): Promise<string>;
  /** The first column of the first row of `sql`, as a number. */
  count(sql: string): Promise<number>;
  /** Runs SQL around the server (bulk seeding). */
  exec(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function sqliteTarget(): Target {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-bench-'));
  const withDb = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(path.join(dir, 'unwind.sqlite'));
    db.pragma('busy_timeout = 60000');
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    engine: 'sqlite',
    env: { DATA_DIR: dir },
    postgres: null,
    dir,
    version: async () =>
      `SQLite ${withDb((db) => db.prepare('SELECT sqlite_version()').pluck().get())}`,
    count: async (sql) => Number(withDb((db) => db.prepare(sql).pluck().get())),
    exec: async (sql) => withDb((db) => void db.exec(sql)),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh schema on TEST_DATABASE_URL, or null (said loudly) when PostgreSQL does not answer. */
export async function postgresTarget(): Promise<Target | null> {
  const target = await benchSchema();
  if (!target) {
    console.error('!! PostgreSQL does not answer (TEST_DATABASE_URL): its benchmarks are skipped');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-bench-pg-'));
  const withClient = async <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({
      connectionString: target.url,
      options: `-c search_path=${target.schema}`,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    engine: 'postgres',
    env: target.env,
    postgres: { url: target.url, schema: target.schema },
    dir,
    version: () =>
      withClient(
        async (c) => `PostgreSQL ${(await c.query('SHOW server_version')).rows[0].server_version}`,
      ),
    count: (sql) =>
      withClient(async (c) => Number(Object.values((await c.query(sql)).rows[0] ?? {})[0])),
    exec: (sql) => withClient(async (c) => void (await c.query(sql))),
    cleanup: async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await target.drop();
    },
  };
}

/** The stores named by --store (sqlite, postgres or both), each made when its turn comes. */
export function targetsFor(store: string): (() => Promise<Target | null>)[] {
  const all = { sqlite: async () => sqliteTarget(), postgres: postgresTarget };
  if (store === 'both') return [all.sqlite, all.postgres];
  if (store === 'sqlite' || store === 'postgres') return [all[store]];
  throw new Error(`--store must be sqlite, postgres or both, not ${store}`);
}

/** Starts `unwind serve` on the target with the benchmark's settings. */
export function startServer(
  target: Target,
  o: BenchOptions,
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  const profile = o.cpuProfileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${o.cpuProfileDir}`,
        `--cpu-prof-name=${target.engine}-${name}.cpuprofile`,
      ]
    : [];
  return startUnwind(
    {
      ...target.env,
      UNWIND_WORKERS: o.workers ? '1' : '0',
      DATABASE_POOL_SIZE: String(o.pool),
      // One credential carries the whole load: the per-credential limit would cap it.
      UNWIND_RATE_LIMIT_PER_MINUTE: '0',
      ...extraEnv,
    },
    profile,
  );
}
