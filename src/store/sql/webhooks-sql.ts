/**
 * The webhooks' statements (WebhookStore): endpoints, deliveries with their attempt log, and the
 * dispatcher's claims of due deliveries (SKIP LOCKED on PostgreSQL; the SQLite adapter strips it,
 * its writers being serialised).
 */
import type { WebhookStore } from '../../app/ports/webhooks.js';
import { assert } from '../../domain/result.js';
import type { Delivery } from '../../domain/webhooks.js';
import { rowToDelivery, rowToDeliveryAttempt, rowToWebhookEndpoint } from './rows.js';
import {
  DELIVERY_COLUMNS,
  type SqlSession,
  countOf,
  flag,
  keysetPage,
  marks,
  firstOf,
  allOf,
} from './sql-helpers.js';

/**
 * Writes a delivery's mutable columns; with `claimedUntil`, only while it is still the pending
 * delivery this worker claimed (its lease unchanged). Returns the number of rows written.
 */
const writeDelivery = (db: SqlSession, d: Delivery, claimedUntil?: number): Promise<number> => {
  const claimed =
    claimedUntil === undefined ? '' : `AND status = 'pending' AND next_attempt_at = ?`;
  return db.run(
    `UPDATE deliveries SET status = ?, attempt_count = ?, policy_attempts = ?,
       next_attempt_at = ?, last_status_code = ?, last_error = ?, updated_at = ?,
       delivered_at = ?
     WHERE id = ? ${claimed}`,
    [
      d.status,
      d.attemptCount,
      d.policyAttempts,
      d.nextAttemptAt,
      d.lastStatusCode,
      d.lastError,
      d.updatedAt,
      d.deliveredAt,
      d.id,
      ...(claimedUntil === undefined ? [] : [claimedUntil]),
    ],
  );
};

const insertWebhookEndpoint =
  (db: SqlSession): WebhookStore['insertWebhookEndpoint'] =>
  async (e) => {
    await db.run(
      `INSERT INTO webhook_endpoints (id, merchant_id, url, name, format, retry_policy, enabled,
         secret, previous_secret, previous_secret_expires_at, disabled_reason, created_at,
         updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        e.id,
        e.merchantId,
        e.url,
        e.name,
        e.format,
        e.retryPolicy,
        flag(e.enabled),
        e.secret,
        e.previousSecret,
        e.previousSecretExpiresAt,
        e.disabledReason,
        e.createdAt,
        e.updatedAt,
        e.deletedAt,
      ],
    );
  };

const findWebhookEndpoint =
  (db: SqlSession): WebhookStore['findWebhookEndpoint'] =>
  (id) =>
    firstOf(db, `SELECT * FROM webhook_endpoints WHERE id = ?`, [id], rowToWebhookEndpoint);

const findWebhookEndpoints =
  (db: SqlSession): WebhookStore['findWebhookEndpoints'] =>
  async (ids) => {
    if (ids.length === 0) return [];
    const rows = await db.all(
      `SELECT * FROM webhook_endpoints WHERE id IN (${marks(ids.length)})`,
      ids,
    );
    return rows.map(rowToWebhookEndpoint);
  };

const updateWebhookEndpoint =
  (db: SqlSession): WebhookStore['updateWebhookEndpoint'] =>
  async (e) => {
    const changed = await db.run(
      `UPDATE webhook_endpoints SET url = ?, name = ?, format = ?, retry_policy = ?, enabled = ?,
         secret = ?, previous_secret = ?, previous_secret_expires_at = ?, disabled_reason = ?,
         updated_at = ?, deleted_at = ?
       WHERE id = ?`,
      [
        e.url,
        e.name,
        e.format,
        e.retryPolicy,
        flag(e.enabled),
        e.secret,
        e.previousSecret,
        e.previousSecretExpiresAt,
        e.disabledReason,
        e.updatedAt,
        e.deletedAt,
        e.id,
      ],
    );
    assert(changed === 1, `webhook endpoint ${e.id} not updated`);
  };

const listWebhookEndpoints =
  (db: SqlSession): WebhookStore['listWebhookEndpoints'] =>
  (merchantId, limit, offset = 0) =>
    allOf(
      db,
      `SELECT * FROM webhook_endpoints WHERE merchant_id = ? AND deleted_at IS NULL
       ORDER BY created_at, id LIMIT ? OFFSET ?`,
      [merchantId, limit, offset],
      rowToWebhookEndpoint,
    );

const countWebhookEndpoints =
  (db: SqlSession): WebhookStore['countWebhookEndpoints'] =>
  async (merchantId) => {
    return countOf(
      db,
      `SELECT COUNT(*) AS n FROM webhook_endpoints WHERE merchant_id = ? AND deleted_at IS NULL`,
      [merchantId],
    );
  };

const listLiveWebhookEndpoints =
  (db: SqlSession): WebhookStore['listLiveWebhookEndpoints'] =>
  (limit, merchantId) =>
    allOf(
      db,
      `SELECT * FROM webhook_endpoints
       WHERE deleted_at IS NULL ${merchantId === undefined ? '' : 'AND merchant_id = ?'}
       ORDER BY merchant_id, created_at, id LIMIT ?`,
      merchantId === undefined ? [limit] : [merchantId, limit],
      rowToWebhookEndpoint,
    );

const findDelivery =
  (db: SqlSession): WebhookStore['findDelivery'] =>
  (id) =>
    firstOf(db, `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`, [id], rowToDelivery);

const findDeliveryFor =
  (db: SqlSession): WebhookStore['findDeliveryFor'] =>
  (eventId, endpointId) =>
    firstOf(
      db,
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE event_id = ? AND endpoint_id = ?`,
      [eventId, endpointId],
      rowToDelivery,
    );

const listDeliveries =
  (db: SqlSession): WebhookStore['listDeliveries'] =>
  async (f) => {
    const rows = await keysetPage(
      db,
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries`,
      [
        ['merchant_id = ?', f.merchantId],
        ['order_id = ?', f.orderId],
        ['endpoint_id = ?', f.endpointId],
        ['event_type = ?', f.eventType],
        ['status = ?', f.status],
        ['created_at >= ?', f.from],
        ['created_at < ?', f.to],
      ],
      f,
    );
    return rows.map(rowToDelivery);
  };

const claimDueDeliveries =
  (db: SqlSession): WebhookStore['claimDueDeliveries'] =>
  async (now, leaseUntil, limit) => {
    // The CTE is evaluated once; SKIP LOCKED lets concurrent claimers take disjoint rows.
    const rows = await db.all(
      `WITH due AS (
         SELECT id AS due_id FROM deliveries
         WHERE status = 'pending' AND next_attempt_at <= ?
           -- A disabled endpoint pauses its deliveries; enabling it resumes them.
           AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)
         ORDER BY next_attempt_at LIMIT ?
         FOR UPDATE SKIP LOCKED)
       UPDATE deliveries SET next_attempt_at = ?, updated_at = ?
       FROM due WHERE id = due.due_id
       RETURNING ${DELIVERY_COLUMNS}`,
      [now, limit, leaseUntil, now],
    );
    return rows.map(rowToDelivery);
  };

const updateClaimedDelivery =
  (db: SqlSession): WebhookStore['updateClaimedDelivery'] =>
  async (d, claimedUntil) => {
    return (await writeDelivery(db, d, claimedUntil)) === 1;
  };

const updateDelivery =
  (db: SqlSession): WebhookStore['updateDelivery'] =>
  async (d) => {
    assert((await writeDelivery(db, d)) === 1, `delivery ${d.id} not updated`);
  };

const cancelPendingDeliveries =
  (db: SqlSession): WebhookStore['cancelPendingDeliveries'] =>
  async (endpointId, now) => {
    return db.run(
      `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?
       WHERE endpoint_id = ? AND status = 'pending'`,
      [now, endpointId],
    );
  };

const insertDeliveryAttempt =
  (db: SqlSession): WebhookStore['insertDeliveryAttempt'] =>
  async (a) => {
    await db.run(
      `INSERT INTO delivery_attempts (id, delivery_id, attempt_number, started_at, duration_ms,
         status_code, error, response_excerpt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        a.deliveryId,
        a.attemptNumber,
        a.startedAt,
        a.durationMs,
        a.statusCode,
        a.error,
        a.responseExcerpt,
      ],
    );
  };

const listDeliveryAttempts =
  (db: SqlSession): WebhookStore['listDeliveryAttempts'] =>
  (deliveryId) =>
    allOf(
      db,
      `SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt_number`,
      [deliveryId],
      rowToDeliveryAttempt,
    );

const listDeliveryAttemptsFor =
  (db: SqlSession): WebhookStore['listDeliveryAttemptsFor'] =>
  async (deliveryIds) => {
    if (deliveryIds.length === 0) return [];
    const rows = await db.all(
      `SELECT * FROM delivery_attempts WHERE delivery_id IN (${marks(deliveryIds.length)})
       ORDER BY delivery_id, attempt_number`,
      deliveryIds,
    );
    return rows.map(rowToDeliveryAttempt);
  };

export const createWebhookSql = (db: SqlSession): WebhookStore => ({
  insertWebhookEndpoint: insertWebhookEndpoint(db),
  findWebhookEndpoint: findWebhookEndpoint(db),
  findWebhookEndpoints: findWebhookEndpoints(db),
  updateWebhookEndpoint: updateWebhookEndpoint(db),
  listWebhookEndpoints: listWebhookEndpoints(db),
  countWebhookEndpoints: countWebhookEndpoints(db),
  listLiveWebhookEndpoints: listLiveWebhookEndpoints(db),
  findDelivery: findDelivery(db),
  findDeliveryFor: findDeliveryFor(db),
  listDeliveries: listDeliveries(db),
  claimDueDeliveries: claimDueDeliveries(db),
  updateClaimedDelivery: updateClaimedDelivery(db),
  updateDelivery: updateDelivery(db),
  cancelPendingDeliveries: cancelPendingDeliveries(db),
  insertDeliveryAttempt: insertDeliveryAttempt(db),
  listDeliveryAttempts: listDeliveryAttempts(db),
  listDeliveryAttemptsFor: listDeliveryAttemptsFor(db),
});
