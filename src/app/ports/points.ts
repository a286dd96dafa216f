/**
 * The Points face's port: the Points view of orders (integer order numbers, channel, shipping
 * status) and the per-merchant earning lock (src/app/points-orders.ts). The SQL is
 * src/store/sql/points-sql.ts.
 */
import type { Order } from '../../domain/order.js';
import type {
  PendingEarning,
  PointsChannel,
  PointsOrderRecord,
} from '../../domain/points-records.js';

/** Points orders and the earning lock. */
export interface PointsStore {
  /**
   * Takes the merchant's earning lock for this transaction, or returns false at once when another
   * transaction holds it (FOR UPDATE SKIP LOCKED on PostgreSQL, so cluster-wide; SQLite's
   * serialised writers never contend, and the in-process gate covers it).
   */
  tryLockPointsMerchant(merchantId: string): Promise<boolean>;
  /** Inserts the Points view of an order; returns it with its drawn integer `number`. */
  insertPointsOrder(record: Omit<PointsOrderRecord, 'number'>): Promise<PointsOrderRecord>;
  findPointsOrder(orderId: string): Promise<PointsOrderRecord | undefined>;
  /**
   * The order and its Points record, both rows locked (FOR UPDATE OF both on PostgreSQL), in one
   * statement: what a Points operation changes and answers with. Undefined when the order is not
   * a Points order.
   */
  lockPointsOrder(
    orderId: string,
  ): Promise<{ order: Order; record: PointsOrderRecord } | undefined>;
  findPointsOrderByReview(
    merchantId: string,
    channel: PointsChannel,
    reviewReference: string,
  ): Promise<PointsOrderRecord | undefined>;
  updatePointsOrder(record: PointsOrderRecord): Promise<void>;
  /** The merchant's stable integer for the Points face (`merchant_id`), if it has one yet. */
  findPointsMerchantNumber(merchantId: string): Promise<number | undefined>;
  /** Gives the merchant its integer if it has none (a no-op otherwise); returns it. */
  ensurePointsMerchantNumber(merchantId: string): Promise<number>;
  /** Queues an earning; returns it with its drawn `number`. */
  insertPendingEarning(
    pending: Omit<PendingEarning, 'number' | 'orderId' | 'awardedAt'>,
  ): Promise<PendingEarning>;
  /** The merchant's queued earning of this channel and order number (or review reference). */
  findPendingEarning(
    merchantId: string,
    channel: PendingEarning['channel'],
    orderNumber: string,
  ): Promise<PendingEarning | undefined>;
  /** True when any channel of the merchant has queued this order number, awarded or not. */
  pendingOrderNumberTaken(merchantId: string, orderNumber: string): Promise<boolean>;
  /** Up to `limit` earnings still waiting for the phone, oldest first. */
  listWaitingPendingEarnings(phone: string, limit: number): Promise<PendingEarning[]>;
  /** Marks a waiting earning awarded by `orderId`. */
  markPendingEarningAwarded(number: number, orderId: string, at: number): Promise<void>;
}
