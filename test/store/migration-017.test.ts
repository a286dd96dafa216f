// Proves migration 17 on a database that already holds merchants, on both engines: the database is
// built with the migrations before 17, three merchants are stored the old way (created in an order
// that differs from their ids' order), then the store migrates. Each existing merchant has its
// Points integer, numbered in the order the merchants were created; a merchant made afterwards is
// numbered next on first use, and asking again gives the same number.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Store } from '../../src/app/ports/store.js';
import { postgresStoreBefore, sqliteStoreBefore } from '../support/store-before.js';
import { postgresSkipReason } from '../support/stores.js';

const postgresSkip = await postgresSkipReason();

const merchantRow = (id: string, createdAt: number) =>
  `INSERT INTO merchants (id, name, currency, settings, created_at, updated_at)
     VALUES ('${id}', 'Shop ${id}', 'SAR', '{}', ${createdAt}, ${createdAt});`;

/** Created c, a, b: numbered 1, 2, 3 in that order, not by id. */
const OLD_ROWS = [merchantRow('m-c', 10), merchantRow('m-a', 20), merchantRow('m-b', 30)].join(
  '\n',
);

async function proveUpgrade(store: Store, exec: (sql: string) => Promise<void>): Promise<void> {
  await store.migrate();
  const numberOf = (id: string) => store.read((tx) => tx.findPointsMerchantNumber(id));
  assert.deepEqual(
    [await numberOf('m-c'), await numberOf('m-a'), await numberOf('m-b')],
    [1, 2, 3],
  );
  await exec(merchantRow('m-new', 40));
  assert.equal(await numberOf('m-new'), undefined);
  const drawn = await store.transaction((tx) => tx.ensurePointsMerchantNumber('m-new'));
  assert.equal(drawn, 4);
  assert.equal(await store.transaction((tx) => tx.ensurePointsMerchantNumber('m-new')), 4);
  assert.equal(await store.transaction((tx) => tx.ensurePointsMerchantNumber('m-a')), 2);
}

describe('migration 17 (Points merchant numbers) over existing merchants', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('sqlite: existing merchants are numbered by creation', async () => {
    const { store, exec } = sqliteStoreBefore(17, OLD_ROWS, cleanups);
    await proveUpgrade(store, exec);
  });

  it('postgres: the same', { skip: postgresSkip }, async () => {
    const { store, exec } = await postgresStoreBefore(17, OLD_ROWS, cleanups);
    await proveUpgrade(store, exec);
  });
});
