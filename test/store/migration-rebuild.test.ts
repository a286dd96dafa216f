// Proves step 2 of docs/architecture.md "Adding a dialect" can be taken on both engines: a
// migration widens `orders.dialect`'s CHECK over an order that a ledger row references. PostgreSQL
// drops and re-adds the constraint; SQLite rebuilds the table, which works only because the
// migration declares `sqliteRebuildsReferencedTable` (foreign keys off, checked before commit). A
// rebuild that loses a referenced row fails and leaves the database as it was, and the same
// rebuild without the flag fails on SQLite, so the flag is what the step needs.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { latestMigrationVersion } from '../../src/store/sql/migrate.js';
import { type Migration, MIGRATIONS } from '../../src/store/sql/migrations/index.js';
import { postgresStoreBefore, sqliteStoreBefore } from '../support/store-before.js';
import { postgresSkipReason } from '../support/stores.js';

const postgresSkip = await postgresSkipReason();
const NEXT = latestMigrationVersion() + 1;

const OLD_ROWS = `
INSERT INTO merchants (id, name, currency, settings, created_at, updated_at)
  VALUES ('m-1', 'Shop', 'SAR', '{}', 0, 0);
INSERT INTO orders (id, merchant_id, dialect, kind, currency, amount_minor, status, details,
  created_at, updated_at, version)
  VALUES ('o-1', 'm-1', 'admin', 'standard', 'SAR', 100, 'pending', '{}', 0, 0, 0);
INSERT INTO transactions (id, order_id, merchant_id, type, status, amount_minor, points, currency,
  actor, event_id, details, created_at)
  VALUES ('t-1', 'o-1', 'm-1', 'authorize', 'failed', 100, 0, 'SAR', 'admin', 'e-1', '{}', 0);
`;

const ACME_ORDER = `INSERT INTO orders (id, merchant_id, dialect, kind, currency, amount_minor,
  status, details, created_at, updated_at, version)
  VALUES ('o-2', 'm-1', 'acme', 'standard', 'SAR', 100, 'pending', '{}', 0, 0, 0)`;

/** The SQLite rebuild of `orders` from its own DDL, with 'acme' allowed; `keep` filters rows. */
function sqliteRebuild(ordersDdl: string, keep = 'TRUE'): string {
  const widened = ordersDdl
    .replace('CREATE TABLE orders', 'CREATE TABLE orders_next')
    .replace("'mpg', 'admin')", "'mpg', 'acme', 'admin')");
  assert.notEqual(widened, ordersDdl.replace('CREATE TABLE orders', 'CREATE TABLE orders_next'));
  return `${widened};
INSERT INTO orders_next SELECT * FROM orders WHERE ${keep};
DROP TABLE orders;
ALTER TABLE orders_next RENAME TO orders;`;
}

const widening = (sqlite: string, flagged = true): Migration => ({
  version: NEXT,
  name: 'acme dialect',
  sql: '',
  sqlite,
  postgres: `ALTER TABLE orders DROP CONSTRAINT orders_dialect_check;
ALTER TABLE orders ADD CONSTRAINT orders_dialect_check
  CHECK (dialect IN ('points', 'backd', 'mpg', 'acme', 'admin'));`,
  ...(flagged ? { sqliteRebuildsReferencedTable: true } : {}),
});

/** The DDL of `orders` as migrations 1..latest left it, read from a scratch SQLite database. */
function currentOrdersDdl(): string {
  const db = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) {
      db.exec(m.sql);
      if (m.sqlite) db.exec(m.sqlite);
    }
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'orders'").get() as {
      sql: string;
    };
    return row.sql;
  } finally {
    db.close();
  }
}

describe('a migration that widens orders.dialect', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const ddl = currentOrdersDdl();

  it('SQLite: rebuilds the referenced table with foreign keys checked at its commit', async () => {
    const { store, exec } = sqliteStoreBefore(NEXT, OLD_ROWS, cleanups, [
      ...MIGRATIONS,
      widening(sqliteRebuild(ddl)),
    ]);
    assert.deepEqual(await store.migrate(), [NEXT]);
    await exec(ACME_ORDER);
    // The ledger row still references the rebuilt table, and foreign keys hold again.
    await assert.rejects(
      exec(`PRAGMA foreign_keys = ON; INSERT INTO transactions (id, order_id, merchant_id, type,
        status, amount_minor, points, currency, actor, event_id, details, created_at) VALUES
        ('t-2', 'o-missing', 'm-1', 'authorize', 'failed', 1, 0, 'SAR', 'admin', 'e-2', '{}', 0)`),
      /FOREIGN KEY/,
    );
  });

  it('SQLite: fails, changing nothing, when the rebuild loses a referenced row', async () => {
    const { store, exec } = sqliteStoreBefore(NEXT, OLD_ROWS, cleanups, [
      ...MIGRATIONS,
      widening(sqliteRebuild(ddl, "id <> 'o-1'")),
    ]);
    await assert.rejects(store.migrate(), /leaves 1 foreign key\(s\) dangling/);
    await assert.rejects(exec(ACME_ORDER), /CHECK constraint failed/);
  });

  it('SQLite: fails without the flag, as a plain transaction with foreign keys on', async () => {
    const { store } = sqliteStoreBefore(NEXT, OLD_ROWS, cleanups, [
      ...MIGRATIONS,
      widening(sqliteRebuild(ddl), false),
    ]);
    await assert.rejects(store.migrate(), /FOREIGN KEY constraint failed/);
  });

  it('PostgreSQL: drops and re-adds the constraint', { skip: postgresSkip }, async () => {
    const { store, exec } = await postgresStoreBefore(NEXT, OLD_ROWS, cleanups, [
      ...MIGRATIONS,
      widening(sqliteRebuild(ddl)),
    ]);
    assert.deepEqual(await store.migrate(), [NEXT]);
    await exec(ACME_ORDER);
    await assert.rejects(exec(ACME_ORDER.replace("'acme'", "'other'").replace('o-2', 'o-3')));
  });
});
