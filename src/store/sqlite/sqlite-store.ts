/**
 * The embedded store: SQLite through better-sqlite3, WAL mode, `synchronous=FULL` so a committed
 * refund survives a power cut, and BEGIN IMMEDIATE so writers serialise
 * (docs/decisions/storage.md#sqlite).
 *
 * better-sqlite3 is synchronous, while use cases are async. One async mutex therefore admits a
 * single write transaction at a time on the writer connection; reads use a second connection,
 * which in WAL mode sees only committed data and never waits for the writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Store, type StoreTx, UniqueViolation } from '../../app/ports/store.js';
import { assert } from '../../domain/result.js';
import { CounterSet } from '../counters.js';
import { applyMigrations, type MigrationSession, pendingMigrations } from '../sql/migrate.js';
import type { Migration } from '../sql/migrations/index.js';
import type { Row } from '../sql/rows.js';
import { createSqlStoreTx } from '../sql/store-tx.js';

export interface SqliteStoreOptions {
  /** Directory for the database file; created when missing. */
  readonly dataDir: string;
  readonly fileName?: string;
  /** How long a writer waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  /** The migrations `migrate` applies: the real list, unless a test proves the runner with its own. */
  readonly migrations?: readonly Migration[];
}

/** Most transactions one group commit carries (bounds the latency of the last one in it). */
export const GROUP_COMMIT_MAX = 64;

// SQLite serialises writers with BEGIN IMMEDIATE, so row-lock clauses have no meaning there.
const LOCK_CLAUSE = /\s+FOR\s+UPDATE(\s+OF\s+\w+(\s*,\s*\w+)*)?(\s+SKIP\s+LOCKED)?/gi;

function translate(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new UniqueViolation((error as Error).message.replace(/^UNIQUE constraint failed: /, ''));
  }
  return error;
}

function session(db: Database.Database, counters: CounterSet): MigrationSession {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql.replace(LOCK_CLAUSE, ''));
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const run = (sql: string, params: readonly unknown[]): number => {
    counters.statements += 1;
    try {
      return prepare(sql).run(...params).changes;
    } catch (error) {
      throw translate(error);
    }
  };
  return {
    async all(sql, params = []) {
      const stmt = prepare(sql);
      counters.statements += 1;
      try {
        if (stmt.reader) return stmt.all(...params) as Row[];
        stmt.run(...params);
        return [];
      } catch (error) {
        throw translate(error);
      }
    },
    run: async (sql, params = []) => run(sql, params),
    // In process there is no round trip to save: a write runs at once.
    write: async (sql, params = []) => {
      run(sql, params);
    },
    writeOne: async (sql, params, failure) => {
      const changed = run(sql, params);
      assert(changed === 1, `${failure} (${changed} rows changed)`);
    },
    async exec(sql) {
      counters.statements += 1;
      db.exec(sql);
    },
  };
}

/** The writer and the reader connection to one database file, configured. */
function openConnections(options: SqliteStoreOptions) {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.fileName ?? 'unwind.sqlite');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  writer.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  const reader = new Database(file);
  reader.pragma('foreign_keys = ON');
  reader.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  return { writer, reader };
}

interface Queued {
  readonly work: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The writer connection's transactions, one at a time.
 *
 * Group commit. Every commit pays one fsync (synchronous=FULL), and that fsync is most of the
 * cost of a write. Transactions that queue up while the writer is busy therefore run together
 * in one database transaction, each inside its own savepoint, and are acknowledged only after
 * the shared COMMIT: each stays all-or-nothing (a failing one rolls back to its savepoint
 * alone), nothing is acknowledged before it is durable, and they see each other's writes
 * exactly as if they had run one after the other.
 */
class WriteQueue {
  // The tail of the queue of write transactions: each one starts when the previous one ends.
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private queue: Queued[] = [];
  private draining = false;

  constructor(
    private readonly writer: Database.Database,
    private readonly counters: CounterSet,
  ) {}

  // Transaction control as prepared statements, as better-sqlite3's own `transaction()` keeps
  // them: `exec` would parse each SAVEPOINT and RELEASE again, two per transaction of a group.
  private readonly controls = new Map<string, Database.Statement>();

  /** The writer's own transaction control, counted like every other statement. */
  private control(sql: string): void {
    this.counters.statements += 1;
    let statement = this.controls.get(sql);
    if (!statement) {
      statement = this.writer.prepare(sql);
      this.controls.set(sql, statement);
    }
    statement.run();
  }

  /**
   * Runs `work` alone in its own transaction (migrations: DDL must not share one), with foreign
   * keys off when `foreignKeysOff` (a migration that rebuilds a referenced table; the pragma has
   * no effect inside a transaction, so it is set around it).
   */
  async exclusive<T>(work: () => Promise<T>, foreignKeysOff = false): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.closed) throw new Error('store is closed');
      if (foreignKeysOff) this.writer.pragma('foreign_keys = OFF');
      try {
        return await this.inTransaction(work);
      } finally {
        if (foreignKeysOff) this.writer.pragma('foreign_keys = ON');
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    this.control('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.control('COMMIT');
      this.counters.commits += 1;
      return result;
    } catch (error) {
      if (this.writer.inTransaction) {
        this.control('ROLLBACK');
        this.counters.rollbacks += 1;
      }
      throw error;
    }
  }

  /** Runs `work` in the next group commit; settles once that commit is durable or failed. */
  grouped<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new Error('store is closed'));
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Lets every queued transaction commit (or fail), then refuses new ones. */
  async close(): Promise<void> {
    while (this.draining || this.queue.length > 0) {
      await this.tail;
      await new Promise((r) => setImmediate(r));
    }
    await this.tail;
    this.closed = true;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // better-sqlite3 never yields: a batch runs start to finish on microtasks, so requests
        // that arrive meanwhile are not even parsed until it ends. One turn of the event loop
        // before taking a batch lets every request that has arrived join it.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.slice(0, GROUP_COMMIT_MAX);
        this.queue = this.queue.slice(batch.length);
        await this.exclusive(() => this.runBatch(batch)).then(
          (outcomes) =>
            outcomes.forEach((o, i) =>
              o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.value),
            ),
          // The COMMIT itself failed: nothing of the batch is durable.
          (error: unknown) => batch.forEach((item) => item.reject(error)),
        );
      }
    } finally {
      this.draining = false;
    }
  }

  /** Each of `batch` in its own savepoint of the current transaction. */
  private async runBatch(batch: readonly Queued[]): Promise<{ ok: boolean; value: unknown }[]> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    for (const item of batch) {
      this.counters.transactions += 1;
      this.control('SAVEPOINT unit');
      try {
        const value = await item.work();
        this.control('RELEASE unit');
        outcomes.push({ ok: true, value });
      } catch (error) {
        this.control('ROLLBACK TO unit');
        this.control('RELEASE unit');
        this.counters.rollbacks += 1;
        outcomes.push({ ok: false, value: error });
      }
    }
    return outcomes;
  }
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const { writer, reader } = openConnections(options);
  const counters = new CounterSet();
  const writeSession = session(writer, counters);
  const readSession = session(reader, counters);
  const writeTx: StoreTx = createSqlStoreTx(writeSession);
  const readTx: StoreTx = createSqlStoreTx(readSession);
  const writes = new WriteQueue(writer, counters);

  return {
    engine: 'sqlite',
    transaction: (work) => writes.grouped(() => work(writeTx)),
    read: async (work) => {
      counters.reads += 1;
      return work(readTx);
    },
    migrate: () =>
      applyMigrations(
        'sqlite',
        (work, how) => {
          counters.transactions += 1;
          return writes.exclusive(() => work(writeSession), how.foreignKeysOff);
        },
        Date.now,
        options.migrations,
      ),
    async ready() {
      try {
        return (await pendingMigrations(readSession)) === 0;
      } catch {
        return false;
      }
    },
    counters: () => counters.snapshot('sqlite', false),
    async close() {
      await writes.close();
      reader.close();
      writer.close();
    },
  };
}
