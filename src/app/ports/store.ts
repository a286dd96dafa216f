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
import type { PointsStore } from './points.js';
import type { PointsCheckoutStore } from './points-checkout.js';
import type { PointsWalletStore } from './points-wallets.js';
import type { AdminReadStore } from './reads.js';
import type { ReconciliationStore } from './reconciliation.js';
import type { WebhookStore } from './webhooks.js';
import type { RefundRequest, RefundRequestStatus } from '../../domain/refund-request.js';
import type { Order } from '../../domain/order.js';
import type { MpgOrderFilter, MpgOrderIndex, MpgTransactionIndex } from './mpg-store.js';

/** Everything a use case may do inside one database transaction. */
export interface StoreTx
  extends
    PointsCheckoutStore,
    PointsStore,
    PointsWalletStore,
    AdminReadStore,
    ReconciliationStore,
    OperatorStore,
    MerchantStore,
    ClaimStore,
    WebhookStore,
    OutboxStore,
    LedgerStore {
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
