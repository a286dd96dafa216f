/**
 * The MPG face's statements (migration 005): body-id claims for idempotency, and the search
 * columns behind `GET /v1/orders`. Portable SQL, as everywhere in the store.
 */
import type {
  MpgOrderFilter,
  MpgRequestId,
  MpgRequestIdKind,
  MpgSortField,
} from '../../app/ports/mpg-store.js';
import type { StoreTx } from '../../app/ports/store.js';
import { type Row, int, intOrNull, rowToOrder, str, strOrNull } from './rows.js';
import { first, type SqlSession } from './sql-helpers.js';

type MpgStatements = Pick<
  StoreTx,
  | 'claimMpgRequestId'
  | 'renewMpgRequestLease'
  | 'completeMpgRequestId'
  | 'releaseMpgRequestId'
  | 'findMpgRequestId'
  | 'deleteExpiredMpgRequestIds'
  | 'insertMpgOrder'
  | 'insertMpgTransaction'
  | 'listMpgOrders'
>;

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

const KEY = `merchant_id = ? AND kind = ? AND request_id = ?`;
const key = (r: MpgRequestId) => [r.merchantId, r.kind, r.requestId];

export function createMpgStatements(db: SqlSession): MpgStatements {
  return {
    async claimMpgRequestId(r) {
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
        const row = await first(db, `SELECT * FROM mpg_request_ids WHERE ${KEY}`, key(r));
        if (row !== undefined) return { inserted: inserted === 1, record: rowToRequestId(row) };
        if (round >= 4) throw new Error('mpg request id keeps vanishing after insert');
      }
    },
    async renewMpgRequestLease(r, newToken, leaseExpiresAt, now) {
      const changed = await db.run(
        `UPDATE mpg_request_ids SET lease_token = ?, lease_expires_at = ?
         WHERE ${KEY} AND state = 'in_progress' AND lease_token = ? AND lease_expires_at <= ?`,
        [newToken, leaseExpiresAt, ...key(r), r.leaseToken, now],
      );
      return changed === 1;
    },
    async completeMpgRequestId(r, leaseToken, orderId) {
      const changed = await db.run(
        `UPDATE mpg_request_ids
         SET state = 'completed', lease_token = NULL, lease_expires_at = NULL, order_id = ?
         WHERE ${KEY} AND state = 'in_progress' AND lease_token = ?`,
        [orderId, ...key(r), leaseToken],
      );
      return changed === 1;
    },
    async releaseMpgRequestId(r, leaseToken) {
      await db.run(
        `DELETE FROM mpg_request_ids WHERE ${KEY} AND state = 'in_progress' AND lease_token = ?`,
        [...key(r), leaseToken],
      );
    },
    async findMpgRequestId(merchantId, kind, requestId) {
      const row = await first(db, `SELECT * FROM mpg_request_ids WHERE ${KEY}`, [
        merchantId,
        kind,
        requestId,
      ]);
      return row && rowToRequestId(row);
    },
    async deleteExpiredMpgRequestIds(createdBefore, now, limit) {
      // An old claim still leased by a running request is left alone until its lease ends.
      return db.run(
        `DELETE FROM mpg_request_ids WHERE (merchant_id, kind, request_id) IN (
           SELECT merchant_id, kind, request_id FROM mpg_request_ids
           WHERE created_at <= ? AND (state = 'completed' OR lease_expires_at <= ?)
           LIMIT ? FOR UPDATE SKIP LOCKED)`,
        [createdBefore, now, limit],
      );
    },
    async insertMpgOrder(m) {
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
    },
    async insertMpgTransaction(t) {
      await db.run(
        `INSERT INTO mpg_transactions (transaction_id, order_id, retrieval_reference, stan,
           auth_code, response_code)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [t.transactionId, t.orderId, t.retrievalReference, t.stan, t.authCode, t.responseCode],
      );
    },
    async listMpgOrders(f: MpgOrderFilter) {
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
         ORDER BY ${column} ${dir}, o.id ${dir} LIMIT ?`,
        [...params, f.limit],
      );
      return rows.map(rowToOrder);
    },
  };
}
