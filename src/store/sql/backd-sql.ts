/**
 * The Backd face's statements (BackdStore): Backd's state of each order and its refund requests. Same portable
 * SQL on both engines; the SQLite adapter strips the row-lock clauses (its writers are serialised
 * by BEGIN IMMEDIATE anyway). Mappers sit beside the SQL
 * (docs/decisions/engineering.md#explicit-wiring).
 */
import type { BackdStore } from '../../app/ports/backd.js';
import type {
  BackdContact,
  BackdItem,
  BackdMode,
  BackdOrder,
  BackdOrderStatus,
  BackdTerms,
} from '../../domain/backd-order.js';
import type {
  DeclineReason,
  RefundRequest,
  RefundRequestStatus,
} from '../../domain/refund-request.js';
import { type Row, str, strOrNull, int, intOrNull, parsed, rowToOrder } from './rows.js';
import {
  type SqlSession,
  ORDER_COLUMNS,
  columnsOf,
  renamedColumns,
  flag,
  json,
  marks,
  firstOf,
  allOf,
} from './sql-helpers.js';

/** Items are stored in the wire's snake_case with the price in minor units. */
interface StoredItem {
  display_name: string;
  sku: string;
  unit_price_minor: number;
  qty: number;
  item_image_url?: string;
  item_url?: string;
}

const itemToStored = (i: BackdItem): StoredItem => ({
  display_name: i.displayName,
  sku: i.sku,
  unit_price_minor: i.unitPriceMinor,
  qty: i.qty,
  ...(i.itemImageUrl !== undefined ? { item_image_url: i.itemImageUrl } : {}),
  ...(i.itemUrl !== undefined ? { item_url: i.itemUrl } : {}),
});

const storedToItem = (s: StoredItem): BackdItem => ({
  displayName: s.display_name,
  sku: s.sku,
  unitPriceMinor: s.unit_price_minor,
  qty: s.qty,
  ...(s.item_image_url !== undefined ? { itemImageUrl: s.item_image_url } : {}),
  ...(s.item_url !== undefined ? { itemUrl: s.item_url } : {}),
});

const modeToStored = (m: BackdMode) => ({
  type: m.type,
  order_success_url: m.orderSuccessUrl,
  order_close_url: m.orderCloseUrl,
});

/** The shipping, billing and items columns' text, in that order (written on insert and update). */
const storedContactsAndItems = (o: BackdOrder): [string | null, string, string] => [
  o.shipping === null ? null : json(o.shipping),
  json(o.billing),
  json(o.items.map(itemToStored)),
];

const BACKD_ORDER_COLUMNS = `order_id, merchant_id, backd_order_id, merchant_order_id,
  merchant_order_status, status, terms, checkout_token_hash, currency, initial_total_minor,
  order_total_minor, cart_amount_minor, tax_amount_minor, shipping_amount_minor,
  discount_amount_minor, shipping, billing, items, mode, notify_customer, customer_email,
  terms_selected_at, placed_at, confirmed_at, canceled_at, created_at, updated_at, version`;

const rowToBackdOrder = (r: Row): BackdOrder => {
  const mode = parsed<{ type: 'redirect'; order_success_url: string; order_close_url: string }>(
    r,
    'mode',
  );
  const notify = intOrNull(r, 'notify_customer');
  return {
    orderId: str(r, 'order_id'),
    merchantId: str(r, 'merchant_id'),
    backdOrderId: str(r, 'backd_order_id'),
    merchantOrderId: str(r, 'merchant_order_id'),
    merchantOrderStatus: strOrNull(r, 'merchant_order_status'),
    status: str(r, 'status') as BackdOrderStatus,
    terms: strOrNull(r, 'terms') as BackdTerms | null,
    checkoutTokenHash: str(r, 'checkout_token_hash'),
    currency: str(r, 'currency'),
    initialTotalMinor: int(r, 'initial_total_minor'),
    orderTotalMinor: int(r, 'order_total_minor'),
    cartAmountMinor: int(r, 'cart_amount_minor'),
    taxAmountMinor: int(r, 'tax_amount_minor'),
    shippingAmountMinor: int(r, 'shipping_amount_minor'),
    discountAmountMinor: int(r, 'discount_amount_minor'),
    shipping: r['shipping'] === null ? null : parsed<BackdContact>(r, 'shipping'),
    billing: parsed<BackdContact>(r, 'billing'),
    items: parsed<StoredItem[]>(r, 'items').map(storedToItem),
    mode: {
      type: mode.type,
      orderSuccessUrl: mode.order_success_url,
      orderCloseUrl: mode.order_close_url,
    },
    notifyCustomer: notify === null ? null : notify === 1,
    customerEmail: strOrNull(r, 'customer_email'),
    termsSelectedAt: intOrNull(r, 'terms_selected_at'),
    placedAt: intOrNull(r, 'placed_at'),
    confirmedAt: intOrNull(r, 'confirmed_at'),
    canceledAt: intOrNull(r, 'canceled_at'),
    createdAt: int(r, 'created_at'),
    updatedAt: int(r, 'updated_at'),
    version: int(r, 'version'),
  };
};

const REFUND_REQUEST_COLUMNS = `id, order_id, merchant_id, amount_minor, currency,
  base_refunded_minor, status, locked_at, settle_at, decline_reason, replaced_by, created_at, approved_at, refunded_at,
  declined_at, updated_at`;

const rowToRefundRequest = (r: Row): RefundRequest => ({
  id: str(r, 'id'),
  orderId: str(r, 'order_id'),
  merchantId: str(r, 'merchant_id'),
  amountMinor: int(r, 'amount_minor'),
  currency: str(r, 'currency'),
  baseRefundedMinor: int(r, 'base_refunded_minor'),
  status: str(r, 'status') as RefundRequestStatus,
  lockedAt: int(r, 'locked_at'),
  settleAt: intOrNull(r, 'settle_at'),
  declineReason: strOrNull(r, 'decline_reason') as DeclineReason | null,
  replacedBy: strOrNull(r, 'replaced_by'),
  createdAt: int(r, 'created_at'),
  approvedAt: intOrNull(r, 'approved_at'),
  refundedAt: intOrNull(r, 'refunded_at'),
  declinedAt: intOrNull(r, 'declined_at'),
  updatedAt: int(r, 'updated_at'),
});

/** The Backd order whose `column` holds `value`, if any. */
const findOrderBy = (db: SqlSession, column: string, value: string) =>
  firstOf(
    db,
    `SELECT ${BACKD_ORDER_COLUMNS} FROM backd_orders WHERE ${column} = ?`,
    [value],
    rowToBackdOrder,
  );

const insertBackdOrder =
  (db: SqlSession): BackdStore['insertBackdOrder'] =>
  async (o) => {
    await db.run(
      `INSERT INTO backd_orders (${BACKD_ORDER_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        o.orderId,
        o.merchantId,
        o.backdOrderId,
        o.merchantOrderId,
        o.merchantOrderStatus,
        o.status,
        o.terms,
        o.checkoutTokenHash,
        o.currency,
        o.initialTotalMinor,
        o.orderTotalMinor,
        o.cartAmountMinor,
        o.taxAmountMinor,
        o.shippingAmountMinor,
        o.discountAmountMinor,
        ...storedContactsAndItems(o),
        json(modeToStored(o.mode)),
        o.notifyCustomer === null ? null : flag(o.notifyCustomer),
        o.customerEmail,
        o.termsSelectedAt,
        o.placedAt,
        o.confirmedAt,
        o.canceledAt,
        o.createdAt,
        o.updatedAt,
        o.version,
      ],
    );
  };

const findBackdOrder =
  (db: SqlSession): BackdStore['findBackdOrder'] =>
  (backdOrderId) =>
    findOrderBy(db, 'backd_order_id', backdOrderId);

const findBackdOrderByOrderId =
  (db: SqlSession): BackdStore['findBackdOrderByOrderId'] =>
  (orderId) =>
    findOrderBy(db, 'order_id', orderId);

const lockOrderOfBackdOrder =
  (db: SqlSession): BackdStore['lockOrderOfBackdOrder'] =>
  async (backdOrderId) => {
    // Both rows locked: a statement that waited for the lock re-reads only the rows it locked
    // (READ COMMITTED), and Backd's row changes only under the order's, so it is never stale.
    // The order's row first (OF o, b), as every writer takes them.
    const [r] = await db.all(
      `SELECT ${columnsOf(ORDER_COLUMNS, 'o')}, ${columnsOf(BACKD_ORDER_COLUMNS, 'b', true)}
       FROM backd_orders b JOIN orders o ON o.id = b.order_id
       WHERE b.backd_order_id = ? FOR UPDATE OF o, b`,
      [backdOrderId],
    );
    return r && { order: rowToOrder(r), backd: rowToBackdOrder(renamedColumns(r, 'b')) };
  };

const findBackdOrderByCheckoutToken =
  (db: SqlSession): BackdStore['findBackdOrderByCheckoutToken'] =>
  (tokenHash) =>
    findOrderBy(db, 'checkout_token_hash', tokenHash);

const updateBackdOrder =
  (db: SqlSession): BackdStore['updateBackdOrder'] =>
  async (o) => {
    await db.writeOne(
      `UPDATE backd_orders SET merchant_order_status = ?, status = ?, terms = ?,
         order_total_minor = ?, cart_amount_minor = ?, tax_amount_minor = ?,
         shipping_amount_minor = ?, discount_amount_minor = ?, shipping = ?, billing = ?,
         items = ?, terms_selected_at = ?, placed_at = ?, confirmed_at = ?, canceled_at = ?,
         updated_at = ?, version = ?
       WHERE order_id = ? AND version = ?`,
      [
        o.merchantOrderStatus,
        o.status,
        o.terms,
        o.orderTotalMinor,
        o.cartAmountMinor,
        o.taxAmountMinor,
        o.shippingAmountMinor,
        o.discountAmountMinor,
        ...storedContactsAndItems(o),
        o.termsSelectedAt,
        o.placedAt,
        o.confirmedAt,
        o.canceledAt,
        o.updatedAt,
        o.version,
        o.orderId,
        o.version - 1,
      ],
      `backd order ${o.orderId} changed under a lock (version ${o.version - 1})`,
    );
  };

const insertBackdRefundRequest =
  (db: SqlSession): BackdStore['insertBackdRefundRequest'] =>
  async (r) => {
    // Behind on PostgreSQL; a second active request meets the unique index there, at the latest
    // at COMMIT, as a UniqueViolation.
    await db.write(
      `INSERT INTO backd_refund_requests (${REFUND_REQUEST_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.id,
        r.orderId,
        r.merchantId,
        r.amountMinor,
        r.currency,
        r.baseRefundedMinor,
        r.status,
        r.lockedAt,
        r.settleAt,
        r.declineReason,
        r.replacedBy,
        r.createdAt,
        r.approvedAt,
        r.refundedAt,
        r.declinedAt,
        r.updatedAt,
      ],
    );
  };

const updateBackdRefundRequest =
  (db: SqlSession): BackdStore['updateBackdRefundRequest'] =>
  async (r, expectedStatus) => {
    await db.writeOne(
      `UPDATE backd_refund_requests SET status = ?, settle_at = ?, decline_reason = ?,
         replaced_by = ?, approved_at = ?, refunded_at = ?, declined_at = ?, updated_at = ?
       WHERE id = ? AND status = ?`,
      [
        r.status,
        r.settleAt,
        r.declineReason,
        r.replacedBy,
        r.approvedAt,
        r.refundedAt,
        r.declinedAt,
        r.updatedAt,
        r.id,
        expectedStatus,
      ],
      `refund request ${r.id} is no longer ${expectedStatus} under the order's lock`,
    );
  };

const findBackdRefundRequest =
  (db: SqlSession): BackdStore['findBackdRefundRequest'] =>
  (id) =>
    firstOf(
      db,
      `SELECT ${REFUND_REQUEST_COLUMNS} FROM backd_refund_requests WHERE id = ?`,
      [id],
      rowToRefundRequest,
    );

/** The order's active (draft or approved) request, its row locked, found by `where` (one `?`). */
const activeRefundRequest = (db: SqlSession, where: string, value: string) =>
  firstOf(
    db,
    `SELECT ${REFUND_REQUEST_COLUMNS} FROM backd_refund_requests
     WHERE ${where} AND status IN ('draft', 'approved') FOR UPDATE`,
    [value],
    rowToRefundRequest,
  );

const listBackdRefundRequests =
  (db: SqlSession): BackdStore['listBackdRefundRequests'] =>
  (orderId) =>
    allOf(
      db,
      `SELECT ${REFUND_REQUEST_COLUMNS} FROM backd_refund_requests
       WHERE order_id = ? ORDER BY created_at, id`,
      [orderId],
      rowToRefundRequest,
    );

const listDueBackdRefundRequests =
  (db: SqlSession): BackdStore['listDueBackdRefundRequests'] =>
  async (now, limit) => {
    // Two index range scans (partial indexes on each status), merged by due time.
    const rows = await db.all(
      `SELECT id, order_id, due_at FROM (
         SELECT id, order_id, locked_at AS due_at FROM backd_refund_requests
         WHERE status = 'draft' AND locked_at <= ?
         UNION ALL
         SELECT id, order_id, settle_at AS due_at FROM backd_refund_requests
         WHERE status = 'approved' AND settle_at <= ?
       ) due ORDER BY due_at, id LIMIT ?`,
      [now, now, limit],
    );
    return rows.map((r) => ({ id: str(r, 'id'), orderId: str(r, 'order_id') }));
  };

const tryLockBackdOrder =
  (db: SqlSession): BackdStore['tryLockBackdOrder'] =>
  async (orderId) => {
    const rows = await db.all(`SELECT id FROM orders WHERE id = ? FOR UPDATE SKIP LOCKED`, [
      orderId,
    ]);
    return rows.length === 1;
  };

const listBackdRefundRequestsFor =
  (db: SqlSession): BackdStore['listBackdRefundRequestsFor'] =>
  async (orderIds) => {
    if (orderIds.length === 0) return [];
    const rows = await db.all(
      `SELECT ${REFUND_REQUEST_COLUMNS} FROM backd_refund_requests
       WHERE order_id IN (${marks(orderIds.length)}) ORDER BY order_id, created_at, id`,
      orderIds,
    );
    return rows.map(rowToRefundRequest);
  };

export const createBackdSql = (db: SqlSession): BackdStore => ({
  insertBackdOrder: insertBackdOrder(db),
  findBackdOrder: findBackdOrder(db),
  findBackdOrderByOrderId: findBackdOrderByOrderId(db),
  findBackdOrderByCheckoutToken: findBackdOrderByCheckoutToken(db),
  lockOrderOfBackdOrder: lockOrderOfBackdOrder(db),
  updateBackdOrder: updateBackdOrder(db),
  insertBackdRefundRequest: insertBackdRefundRequest(db),
  updateBackdRefundRequest: updateBackdRefundRequest(db),
  findBackdRefundRequest: findBackdRefundRequest(db),
  findActiveBackdRefundRequest: (orderId) => activeRefundRequest(db, 'order_id = ?', orderId),
  findActiveRefundRequestOfBackdOrder: (backdOrderId) =>
    activeRefundRequest(
      db,
      'order_id = (SELECT order_id FROM backd_orders WHERE backd_order_id = ?)',
      backdOrderId,
    ),
  listBackdRefundRequests: listBackdRefundRequests(db),
  listBackdRefundRequestsFor: listBackdRefundRequestsFor(db),
  listDueBackdRefundRequests: listDueBackdRefundRequests(db),
  tryLockBackdOrder: tryLockBackdOrder(db),
});
