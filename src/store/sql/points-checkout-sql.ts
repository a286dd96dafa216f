/**
 * The hosted checkout's statements (PointsCheckoutStore): sessions with their verification state,
 * and the per-phone counters of codes sent and wrong codes entered. Same portable SQL on both
 * engines; the SQLite adapter strips the row-lock clauses (its writers are serialised anyway).
 */
import type { PointsCheckoutStore } from '../../app/ports/points-checkout.js';
import type { PhoneWindow } from '../../domain/points-checkout.js';
import type { CheckoutSession } from '../../domain/points-records.js';
import { assert } from '../../domain/result.js';
import { type Row, int, intOrNull, parsed, str, strOrNull } from './rows.js';
import { type SqlSession, first, json, firstOf } from './sql-helpers.js';

const rowToSession = (r: Row): CheckoutSession => ({
  id: str(r, 'id'),
  merchantId: str(r, 'merchant_id'),
  orderNumber: str(r, 'order_number'),
  amountMinor: int(r, 'amount_minor'),
  currency: str(r, 'currency'),
  phone: strOrNull(r, 'phone'),
  callbackUrl: strOrNull(r, 'callback_url'),
  details: parsed<Record<string, unknown>>(r, 'details'),
  status: str(r, 'status') as CheckoutSession['status'],
  orderId: strOrNull(r, 'order_id'),
  expiresAt: int(r, 'expires_at'),
  createdAt: int(r, 'created_at'),
  completedAt: intOrNull(r, 'completed_at'),
  cancelledAt: intOrNull(r, 'cancelled_at'),
  codePhone: strOrNull(r, 'code_phone'),
  codeHash: strOrNull(r, 'code_hash'),
  codeExpiresAt: intOrNull(r, 'code_expires_at'),
  codesSent: int(r, 'codes_sent'),
  codeFailures: int(r, 'code_failures'),
  verifiedPhone: strOrNull(r, 'verified_phone'),
  verificationHash: strOrNull(r, 'verification_hash'),
  verifiedAt: intOrNull(r, 'verified_at'),
});

const rowToWindow = (r: Row): PhoneWindow => ({
  windowStartedAt: int(r, 'window_started_at'),
  sends: int(r, 'sends'),
  failures: int(r, 'failures'),
});

/** The columns a session's verification moves, in the order `verificationValues` gives them. */
const VERIFICATION_COLUMNS = [
  'cancelled_at',
  'code_phone',
  'code_hash',
  'code_expires_at',
  'codes_sent',
  'code_failures',
  'verified_phone',
  'verification_hash',
  'verified_at',
] as const;

const verificationValues = (s: CheckoutSession) => [
  s.cancelledAt,
  s.codePhone,
  s.codeHash,
  s.codeExpiresAt,
  s.codesSent,
  s.codeFailures,
  s.verifiedPhone,
  s.verificationHash,
  s.verifiedAt,
];

const insertCheckoutSession =
  (db: SqlSession): PointsCheckoutStore['insertCheckoutSession'] =>
  async (s) => {
    await db.run(
      `INSERT INTO points_checkout_sessions
         (id, merchant_id, order_number, amount_minor, currency, phone, callback_url, details,
          status, order_id, expires_at, created_at, completed_at, ${VERIFICATION_COLUMNS.join(', ')})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${VERIFICATION_COLUMNS.map(() => '?').join(', ')})`,
      [
        s.id,
        s.merchantId,
        s.orderNumber,
        s.amountMinor,
        s.currency,
        s.phone,
        s.callbackUrl,
        json(s.details),
        s.status,
        s.orderId,
        s.expiresAt,
        s.createdAt,
        s.completedAt,
        ...verificationValues(s),
      ],
    );
  };

const findCheckoutSession =
  (db: SqlSession): PointsCheckoutStore['findCheckoutSession'] =>
  (id) =>
    firstOf(db, `SELECT * FROM points_checkout_sessions WHERE id = ?`, [id], rowToSession);

const lockCheckoutSession =
  (db: SqlSession): PointsCheckoutStore['lockCheckoutSession'] =>
  (id) =>
    firstOf(
      db,
      `SELECT * FROM points_checkout_sessions WHERE id = ? FOR UPDATE`,
      [id],
      rowToSession,
    );

const completeCheckoutSession =
  (db: SqlSession): PointsCheckoutStore['completeCheckoutSession'] =>
  async (id, orderId, at) => {
    const changed = await db.run(
      `UPDATE points_checkout_sessions SET status = 'completed', order_id = ?, completed_at = ?
       WHERE id = ? AND status = 'open'`,
      [orderId, at, id],
    );
    return changed === 1;
  };

const updateOpenCheckoutSession =
  (db: SqlSession): PointsCheckoutStore['updateOpenCheckoutSession'] =>
  async (s) => {
    assert(s.status !== 'completed', 'a session is completed by completeCheckoutSession');
    const changed = await db.run(
      `UPDATE points_checkout_sessions
       SET status = ?, ${VERIFICATION_COLUMNS.map((c) => `${c} = ?`).join(', ')}
       WHERE id = ? AND status = 'open'`,
      [s.status, ...verificationValues(s), s.id],
    );
    return changed === 1;
  };

const lockCheckoutPhoneLimit =
  (db: SqlSession): PointsCheckoutStore['lockCheckoutPhoneLimit'] =>
  async (phone, now) => {
    await db.run(
      `INSERT INTO points_checkout_phone_limits (phone, window_started_at, sends, failures)
       VALUES (?, ?, 0, 0) ON CONFLICT (phone) DO NOTHING`,
      [phone, now],
    );
    const row = await first(
      db,
      `SELECT * FROM points_checkout_phone_limits WHERE phone = ? FOR UPDATE`,
      [phone],
    );
    assert(row !== undefined, 'phone limit missing after upsert');
    return rowToWindow(row);
  };

const updateCheckoutPhoneLimit =
  (db: SqlSession): PointsCheckoutStore['updateCheckoutPhoneLimit'] =>
  async (phone, w) => {
    const changed = await db.run(
      `UPDATE points_checkout_phone_limits SET window_started_at = ?, sends = ?, failures = ?
       WHERE phone = ?`,
      [w.windowStartedAt, w.sends, w.failures, phone],
    );
    assert(changed === 1, 'phone limit not updated');
  };

const deleteCheckoutPhoneLimits =
  (db: SqlSession): PointsCheckoutStore['deleteCheckoutPhoneLimits'] =>
  async (startedBefore, limit) => {
    return db.run(
      `DELETE FROM points_checkout_phone_limits WHERE phone IN (
         SELECT phone FROM points_checkout_phone_limits WHERE window_started_at < ?
         ORDER BY window_started_at LIMIT ?)`,
      [startedBefore, limit],
    );
  };

export const createPointsCheckoutSql = (db: SqlSession): PointsCheckoutStore => ({
  insertCheckoutSession: insertCheckoutSession(db),
  findCheckoutSession: findCheckoutSession(db),
  lockCheckoutSession: lockCheckoutSession(db),
  completeCheckoutSession: completeCheckoutSession(db),
  updateOpenCheckoutSession: updateOpenCheckoutSession(db),
  lockCheckoutPhoneLimit: lockCheckoutPhoneLimit(db),
  updateCheckoutPhoneLimit: updateCheckoutPhoneLimit(db),
  deleteCheckoutPhoneLimits: deleteCheckoutPhoneLimits(db),
});
