/**
 * The outbox's statements (OutboxStore): events, and the pending deliveries an event fans out to,
 * written in the transaction of the change they describe.
 */
import type { EventRecord, OutboxStore } from '../../app/ports/outbox.js';
import type { Delivery } from '../../domain/webhooks.js';
import { rowToEvent } from './rows.js';
import {
  DELIVERY_COLUMNS,
  type SqlSession,
  json,
  keysetPage,
  marks,
  firstOf,
  allOf,
} from './sql-helpers.js';

export const EVENT_COLUMNS = `id, merchant_id, order_id, type, actor, reason, status_before,
  status_after, idempotency_key, request_fingerprint, payload, created_at`;

export const eventValues = (e: EventRecord): unknown[] => [
  e.id,
  e.merchantId,
  e.orderId,
  e.type,
  e.actor,
  e.reason,
  e.statusBefore,
  e.statusAfter,
  e.idempotencyKey,
  e.requestFingerprint,
  json(e.payload),
  e.createdAt,
];

const insertEvent =
  (db: SqlSession): OutboxStore['insertEvent'] =>
  async (e) => {
    await db.run(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (${marks(12)})`, eventValues(e));
  };

const findEvent =
  (db: SqlSession): OutboxStore['findEvent'] =>
  (id) =>
    firstOf(db, `SELECT * FROM events WHERE id = ?`, [id], rowToEvent);

const findEvents =
  (db: SqlSession): OutboxStore['findEvents'] =>
  async (ids) => {
    if (ids.length === 0) return [];
    const rows = await db.all(`SELECT * FROM events WHERE id IN (${marks(ids.length)})`, ids);
    return rows.map(rowToEvent);
  };

const findEventByKey =
  (db: SqlSession): OutboxStore['findEventByKey'] =>
  (merchantId, idempotencyKey) =>
    firstOf(
      db,
      `SELECT * FROM events WHERE merchant_id = ? AND idempotency_key = ?`,
      [merchantId, idempotencyKey],
      rowToEvent,
    );

const listEvents =
  (db: SqlSession): OutboxStore['listEvents'] =>
  async (f) => {
    const rows = await keysetPage(
      db,
      'SELECT * FROM events',
      [
        ['merchant_id = ?', f.merchantId],
        ['order_id = ?', f.orderId],
        ['type = ?', f.type],
        ['created_at >= ?', f.from],
        ['created_at < ?', f.to],
      ],
      f,
    );
    return rows.map(rowToEvent);
  };

const eventsWithoutDelivery =
  (db: SqlSession): OutboxStore['eventsWithoutDelivery'] =>
  (endpointId, merchantId, since, limit) =>
    allOf(
      db,
      `SELECT e.* FROM events e
       WHERE e.merchant_id = ? AND e.created_at > ?
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.endpoint_id = ?)
       ORDER BY e.created_at, e.id LIMIT ?`,
      [merchantId, since, endpointId, limit],
      rowToEvent,
    );

/** A delivery's values in DELIVERY_COLUMNS order. */
export const deliveryValues = (d: Delivery): unknown[] => [
  d.id,
  d.eventId,
  d.endpointId,
  d.merchantId,
  d.orderId,
  d.eventType,
  d.status,
  d.attemptCount,
  d.policyAttempts,
  d.nextAttemptAt,
  d.lastStatusCode,
  d.lastError,
  d.createdAt,
  d.updatedAt,
  d.deliveredAt,
];

const insertDelivery =
  (db: SqlSession): OutboxStore['insertDelivery'] =>
  async (d) => {
    await db.run(
      `INSERT INTO deliveries (${DELIVERY_COLUMNS}) VALUES (${marks(15)})`,
      deliveryValues(d),
    );
  };

export const createOutboxSql = (db: SqlSession): Omit<OutboxStore, 'writeEvent'> => ({
  insertEvent: insertEvent(db),
  findEvent: findEvent(db),
  findEvents: findEvents(db),
  findEventByKey: findEventByKey(db),
  listEvents: listEvents(db),
  eventsWithoutDelivery: eventsWithoutDelivery(db),
  insertDelivery: insertDelivery(db),
});
