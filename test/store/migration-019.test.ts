// Proves migration 19 on a database that already holds claims of the old shape, on both engines:
// the database is built with the migrations before 19, rows are stored the old way in
// `idempotency_keys` (a completed answer, a live lease, an in-progress row without a lease) and
// in `mpg_request_ids` (a completed body id, an expired lease), then the store migrates. Every
// row answers through the one claim protocol as it did before: the stored answer replays, another
// request is a reuse, a live lease holds, dead ones are taken over; body ids keep their order and
// their retention; the old tables are gone.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type ClaimRequest, type ClaimStart, claimOnce } from '../../src/app/claims.js';
import { bodyIdClaim } from '../../src/app/mpg-request-ids.js';
import type { Store } from '../../src/app/ports/store.js';
import { postgresStoreBefore, sqliteStoreBefore } from '../support/store-before.js';
import { postgresSkipReason } from '../support/stores.js';

const postgresSkip = await postgresSkipReason();

const DAY_MS = 86_400_000;
const CREATED = 1_000;
const NOW = 30_000;

const OLD_ROWS = `
INSERT INTO merchants (id, name, currency, settings, created_at, updated_at)
  VALUES ('m-1', 'Shop', 'SAR', '{}', 0, 0);
INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, state, lease_token,
  lease_expires_at, response_status, response_body, created_at, expires_at) VALUES
  ('points:merchant:m-1', 'k-done', 'fp', 'completed', NULL, NULL, 201, '{"ok":true}',
    ${CREATED}, ${CREATED + DAY_MS}),
  ('admin', 'k-live', 'fp', 'in_progress', 'lease-a', 50000, NULL, NULL,
    ${CREATED}, ${CREATED + DAY_MS}),
  ('backd-checkout:h', 'k-dead', 'fp', 'in_progress', NULL, NULL, NULL, NULL,
    ${CREATED}, ${CREATED + DAY_MS});
INSERT INTO mpg_request_ids (merchant_id, kind, request_id, fingerprint, state, lease_token,
  lease_expires_at, order_id, created_at) VALUES
  ('m-1', 'transaction_id', 'abc', 'fp-t', 'completed', NULL, NULL, 'order-1', ${CREATED}),
  ('m-1', 'order_id', 'def', 'fp-o', 'in_progress', 'lease-b', 20000, NULL, ${CREATED});
`;

const header = (scope: string, key: string, fingerprint = 'fp'): ClaimRequest => ({
  scope,
  key,
  fingerprint,
});

async function proveUpgrade(store: Store, exec: (sql: string) => Promise<void>): Promise<void> {
  await store.migrate();
  const lease = (token: string) => ({ lease: { token, expiresAt: NOW + 30_000 } });
  // A header key expires with its claim; a body id (completed at once) is kept by retention.
  const claim = (request: ClaimRequest, start: ClaimStart = lease('new')) =>
    store.transaction((tx) =>
      claimOnce(tx, request, start, {
        now: NOW,
        expiresAt: 'lease' in start ? NOW + DAY_MS : null,
      }),
    );

  const done = await claim(header('points:merchant:m-1', 'k-done'));
  assert.equal(done.kind, 'done');
  assert.deepEqual(done.kind === 'done' && [done.claim.resultStatus, done.claim.result], [
    201,
    '{"ok":true}',
  ]);
  assert.equal((await claim(header('points:merchant:m-1', 'k-done', 'other'))).kind, 'reused');
  assert.equal((await claim(header('admin', 'k-live'))).kind, 'held');
  assert.equal((await claim(header('backd-checkout:h', 'k-dead'))).kind, 'claimed');

  // Body ids are found under the scope and key the MPG face claims them by.
  const bodyId = (kind: 'order_id' | 'transaction_id', requestId: string, fingerprint: string) =>
    bodyIdClaim({ merchantId: 'm-1', kind, requestId, fingerprint });
  const completedWith = (orderId: string) => ({ result: { status: null, body: orderId } });
  const replayed = await claim(bodyId('transaction_id', 'abc', 'fp-t'), completedWith('order-x'));
  assert.equal(replayed.kind === 'done' && replayed.claim.result, 'order-1');
  const reused = await claim(bodyId('transaction_id', 'abc', 'other'), completedWith('order-x'));
  assert.equal(reused.kind, 'reused');
  const takenOver = await claim(bodyId('order_id', 'def', 'fp-o'), completedWith('order-2'));
  assert.equal(takenOver.kind, 'claimed');
  const found = await store.read((tx) => tx.findClaim('mpg-body-ids:m-1', 'order_id:def'));
  assert.deepEqual([found?.state, found?.result, found?.expiresAt], ['completed', 'order-2', null]);

  // Body ids are kept by the retention setting, counted from when they were claimed.
  const deleted = await store.transaction((tx) =>
    tx.deleteExpiredClaims({ retainedOnlyBefore: CREATED }, NOW, 100),
  );
  assert.equal(deleted, 2);
  const expired = await store.transaction((tx) =>
    tx.deleteExpiredClaims({ expiredBy: CREATED + DAY_MS }, NOW + DAY_MS, 100),
  );
  assert.equal(expired, 3);

  for (const table of ['idempotency_keys', 'mpg_request_ids']) {
    await assert.rejects(exec(`SELECT * FROM ${table}`), `${table} is dropped`);
  }
}

describe('migration 19 (one claims table) over old-shape claims', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('sqlite: every old claim answers as before', async () => {
    const { store, exec } = sqliteStoreBefore(19, OLD_ROWS, cleanups);
    await proveUpgrade(store, exec);
  });

  it('postgres: the same', { skip: postgresSkip }, async () => {
    const { store, exec } = await postgresStoreBefore(19, OLD_ROWS, cleanups);
    await proveUpgrade(store, exec);
  });
});
