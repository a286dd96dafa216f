/**
 * The MPG face's statements (MpgStore, migration 005): the search columns behind
 * `GET /v1/orders` (its body-id claims are in claims-sql.ts). Portable SQL, as everywhere in the
 * store.
 */
import type {
  MpgCardAuth,
  MpgCardAuthOutcome,
  MpgCardAuthStatus,
  MpgSortField,
  MpgStore,
} from '../../app/ports/mpg.js';
import { int, intOrNull, type Row, rowToOrder, str, strOrNull } from './rows.js';
import { firstOf, json, type SqlSession } from './sql-helpers.js';

/** Sort columns: only these names ever reach the SQL text. */
const SORT_COLUMNS: Record<MpgSortField, string> = {
  merchant_id: 'o.merchant_id',
  amount: 'o.amount_minor',
  captured_amount: 'o.captured_minor',
  refunded_amount: 'o.refunded_minor',
  currency: 'o.currency',
  created_at: 'o.created_at',
  updated_at: 'o.updated_at',
};

const insertMpgOrder =
  (db: SqlSession): MpgStore['insertMpgOrder'] =>
  async (m) => {
    await db.run(
      `INSERT INTO mpg_orders (order_id, merchant_id, description, source_type, scheme,
         first_digits, last_digits, sub_merchant_id, device_ip, agreement_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        m.orderId,
        m.merchantId,
        m.description,
        m.sourceType,
        m.scheme,
        m.firstDigits,
        m.lastDigits,
        m.subMerchantId,
        m.deviceIp,
        m.agreementId,
      ],
    );
  };

const insertMpgTransaction =
  (db: SqlSession): MpgStore['insertMpgTransaction'] =>
  async (t) => {
    // Its answer decides nothing: behind, on PostgreSQL (SqlSession.write).
    await db.write(
      `INSERT INTO mpg_transactions (transaction_id, order_id, retrieval_reference, stan,
         auth_code, response_code)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [t.transactionId, t.orderId, t.retrievalReference, t.stan, t.authCode, t.responseCode],
    );
  };

const listMpgOrders =
  (db: SqlSession): MpgStore['listMpgOrders'] =>
  async (f) => {
    const conditions = ['o.merchant_id = ?', "o.dialect = 'mpg'"];
    const params: unknown[] = [f.merchantId];
    const add = (sql: string, value: unknown) => {
      if (value === undefined) return;
      conditions.push(sql);
      params.push(value);
    };
    const e = f.equals;
    add('o.id = ?', e.id);
    add('o.currency = ?', e.currency);
    add('m.description = ?', e.description);
    add('m.source_type = ?', e.sourceType);
    add('m.scheme = ?', e.scheme);
    add('m.first_digits = ?', e.firstDigits);
    add('m.last_digits = ?', e.lastDigits);
    add('m.sub_merchant_id = ?', e.subMerchantId);
    add('m.device_ip = ?', e.deviceIp);
    add('m.agreement_id = ?', e.agreementId);
    const txn = (column: string, value: string | undefined) =>
      add(
        `EXISTS (SELECT 1 FROM mpg_transactions t WHERE t.order_id = o.id AND t.${column} = ?)`,
        value,
      );
    txn('retrieval_reference', e.retrievalReference);
    txn('stan', e.stan);
    txn('auth_code', e.authCode);
    txn('response_code', e.responseCode);
    add('o.amount_minor >= ?', f.amountGte);
    add('o.amount_minor <= ?', f.amountLte);
    add('o.created_at >= ?', f.createdGte);
    add('o.created_at <= ?', f.createdLte);
    add('o.updated_at >= ?', f.updatedGte);
    add('o.updated_at <= ?', f.updatedLte);
    const column = SORT_COLUMNS[f.sortField];
    const dir = f.sortDir === 'asc' ? 'ASC' : 'DESC';
    if (f.after) {
      const cmp = f.sortDir === 'asc' ? '>' : '<';
      conditions.push(`(${column} ${cmp} ? OR (${column} = ? AND o.id ${cmp} ?))`);
      params.push(f.after.value, f.after.value, f.after.id);
    }
    const rows = await db.all(
      `SELECT o.* FROM orders o JOIN mpg_orders m ON m.order_id = o.id
       WHERE ${conditions.join(' AND ')}
       ORDER BY ${column} ${dir}, o.id ${dir} LIMIT ? OFFSET ?`,
      [...params, f.limit, f.offset ?? 0],
    );
    return rows.map(rowToOrder);
  };

const jsonOrNull = (value: unknown): string | null => (value === null ? null : json(value));
const parsedOrNull = <T>(row: Row, column: string): T | null => {
  const text = strOrNull(row, column);
  return text === null ? null : (JSON.parse(text) as T);
};

const rowToCardAuth = (r: Row): MpgCardAuth => {
  const frictionless = intOrNull(r, 'is_frictionless');
  return {
    id: str(r, 'id'),
    merchantId: str(r, 'merchant_id'),
    status: str(r, 'status') as MpgCardAuthStatus,
    amountMinor: int(r, 'amount_minor'),
    currency: str(r, 'currency'),
    scheme: str(r, 'scheme'),
    firstDigits: str(r, 'first_digits'),
    lastDigits: str(r, 'last_digits'),
    month: int(r, 'month'),
    year: int(r, 'year'),
    outcome: str(r, 'outcome') as MpgCardAuthOutcome,
    returnUrl: strOrNull(r, 'return_url'),
    challengePreference: str(r, 'challenge_preference'),
    isFrictionless: frictionless === null ? null : frictionless === 1,
    challenge: parsedOrNull(r, 'challenge'),
    auth: parsedOrNull(r, 'auth'),
    failureReason: strOrNull(r, 'failure_reason'),
    message: str(r, 'message'),
    orderId: strOrNull(r, 'order_id'),
    createdAt: int(r, 'created_at'),
    updatedAt: int(r, 'updated_at'),
  };
};

/** The columns a change writes, in the order of the UPDATE below. */
const changed = (a: MpgCardAuth) => [
  a.status,
  a.isFrictionless === null ? null : a.isFrictionless ? 1 : 0,
  jsonOrNull(a.challenge),
  jsonOrNull(a.auth),
  a.failureReason,
  a.message,
  a.returnUrl,
  a.challengePreference,
  a.orderId,
  a.updatedAt,
];

const insertMpgCardAuth =
  (db: SqlSession): MpgStore['insertMpgCardAuth'] =>
  async (a) => {
    await db.run(
      `INSERT INTO mpg_card_auths (id, merchant_id, amount_minor, currency, scheme, first_digits,
         last_digits, month, year, outcome, created_at, status, is_frictionless, challenge, auth,
         failure_reason, message, return_url, challenge_preference, order_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        a.merchantId,
        a.amountMinor,
        a.currency,
        a.scheme,
        a.firstDigits,
        a.lastDigits,
        a.month,
        a.year,
        a.outcome,
        a.createdAt,
        ...changed(a),
      ],
    );
  };

const updateMpgCardAuth =
  (db: SqlSession): MpgStore['updateMpgCardAuth'] =>
  async (a) => {
    await db.run(
      `UPDATE mpg_card_auths SET status = ?, is_frictionless = ?, challenge = ?, auth = ?,
         failure_reason = ?, message = ?, return_url = ?, challenge_preference = ?, order_id = ?,
         updated_at = ?
       WHERE id = ?`,
      [...changed(a), a.id],
    );
  };

export const createMpgSql = (db: SqlSession): MpgStore => ({
  insertMpgOrder: insertMpgOrder(db),
  insertMpgTransaction: insertMpgTransaction(db),
  listMpgOrders: listMpgOrders(db),
  insertMpgCardAuth: insertMpgCardAuth(db),
  lockMpgCardAuth: (id) =>
    firstOf(db, `SELECT * FROM mpg_card_auths WHERE id = ? FOR UPDATE`, [id], rowToCardAuth),
  findMpgCardAuth: (id) =>
    firstOf(db, `SELECT * FROM mpg_card_auths WHERE id = ?`, [id], rowToCardAuth),
  updateMpgCardAuth: updateMpgCardAuth(db),
});
