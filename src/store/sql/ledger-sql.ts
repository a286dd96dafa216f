/**
 * The ledger's statements (LedgerStore): orders and their append-only ledger rows. Portable SQL;
 * the SQLite adapter strips the row-lock clause of `lockOrder` (its writers are serialised).
 */
import type { LedgerStore, LedgerTransaction } from '../../app/ports/ledger.js';
import type { Order } from '../../domain/order.js';
import { BOUNDS } from '../../domain/bounds.js';
import { assert } from '../../domain/result.js';
import { rowToMerchant, rowToOrder, rowToTransaction } from './rows.js';
import {
  JOINED_MERCHANT_COLUMNS,
  ORDER_COLUMNS,
  columnsOf,
  type SqlSession,
  filterClause,
  json,
  keysetOrder,
  keysetPage,
  marks,
  firstOf,
  renamedColumns,
} from './sql-helpers.js';

/** An order's values in ORDER_COLUMNS order (the PostgreSQL change statement reuses them). */
export const orderValues = (o: Order): unknown[] => [
  o.id,
  o.merchantId,
  o.dialect,
  o.kind,
  o.currency,
  o.amountMinor,
  o.redeemedMinor,
  o.authorizedMinor,
  o.capturedMinor,
  o.voidedMinor,
  o.refundedMinor,
  o.totalPoints,
  o.pointsReversed,
  o.redeemedPoints,
  o.pointsReturned,
  o.status,
  o.orderNumber,
  o.merchantOrderId,
  o.backdOrderId,
  o.customerRef,
  json(o.details),
  o.captureMethod,
  o.capturedAt,
  o.cancelledAt,
  o.createdAt,
  o.updatedAt,
  o.version,
];

export const INSERT_ORDER_SQL = `INSERT INTO orders (${ORDER_COLUMNS}) VALUES (${marks(27)})`;

const insertOrder =
  (db: SqlSession): LedgerStore['insertOrder'] =>
  async (o) => {
    await db.run(INSERT_ORDER_SQL, orderValues(o));
  };

const findOrder =
  (db: SqlSession): LedgerStore['findOrder'] =>
  (id) =>
    firstOf(db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`, [id], rowToOrder);

const lockOrder =
  (db: SqlSession): LedgerStore['lockOrder'] =>
  (id) =>
    firstOf(db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ? FOR UPDATE`, [id], rowToOrder);

// amount_minor changes only through planAmendAmount (nothing reserved yet); the CHECKs keep every
// total within it either way. The version guard is the last two values.
export const UPDATE_ORDER_SQL = `UPDATE orders SET amount_minor = ?, authorized_minor = ?,
  captured_minor = ?, voided_minor = ?, refunded_minor = ?, total_points = ?, points_reversed = ?,
  redeemed_points = ?, points_returned = ?, status = ?, details = ?, capture_method = ?,
  captured_at = ?, cancelled_at = ?, updated_at = ?, version = ?
  WHERE id = ? AND version = ?`;

export const orderUpdateValues = (o: Order): unknown[] => [
  o.amountMinor,
  o.authorizedMinor,
  o.capturedMinor,
  o.voidedMinor,
  o.refundedMinor,
  o.totalPoints,
  o.pointsReversed,
  o.redeemedPoints,
  o.pointsReturned,
  o.status,
  json(o.details),
  o.captureMethod,
  o.capturedAt,
  o.cancelledAt,
  o.updatedAt,
  o.version,
  o.id,
  o.version - 1,
];

export const changedUnderLock = (o: Order): string =>
  `order ${o.id} changed under a lock (version ${o.version - 1})`;

const lockOrderWithMerchant =
  (db: SqlSession): LedgerStore['lockOrderWithMerchant'] =>
  async (id) => {
    const [r] = await db.all(
      `SELECT ${columnsOf(ORDER_COLUMNS, 'o')}, ${JOINED_MERCHANT_COLUMNS}
       FROM orders o JOIN merchants m ON m.id = o.merchant_id
       WHERE o.id = ? FOR UPDATE OF o`,
      [id],
    );
    return r && { order: rowToOrder(r), merchant: rowToMerchant(renamedColumns(r, 'm')) };
  };

const updateOrder =
  (db: SqlSession): LedgerStore['updateOrder'] =>
  async (o) => {
    const changed = await db.run(UPDATE_ORDER_SQL, orderUpdateValues(o));
    assert(changed === 1, changedUnderLock(o));
  };

const findOrderByNumber =
  (db: SqlSession): LedgerStore['findOrderByNumber'] =>
  (merchantId, dialect, orderNumber) =>
    firstOf(
      db,
      `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE merchant_id = ? AND dialect = ? AND order_number = ?`,
      [merchantId, dialect, orderNumber],
      rowToOrder,
    );

const listOrders =
  (db: SqlSession): LedgerStore['listOrders'] =>
  async (f) => {
    const direction = f.direction ?? 'asc';
    const order = keysetOrder(direction);
    const filters: [string, unknown][] = [
      ['merchant_id = ?', f.merchantId],
      ['dialect = ?', f.dialect],
      ['kind = ?', f.kind],
      ['status = ?', f.status],
      ['created_at >= ?', f.createdFrom],
      ['created_at < ?', f.createdTo],
      [
        'amount_minor <= ? AND total_points <= ? AND redeemed_points <= ?',
        f.withinBounds && [BOUNDS.amountMinorMax, BOUNDS.orderPointsMax, BOUNDS.orderPointsMax],
      ],
    ];
    if (!f.search) {
      return (await keysetPage(db, `SELECT ${ORDER_COLUMNS} FROM orders`, filters, f)).map(
        rowToOrder,
      );
    }
    // A search is one exact lookup per reference column, each on its own index and already
    // filtered, ordered and limited, so a reference shared by many orders (a customer's phone)
    // costs one page, not all its orders; UNION drops an order found by two columns.
    const { text, phones } = f.search;
    const lookups: [string, unknown[]][] = [
      ['id = ?', [text]],
      ['order_number = ?', [text]],
      ['merchant_order_id = ?', [text]],
      ['backd_order_id = ?', [text]],
      ...(phones.length
        ? [[`customer_ref IN (${marks(phones.length)})`, phones] as [string, unknown[]]]
        : []),
    ];
    const { where, params: filterParams } = filterClause(filters, f.after, direction);
    const branches: string[] = [];
    const params: unknown[] = [];
    lookups.forEach(([lookup, values], i) => {
      const condition = where ? `${where} AND ${lookup}` : `WHERE ${lookup}`;
      branches.push(
        `SELECT * FROM (SELECT ${ORDER_COLUMNS} FROM orders ${condition} ${order} LIMIT ?) AS b${i}`,
      );
      params.push(...filterParams, ...values, f.limit);
    });
    const rows = await db.all(
      `SELECT * FROM (${branches.join(' UNION ')}) AS found ${order} LIMIT ?`,
      [...params, f.limit],
    );
    return rows.map(rowToOrder);
  };

export const TRANSACTION_COLUMNS = `id, order_id, merchant_id, type, status, amount_minor, points,
  currency, reason, actor, event_id, details, created_at`;

export const transactionValues = (t: LedgerTransaction): unknown[] => [
  t.id,
  t.orderId,
  t.merchantId,
  t.type,
  t.status,
  t.amountMinor,
  t.points,
  t.currency,
  t.reason,
  t.actor,
  t.eventId,
  json(t.details),
  t.createdAt,
];

const insertTransaction =
  (db: SqlSession): LedgerStore['insertTransaction'] =>
  async (t) => {
    const inserted = await db.run(
      `INSERT INTO transactions (${TRANSACTION_COLUMNS}) VALUES (${marks(13)})
       ON CONFLICT (id) DO NOTHING`,
      transactionValues(t),
    );
    return inserted === 1;
  };

const listTransactions =
  (db: SqlSession): LedgerStore['listTransactions'] =>
  async (orderId) => {
    const rows = await db.all(
      // Rows of one instant come in the order their events were written (event ids are
      // UUIDv7, increasing within a process): a client-assigned row id (MPG's transaction_id)
      // is random and says nothing about order.
      `SELECT * FROM transactions WHERE order_id = ? ORDER BY created_at, event_id, id`,
      [orderId],
    );
    return rows.map(rowToTransaction);
  };

const findLedgerTransaction =
  (db: SqlSession): LedgerStore['findLedgerTransaction'] =>
  (id) =>
    firstOf(db, `SELECT * FROM transactions WHERE id = ?`, [id], rowToTransaction);

export const createLedgerSql = (db: SqlSession): Omit<LedgerStore, 'writeChange'> => ({
  insertOrder: insertOrder(db),
  findOrder: findOrder(db),
  lockOrder: lockOrder(db),
  lockOrderWithMerchant: lockOrderWithMerchant(db),
  updateOrder: updateOrder(db),
  findOrderByNumber: findOrderByNumber(db),
  listOrders: listOrders(db),
  insertTransaction: insertTransaction(db),
  listTransactions: listTransactions(db),
  findLedgerTransaction: findLedgerTransaction(db),
});
