/**
 * The claims' statements (ClaimStore): idempotency keys (migrations 1 and 10) and MPG's body ids
 * (migration 5). A claim is an insert that does nothing on conflict; only when it conflicts is
 * the row as it stands read. A lease is taken over only once it has expired.
 */
import type { ClaimStore, MpgRequestId, MpgRequestIdKind } from '../../app/ports/claims.js';
import { assert } from '../../domain/result.js';
import { type Row, int, intOrNull, rowToIdempotency, str, strOrNull } from './rows.js';
import { type SqlSession, first, firstOf } from './sql-helpers.js';

const rowToRequestId = (r: Row): MpgRequestId => ({
  merchantId: str(r, 'merchant_id'),
  kind: str(r, 'kind') as MpgRequestIdKind,
  requestId: str(r, 'request_id'),
  fingerprint: str(r, 'fingerprint'),
  state: str(r, 'state') as 'in_progress' | 'completed',
  leaseToken: strOrNull(r, 'lease_token'),
  leaseExpiresAt: intOrNull(r, 'lease_expires_at'),
  orderId: strOrNull(r, 'order_id'),
  createdAt: int(r, 'created_at'),
});

/** The key of an MPG body id, as a condition and as its parameters. */
const KEY = `merchant_id = ? AND kind = ? AND request_id = ?`;
const key = (r: MpgRequestId) => [r.merchantId, r.kind, r.requestId];

const claimIdempotencyKey =
  (db: SqlSession): ClaimStore['claimIdempotencyKey'] =>
  async (r) => {
    // A request that fails releases (deletes) its key; if that happens between our INSERT and
    // our read, the key is free again, so claim it once more.
    for (let round = 0; ; round++) {
      const inserted = await db.run(
        `INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, state, lease_token,
         lease_expires_at, response_status, response_body, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, idempotency_key) DO NOTHING`,
        [
          r.scope,
          r.key,
          r.fingerprint,
          r.state,
          r.leaseToken,
          r.leaseExpiresAt,
          r.responseStatus,
          r.responseBody,
          r.createdAt,
          r.expiresAt,
        ],
      );
      if (inserted === 1) return { inserted: true, record: r };
      const row = await first(
        db,
        `SELECT * FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?`,
        [r.scope, r.key],
      );
      if (row !== undefined) return { inserted: false, record: rowToIdempotency(row) };
      assert(round < 4, 'idempotency key keeps vanishing after insert');
    }
  };

const renewIdempotencyLease =
  (db: SqlSession): ClaimStore['renewIdempotencyLease'] =>
  async (scope, key, oldToken, newToken, leaseExpiresAt, now) => {
    const changed = await db.run(
      `UPDATE idempotency_keys SET lease_token = ?, lease_expires_at = ?
       WHERE scope = ? AND idempotency_key = ? AND state = 'in_progress'
         AND lease_token IS NOT DISTINCT FROM ? AND lease_expires_at <= ?`,
      [newToken, leaseExpiresAt, scope, key, oldToken, now],
    );
    return changed === 1;
  };

const completeIdempotencyKey =
  (db: SqlSession): ClaimStore['completeIdempotencyKey'] =>
  async (scope, key, leaseToken, status, body) => {
    const changed = await db.run(
      `UPDATE idempotency_keys
       SET state = 'completed', response_status = ?, response_body = ?, lease_token = NULL,
           lease_expires_at = NULL
       WHERE scope = ? AND idempotency_key = ? AND state = 'in_progress' AND lease_token = ?`,
      [status, body, scope, key, leaseToken],
    );
    return changed === 1;
  };

const releaseIdempotencyKey =
  (db: SqlSession): ClaimStore['releaseIdempotencyKey'] =>
  async (scope, key, leaseToken) => {
    await db.run(
      `DELETE FROM idempotency_keys
       WHERE scope = ? AND idempotency_key = ? AND state = 'in_progress' AND lease_token = ?`,
      [scope, key, leaseToken],
    );
  };

const deleteExpiredIdempotencyKeys =
  (db: SqlSession): ClaimStore['deleteExpiredIdempotencyKeys'] =>
  async (now, limit) => {
    return db.run(
      `DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
         SELECT scope, idempotency_key FROM idempotency_keys
         WHERE expires_at <= ? AND (state = 'completed' OR lease_expires_at <= ?) LIMIT ?)`,
      [now, now, limit],
    );
  };

const claimMpgRequestId =
  (db: SqlSession): ClaimStore['claimMpgRequestId'] =>
  async (r) => {
    // Another process may release (delete) a conflicting claim between our INSERT and our
    // read; then the key is free again, so claim it once more. A few rounds always settle it.
    for (let round = 0; ; round++) {
      const inserted = await db.run(
        `INSERT INTO mpg_request_ids (merchant_id, kind, request_id, fingerprint, state,
         lease_token, lease_expires_at, order_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (merchant_id, kind, request_id) DO NOTHING`,
        [
          r.merchantId,
          r.kind,
          r.requestId,
          r.fingerprint,
          r.state,
          r.leaseToken,
          r.leaseExpiresAt,
          r.orderId,
          r.createdAt,
        ],
      );
      if (inserted === 1) return { inserted: true, record: r };
      const row = await first(db, `SELECT * FROM mpg_request_ids WHERE ${KEY}`, key(r));
      if (row !== undefined) return { inserted: false, record: rowToRequestId(row) };
      if (round >= 4) throw new Error('mpg request id keeps vanishing after insert');
    }
  };

const completeMpgRequestId =
  (db: SqlSession): ClaimStore['completeMpgRequestId'] =>
  async (r, leaseToken, orderId) => {
    const changed = await db.run(
      `UPDATE mpg_request_ids
       SET state = 'completed', lease_token = NULL, lease_expires_at = NULL, order_id = ?
       WHERE ${KEY} AND state = 'in_progress' AND lease_token = ?`,
      [orderId, ...key(r), leaseToken],
    );
    return changed === 1;
  };

const findMpgRequestId =
  (db: SqlSession): ClaimStore['findMpgRequestId'] =>
  (merchantId, kind, requestId) =>
    firstOf(
      db,
      `SELECT * FROM mpg_request_ids WHERE ${KEY}`,
      [merchantId, kind, requestId],
      rowToRequestId,
    );

const deleteExpiredMpgRequestIds =
  (db: SqlSession): ClaimStore['deleteExpiredMpgRequestIds'] =>
  async (createdBefore, now, limit) => {
    // An old claim still leased by a running request is left alone until its lease ends.
    return db.run(
      `DELETE FROM mpg_request_ids WHERE (merchant_id, kind, request_id) IN (
         SELECT merchant_id, kind, request_id FROM mpg_request_ids
         WHERE created_at <= ? AND (state = 'completed' OR lease_expires_at <= ?)
         LIMIT ? FOR UPDATE SKIP LOCKED)`,
      [createdBefore, now, limit],
    );
  };

export const createClaimSql = (db: SqlSession): ClaimStore => ({
  claimIdempotencyKey: claimIdempotencyKey(db),
  renewIdempotencyLease: renewIdempotencyLease(db),
  completeIdempotencyKey: completeIdempotencyKey(db),
  releaseIdempotencyKey: releaseIdempotencyKey(db),
  deleteExpiredIdempotencyKeys: deleteExpiredIdempotencyKeys(db),
  claimMpgRequestId: claimMpgRequestId(db),
  completeMpgRequestId: completeMpgRequestId(db),
  findMpgRequestId: findMpgRequestId(db),
  deleteExpiredMpgRequestIds: deleteExpiredMpgRequestIds(db),
});
