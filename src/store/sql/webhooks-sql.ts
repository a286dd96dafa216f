/**
 * The webhooks' statements (WebhookStore): endpoints, deliveries with their attempt log, and the
 * dispatcher's claims of due deliveries (SKIP LOCKED on PostgreSQL; the SQLite adapter strips it,
 * its writers being serialised).
 */
import type { WebhookStore } from '../../app/ports/webhooks.js';
import { assert } from '../../domain/result.js';
import type { Delivery } from '../../domain/webhooks.js';
import { rowToDelivery, rowToDeliveryAttempt, rowToWebhookEndpoint, str } from './rows.js';
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
         secret, previous_secret, previous_secret_expires_at, disabled_reason, disabled_at,
         consecutive_failures, failing_since, paused_until, created_at, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        e.disabledAt,
        e.health.consecutiveFailures,
        e.health.failingSince,
        e.health.pausedUntil,
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

const lockWebhookEndpoint =
  (db: SqlSession): WebhookStore['lockWebhookEndpoint'] =>
  (id) =>
    firstOf(
      db,
      `SELECT * FROM webhook_endpoints WHERE id = ? FOR UPDATE`,
      [id],
      rowToWebhookEndpoint,
    );

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
         disabled_at = ?, updated_at = ?, deleted_at = ?
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
        e.disabledAt,
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

const lockDueDeliveries =
  (db: SqlSession): WebhookStore['lockDueDeliveries'] =>
  async (now, { endpointIds, merchantIds }, limit) => {
    const notIn = (column: string, ids: readonly string[]) =>
      ids.length ? `AND ${column} NOT IN (${marks(ids.length)})` : '';
    // No join: FOR UPDATE would lock the endpoint rows too, and recording an attempt updates them.
    const rows = await db.all(
      `SELECT id, endpoint_id, merchant_id FROM deliveries
       WHERE status = 'pending' AND next_attempt_at <= ?
         -- A disabled endpoint pauses its deliveries; enabling it resumes them.
         AND endpoint_id IN (SELECT id FROM webhook_endpoints
           WHERE enabled = 1 AND (paused_until IS NULL OR paused_until <= ?))
         ${notIn('endpoint_id', endpointIds)} ${notIn('merchant_id', merchantIds)}
       ORDER BY next_attempt_at LIMIT ?
       FOR UPDATE SKIP LOCKED`,
      [now, now, ...endpointIds, ...merchantIds, limit],
    );
    return rows.map((r) => ({
      id: str(r, 'id'),
      endpointId: str(r, 'endpoint_id'),
      merchantId: str(r, 'merchant_id'),
    }));
  };

const leaseDeliveries =
  (db: SqlSession): WebhookStore['leaseDeliveries'] =>
  async (ids, leaseUntil, now) => {
    if (ids.length === 0) return [];
    const rows = await db.all(
      `UPDATE deliveries SET next_attempt_at = ?, updated_at = ?
       WHERE id IN (${marks(ids.length)}) AND status = 'pending'
       RETURNING ${DELIVERY_COLUMNS}`,
      [leaseUntil, now, ...ids],
    );
    return rows.map(rowToDelivery);
  };

const holdEndpoints =
  (db: SqlSession): WebhookStore['holdEndpoints'] =>
  async (endpointIds, until) => {
    if (endpointIds.length === 0) return;
    await db.run(
      `UPDATE webhook_endpoints SET paused_until = ? WHERE id IN (${marks(endpointIds.length)})`,
      [until, ...endpointIds],
    );
  };

const updateEndpointHealth =
  (db: SqlSession): WebhookStore['updateEndpointHealth'] =>
  async (endpointId, h) => {
    await db.run(
      `UPDATE webhook_endpoints SET consecutive_failures = ?, failing_since = ?, paused_until = ?
       WHERE id = ?`,
      [h.consecutiveFailures, h.failingSince, h.pausedUntil, endpointId],
    );
  };

const deleteDeliveredBefore =
  (db: SqlSession): WebhookStore['deleteDeliveredBefore'] =>
  async (before, limit) => {
    const ids = (
      await db.all(
        `SELECT id FROM deliveries WHERE status = 'delivered' AND delivered_at < ?
         ORDER BY delivered_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        [before, limit],
      )
    ).map((r) => str(r, 'id'));
    if (ids.length === 0) return 0;
    await db.run(`DELETE FROM delivery_attempts WHERE delivery_id IN (${marks(ids.length)})`, ids);
    return db.run(`DELETE FROM deliveries WHERE id IN (${marks(ids.length)})`, ids);
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
  lockWebhookEndpoint: lockWebhookEndpoint(db),
  findWebhookEndpoints: findWebhookEndpoints(db),
  updateWebhookEndpoint: updateWebhookEndpoint(db),
  listWebhookEndpoints: listWebhookEndpoints(db),
  countWebhookEndpoints: countWebhookEndpoints(db),
  listLiveWebhookEndpoints: listLiveWebhookEndpoints(db),
  findDelivery: findDelivery(db),
  findDeliveryFor: findDeliveryFor(db),
  listDeliveries: listDeliveries(db),
  lockDueDeliveries: lockDueDeliveries(db),
  leaseDeliveries: leaseDeliveries(db),
  holdEndpoints: holdEndpoints(db),
  updateEndpointHealth: updateEndpointHealth(db),
  deleteDeliveredBefore: deleteDeliveredBefore(db),
  updateClaimedDelivery: updateClaimedDelivery(db),
  updateDelivery: updateDelivery(db),
  cancelPendingDeliveries: cancelPendingDeliveries(db),
  insertDeliveryAttempt: insertDeliveryAttempt(db),
  listDeliveryAttempts: listDeliveryAttempts(db),
  listDeliveryAttemptsFor: listDeliveryAttemptsFor(db),
});
