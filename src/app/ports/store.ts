/**
 * The store port, owned by its consumer, the app layer (STYLE rule 9). SQLite and PostgreSQL
 * implement it with the same SQL; one contract suite (src/store/contract) holds them together.
 */
import type { BackdOrder } from '../../domain/backd-order.js';
import type { ClaimStore } from './claims.js';
import type { LedgerStore } from './ledger.js';
import type { MerchantStore } from './merchants.js';
import type { OperatorStore } from './operators.js';
import type { OutboxStore } from './outbox.js';
import type { AdminReadStore } from './reads.js';
import type { ReconciliationStore } from './reconciliation.js';
import type { WebhookStore } from './webhooks.js';
import type { RefundRequest, RefundRequestStatus } from '../../domain/refund-request.js';
import type {
  CheckoutSession,
  PointsChannel,
  PointsCustomer,
  PointsCustomerEntry,
  PointsOrderRecord,
} from '../../domain/points-records.js';
import type { PhoneWindow } from '../../domain/points-checkout.js';
import type { Order } from '../../domain/order.js';
import type { MpgOrderFilter, MpgOrderIndex, MpgTransactionIndex } from './mpg-store.js';

/** Everything a use case may do inside one database transaction. */
export interface StoreTx
  extends
    AdminReadStore,
    ReconciliationStore,
    OperatorStore,
    MerchantStore,
    ClaimStore,
    WebhookStore,
    OutboxStore,
    LedgerStore {
  // --- Points (statements in src/store/sql/points-statements.ts) ---
  /**
   * Takes the merchant's earning lock for this transaction, or returns false at once when another
   * transaction holds it (FOR UPDATE SKIP LOCKED on PostgreSQL, so cluster-wide; SQLite's
   * serialised writers never contend, and the in-process gate covers it).
   */
  tryLockPointsMerchant(merchantId: string): Promise<boolean>;
  findPointsCustomer(phone: string): Promise<PointsCustomer | undefined>;
  /** Reads the wallet, creating an empty one if missing, and locks it until the transaction ends. */
  lockPointsCustomer(phone: string, now: number): Promise<PointsCustomer>;
  /** Appends an entry and sets the wallet's balance to its `balanceAfter`. */
  insertPointsCustomerEntry(entry: PointsCustomerEntry): Promise<void>;
  /** The wallet's entries, newest first. */
  listPointsCustomerEntries(phone: string, limit: number): Promise<PointsCustomerEntry[]>;
  /** Inserts the Points view of an order; returns it with its drawn integer `number`. */
  insertPointsOrder(record: Omit<PointsOrderRecord, 'number'>): Promise<PointsOrderRecord>;
  findPointsOrder(orderId: string): Promise<PointsOrderRecord | undefined>;
  findPointsOrderByReview(
    merchantId: string,
    channel: PointsChannel,
    reviewReference: string,
  ): Promise<PointsOrderRecord | undefined>;
  updatePointsOrder(record: PointsOrderRecord): Promise<void>;

  // --- Points hosted checkout (statements in src/store/sql/points-checkout-statements.ts) ---
  insertCheckoutSession(session: CheckoutSession): Promise<void>;
  findCheckoutSession(id: string): Promise<CheckoutSession | undefined>;
  lockCheckoutSession(id: string): Promise<CheckoutSession | undefined>;
  /** Marks an open session completed with its order; false when it was not open. */
  completeCheckoutSession(id: string, orderId: string, at: number): Promise<boolean>;
  /**
   * Writes an open session's verification state (code, counts, verified phone) and its status
   * (`open`, or `cancelled` with `cancelledAt`); false when the stored session was not open.
   */
  updateOpenCheckoutSession(session: CheckoutSession): Promise<boolean>;
  /**
   * Reads a phone's counters, creating them (window starting at `now`, zero counts) if missing,
   * and locks them until the transaction ends.
   */
  lockCheckoutPhoneLimit(phone: string, now: number): Promise<PhoneWindow>;
  updateCheckoutPhoneLimit(phone: string, window: PhoneWindow): Promise<void>;
  /** Deletes up to `limit` phones' counters whose window started before `startedBefore`. */
  deleteCheckoutPhoneLimits(startedBefore: number, limit: number): Promise<number>;

  // --- Backd (statements in src/store/sql/backd-statements.ts) ---
  insertBackdOrder(order: BackdOrder): Promise<void>;
  findBackdOrder(backdOrderId: string): Promise<BackdOrder | undefined>;
  findBackdOrderByOrderId(orderId: string): Promise<BackdOrder | undefined>;
  findBackdOrderByCheckoutToken(tokenHash: string): Promise<BackdOrder | undefined>;
  /** Writes a Backd order's new state; fails unless the stored version is `order.version - 1`. */
  updateBackdOrder(order: BackdOrder): Promise<void>;
  /** Throws UniqueViolation when the order already has an active request (the second wall). */
  insertBackdRefundRequest(request: RefundRequest): Promise<void>;
  /** Writes a request's new state if it still has `expectedStatus`; false otherwise. */
  updateBackdRefundRequest(
    request: RefundRequest,
    expectedStatus: RefundRequestStatus,
  ): Promise<boolean>;
  findBackdRefundRequest(id: string): Promise<RefundRequest | undefined>;
  /** The order's active (draft or approved) request, its row locked until the transaction ends. */
  findActiveBackdRefundRequest(orderId: string): Promise<RefundRequest | undefined>;
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

  // --- MPG (statements in src/store/sql/mpg-statements.ts) ---
  insertMpgOrder(row: MpgOrderIndex): Promise<void>;
  insertMpgTransaction(row: MpgTransactionIndex): Promise<void>;
  /** The merchant's MPG orders matching the filter, in the filter's order. */
  listMpgOrders(filter: MpgOrderFilter): Promise<Order[]>;

  // --- Reconciliation (statements in src/store/sql/reconciliation-statements.ts) ---

  // --- Admin reads for the dashboard (statements in src/store/sql/admin-statements.ts) ---
}

/**
 * Thrown by a store when a unique constraint refuses a write: two requests raced for the same
 * key, reference or id. The app layer retries the use case once, which then sees the winner.
 */
export class UniqueViolation extends Error {
  override readonly name = 'UniqueViolation';
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`);
  }
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one transaction: committed when it returns, rolled back when it throws.
   * On SQLite transactions are serialised (BEGIN IMMEDIATE); on PostgreSQL row locks order them.
   */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs reads outside any write transaction; they see committed data only. */
  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Applies pending migrations; returns the versions applied. */
  migrate(): Promise<number[]>;
  /** True when the database answers and every migration is applied. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
