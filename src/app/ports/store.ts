/**
 * The store port, owned by its consumer, the app layer (STYLE rule 9). SQLite and PostgreSQL
 * implement it with the same SQL; one contract suite (src/store/contract) holds them together.
 */
import type { Credential, CredentialDialect, Merchant } from '../../domain/merchant.js';
import type { Dialect, Order, OrderKind, TransactionType } from '../../domain/order.js';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  WebhookEndpoint,
} from '../../domain/webhooks.js';

export interface LedgerTransaction {
  readonly id: string;
  readonly orderId: string;
  readonly merchantId: string;
  readonly type: TransactionType;
  readonly status: 'approved' | 'failed';
  readonly amountMinor: number;
  readonly points: number;
  readonly currency: string;
  readonly reason: string | null;
  /** Who made the change: `admin`, `credential:<prefix>` or `job:<name>`. */
  readonly actor: string;
  /** The event (state change) this row belongs to. */
  readonly eventId: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** An outbox row, written in the same transaction as the change it describes. */
export interface EventRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly orderId: string | null;
  readonly type: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly statusBefore: string | null;
  readonly statusAfter: string | null;
  /** The key of the command that caused this change, unique per merchant. */
  readonly idempotencyKey: string | null;
  readonly requestFingerprint: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export interface IdempotencyRecord {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  readonly leaseToken: string | null;
  readonly leaseExpiresAt: number | null;
  readonly responseStatus: number | null;
  readonly responseBody: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface AdminToken {
  readonly id: string;
  readonly prefix: string;
  readonly secretHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface OrderFilter {
  readonly merchantId?: string;
  readonly dialect?: Dialect;
  readonly kind?: OrderKind;
  /** Cursor: return orders strictly after this (createdAt, id) pair. */
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

export interface EventFilter {
  readonly merchantId?: string;
  readonly orderId?: string;
  readonly type?: string;
  readonly from?: number;
  readonly to?: number;
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

export interface DeliveryFilter {
  readonly merchantId?: string;
  readonly orderId?: string;
  readonly endpointId?: string;
  readonly eventType?: string;
  readonly status?: DeliveryStatus;
  readonly from?: number;
  readonly to?: number;
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

/** Everything a use case may do inside one database transaction. */
export interface StoreTx {
  insertMerchant(merchant: Merchant): Promise<void>;
  findMerchant(id: string): Promise<Merchant | undefined>;
  updateMerchant(merchant: Merchant): Promise<void>;

  insertCredential(credential: Credential): Promise<void>;
  findCredentialByHash(secretHash: string): Promise<Credential | undefined>;
  listCredentials(merchantId: string): Promise<Credential[]>;
  revokeCredentials(merchantId: string, dialect: CredentialDialect, at: number): Promise<number>;

  insertAdminToken(token: AdminToken): Promise<void>;
  findAdminTokenByHash(secretHash: string): Promise<AdminToken | undefined>;
  revokeAdminTokens(at: number): Promise<number>;
  countActiveAdminTokens(): Promise<number>;

  insertOrder(order: Order): Promise<void>;
  findOrder(id: string): Promise<Order | undefined>;
  /** Reads the order and locks its row until the transaction ends (FOR UPDATE on PostgreSQL). */
  lockOrder(id: string): Promise<Order | undefined>;
  /** Writes new totals and status; fails unless the stored version is `order.version - 1`. */
  updateOrder(order: Order): Promise<void>;
  findOrderByNumber(
    merchantId: string,
    dialect: Dialect,
    orderNumber: string,
  ): Promise<Order | undefined>;
  listOrders(filter: OrderFilter): Promise<Order[]>;

  insertTransaction(row: LedgerTransaction): Promise<void>;
  listTransactions(orderId: string): Promise<LedgerTransaction[]>;

  insertEvent(event: EventRecord): Promise<void>;
  findEvent(id: string): Promise<EventRecord | undefined>;
  findEvents(ids: readonly string[]): Promise<EventRecord[]>;
  findEventByKey(merchantId: string, idempotencyKey: string): Promise<EventRecord | undefined>;
  listEvents(filter: EventFilter): Promise<EventRecord[]>;

  /** Inserts an in-progress key unless one exists; returns the row as it now stands. */
  claimIdempotencyKey(
    record: IdempotencyRecord,
  ): Promise<{ inserted: boolean; record: IdempotencyRecord }>;
  /** Takes over an in-progress key whose lease has expired. Returns false if someone else holds it. */
  renewIdempotencyLease(
    scope: string,
    key: string,
    oldToken: string | null,
    newToken: string,
    leaseExpiresAt: number,
    now: number,
  ): Promise<boolean>;
  /** Stores the response; returns false when the caller no longer holds the lease. */
  completeIdempotencyKey(
    scope: string,
    key: string,
    leaseToken: string,
    status: number,
    body: string,
  ): Promise<boolean>;
  releaseIdempotencyKey(scope: string, key: string, leaseToken: string): Promise<void>;
  deleteExpiredIdempotencyKeys(now: number, limit: number): Promise<number>;

  insertWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  findWebhookEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  findWebhookEndpoints(ids: readonly string[]): Promise<WebhookEndpoint[]>;
  updateWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** The merchant's endpoints that are not deleted, oldest first. */
  listWebhookEndpoints(
    merchantId: string,
    limit: number,
    offset?: number,
  ): Promise<WebhookEndpoint[]>;
  countWebhookEndpoints(merchantId: string): Promise<number>;

  insertDelivery(delivery: Delivery): Promise<void>;
  findDelivery(id: string): Promise<Delivery | undefined>;
  findDeliveryFor(eventId: string, endpointId: string): Promise<Delivery | undefined>;
  listDeliveries(filter: DeliveryFilter): Promise<Delivery[]>;
  /**
   * Claims up to `limit` pending deliveries due at `now` by moving their next attempt to
   * `leaseUntil`, so no other worker takes them while they are being sent (SKIP LOCKED on
   * PostgreSQL). A worker that dies leaves its claims to come due again at `leaseUntil`.
   */
  claimDueDeliveries(now: number, leaseUntil: number, limit: number): Promise<Delivery[]>;
  /** Writes a delivery's new state if it is still claimed with `claimedUntil`; false otherwise. */
  updateClaimedDelivery(delivery: Delivery, claimedUntil: number): Promise<boolean>;
  updateDelivery(delivery: Delivery): Promise<void>;
  cancelPendingDeliveries(endpointId: string, now: number): Promise<number>;
  insertDeliveryAttempt(attempt: DeliveryAttempt): Promise<void>;
  listDeliveryAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;

  getSetting(name: string): Promise<string | undefined>;
  putSetting(name: string, value: string, at: number): Promise<void>;

  // --- Points (statements in src/store/sql/points-statements.ts) ---

  // --- Backd (statements in src/store/sql/backd-statements.ts) ---

  // --- MPG (statements in src/store/sql/mpg-statements.ts) ---
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
