/**
 * The Backd face's port: Backd's state of each order (its lifecycle, terms, contacts and items)
 * and the order's refund requests (src/app/backd-orders.ts, src/app/backd-refund-requests.ts).
 * The SQL is src/store/sql/backd-sql.ts.
 */
import type { BackdOrder } from '../../domain/backd-order.js';
import type { Order } from '../../domain/order.js';
import type { RefundRequest, RefundRequestStatus } from '../../domain/refund-request.js';

/** Backd orders and their refund requests. */
export interface BackdStore {
  insertBackdOrder(order: BackdOrder): Promise<void>;
  findBackdOrder(backdOrderId: string): Promise<BackdOrder | undefined>;
  findBackdOrderByOrderId(orderId: string): Promise<BackdOrder | undefined>;
  findBackdOrderByCheckoutToken(tokenHash: string): Promise<BackdOrder | undefined>;
  /**
   * Locks the core order of a Backd order (by Backd's id) and Backd's row with it, and returns
   * both as they stand under the lock, in one statement.
   */
  lockOrderOfBackdOrder(
    backdOrderId: string,
  ): Promise<{ order: Order; backd: BackdOrder } | undefined>;
  /** Writes a Backd order's new state; fails unless the stored version is `order.version - 1`. */
  updateBackdOrder(order: BackdOrder): Promise<void>;
  /** Throws UniqueViolation when the order already has an active request (the second wall). */
  insertBackdRefundRequest(request: RefundRequest): Promise<void>;
  /**
   * Writes a request's new state; the transaction fails (AssertionFailure) unless it still has
   * `expectedStatus`, which the order's lock guarantees (the second wall).
   */
  updateBackdRefundRequest(
    request: RefundRequest,
    expectedStatus: RefundRequestStatus,
  ): Promise<void>;
  findBackdRefundRequest(id: string): Promise<RefundRequest | undefined>;
  /** The order's active (draft or approved) request, its row locked until the transaction ends. */
  findActiveBackdRefundRequest(orderId: string): Promise<RefundRequest | undefined>;
  /**
   * The same by the Backd order's id, to be sent right behind its order's lock (one round trip
   * on PostgreSQL; `lockBackdOrderWithActive`).
   */
  findActiveRefundRequestOfBackdOrder(backdOrderId: string): Promise<RefundRequest | undefined>;
  /** Every request of the order, oldest first (the `refunds[]` history). */
  listBackdRefundRequests(orderId: string): Promise<RefundRequest[]>;
  /** The requests of every listed order in one query, by order id, then oldest first. */
  listBackdRefundRequestsFor(orderIds: readonly string[]): Promise<RefundRequest[]>;
  /**
   * Up to `limit` requests with a step due at `now` (drafts past their deadline, approved ones
   * due to settle), earliest due first.
   */
  listDueBackdRefundRequests(
    now: number,
    limit: number,
  ): Promise<{ readonly id: string; readonly orderId: string }[]>;
  /**
   * Locks the order's row unless another transaction holds it (FOR UPDATE SKIP LOCKED): true when
   * locked, false when busy elsewhere or missing, so a job never waits on a request in flight.
   */
  tryLockBackdOrder(orderId: string): Promise<boolean>;
}
