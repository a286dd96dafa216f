/** Applies the migration list inside one transaction per migration, on either engine. */
import { type Migration, MIGRATIONS } from './migrations/index.js';
import { int } from './rows.js';
import type { SqlSession } from './sql-helpers.js';

export interface MigrationSession extends SqlSession {
  /** Runs several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

export const latestMigrationVersion = (): number =>
  MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** How one migration's transaction is run. */
export interface MigrationTransaction {
  /** Foreign keys off for the transaction (SQLite only; migration.ts says when). */
  readonly foreignKeysOff: boolean;
}

/**
 * Applies each pending migration in its own transaction. `inTransaction` must serialise
 * concurrent migrators (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so several
 * processes starting at once apply each migration exactly once.
 */
export async function applyMigrations(
  engine: 'sqlite' | 'postgres',
  inTransaction: <T>(
    work: (s: MigrationSession) => Promise<T>,
    how: MigrationTransaction,
  ) => Promise<T>,
  now: () => number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    const foreignKeysOff = engine === 'sqlite' && migration.sqliteRebuildsReferencedTable === true;
    const done = await inTransaction(
      async (s) => {
        await s.exec(MIGRATIONS_TABLE);
        const rows = await s.all('SELECT version FROM schema_migrations WHERE version = ?', [
          migration.version,
        ]);
        if (rows.length > 0) return false;
        await s.exec(migration.sql);
        const specific = engine === 'sqlite' ? migration.sqlite : migration.postgres;
        if (specific) await s.exec(specific);
        if (foreignKeysOff) await checkReferences(s, migration);
        await s.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          migration.version,
          migration.name,
          now(),
        ]);
        return true;
      },
      { foreignKeysOff },
    );
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Fails a migration that ran with foreign keys off and left a reference dangling. */
async function checkReferences(s: MigrationSession, migration: Migration): Promise<void> {
  const dangling = await s.all('PRAGMA foreign_key_check', []);
  if (dangling.length > 0) {
    throw new Error(
      `migration ${migration.version} leaves ${dangling.length} foreign key(s) dangling`,
    );
  }
}

export async function pendingMigrations(s: SqlSession): Promise<number> {
  const rows = await s.all('SELECT version FROM schema_migrations', []);
  const have = new Set(rows.map((r) => int(r, 'version')));
  return MIGRATIONS.filter((m) => !have.has(m.version)).length;
}
