/**
 * The operators' statements (OperatorStore): admin tokens and sessions (stored as hashes), and
 * the admin actions log.
 */
import type { OperatorStore } from '../../app/ports/operators.js';
import { rowToAdminAction, rowToAdminSession, rowToAdminToken } from './rows.js';
import { type SqlSession, countOf, json, keysetPage, firstOf } from './sql-helpers.js';

const insertAdminToken =
  (db: SqlSession): OperatorStore['insertAdminToken'] =>
  async (t) => {
    await db.run(
      `INSERT INTO admin_tokens (id, prefix, secret_hash, created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?)`,
      [t.id, t.prefix, t.secretHash, t.createdAt, t.revokedAt],
    );
  };

const findAdminTokenByHash =
  (db: SqlSession): OperatorStore['findAdminTokenByHash'] =>
  (secretHash) =>
    firstOf(db, `SELECT * FROM admin_tokens WHERE secret_hash = ?`, [secretHash], rowToAdminToken);

const revokeAdminTokens =
  (db: SqlSession): OperatorStore['revokeAdminTokens'] =>
  async (at) => {
    return db.run(`UPDATE admin_tokens SET revoked_at = ? WHERE revoked_at IS NULL`, [at]);
  };

const countActiveAdminTokens =
  (db: SqlSession): OperatorStore['countActiveAdminTokens'] =>
  async () => {
    return countOf(db, `SELECT COUNT(*) AS n FROM admin_tokens WHERE revoked_at IS NULL`, []);
  };

const insertAdminSession =
  (db: SqlSession): OperatorStore['insertAdminSession'] =>
  async (a) => {
    await db.run(
      `INSERT INTO admin_sessions
         (id, secret_hash, token_hash, user_agent, created_at, expires_at, revoked_at, operator_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        a.secretHash,
        a.tokenHash,
        a.userAgent,
        a.createdAt,
        a.expiresAt,
        a.revokedAt,
        a.operatorId,
      ],
    );
  };

const findAdminSessionByHash =
  (db: SqlSession): OperatorStore['findAdminSessionByHash'] =>
  (secretHash) =>
    firstOf(
      db,
      `SELECT * FROM admin_sessions WHERE secret_hash = ?`,
      [secretHash],
      rowToAdminSession,
    );

const revokeAdminSession =
  (db: SqlSession): OperatorStore['revokeAdminSession'] =>
  async (id, at) => {
    return db.run(`UPDATE admin_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, [
      at,
      id,
    ]);
  };

const deleteExpiredAdminSessions =
  (db: SqlSession): OperatorStore['deleteExpiredAdminSessions'] =>
  async (before) => {
    return db.run(`DELETE FROM admin_sessions WHERE expires_at < ?`, [before]);
  };

const insertAdminAction =
  (db: SqlSession): OperatorStore['insertAdminAction'] =>
  async (a) => {
    await db.run(
      `INSERT INTO admin_actions (id, action, actor, reason, merchant_id, order_id, subject_id,
         details, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        a.action,
        a.actor,
        a.reason,
        a.merchantId,
        a.orderId,
        a.subjectId,
        json(a.details),
        a.createdAt,
      ],
    );
  };

const listAdminActions =
  (db: SqlSession): OperatorStore['listAdminActions'] =>
  async (f) => {
    const rows = await keysetPage(
      db,
      'SELECT * FROM admin_actions',
      [
        ['merchant_id = ?', f.merchantId],
        ['order_id = ?', f.orderId],
        ['action = ?', f.action],
      ],
      f,
    );
    return rows.map(rowToAdminAction);
  };

export const createOperatorSql = (db: SqlSession): OperatorStore => ({
  insertAdminToken: insertAdminToken(db),
  findAdminTokenByHash: findAdminTokenByHash(db),
  revokeAdminTokens: revokeAdminTokens(db),
  countActiveAdminTokens: countActiveAdminTokens(db),
  insertAdminSession: insertAdminSession(db),
  findAdminSessionByHash: findAdminSessionByHash(db),
  revokeAdminSession: revokeAdminSession(db),
  deleteExpiredAdminSessions: deleteExpiredAdminSessions(db),
  insertAdminAction: insertAdminAction(db),
  listAdminActions: listAdminActions(db),
});
