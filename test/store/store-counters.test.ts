// Proves the store's counters (GET /admin/metrics, the benchmark's statements per request) on
// both engines: exact counts of statements, transactions, commits, rollbacks and reads for a
// transaction that runs nothing, one that fails, eight at once (one COMMIT for the group on
// SQLite, eight on PostgreSQL) and a read; on PostgreSQL every statement is one round trip, but a
// BEGIN, which travels with its transaction's first statement (or its COMMIT or ROLLBACK).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/app/ports/store.js';
import type { StoreCounters } from '../../src/app/ports/store-counters.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

type Delta = Omit<StoreCounters, 'engine'>;

/** What `work` added to each counter. */
async function delta(store: Store, work: () => Promise<unknown>): Promise<Delta> {
  const before = store.counters();
  await work();
  const now = store.counters();
  return {
    statements: now.statements - before.statements,
    transactions: now.transactions - before.transactions,
    commits: now.commits - before.commits,
    rollbacks: now.rollbacks - before.rollbacks,
    reads: now.reads - before.reads,
    roundTrips:
      now.roundTrips === null || before.roundTrips === null
        ? null
        : now.roundTrips - before.roundTrips,
  };
}

function counterSuite(factory: StoreFactory, skip?: string) {
  describe(`store counters: ${factory.engine}`, { skip }, () => {
    let t: TestStore;
    const sqlite = factory.engine === 'sqlite';
    // SQLite: BEGIN IMMEDIATE … COMMIT around the group, SAVEPOINT … RELEASE around each unit.
    // PostgreSQL: BEGIN … COMMIT (or ROLLBACK) around each transaction, in one round trip.
    const trips = (n: number) => (sqlite ? null : n);
    before(async () => {
      t = await factory.create();
    });
    after(async () => {
      await t?.cleanup();
    });

    it('names its engine, and round trips only where there is a server', () => {
      const c = t.store.counters();
      assert.equal(c.engine, factory.engine);
      assert.equal(c.roundTrips === null, sqlite);
    });

    // A transaction that sends nothing sends its BEGIN with its COMMIT: one round trip.
    it('counts a committed transaction that runs nothing', async () => {
      const d = await delta(t.store, () => t.store.transaction(async () => 1));
      assert.deepEqual(d, {
        statements: sqlite ? 4 : 2,
        transactions: 1,
        commits: 1,
        rollbacks: 0,
        reads: 0,
        roundTrips: trips(1),
      });
    });

    it('counts a transaction that fails as a rollback', async () => {
      const d = await delta(t.store, () =>
        t.store
          .transaction(async () => {
            throw new Error('refused');
          })
          .catch(() => undefined),
      );
      // SQLite rolls the unit back to its savepoint, then commits the (empty) group.
      assert.deepEqual(d, {
        statements: sqlite ? 5 : 2,
        transactions: 1,
        commits: sqlite ? 1 : 0,
        rollbacks: 1,
        reads: 0,
        roundTrips: trips(1),
      });
    });

    it('counts eight transactions at once: one commit for the group on SQLite', async () => {
      const d = await delta(t.store, () =>
        Promise.all(Array.from({ length: 8 }, () => t.store.transaction(async () => 1))),
      );
      assert.deepEqual(d, {
        statements: sqlite ? 2 + 8 * 2 : 8 * 2,
        transactions: 8,
        commits: sqlite ? 1 : 8,
        rollbacks: 0,
        reads: 0,
        roundTrips: trips(8),
      });
    });

    it('counts the statements of a read and of a transaction that reads', async () => {
      const read = await delta(t.store, () => t.store.read((tx) => tx.findOrder('missing')));
      assert.equal(read.reads, 1);
      assert.equal(read.transactions, 0);
      assert.ok(read.statements >= 1, `a lookup sends a statement: ${read.statements}`);
      if (!sqlite) assert.equal(read.roundTrips, read.statements);
      const written = await delta(t.store, () =>
        t.store.transaction((tx) => tx.findOrder('missing')),
      );
      assert.equal(written.statements, read.statements + (sqlite ? 4 : 2));
      assert.equal(written.reads, 0);
      // BEGIN went out with the lookup, in its round trip.
      if (!sqlite) assert.equal(written.roundTrips, written.statements - 1);
    });

    it('hands out a snapshot, not the live counters', async () => {
      const snapshot = t.store.counters();
      const statements = snapshot.statements;
      await t.store.transaction(async () => 1);
      assert.equal(snapshot.statements, statements);
      assert.ok(t.store.counters().statements > statements);
    });
  });
}

counterSuite(sqliteFactory);
counterSuite(postgresFactory, await postgresSkipReason());
