/**
 * The webhooks' port: merchants' endpoints, the deliveries of events to them with their attempt
 * log, and the dispatcher's claims of due deliveries (src/app/deliveries.ts). The SQL is
 * src/store/sql/webhooks-sql.ts.
 */
import type { DueDelivery, EndpointHealth } from '../../domain/delivery-schedule.js';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  WebhookEndpoint,
} from '../../domain/webhooks.js';
import type { ListDirection } from './ledger.js';

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

/** Endpoints, deliveries and their attempts. */
export interface WebhookStore {
  insertWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  findWebhookEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** The endpoint, its row locked until the transaction ends (FOR UPDATE on PostgreSQL). */
  lockWebhookEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  findWebhookEndpoints(ids: readonly string[]): Promise<WebhookEndpoint[]>;
  updateWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** The merchant's endpoints that are not deleted, oldest first. */
  listWebhookEndpoints(
    merchantId: string,
    limit: number,
    offset?: number,
  ): Promise<WebhookEndpoint[]>;
  countWebhookEndpoints(merchantId: string): Promise<number>;
  /** Endpoints that are not deleted, of one merchant or all, by merchant then creation. */
  listLiveWebhookEndpoints(limit: number, merchantId?: string): Promise<WebhookEndpoint[]>;
  findDelivery(id: string): Promise<Delivery | undefined>;
  findDeliveryFor(eventId: string, endpointId: string): Promise<Delivery | undefined>;
  listDeliveries(filter: DeliveryFilter): Promise<Delivery[]>;
  /**
   * Locks up to `limit` pending deliveries due at `now`, oldest due first, of enabled endpoints
   * whose circuit is not open at `now`, leaving out the endpoints and merchants this worker has
   * no room for. Rows another worker is locking are skipped (SKIP LOCKED on PostgreSQL). The
   * locks last until the transaction ends: claim the chosen ones with `leaseDeliveries` in it.
   */
  lockDueDeliveries(
    now: number,
    skip: { readonly endpointIds: readonly string[]; readonly merchantIds: readonly string[] },
    limit: number,
  ): Promise<DueDelivery[]>;
  /**
   * Claims deliveries by moving their next attempt to `leaseUntil`, so no other worker takes
   * them while they are being sent. A worker that dies leaves them to come due at `leaseUntil`.
   */
  leaseDeliveries(ids: readonly string[], leaseUntil: number, now: number): Promise<Delivery[]>;
  /** Holds the circuits of endpoints closed to others until `until` (one probe at a time). */
  holdEndpoints(endpointIds: readonly string[], until: number): Promise<void>;
  updateEndpointHealth(endpointId: string, health: EndpointHealth): Promise<void>;
  /**
   * Removes up to `limit` deliveries delivered before `before` (oldest first) with their
   * attempts; returns how many deliveries it removed.
   */
  deleteDeliveredBefore(before: number, limit: number): Promise<number>;
  /** Writes a delivery's new state if it is still claimed with `claimedUntil`; false otherwise. */
  updateClaimedDelivery(delivery: Delivery, claimedUntil: number): Promise<boolean>;
  updateDelivery(delivery: Delivery): Promise<void>;
  cancelPendingDeliveries(endpointId: string, now: number): Promise<number>;
  insertDeliveryAttempt(attempt: DeliveryAttempt): Promise<void>;
  listDeliveryAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  /** The attempts of every listed delivery in one query, by delivery id, then attempt number. */
  listDeliveryAttemptsFor(deliveryIds: readonly string[]): Promise<DeliveryAttempt[]>;
}
