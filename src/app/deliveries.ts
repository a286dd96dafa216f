/**
 * Deliveries for the operators: list them, read one with its attempts, and replay (the
 * dispatcher's claims and attempts are src/app/delivery-attempts.ts).
 */
import { domainError } from '../domain/errors.js';
import { err, ok } from '../domain/result.js';
import { type Delivery, type DeliveryAttempt, formatCarries } from '../domain/webhooks.js';
import { type AdminAudit, recordAdminAction } from './admin-actions.js';
import { type AppDeps, query, type UseCase } from './context.js';
import { eventFacts, newPendingDelivery } from './events.js';
import { LIMITS } from './limits.js';
import type { OutboxStore } from './ports/outbox.js';
import type { DeliveryFilter, WebhookStore } from './ports/webhooks.js';
import type { OperatorStore } from './ports/operators.js';

const resetForReplay = (delivery: Delivery, now: number): Delivery => ({
  ...delivery,
  status: 'pending',
  policyAttempts: 0,
  nextAttemptAt: now,
  updatedAt: now,
  deliveredAt: null,
});

/**
 * Sends a delivery again, whatever its state, with a fresh retry budget and the same
 * `webhook-id`, and records who asked and why (`delivery.replayed`) in the same transaction.
 * Errors: delivery.not_found, webhook.not_found (its endpoint was deleted).
 */
export const replayDelivery =
  (deliveryId: string, audit: AdminAudit): UseCase<Delivery, WebhookStore & OperatorStore> =>
  async (tx, run) => {
    const delivery = await tx.findDelivery(deliveryId);
    if (!delivery) return err(domainError('delivery.not_found'));
    const endpoint = await tx.findWebhookEndpoint(delivery.endpointId);
    if (!endpoint || endpoint.deletedAt !== null) return err(domainError('webhook.not_found'));
    const replayed = resetForReplay(delivery, run.now);
    await tx.updateDelivery(replayed);
    await recordAdminAction(tx, run, audit, {
      action: 'delivery.replayed',
      merchantId: delivery.merchantId,
      orderId: delivery.orderId,
      subjectId: delivery.id,
      details: {
        event_id: delivery.eventId,
        event_type: delivery.eventType,
        endpoint_id: delivery.endpointId,
        status_before: delivery.status,
        attempts_before: delivery.attemptCount,
      },
    });
    return ok(replayed);
  };

/**
 * Re-sends to one endpoint every event of its merchant since `since`: existing deliveries are
 * reset, events that never had a delivery to this endpoint get one. One call scans at most
 * LIMITS.replayBatchMax events; when more remain it returns `next`, the cursor to pass back to
 * continue exactly where it stopped, so repeated calls always make progress. Each call records
 * one `webhook.replayed_since` action with its counts, in its own transaction.
 * Errors: webhook.not_found.
 */
export const replayEndpointSince =
  (
    endpointId: string,
    since: number,
    after: { readonly createdAt: number; readonly id: string } | undefined,
    audit: AdminAudit,
  ): UseCase<
    {
      reset: number;
      created: number;
      next: { createdAt: number; id: string } | null;
    },
    WebhookStore & OutboxStore & OperatorStore
  > =>
  async (tx, run) => {
    const endpoint = await tx.findWebhookEndpoint(endpointId);
    if (!endpoint || endpoint.deletedAt !== null) return err(domainError('webhook.not_found'));
    const pageSize = 500;
    let reset = 0;
    let created = 0;
    let scanned = 0;
    let cursor = after;
    let next: { createdAt: number; id: string } | null = null;
    while (scanned < LIMITS.replayBatchMax) {
      const events = await tx.listEvents({
        merchantId: endpoint.merchantId,
        from: since,
        limit: Math.min(pageSize, LIMITS.replayBatchMax - scanned),
        ...(cursor ? { after: cursor } : {}),
      });
      for (const event of events) {
        if (!formatCarries(endpoint.format, eventFacts(event))) continue;
        const existing = await tx.findDeliveryFor(event.id, endpoint.id);
        if (existing) {
          await tx.updateDelivery(resetForReplay(existing, run.now));
          reset += 1;
        } else {
          await tx.insertDelivery(newPendingDelivery(run, event, endpoint.id));
          created += 1;
        }
      }
      scanned += events.length;
      const last = events.at(-1);
      if (!last) break;
      cursor = { createdAt: last.createdAt, id: last.id };
      // The budget ran out exactly at a page end: there may be more, so hand back the cursor.
      if (scanned >= LIMITS.replayBatchMax) next = cursor;
    }
    await recordAdminAction(tx, run, audit, {
      action: 'webhook.replayed_since',
      merchantId: endpoint.merchantId,
      orderId: null,
      subjectId: endpoint.id,
      details: {
        since: new Date(since).toISOString(),
        continued: after !== undefined,
        reset,
        created,
        complete: next === null,
      },
    });
    return ok({ reset, created, next });
  };

/** One page of deliveries matching the filter, in its keyset order. */
export const listDeliveries = (deps: AppDeps, filter: DeliveryFilter): Promise<Delivery[]> =>
  query(deps, (tx) => tx.listDeliveries(filter));

/** A delivery with its attempt log, oldest attempt first; undefined when there is none. */
export const getDeliveryWithAttempts = (
  deps: AppDeps,
  deliveryId: string,
): Promise<{ delivery: Delivery; attempts: DeliveryAttempt[] } | undefined> =>
  query(deps, async (tx) => {
    const delivery = await tx.findDelivery(deliveryId);
    return delivery && { delivery, attempts: await tx.listDeliveryAttempts(delivery.id) };
  });

/**
 * Removes one small batch (LIMITS.deliveryReaperBatchSize) of deliveries delivered more than
 * `retentionMs` ago, with their attempts, in its own short transaction; returns how many. Pending,
 * dead and cancelled deliveries stay: they are still to send, or to replay.
 */
export function reapDeliveredDeliveries(deps: AppDeps, retentionMs: number): Promise<number> {
  return deps.store.transaction((tx) =>
    tx.deleteDeliveredBefore(deps.clock.now() - retentionMs, LIMITS.deliveryReaperBatchSize),
  );
}
