// Proves that an idempotency key outlives a rotation of the keys that sent it, on every face,
// against a compiled `unwind serve` on SQLite and on PostgreSQL. For each face a refund is sent
// with an Idempotency-Key, the face's keys are rotated (the merchant's through the admin API, the
// admin token through `unwind admin-token`), and the same key is sent again with the new keys:
// the same body is replayed (Idempotency-Replayed: true, the first answer) and the ledger keeps
// one row; another body is 422. MPG's body ids and the ledger's event keys (a claim deleted as
// the reaper would) survive the rotation too. A row stored per credential by an older version is
// moved by migration 10, then into the claims table by migration 19, and keeps answering.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { UNDO_MIGRATION_19 } from '../support/claims-before-19.js';
import { type Face, ProcessMerchant } from '../support/merchant-process.js';
import {
  type HttpResponse,
  killAllServers,
  runCli,
  type ServerProcess,
  startServer,
} from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

type Send = (key: string, body: unknown) => Promise<HttpResponse>;

interface RetryCase {
  readonly send: Send;
  readonly body: unknown;
  readonly otherBody: unknown;
  readonly rotate: () => Promise<void>;
  /** How many rows the change wrote so far (ledger rows, or Backd refund requests). */
  readonly rows: () => Promise<number>;
  /** What the face's 422 names. */
  readonly reusedMentions: string;
}

/** Sends, rotates, sends again: replayed and one row; then another body is 422. */
async function assertKeySurvivesRotation(c: RetryCase): Promise<void> {
  const key = crypto.randomUUID();
  const first = await c.send(key, c.body);
  assert.equal(first.status < 300, true, JSON.stringify(first.body));
  assert.equal(first.headers.get('idempotency-replayed'), null);
  assert.equal(await c.rows(), 1);

  await c.rotate();
  const again = await c.send(key, c.body);
  assert.equal(again.status, first.status, JSON.stringify(again.body));
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  assert.deepEqual(again.body, first.body);
  assert.equal(await c.rows(), 1, 'the retry after the rotation changed nothing');

  const other = await c.send(key, c.otherBody);
  assert.equal(other.status, 422, JSON.stringify(other.body));
  assert.ok(JSON.stringify(other.body).includes(c.reusedMentions), JSON.stringify(other.body));
  assert.equal(await c.rows(), 1);
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`Idempotency-Key across a key rotation: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let server: ServerProcess;
    let merchant: ProcessMerchant;

    const adminToken = async () => {
      const issued = await runCli(['admin-token'], store.env);
      assert.equal(issued.code, 0, issued.stderr);
      return issued.stdout.trim();
    };
    const start = async () => {
      server = await startServer({
        env: { ...store.env, UNWIND_WORKERS: '0' },
        logLevel: 'warn',
        adminToken: null,
      });
    };

    before(async () => {
      store = await factory.create();
      const token = await adminToken();
      await start();
      server.token = token;
      merchant = await ProcessMerchant.create(server);
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    const withKey =
      (face: Face, method: string, path: () => string): Send =>
      (key, body) =>
        merchant.send(face, method, path(), body, { 'idempotency-key': key });

    it('Points: a refund retried after the key rotation is replayed', async () => {
      const uuid = await merchant.pointsEarningOrder();
      await assertKeySurvivesRotation({
        send: withKey('points', 'POST', () => `/orders/${uuid}/refund`),
        body: { amount: 10 },
        otherBody: { amount: 11 },
        rotate: () => merchant.rotate('points'),
        rows: async () => (await merchant.ledgerRows(uuid, 'refund')).length,
        reusedMentions: 'This Idempotency-Key was used for a different request.',
      });
    });

    it('Points: a checkout begun with the public key is replayed under the new public key', async () => {
      const sessions = async () => (await store.rawRows('points_checkout_sessions')).length;
      const before = await sessions();
      await assertKeySurvivesRotation({
        send: (key, body) =>
          server.http('POST', `/points/api/v1/orders/checkout/${merchant.publicKey}`, body, {
            token: null,
            headers: { 'idempotency-key': key },
          }),
        body: { total_price: 20, order_number: 'CHK-1' },
        otherBody: { total_price: 21, order_number: 'CHK-1' },
        rotate: () => merchant.rotate('points'),
        rows: async () => (await sessions()) - before,
        reusedMentions: 'This Idempotency-Key was used for a different request.',
      });
    });

    it('Backd: a refund request retried after the key rotation is replayed', async () => {
      const order = await merchant.backdConfirmedOrder();
      await assertKeySurvivesRotation({
        send: withKey('backd', 'POST', () => '/refund'),
        body: { ...order.ref, refund_amount: 10 },
        otherBody: { ...order.ref, refund_amount: 11 },
        rotate: () => merchant.rotate('backd'),
        // Without the key a second submission would replace the first: a second request row.
        rows: async () => {
          const found = await merchant.send('backd', 'GET', `/find_order/${order.backdOrderId}`);
          return (found.body.data.refunds as unknown[]).length;
        },
        reusedMentions: 'This Idempotency-Key was used for a different request.',
      });
    });

    it('MPG: a refund under an Idempotency-Key retried after the key rotation is replayed', async () => {
      const orderId = await merchant.mpgPurchase();
      await assertKeySurvivesRotation({
        send: withKey('mpg', 'POST', () => `/v1/orders/${orderId}/refund`),
        body: { amount: 1000 },
        otherBody: { amount: 1001 },
        rotate: () => merchant.rotate('mpg'),
        rows: async () => (await merchant.ledgerRows(orderId, 'refund')).length,
        reusedMentions: 'Idempotency-Key',
      });
    });

    it('MPG: a transaction_id outlives the rotation, in its claim and in the ledger event key', async () => {
      const orderId = await merchant.mpgPurchase();
      const transactionId = crypto.randomUUID();
      const refund = (amount: number) =>
        merchant.send('mpg', 'POST', `/v1/orders/${orderId}/refund`, {
          amount,
          transaction_id: transactionId,
        });
      const refunds = async () => (await merchant.ledgerRows(orderId, 'refund')).length;
      const first = await refund(1000);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      await merchant.rotate('mpg');
      const again = await refund(1000);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.refunded_amount, 1000);
      assert.equal(await refunds(), 1);
      const other = await refund(1001);
      assert.equal(other.status, 422, JSON.stringify(other.body));
      assert.ok(JSON.stringify(other.body).includes('transaction_id'));
      // With the claim gone (as after the reaper), the ledger's event key still refuses a second
      // refund under the same id, whatever key sent it.
      await store.rawExec(
        `DELETE FROM claims WHERE claim_key = 'transaction_id:${transactionId.toLowerCase()}'`,
      );
      await merchant.rotate('mpg');
      const late = await refund(1000);
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.equal(late.body.refunded_amount, 1000);
      assert.equal(await refunds(), 1);
    });

    it('admin: a refund retried with a newly issued admin token is replayed', async () => {
      const orderId = await merchant.adminCapturedOrder();
      const oldToken = server.token;
      await assertKeySurvivesRotation({
        send: (key, body) =>
          server.http('POST', `/admin/orders/${orderId}/refund`, body, {
            headers: { 'idempotency-key': key },
          }),
        body: { amount_minor: 100 },
        otherBody: { amount_minor: 101 },
        rotate: async () => {
          server.token = await adminToken();
          const refused = await server.http('GET', '/admin/orders', undefined, {
            token: oldToken,
          });
          assert.equal(refused.status, 401, 'the old token was revoked');
        },
        rows: async () => (await merchant.ledgerRows(orderId, 'refund')).length,
        reusedMentions: 'idempotency.key_reused',
      });
    });

    it('a key stored per credential by an older version keeps answering after migration 10', async () => {
      const uuid = await merchant.pointsEarningOrder();
      const key = crypto.randomUUID();
      const send = (amount: number) =>
        merchant.send(
          'points',
          'POST',
          `/orders/${uuid}/refund`,
          { amount },
          {
            'idempotency-key': key,
          },
        );
      const first = await send(10);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      // Turn the row into what an older version stored: under the credential that sent it, plus a
      // later copy under another credential of the same merchant and face (a rotation that
      // already ran the key twice). Then take migrations 10 and 19 back and restart.
      const credentials = (await store.rawRows('credentials')).filter(
        (c) => c['merchant_id'] === merchant.id && c['dialect'] === 'points',
      );
      const [older, newer] = credentials.map((c) => String(c['id']));
      assert.ok(older && newer);
      await store.rawExec(
        `${UNDO_MIGRATION_19}
         INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, state, lease_token,
           lease_expires_at, response_status, response_body, created_at, expires_at)
         SELECT '${newer}', idempotency_key, 'another request', state, lease_token,
           lease_expires_at, 500, 'a later answer', created_at + 1, expires_at
         FROM idempotency_keys WHERE idempotency_key = '${key}';
         UPDATE idempotency_keys SET scope = '${older}' WHERE idempotency_key = '${key}'
           AND response_status <> 500;
         DELETE FROM schema_migrations WHERE version = 10;`,
      );
      const token = server.token;
      await server.stop();
      await start();
      server.token = token;
      merchant.server = server;

      await merchant.rotate('points');
      const again = await send(10);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.headers.get('idempotency-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal((await merchant.ledgerRows(uuid, 'refund')).length, 1);
      const rows = (await store.rawRows('claims')).filter((r) => r['claim_key'] === key);
      assert.deepEqual(
        rows.map((r) => r['scope']),
        [`points:merchant:${merchant.id}`],
      );
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
