/**
 * The outbox's port: events, one per state change, written in the transaction of the change, and
 * the pending deliveries an event fans out to (src/app/events.ts). The SQL is
 * src/store/sql/outbox-sql.ts.
 */
import type { Delivery, WebhookFormat } from '../../domain/webhooks.js';
import type { IdGenerator } from '../ids.js';

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

export interface EventFilter {
  readonly merchantId?: string;
  readonly orderId?: string;
  readonly type?: string;
  readonly from?: number;
  readonly to?: number;
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

/**
 * Who receives an event, as the app decided it (src/app/events.ts): one pending delivery per
 * enabled endpoint of one of `formats`, among the merchant's first `endpointLimit` endpoints.
 */
export interface EventFanOut {
  readonly formats: readonly WebhookFormat[];
  readonly endpointLimit: number;
  /** Every field of each delivery but its id and endpoint. */
  readonly delivery: Omit<Delivery, 'id' | 'endpointId'>;
  /**
   * The deliveries' ids where the engine asks for them one by one (SQLite); PostgreSQL makes
   * UUIDv7 ids of `delivery.createdAt` inside its one statement.
   */
  readonly newId: IdGenerator;
}

/** Events, and the deliveries they fan out to. */
export interface OutboxStore {
  insertEvent(event: EventRecord): Promise<void>;
  /**
   * The event and its fan-out: one pending delivery per enabled endpoint of the event's merchant
   * whose format is one of `fanOut.formats`. `LedgerStore.writeChange` writes an order's event
   * the same way; this is for an event about no order.
   */
  writeEvent(event: EventRecord, fanOut: EventFanOut): Promise<void>;
  findEvent(id: string): Promise<EventRecord | undefined>;
  findEvents(ids: readonly string[]): Promise<EventRecord[]>;
  findEventByKey(merchantId: string, idempotencyKey: string): Promise<EventRecord | undefined>;
  listEvents(filter: EventFilter): Promise<EventRecord[]>;
  /** The merchant's events after `since` (strictly) that have no delivery to `endpointId`. */
  eventsWithoutDelivery(
    endpointId: string,
    merchantId: string,
    since: number,
    limit: number,
  ): Promise<EventRecord[]>;
  insertDelivery(delivery: Delivery): Promise<void>;
}
