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
import type { Store, StoreTx } from '../../app/ports/store.js';
import { AssertionFailure, assert } from '../../domain/result.js';
import { CounterSet } from '../counters.js';
import { applyMigrations, type MigrationSession, pendingMigrations } from '../sql/migrate.js';
import type { Migration } from '../sql/migrations/index.js';
import type { Row } from '../sql/rows.js';
import { createSqlStoreTx } from '../sql/store-tx.js';
import { exactlyOneRow, translated } from './statement-checks.js';
import { writeChangeInOneStatement } from './write-change-pg.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema to use instead of `public` (each test gets its own). Created when missing. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Bounds a statement that waits on a lock, so a stuck peer cannot hang a request forever. */
  readonly statementTimeoutMs?: number;
  /** The migrations `migrate` applies: the real list, unless a test proves the runner with its own. */
  readonly migrations?: readonly Migration[];
}

const INT8_OID = 20;
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

function createPool(options: PostgresStoreOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // A query may be sent before the previous one's answer (pg's pipeline mode): BEGIN and the
    // writes behind (`sendAhead`), and reads sent right behind a lock (`lockWithReplay`).
    // PostgreSQL runs a connection's statements in order, each with its own snapshot.
    // https://node-postgres.com/features/pipelining
    pipeline: true,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    statement_timeout: options.statementTimeoutMs ?? 30_000,
  });
  // An idle client's connection error must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The socket under a pooled client (pg's `connection.stream`, not in its typings), to hold a
 * BEGIN until the statement behind it is written; absent, each simply goes at once.
 */
const socketOf = (client: unknown): { cork?: () => void; uncork?: () => void } | undefined =>
  (client as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection
    ?.stream;

/** A statement sent ahead that failed, held until it is awaited. */
interface Failure {
  readonly error: unknown;
}

/** The pool's clients as migration sessions and StoreTx objects, and the transaction runner. */
class PgSessions {
  readonly counters = new CounterSet();
  private readonly statements = new Map<string, { name: string; text: string }>();
  // A pooled client lives for many transactions, so its session and its StoreTx (an object of
  // some seventy methods) are built once per client, not once per transaction (the profile of
  // the refund benchmark showed that allocation at 7% of the server's time).
  private readonly perClient = new WeakMap<
    pg.PoolClient,
    { session: MigrationSession; tx: StoreTx }
  >();
  private schemaReady: Promise<void> | undefined;
  // Sockets held (corked) with statements queued, and those to be released at the next tick.
  private readonly held = new WeakSet<object>();
  private readonly releasing = new WeakSet<object>();
  // Queries sent on each client (or the pool) whose answers have not come back yet.
  private readonly inFlight = new WeakMap<object, number>();
  // The writes sent behind (write-behind) in each client's open transaction, in order; a client
  // outside a transaction has none, and its writes run at once.
  private readonly behind = new Map<pg.PoolClient, Promise<Failure | null>[]>();

  constructor(
    readonly pool: pg.Pool,
    private readonly schema: string | undefined,
  ) {}

  // Every exchange with the server goes through `send`, which counts it: one statement, and a
  // round trip unless another query of the client is still awaiting its answer (pipeline mode:
  // one sent behind it comes back with it). pg sends a named statement's parse, bind and execute
  // in one go. What is sent in one turn of the event loop leaves in one socket write, with the
  // statements queued ahead (`sendAhead`: BEGIN, writes behind).
  private send(
    client: pg.PoolClient | pg.Pool,
    query: string | pg.QueryConfig,
  ): Promise<pg.QueryResult> {
    this.counters.statements += 1;
    const waiting = this.inFlight.get(client) ?? 0;
    if (waiting === 0) this.counters.roundTrips += 1;
    this.inFlight.set(client, waiting + 1);
    this.hold(client);
    try {
      return client.query(query).finally(() => {
        this.inFlight.set(client, (this.inFlight.get(client) ?? 1) - 1);
      });
    } finally {
      this.releaseSoon(client);
    }
  }

  /** Holds (corks) the client's socket: writes queue up until it is released. */
  private hold(client: pg.PoolClient | pg.Pool): void {
    const socket = socketOf(client);
    if (!socket || this.held.has(socket)) return;
    socket.cork?.();
    this.held.add(socket);
  }

  /**
   * Releases the client's socket once this turn of the event loop is done, so the queries sent
   * in it (a lock and the look-up behind it) and those queued ahead leave in one write.
   */
  private releaseSoon(client: pg.PoolClient | pg.Pool): void {
    const socket = socketOf(client);
    if (!socket || this.releasing.has(socket)) return;
    this.releasing.add(socket);
    process.nextTick(() => {
      this.releasing.delete(socket);
      if (this.held.delete(socket)) socket.uncork?.();
    });
  }

  /**
   * Queues a statement without waiting for its answer, held in the client's socket (corked) until
   * the next query joins it: they leave in one write and their answers come back together (the
   * pool's clients are in pg's pipeline mode, and PostgreSQL runs them in order). Only for a
   * statement whose answer decides nothing: BEGIN, and the writes of `write` and `writeOne`.
   * Each is awaited once COMMIT is sent behind it; a failure of one has aborted the transaction,
   * so the COMMIT kept nothing, and it is thrown then. For BEGIN the one assumption: it does not
   * fail alone on a connection that works (inside a transaction it is only a warning; a broken
   * connection fails the query behind it too), else that query would run outside the
   * transaction. It costs no round trip: it rides on the next query's, COMMIT's at the latest.
   */
  private sendAhead(
    client: pg.PoolClient,
    query: string | pg.QueryConfig,
  ): Promise<Failure | null> {
    this.counters.statements += 1;
    this.hold(client);
    // Held, not thrown, until awaited: the query behind it fails first and is what is reported.
    return client.query(query).then(
      () => null,
      (error: unknown) => ({ error: translated(error) }),
    );
  }

  /** The first failure of the writes sent behind on `client` so far, awaited in order. */
  private async failureBehind(client: pg.PoolClient): Promise<Failure | null> {
    for (const write of this.behind.get(client) ?? []) {
      const failed = await write;
      if (failed) return failed;
    }
    return null;
  }

  /** `SqlSession.write`: behind, in a transaction; at once, outside one. */
  private async write(client: pg.PoolClient, sql: string, params: readonly unknown[]) {
    const behind = this.behind.get(client);
    if (!behind) {
      await this.query(client, sql, params);
      return;
    }
    const s = this.prepared(sql);
    behind.push(this.sendAhead(client, { name: s.name, text: s.text, values: [...params] }));
  }

  private prepared(sql: string): { name: string; text: string } {
    let s = this.statements.get(sql);
    if (!s) {
      const name = `u_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
      s = { name, text: numbered(sql) };
      this.statements.set(sql, s);
    }
    return s;
  }

  private async query(client: pg.PoolClient, sql: string, params: readonly unknown[]) {
    const s = this.prepared(sql);
    try {
      return await this.send(client, { name: s.name, text: s.text, values: [...params] });
    } catch (error) {
      // A write sent behind failed first: this statement only met the aborted transaction.
      throw (await this.failureBehind(client))?.error ?? translated(error);
    }
  }

  session(client: pg.PoolClient): MigrationSession {
    return {
      all: async (sql, params = []) => (await this.query(client, sql, params)).rows as Row[],
      run: async (sql, params = []) => (await this.query(client, sql, params)).rowCount ?? 0,
      write: (sql, params = []) => this.write(client, sql, params),
      writeOne: (sql, params, failure) =>
        this.write(client, ...exactlyOneRow(sql, params, failure)),
      exec: async (sql) => {
        await this.send(client, sql);
      },
    };
  }

  ensureSchema(): Promise<void> {
    if (!this.schema) return Promise.resolve();
    this.schemaReady ??= this.send(
      this.pool,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`,
    ).then(() => undefined);
    return this.schemaReady;
  }

  bound(client: pg.PoolClient): { session: MigrationSession; tx: StoreTx } {
    let b = this.perClient.get(client);
    if (!b) {
      const s = this.session(client);
      // The one engine difference beyond the SQL's lock clauses: a change's writes in one
      // statement (one round trip) rather than in turn.
      b = { session: s, tx: { ...createSqlStoreTx(s), writeChange: writeChangeInOneStatement(s) } };
      this.perClient.set(client, b);
    }
    return b;
  }

  async withTransaction<T>(
    work: (s: MigrationSession, tx: StoreTx) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    await this.ensureSchema();
    const client = await this.pool.connect();
    let broken = false;
    this.counters.transactions += 1;
    this.behind.set(client, []);
    // BEGIN leaves with the transaction's first statement (pipeline mode, see createPool): one
    // write and one round trip fewer per transaction.
    const begun = this.sendAhead(client, begin);
    try {
      const { session: s, tx } = this.bound(client);
      const result = await work(s, tx);
      // The writes still behind leave with COMMIT. If one failed, PostgreSQL has aborted the
      // transaction and answers the COMMIT with ROLLBACK: nothing was kept, and that write's
      // error is the one to report.
      const commit = this.send(client, 'COMMIT');
      commit.catch(() => undefined);
      const failed = (await begun) ?? (await this.failureBehind(client));
      if (failed) throw failed.error;
      const committed = await commit;
      assert(committed.command === 'COMMIT', `COMMIT answered ${committed.command}`);
      this.counters.commits += 1;
      return result;
    } catch (error) {
      // The work's own error is the one to report (a unique violation is retried by the app);
      // ROLLBACK releases whatever is still held, BEGIN included.
      this.counters.rollbacks += 1;
      try {
        await this.send(client, 'ROLLBACK');
      } catch {
        broken = true;
      }
      await begun;
      throw error;
    } finally {
      this.behind.delete(client);
      client.release(broken);
    }
  }
}

export function openPostgresStore(options: PostgresStoreOptions): Store {
  const pool = createPool(options);
  const sessions = new PgSessions(pool, options.schema);
  const { counters } = sessions;

  return {
    engine: 'postgres',
    transaction: (work) => sessions.withTransaction((_s, tx) => work(tx)),
    async read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
      await sessions.ensureSchema();
      counters.reads += 1;
      const client = await pool.connect();
      try {
        return await work(sessions.bound(client).tx);
      } finally {
        client.release();
      }
    },
    migrate: () =>
      applyMigrations(
        'postgres',
        (work) =>
          sessions.withTransaction(async (s) => {
            // One migrator at a time across every process sharing this database.
            await s.exec('SELECT pg_advisory_xact_lock(7270401)');
            return work(s);
          }),
        Date.now,
        options.migrations,
      ),
    async ready() {
      try {
        await sessions.ensureSchema();
        const client = await pool.connect();
        try {
          return (await pendingMigrations(sessions.session(client))) === 0;
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
