/**
 * The Points face's statements: customers' points wallets, the Points view of orders and the
 * per-merchant earning lock (hosted checkout sessions are in points-checkout-statements.ts). Same portable SQL on both engines; the
 * SQLite adapter strips the row-lock clauses (its writers are serialised anyway).
 */
import type { StoreTx } from '../../app/ports/store.js';
import type { CustomerEntryType, ShippingStatus } from '../../domain/points.js';
import type {
  PointsChannel,
  PointsCustomer,
  PointsCustomerEntry,
  PointsOrderRecord,
} from '../../domain/points-records.js';
import { assert } from '../../domain/result.js';
import { type Row, str, strOrNull, int } from './rows.js';
import { first, type SqlSession } from './sql-helpers.js';

type PointsStatements = Pick<
  StoreTx,
  | 'tryLockPointsMerchant'
  | 'findPointsCustomer'
  | 'lockPointsCustomer'
  | 'insertPointsCustomerEntry'
  | 'listPointsCustomerEntries'
  | 'insertPointsOrder'
  | 'findPointsOrder'
  | 'findPointsOrderByReview'
  | 'updatePointsOrder'
>;

const rowToCustomer = (r: Row): PointsCustomer => ({
  phone: str(r, 'phone'),
  balance: int(r, 'balance'),
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
});

const rowToEntry = (r: Row): PointsCustomerEntry => ({
  id: str(r, 'id'),
  phone: str(r, 'phone'),
  type: str(r, 'type') as CustomerEntryType,
  points: int(r, 'points'),
  balanceAfter: int(r, 'balance_after'),
  merchantId: strOrNull(r, 'merchant_id'),
  orderId: strOrNull(r, 'order_id'),
  transactionId: strOrNull(r, 'transaction_id'),
  createdAt: int(r, 'created_at'),
});

const rowToPointsOrder = (r: Row): PointsOrderRecord => ({
  number: int(r, 'number'),
  orderId: str(r, 'order_id'),
  merchantId: str(r, 'merchant_id'),
  channel: str(r, 'channel') as PointsChannel,
  reviewReference: strOrNull(r, 'review_reference'),
  shippingStatus: strOrNull(r, 'shipping_status') as ShippingStatus | null,
  labelAr: strOrNull(r, 'label_ar'),
  labelEn: strOrNull(r, 'label_en'),
  paymentMethod: strOrNull(r, 'payment_method'),
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
});

const POINTS_ORDER_COLUMNS = `number, order_id, merchant_id, channel, review_reference,
  shipping_status, label_ar, label_en, payment_method, created_at, updated_at`;

export function createPointsStatements(db: SqlSession): PointsStatements {
  return {
    async tryLockPointsMerchant(merchantId) {
      const lock = `SELECT merchant_id FROM points_merchant_locks WHERE merchant_id = ?
         FOR UPDATE SKIP LOCKED`;
      // SKIP LOCKED answers "busy" at once instead of queueing behind the holder.
      if ((await db.all(lock, [merchantId])).length === 1) return true;
      // No row we could lock: held by another transaction (busy), or not created yet.
      const exists = await db.all(
        `SELECT 1 AS one FROM points_merchant_locks WHERE merchant_id = ?`,
        [merchantId],
      );
      if (exists.length === 1) return false;
      // The merchant's first earning creates its lock row. Two first requests racing here
      // serialise on the insert instead of one getting "busy"; neither can award twice.
      await db.run(
        `INSERT INTO points_merchant_locks (merchant_id) VALUES (?)
         ON CONFLICT (merchant_id) DO NOTHING`,
        [merchantId],
      );
      return (await db.all(lock, [merchantId])).length === 1;
    },

    async findPointsCustomer(phone) {
      const row = await first(db, `SELECT * FROM points_customers WHERE phone = ?`, [phone]);
      return row && rowToCustomer(row);
    },
    async lockPointsCustomer(phone, now) {
      await db.run(
        `INSERT INTO points_customers (phone, balance, created_at, updated_at)
         VALUES (?, 0, ?, ?) ON CONFLICT (phone) DO NOTHING`,
        [phone, now, now],
      );
      const row = await first(db, `SELECT * FROM points_customers WHERE phone = ? FOR UPDATE`, [
        phone,
      ]);
      assert(row !== undefined, `points customer ${phone} missing after upsert`);
      return rowToCustomer(row);
    },
    async insertPointsCustomerEntry(e) {
      await db.run(
        `INSERT INTO points_customer_entries
           (id, phone, type, points, balance_after, merchant_id, order_id, transaction_id,
            created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          e.id,
          e.phone,
          e.type,
          e.points,
          e.balanceAfter,
          e.merchantId,
          e.orderId,
          e.transactionId,
          e.createdAt,
        ],
      );
      const changed = await db.run(
        `UPDATE points_customers SET balance = ?, updated_at = ? WHERE phone = ? AND balance = ?`,
        [e.balanceAfter, e.createdAt, e.phone, e.balanceAfter - e.points],
      );
      assert(changed === 1, `points wallet ${e.phone} changed under its lock`);
    },
    async listPointsCustomerEntries(phone, limit) {
      const rows = await db.all(
        `SELECT * FROM points_customer_entries WHERE phone = ?
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [phone, limit],
      );
      return rows.map(rowToEntry);
    },

    async insertPointsOrder(p) {
      const row = await first(
        db,
        `INSERT INTO points_orders
           (order_id, merchant_id, channel, review_reference, shipping_status, label_ar, label_en,
            payment_method, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING ${POINTS_ORDER_COLUMNS}`,
        [
          p.orderId,
          p.merchantId,
          p.channel,
          p.reviewReference,
          p.shippingStatus,
          p.labelAr,
          p.labelEn,
          p.paymentMethod,
          p.createdAt,
          p.updatedAt,
        ],
      );
      assert(row !== undefined, 'insert into points_orders returned no row');
      return rowToPointsOrder(row);
    },
    async findPointsOrder(orderId) {
      const row = await first(
        db,
        `SELECT ${POINTS_ORDER_COLUMNS} FROM points_orders WHERE order_id = ?`,
        [orderId],
      );
      return row && rowToPointsOrder(row);
    },
    async findPointsOrderByReview(merchantId, channel, reviewReference) {
      const row = await first(
        db,
        `SELECT ${POINTS_ORDER_COLUMNS} FROM points_orders
         WHERE merchant_id = ? AND channel = ? AND review_reference = ?`,
        [merchantId, channel, reviewReference],
      );
      return row && rowToPointsOrder(row);
    },
    async updatePointsOrder(p) {
      const changed = await db.run(
        `UPDATE points_orders SET shipping_status = ?, label_ar = ?, label_en = ?,
           payment_method = ?, updated_at = ?
         WHERE order_id = ?`,
        [p.shippingStatus, p.labelAr, p.labelEn, p.paymentMethod, p.updatedAt, p.orderId],
      );
      assert(changed === 1, `points order ${p.orderId} not updated`);
    },
  };
}
