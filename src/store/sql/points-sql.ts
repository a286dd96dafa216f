/**
 * The Points face's statements (PointsStore): the Points view of orders and the per-merchant
 * earning lock. Same portable SQL on both engines; the SQLite adapter strips the row-lock clauses
 * (its writers are serialised anyway).
 */
import type { PointsStore } from '../../app/ports/points.js';
import type { ShippingStatus } from '../../domain/points.js';
import type {
  PendingEarning,
  PointsChannel,
  PointsOrderRecord,
} from '../../domain/points-records.js';
import { assert } from '../../domain/result.js';
import { type Row, int, intOrNull, parsed, rowToOrder, str, strOrNull } from './rows.js';
import {
  type SqlSession,
  allOf,
  columnsOf,
  first,
  firstOf,
  json,
  ORDER_COLUMNS,
  renamedColumns,
} from './sql-helpers.js';

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

const tryLockPointsMerchant =
  (db: SqlSession): PointsStore['tryLockPointsMerchant'] =>
  async (merchantId) => {
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
  };

const insertPointsOrder =
  (db: SqlSession): PointsStore['insertPointsOrder'] =>
  async (p) => {
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
  };

const findPointsOrder =
  (db: SqlSession): PointsStore['findPointsOrder'] =>
  (orderId) =>
    firstOf(
      db,
      `SELECT ${POINTS_ORDER_COLUMNS} FROM points_orders WHERE order_id = ?`,
      [orderId],
      rowToPointsOrder,
    );

const lockPointsOrder =
  (db: SqlSession): PointsStore['lockPointsOrder'] =>
  async (orderId) => {
    // Both rows locked: a statement that waited for the lock re-reads only the rows it locked
    // (READ COMMITTED), and the record changes only under the order's lock. The order's row
    // first (OF o, p), as every writer takes them.
    const [r] = await db.all(
      `SELECT ${columnsOf(ORDER_COLUMNS, 'o')}, ${columnsOf(POINTS_ORDER_COLUMNS, 'p', true)}
       FROM orders o JOIN points_orders p ON p.order_id = o.id
       WHERE o.id = ? FOR UPDATE OF o, p`,
      [orderId],
    );
    return r && { order: rowToOrder(r), record: rowToPointsOrder(renamedColumns(r, 'p')) };
  };

const findPointsOrderByReview =
  (db: SqlSession): PointsStore['findPointsOrderByReview'] =>
  (merchantId, channel, reviewReference) =>
    firstOf(
      db,
      `SELECT ${POINTS_ORDER_COLUMNS} FROM points_orders
       WHERE merchant_id = ? AND channel = ? AND review_reference = ?`,
      [merchantId, channel, reviewReference],
      rowToPointsOrder,
    );

const updatePointsOrder =
  (db: SqlSession): PointsStore['updatePointsOrder'] =>
  async (p) => {
    const changed = await db.run(
      `UPDATE points_orders SET shipping_status = ?, label_ar = ?, label_en = ?,
         payment_method = ?, updated_at = ?
       WHERE order_id = ?`,
      [p.shippingStatus, p.labelAr, p.labelEn, p.paymentMethod, p.updatedAt, p.orderId],
    );
    assert(changed === 1, `points order ${p.orderId} not updated`);
  };

const findPointsMerchantNumber =
  (db: SqlSession): PointsStore['findPointsMerchantNumber'] =>
  (merchantId) =>
    firstOf(db, `SELECT number FROM points_merchants WHERE merchant_id = ?`, [merchantId], (r) =>
      int(r, 'number'),
    );

const ensurePointsMerchantNumber =
  (db: SqlSession): PointsStore['ensurePointsMerchantNumber'] =>
  async (merchantId) => {
    await db.run(
      `INSERT INTO points_merchants (merchant_id) VALUES (?) ON CONFLICT (merchant_id) DO NOTHING`,
      [merchantId],
    );
    const number = await findPointsMerchantNumber(db)(merchantId);
    assert(number !== undefined, `merchant ${merchantId} has no points number`);
    return number;
  };

const rowToPending = (r: Row): PendingEarning => ({
  number: int(r, 'number'),
  merchantId: str(r, 'merchant_id'),
  phone: str(r, 'phone'),
  channel: str(r, 'channel') as PendingEarning['channel'],
  orderNumber: str(r, 'order_number'),
  reviewReference: strOrNull(r, 'review_reference'),
  amountMinor: int(r, 'amount_minor'),
  totalPoints: int(r, 'total_points'),
  details: parsed<Record<string, unknown>>(r, 'details'),
  orderId: strOrNull(r, 'order_id'),
  createdAt: int(r, 'created_at'),
  awardedAt: intOrNull(r, 'awarded_at'),
});

const PENDING_COLUMNS = `number, merchant_id, phone, channel, order_number, review_reference,
  amount_minor, total_points, details, order_id, created_at, awarded_at`;

const insertPendingEarning =
  (db: SqlSession): PointsStore['insertPendingEarning'] =>
  async (p) => {
    const row = await first(
      db,
      `INSERT INTO points_pending_earnings
         (merchant_id, phone, channel, order_number, review_reference, amount_minor,
          total_points, details, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       RETURNING ${PENDING_COLUMNS}`,
      [
        p.merchantId,
        p.phone,
        p.channel,
        p.orderNumber,
        p.reviewReference,
        p.amountMinor,
        p.totalPoints,
        json(p.details),
        p.createdAt,
      ],
    );
    assert(row !== undefined, 'insert into points_pending_earnings returned no row');
    return rowToPending(row);
  };

const findPendingEarning =
  (db: SqlSession): PointsStore['findPendingEarning'] =>
  (merchantId, channel, orderNumber) =>
    firstOf(
      db,
      `SELECT ${PENDING_COLUMNS} FROM points_pending_earnings
       WHERE merchant_id = ? AND channel = ? AND order_number = ?`,
      [merchantId, channel, orderNumber],
      rowToPending,
    );

const pendingOrderNumberTaken =
  (db: SqlSession): PointsStore['pendingOrderNumberTaken'] =>
  async (merchantId, orderNumber) =>
    (
      await db.all(
        `SELECT 1 AS one FROM points_pending_earnings
         WHERE merchant_id = ? AND channel = 'earning' AND order_number = ?`,
        [merchantId, orderNumber],
      )
    ).length > 0;

const listWaitingPendingEarnings =
  (db: SqlSession): PointsStore['listWaitingPendingEarnings'] =>
  (phone, limit) =>
    allOf(
      db,
      `SELECT ${PENDING_COLUMNS} FROM points_pending_earnings
       WHERE phone = ? AND awarded_at IS NULL ORDER BY number LIMIT ?`,
      [phone, limit],
      rowToPending,
    );

const markPendingEarningAwarded =
  (db: SqlSession): PointsStore['markPendingEarningAwarded'] =>
  async (number, orderId, at) => {
    const changed = await db.run(
      `UPDATE points_pending_earnings SET order_id = ?, awarded_at = ?
       WHERE number = ? AND awarded_at IS NULL`,
      [orderId, at, number],
    );
    assert(changed === 1, `pending earning ${number} not awarded`);
  };

export const createPointsSql = (db: SqlSession): PointsStore => ({
  tryLockPointsMerchant: tryLockPointsMerchant(db),
  insertPointsOrder: insertPointsOrder(db),
  findPointsOrder: findPointsOrder(db),
  lockPointsOrder: lockPointsOrder(db),
  findPointsOrderByReview: findPointsOrderByReview(db),
  updatePointsOrder: updatePointsOrder(db),
  findPointsMerchantNumber: findPointsMerchantNumber(db),
  ensurePointsMerchantNumber: ensurePointsMerchantNumber(db),
  insertPendingEarning: insertPendingEarning(db),
  findPendingEarning: findPendingEarning(db),
  pendingOrderNumberTaken: pendingOrderNumberTaken(db),
  listWaitingPendingEarnings: listWaitingPendingEarnings(db),
  markPendingEarningAwarded: markPendingEarningAwarded(db),
});
