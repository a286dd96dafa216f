/**
 * The embedded store: SQLite through better-sqlite3, WAL mode, `synchronous=FULL` so a committed
 * refund survives a power cut, and BEGIN IMMEDIATE so writers serialise (DESIGN.md §3).
 *
 * better-sqlite3 is synchronous, while use cases are async. One async mutex therefore admits a
 * single write transaction at a time on the writer connection; reads use a second connection,
 * which in WAL mode sees only committed data and never waits for the writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Store, type StoreTx, UniqueViolation } from '../../app/ports/store.js';
import { applyMigrations, type MigrationSession, pendingMigrations } from '../sql/migrate.js';
import type { Row } from '../sql/rows.js';
import { createSqlStoreTx } from '../sql/sql-store-tx.js';

export interface SqliteStoreOptions {
  /** Directory for the database file; created when missing. */
  readonly dataDir: string;
  readonly fileName?: string;
  /** How long a writer waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
}

// SQLite serialises writers with BEGIN IMMEDIATE, so row-lock clauses have no meaning there.
const LOCK_CLAUSE = /\s+FOR\s+UPDATE(\s+SKIP\s+LOCKED)?/gi;

function translate(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new UniqueViolation((error as Error).message.replace(/^UNIQUE constraint failed: /, ''));
  }
  return error;
}

function session(db: Database.Database): MigrationSession {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql.replace(LOCK_CLAUSE, ''));
      cache.set(sql, stmt);
    }
    return stmt;
  };
  return {
    async all(sql, params = []) {
      const stmt = prepare(sql);
      try {
        if (stmt.reader) return stmt.all(...params) as Row[];
        stmt.run(...params);
        return [];
      } catch (error) {
        throw translate(error);
      }
    },
    async run(sql, params = []) {
      try {
        return prepare(sql).run(...params).changes;
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(sql) {
      db.exec(sql);
    },
  };
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
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
  const writeSession = session(writer);
  const readSession = session(reader);
  const writeTx: StoreTx = createSqlStoreTx(writeSession);
  const readTx: StoreTx = createSqlStoreTx(readSession);

  // The tail of the queue of write transactions: each one starts when the previous one ends.
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(async () => {
      if (closed) throw new Error('store is closed');
      writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw error;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  }

  return {
    engine: 'sqlite',
    transaction: (work) => exclusive(() => work(writeTx)),
    read: async (work) => work(readTx),
    migrate: () =>
      applyMigrations('sqlite', (work) => exclusive(() => work(writeSession)), Date.now),
    async ready() {
      try {
        return (await pendingMigrations(readSession)) === 0;
      } catch {
        return false;
      }
    },
    async close() {
      await tail;
      closed = true;
      reader.close();
      writer.close();
    },
  };
}
