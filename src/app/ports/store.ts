/**
 * The store port, owned by its consumer, the app layer (STYLE rule 9). SQLite and PostgreSQL
 * implement it with the same SQL; one contract suite (src/store/contract) holds them together.
 */
import type { AdminActionType } from '../../domain/admin-actions.js';
import type { Credential, CredentialDialect, Merchant } from '../../domain/merchant.js';
import type { BackdOrder } from '../../domain/backd-order.js';
import type {
  Finding,
  FindingAction,
  ReconciledDialect,
  ReconciliationRun,
  ReconciliationScope,
  ReportRow,
  ReportRowType,
} from '../../domain/reconciliation.js';
import type { RefundRequest, RefundRequestStatus } from '../../domain/refund-request.js';
import type {
  CheckoutSession,
  PointsChannel,
  PointsCustomer,
  PointsCustomerEntry,
  PointsOrderRecord,
} from '../../domain/points-records.js';
import type { PhoneWindow } from '../../domain/points-checkout.js';
import type {
  Dialect,
  Order,
  OrderKind,
  OrderStatus,
  TransactionStatus,
  TransactionType,
} from '../../domain/order.js';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  WebhookEndpoint,
} from '../../domain/webhooks.js';
import type {
  MpgOrderFilter,
  MpgOrderIndex,
  MpgRequestId,
  MpgRequestIdKind,
  MpgTransactionIndex,
} from './mpg-store.js';
import type { StoreCounters } from './store-counters.js';

export interface LedgerTransaction {
  readonly id: string;
  readonly orderId: string;
  readonly merchantId: string;
  readonly type: TransactionType;
  /** Only approved rows count toward the order's totals. */
  readonly status: TransactionStatus;
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

/**
 * An operator's action outside the ledger (a replay, an endpoint change), written in the same
 * transaction as the action; append-only, like the ledger.
 */
export interface AdminActionRecord {
  readonly id: string;
  readonly action: AdminActionType;
  /** Who acted (`admin`), as on ledger rows and events. */
  readonly actor: string;
  readonly reason: string | null;
  readonly merchantId: string;
  /** The order the action concerns (a replayed delivery's order), if any. */
  readonly orderId: string | null;
  /** The delivery or endpoint acted on. */
  readonly subjectId: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export interface AdminActionFilter {
  readonly merchantId?: string;
  readonly orderId?: string;
  readonly action?: AdminActionType;
  /** Default `asc`. */
  readonly direction?: ListDirection;
  /** Cursor: actions strictly after this (createdAt, id) pair in `direction`. */
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
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

/** A dashboard session: the hash of its cookie secret and of the admin token it was opened with. */
export interface AdminSession {
  readonly id: string;
  readonly secretHash: string;
  readonly tokenHash: string;
  readonly userAgent: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

/** The order lists are read in: (created_at, id) ascending (oldest first) or descending. */
export type ListDirection = 'asc' | 'desc';

/**
 * What an order search matches exactly: `text` against id, order_number, merchant_order_id and
 * backd_order_id; `phones` (forms of the same text) against customer_ref.
 */
export interface OrderSearch {
  readonly text: string;
  readonly phones: readonly string[];
}

export interface OrderFilter {
  readonly merchantId?: string;
  readonly dialect?: Dialect;
  readonly kind?: OrderKind;
  readonly status?: OrderStatus;
  /** created_at at or after this instant (ms). */
  readonly createdFrom?: number;
  /** created_at before this instant (ms). */
  readonly createdTo?: number;
  readonly search?: OrderSearch;
  /** Default `asc`. */
  readonly direction?: ListDirection;
  /** Cursor: return orders strictly after this (createdAt, id) pair in `direction`. */
  readonly after?: { readonly createdAt: number; readonly id: string };
  /**
   * Only orders whose amount and points are within the bounds (src/domain/bounds.ts), so every
   * figure read is a safe integer: `unwind verify` reports the others from `figuresOutOfBounds`.
   */
  readonly withinBounds?: true;
  readonly limit: number;
}

/** One endpoint's delivery figures: attempts in a time window, and its backlog now. */
export interface EndpointHealth {
  readonly endpointId: string;
  readonly attempts: number;
  /** Attempts answered with a 2xx (the dispatcher's own rule, `judgeAttempt`). */
  readonly succeeded: number;
  /** Deliveries pending now, whatever their age. */
  readonly pending: number;
  /** Deliveries dead now (retry policy spent or endpoint gone), whatever their age. */
  readonly dead: number;
  /** The latest attempt in the window that was not a 2xx. */
  readonly lastFailure: {
    readonly at: number;
    readonly deliveryId: string;
    readonly statusCode: number | null;
    readonly error: string | null;
  } | null;
}

/** A half-open range of instants [fromAt, toAt): one local day of a chart. */
export interface DayRange {
  readonly fromAt: number;
  readonly toAt: number;
}

/** Approved ledger rows of one type and currency on one day (`day`: index into the ranges). */
export interface DailyLedgerCount {
  readonly day: number;
  readonly type: 'refund' | 'cancel' | 'void';
  readonly currency: string;
  readonly count: number;
  /** A sum over any number of rows: exact, whatever its size. */
  readonly amountMinor: bigint;
}

/** Webhook delivery attempts on one day (`day`: index into the ranges). */
export interface DailyAttemptCount {
  readonly day: number;
  readonly attempts: number;
  readonly succeeded: number;
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

/** Sum of one order's ledger rows of one type and status (for the verifier). */
export interface TransactionSum {
  readonly orderId: string;
  readonly type: TransactionType;
  readonly status: string;
  /** Exact: forged or corrupted rows may add up past any bound, and the verifier must say so. */
  readonly amountMinor: bigint;
  readonly points: bigint;
  readonly count: number;
}

/** A stored figure outside its bound (src/domain/bounds.ts), read as text so it is exact. */
export interface FigureOutOfBounds {
  readonly table: string;
  /** The row's key: its id, a wallet's phone, a Backd order's order id, `run:line`, `run:seq`. */
  readonly id: string;
  readonly column: string;
  /** Exactly as stored. */
  readonly value: string;
  readonly min: number;
  readonly max: number;
}

/** A settlement report's rows of one order and type (reconciliation). */
export interface ReportGroup {
  readonly orderReference: string;
  readonly type: ReportRowType;
  /** The sum of any number of report rows: exact, whatever its size. */
  readonly amountMinor: bigint;
  readonly count: number;
  readonly firstLine: number;
  readonly minCurrency: string;
  readonly maxCurrency: string;
}

export interface ReportDuplicate {
  readonly line: number;
  readonly firstLine: number;
  readonly orderReference: string;
  readonly transactionReference: string;
  readonly type: ReportRowType;
}

/** The ledger's approved money rows of one order and type that a report left out. */
export interface LedgerGroup {
  readonly orderId: string;
  readonly merchantId: string;
  readonly type: ReportRowType;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface DeliveryFilter {
  readonly merchantId?: string;
  readonly orderId?: string;
  readonly endpointId?: string;
  readonly eventType?: string;
  readonly status?: DeliveryStatus;
  readonly from?: number;
  readonly to?: number;
  /** Default `asc`. */
  readonly direction?: ListDirection;
  /** Cursor: deliveries strictly after this (createdAt, id) pair in `direction`. */
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
  insertAdminSession(session: AdminSession): Promise<void>;
  findAdminSessionByHash(secretHash: string): Promise<AdminSession | undefined>;
  /** Revokes one session; returns how many rows changed (0 when already revoked or unknown). */
  revokeAdminSession(id: string, at: number): Promise<number>;
  /** Deletes sessions that expired before `before`; returns how many. */
  deleteExpiredAdminSessions(before: number): Promise<number>;

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

  insertAdminAction(action: AdminActionRecord): Promise<void>;
  listAdminActions(filter: AdminActionFilter): Promise<AdminActionRecord[]>;

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
  /** The attempts of every listed delivery in one query, by delivery id, then attempt number. */
  listDeliveryAttemptsFor(deliveryIds: readonly string[]): Promise<DeliveryAttempt[]>;

  getSetting(name: string): Promise<string | undefined>;
  putSetting(name: string, value: string, at: number): Promise<void>;

  /** Verifier reads: aggregates over many orders in one query each. */
  transactionSums(orderIds: readonly string[]): Promise<TransactionSum[]>;
  /** How many events each order has, leaving out `excludedTypes`; absent means none. */
  orderEventCounts(
    orderIds: readonly string[],
    excludedTypes: readonly string[],
  ): Promise<{ orderId: string; count: number }[]>;
  /** The merchant's events after `since` (strictly) that have no delivery to `endpointId`. */
  eventsWithoutDelivery(
    endpointId: string,
    merchantId: string,
    since: number,
    limit: number,
  ): Promise<EventRecord[]>;
  /**
   * Points wallets whose balance is not the sum of their entries (at most `limit`), both exact
   * as decimal text: a corrupted balance may be beyond what a number carries.
   */
  walletMismatches(
    limit: number,
  ): Promise<{ phone: string; balance: string; entriesSum: string }[]>;
  /** Stored amounts and points outside their bounds, every table's, at most `limit` of each. */
  figuresOutOfBounds(limit: number): Promise<FigureOutOfBounds[]>;

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
  /** Inserts an in-progress body id unless it exists; returns the row as it now stands. */
  claimMpgRequestId(record: MpgRequestId): Promise<{ inserted: boolean; record: MpgRequestId }>;
  /** Takes over an in-progress id whose lease has expired; false if someone else holds it. */
  renewMpgRequestLease(
    record: MpgRequestId,
    newToken: string,
    leaseExpiresAt: number,
    now: number,
  ): Promise<boolean>;
  /** Marks the id completed for `orderId`; false when the caller no longer holds the lease. */
  completeMpgRequestId(record: MpgRequestId, leaseToken: string, orderId: string): Promise<boolean>;
  /** Deletes an in-progress id held with `leaseToken` (the request failed; it may be retried). */
  releaseMpgRequestId(record: MpgRequestId, leaseToken: string): Promise<void>;
  findMpgRequestId(
    merchantId: string,
    kind: MpgRequestIdKind,
    requestId: string,
  ): Promise<MpgRequestId | undefined>;
  /** Deletes ids claimed at or before `createdBefore` that no running request holds. */
  deleteExpiredMpgRequestIds(createdBefore: number, now: number, limit: number): Promise<number>;
  insertMpgOrder(row: MpgOrderIndex): Promise<void>;
  insertMpgTransaction(row: MpgTransactionIndex): Promise<void>;
  /** One ledger row by id, whatever its order. */
  findLedgerTransaction(id: string): Promise<LedgerTransaction | undefined>;
  /** The merchant's MPG orders matching the filter, in the filter's order. */
  listMpgOrders(filter: MpgOrderFilter): Promise<Order[]>;

  // --- Reconciliation (statements in src/store/sql/reconciliation-statements.ts) ---
  insertReconciliationRun(run: ReconciliationRun): Promise<void>;
  findReconciliationRun(id: string): Promise<ReconciliationRun | undefined>;
  /** Reads the run and locks its row until the transaction ends, so applies take turns. */
  lockReconciliationRun(id: string): Promise<ReconciliationRun | undefined>;
  updateReconciliationRun(run: ReconciliationRun): Promise<void>;
  insertReportRows(runId: string, rows: readonly ReportRow[]): Promise<void>;
  insertFindings(findings: readonly Finding[]): Promise<void>;
  /** The run's findings after `afterSeq`, in order, at most `limit`; `actions` filters. */
  listFindings(
    runId: string,
    afterSeq: number,
    limit: number,
    actions?: readonly FindingAction[],
  ): Promise<Finding[]>;
  updateFindingAction(
    runId: string,
    seq: number,
    action: FindingAction,
    detail: string | null,
    at: number,
  ): Promise<void>;
  /**
   * The report's rows grouped by (order_reference, type), after the `after` pair, at most
   * `limit` groups: totals, row count, first line and currency range (two currencies differ).
   */
  reportGroups(
    runId: string,
    after: { readonly orderReference: string; readonly type: string } | null,
    limit: number,
  ): Promise<ReportGroup[]>;
  /** Rows whose transaction reference an earlier line of the same report already used. */
  reportDuplicates(runId: string, afterLine: number, limit: number): Promise<ReportDuplicate[]>;
  /**
   * Ids of the scope's orders with approved money rows (purchase, capture, refund) created in
   * [fromAt, toAt), after `afterOrderId` in id order, at most `limit`.
   */
  ledgerOrderPage(
    scope: ReconciliationScope,
    fromAt: number,
    toAt: number,
    afterOrderId: string,
    limit: number,
  ): Promise<string[]>;
  /**
   * Those of the scope's orders' money rows in [fromAt, toAt), per order and type, that the
   * report lacks.
   */
  ledgerMissingFromReport(
    runId: string,
    scope: ReconciliationScope,
    orderIds: readonly string[],
    fromAt: number,
    toAt: number,
  ): Promise<LedgerGroup[]>;
  /** How many of the run's findings carry each action. */
  countFindingActions(runId: string): Promise<{ action: FindingAction; count: number }[]>;
  /** The listed orders that are the scope's; any other id is absent, as if it did not exist. */
  findScopedOrders(scope: ReconciliationScope, ids: readonly string[]): Promise<Order[]>;
  /** Runs newest first (of one merchant or face, or all), strictly before the `before` pair. */
  listReconciliationRuns(filter: {
    readonly merchantId?: string;
    readonly dialect?: ReconciledDialect;
    readonly before?: { readonly createdAt: number; readonly id: string };
    readonly limit: number;
  }): Promise<ReconciliationRun[]>;

  // --- Admin reads for the dashboard (statements in src/store/sql/admin-statements.ts) ---
  /** Merchants ordered by name, then id, strictly after the `after` pair. */
  listMerchants(
    limit: number,
    after?: { readonly name: string; readonly id: string },
  ): Promise<Merchant[]>;
  /** Endpoints that are not deleted, of one merchant or all, by merchant then creation. */
  listLiveWebhookEndpoints(limit: number, merchantId?: string): Promise<WebhookEndpoint[]>;
  /**
   * Health of the endpoints (of one merchant, or all) that have any attempt in [fromAt, toAt)
   * or any pending or dead delivery; endpoints with neither are absent.
   */
  webhookHealth(filter: {
    readonly merchantId?: string;
    readonly fromAt: number;
    readonly toAt: number;
  }): Promise<EndpointHealth[]>;
  /** Approved refund, cancel and void rows per day, type and currency; empty days absent. */
  dailyLedgerCounts(days: readonly DayRange[], merchantId?: string): Promise<DailyLedgerCount[]>;
  /** Delivery attempts per day (started in the day); empty days absent. */
  dailyAttemptCounts(days: readonly DayRange[], merchantId?: string): Promise<DailyAttemptCount[]>;
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
  /** What the store has sent to its database since it opened (a snapshot; cheap to call). */
  counters(): StoreCounters;
  close(): Promise<void>;
}
