/**
 * The scale-out store: PostgreSQL through `pg`. Any number of Unwind processes share one
 * database; every change locks the order row (SELECT … FOR UPDATE) and background work is
 * claimed with FOR UPDATE SKIP LOCKED (docs/decisions/storage.md#postgresql).
 *
 * Why `pg` and not `postgres`: both measured within noise of each other on this class of machine
 * (docs/decisions/storage.md#driver); `pg` hands out an explicit client per transaction, which maps
 * one to one onto "one use case, one transaction, one connection", lets the type parser be set per
 * pool instead of globally, and prepares named statements per connection without tagged
 * templates, so the shared portable SQL stays plain strings.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { type Store, type StoreTx, UniqueViolation } from '../../app/ports/store.js';
import { AssertionFailure } from '../../domain/result.js';
import { CounterSet } from '../counters.js';
import { applyMigrations, type MigrationSession, pendingMigrations } from '../sql/migrate.js';
import type { Row } from '../sql/rows.js';
import { createSqlStoreTx } from '../sql/store-tx.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema to use instead of `public` (each test gets its own). Created when missing. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Bounds a statement that waits on a lock, so a stuck peer cannot hang a request forever. */
  readonly statementTimeoutMs?: number;
}

const INT8_OID = 20;
const UNIQUE_VIOLATION = '23505';
const NUMERIC_OID = 1700;

// int8 (and the numeric of SUM(int8)) arrives as text from pg. Minor units, points and epoch
// milliseconds are safe integers (src/domain/bounds.ts); anything else is corruption or a bug and
// fails the query loudly, with the exact text, rather than becoming a number that is wrong. Sums
// over unbounded rows are read as text instead (`exactSum` in src/store/sql/sql-helpers.ts).
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new AssertionFailure(
      `database value ${text.slice(0, 40)} is not an integer within ±${Number.MAX_SAFE_INTEGER}: refusing a number that would be wrong`,
    );
  }
  return n;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    if (oid === NUMERIC_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/** Rewrites `?` placeholders as `$1, $2, …`. The shared SQL has no `?` inside literals. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function openPostgresStore(options: PostgresStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    statement_timeout: options.statementTimeoutMs ?? 30_000,
  });
  // An idle client's connection error must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  // Every exchange with the server goes through `send`, which counts it: one statement and one
  // round trip per query (pg sends a named statement's parse, bind and execute in one go).
  const counters = new CounterSet();
  const send = (
    client: pg.PoolClient | pg.Pool,
    query: string | pg.QueryConfig,
  ): Promise<pg.QueryResult> => {
    counters.statements += 1;
    counters.roundTrips += 1;
    return client.query(query);
  };

  const statements = new Map<string, { name: string; text: string }>();
  const prepared = (sql: string): { name: string; text: string } => {
    let s = statements.get(sql);
    if (!s) {
      const name = `u_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
      s = { name, text: numbered(sql) };
      statements.set(sql, s);
    }
    return s;
  };

  const query = async (client: pg.PoolClient, sql: string, params: readonly unknown[]) => {
    const s = prepared(sql);
    try {
      return await send(client, { name: s.name, text: s.text, values: [...params] });
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code === UNIQUE_VIOLATION) throw new UniqueViolation(e.constraint ?? 'unknown');
      throw error;
    }
  };

  const session = (client: pg.PoolClient): MigrationSession => ({
    async all(sql, params = []) {
      return (await query(client, sql, params)).rows as Row[];
    },
    async run(sql, params = []) {
      return (await query(client, sql, params)).rowCount ?? 0;
    },
    async exec(sql) {
      await send(client, sql);
    },
  });

  let schemaReady: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> => {
    if (!options.schema) return Promise.resolve();
    schemaReady ??= send(pool, `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`).then(
      () => undefined,
    );
    return schemaReady;
  };

  // A pooled client lives for many transactions, so its session and its StoreTx (an object of
  // some seventy methods) are built once per client, not once per transaction (the profile of
  // the refund benchmark showed that allocation at 7% of the server's time).
  const perClient = new WeakMap<pg.PoolClient, { session: MigrationSession; tx: StoreTx }>();
  const bound = (client: pg.PoolClient) => {
    let b = perClient.get(client);
    if (!b) {
      const s = session(client);
      b = { session: s, tx: createSqlStoreTx(s) };
      perClient.set(client, b);
    }
    return b;
  };

  async function withTransaction<T>(
    work: (s: MigrationSession, tx: StoreTx) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    await ensureSchema();
    const client = await pool.connect();
    let broken = false;
    counters.transactions += 1;
    try {
      await send(client, begin);
      const { session: s, tx } = bound(client);
      const result = await work(s, tx);
      await send(client, 'COMMIT');
      counters.commits += 1;
      return result;
    } catch (error) {
      counters.rollbacks += 1;
      try {
        await send(client, 'ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    engine: 'postgres',
    transaction: (work) => withTransaction((_s, tx) => work(tx)),
    async read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
      await ensureSchema();
      counters.reads += 1;
      const client = await pool.connect();
      try {
        return await work(bound(client).tx);
      } finally {
        client.release();
      }
    },
    migrate: () =>
      applyMigrations(
        'postgres',
        (work) =>
          withTransaction(async (s) => {
            // One migrator at a time across every process sharing this database.
            await s.exec('SELECT pg_advisory_xact_lock(7270401)');
            return work(s);
          }),
        Date.now,
      ),
    async ready() {
      try {
        await ensureSchema();
        const client = await pool.connect();
        try {
          return (await pendingMigrations(session(client))) === 0;
        } finally {
          client.release();
        }
      } catch {
        return false;
      }
    },
    counters: () => counters.snapshot('postgres', true),
    async close() {
      await pool.end();
    },
  };
}
