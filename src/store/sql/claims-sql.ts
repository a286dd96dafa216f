/**
 * The claims' statements (ClaimStore) over the one `claims` table (migration 19). A claim is an
 * insert that does nothing on conflict; only when it conflicts is the row as it stands read. A
 * lease is taken over only once it has expired, and completed or released only by its holder.
 */
import type { Claim, ClaimStore } from '../../app/ports/claims.js';
import { assert } from '../../domain/result.js';
import { type Row, int, intOrNull, str, strOrNull } from './rows.js';
import { type SqlSession, firstOf } from './sql-helpers.js';

const rowToClaim = (r: Row): Claim => ({
  scope: str(r, 'scope'),
  key: str(r, 'claim_key'),
  fingerprint: str(r, 'fingerprint'),
  state: str(r, 'state') as Claim['state'],
  leaseToken: strOrNull(r, 'lease_token'),
  leaseExpiresAt: intOrNull(r, 'lease_expires_at'),
  resultStatus: intOrNull(r, 'result_status'),
  result: strOrNull(r, 'result'),
  createdAt: int(r, 'created_at'),
  expiresAt: intOrNull(r, 'expires_at'),
});

const KEY = `scope = ? AND claim_key = ?`;

const INSERT_CLAIM = `INSERT INTO claims (scope, claim_key, fingerprint, state, lease_token,
  lease_expires_at, result_status, result, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const claimValues = (c: Claim): unknown[] => [
  c.scope,
  c.key,
  c.fingerprint,
  c.state,
  c.leaseToken,
  c.leaseExpiresAt,
  c.resultStatus,
  c.result,
  c.createdAt,
  c.expiresAt,
];

const findClaim =
  (db: SqlSession): ClaimStore['findClaim'] =>
  (scope, key) =>
    firstOf(db, `SELECT * FROM claims WHERE ${KEY}`, [scope, key], rowToClaim);

const insertClaim =
  (db: SqlSession): ClaimStore['insertClaim'] =>
  async (c) => {
    // A request that fails releases (deletes) its claim; if that happens between our INSERT and
    // our read, the key is free again, so claim it once more. A few rounds always settle it.
    for (let round = 0; ; round++) {
      const inserted = await db.run(
        `${INSERT_CLAIM} ON CONFLICT (scope, claim_key) DO NOTHING`,
        claimValues(c),
      );
      if (inserted === 1) return { inserted: true, claim: c };
      const existing = await findClaim(db)(c.scope, c.key);
      if (existing !== undefined) return { inserted: false, claim: existing };
      assert(round < 4, 'claim keeps vanishing after insert');
    }
  };

const renewClaimLease =
  (db: SqlSession): ClaimStore['renewClaimLease'] =>
  async (c, newToken, leaseExpiresAt, now) =>
    (await db.run(
      `UPDATE claims SET lease_token = ?, lease_expires_at = ?
       WHERE ${KEY} AND state = 'in_progress' AND lease_token = ? AND lease_expires_at <= ?`,
      [newToken, leaseExpiresAt, c.scope, c.key, c.leaseToken, now],
    )) === 1;

const completeClaim =
  (db: SqlSession): ClaimStore['completeClaim'] =>
  async (scope, key, leaseToken, result) =>
    (await db.run(
      `UPDATE claims
       SET state = 'completed', result_status = ?, result = ?, lease_token = NULL,
           lease_expires_at = NULL
       WHERE ${KEY} AND state = 'in_progress' AND lease_token = ?`,
      [result.status, result.body, scope, key, leaseToken],
    )) === 1;

const releaseClaim =
  (db: SqlSession): ClaimStore['releaseClaim'] =>
  async (scope, key, leaseToken) => {
    await db.run(`DELETE FROM claims WHERE ${KEY} AND state = 'in_progress' AND lease_token = ?`, [
      scope,
      key,
      leaseToken,
    ]);
  };

const deleteExpiredClaims =
  (db: SqlSession): ClaimStore['deleteExpiredClaims'] =>
  async (cutoff, now, limit) => {
    const [past, bound] =
      'expiredBy' in cutoff
        ? ['expires_at <= ?', cutoff.expiredBy]
        : ['expires_at IS NULL AND created_at <= ?', cutoff.retainedOnlyBefore];
    // A claim still leased by a running request is left alone until its lease ends.
    return db.run(
      `DELETE FROM claims WHERE (scope, claim_key) IN (
         SELECT scope, claim_key FROM claims
         WHERE ${past} AND (state = 'completed' OR lease_expires_at <= ?)
         LIMIT ? FOR UPDATE SKIP LOCKED)`,
      [bound, now, limit],
    );
  };

export const createClaimSql = (db: SqlSession): ClaimStore => ({
  insertClaim: insertClaim(db),
  // Behind on PostgreSQL (SqlSession.write): an existing claim fails it as a UniqueViolation.
  insertClaimBehind: (c) => db.write(INSERT_CLAIM, claimValues(c)),
  findClaim: findClaim(db),
  renewClaimLease: renewClaimLease(db),
  completeClaim: completeClaim(db),
  releaseClaim: releaseClaim(db),
  deleteExpiredClaims: deleteExpiredClaims(db),
});
