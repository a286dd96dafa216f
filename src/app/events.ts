/**
 * Appending an outbox event. This is the only way an event is written, and it fans the event out
 * in the same transaction: one pending delivery per enabled endpoint of the merchant. An event
 * can therefore never be committed without its deliveries, nor a delivery without its event.
 * Its callers are two, and lint keeps them so: `commitChange` (src/app/ledger.ts), the writer of
 * every order's event, and src/app/endpoint-health.ts, whose event is about no order.
 */
import { type AppDeps, query, type RunContext } from './context.js';
import { LIMITS } from './limits.js';
import type { CaptureMethod, Dialect, OrderKind } from '../domain/order.js';
import type { EventFacts } from '../domain/events.js';
import { type Delivery, formatCarries } from '../domain/webhooks.js';
import type { EventFilter, EventRecord, OutboxStore } from './ports/outbox.js';
import type { WebhookStore } from './ports/webhooks.js';

export type { EventRecord } from './ports/outbox.js';

export async function appendEvent(
  tx: OutboxStore & WebhookStore,
  run: RunContext,
  event: EventRecord,
): Promise<void> {
  await tx.insertEvent(event);
  const endpoints = await tx.listWebhookEndpoints(event.merchantId, LIMITS.webhookEndpointsMax);
  const facts = eventFacts(event);
  for (const endpoint of endpoints) {
    if (!endpoint.enabled || !formatCarries(endpoint.format, facts)) continue;
    await tx.insertDelivery(newPendingDelivery(run, event, endpoint.id));
  }
}

/** A delivery of `event` to one endpoint, due now. */
export function newPendingDelivery(
  run: RunContext,
  event: EventRecord,
  endpointId: string,
): Delivery {
  return {
    id: run.newId(),
    eventId: event.id,
    endpointId,
    merchantId: event.merchantId,
    orderId: event.orderId,
    eventType: event.type,
    status: 'pending',
    attemptCount: 0,
    policyAttempts: 0,
    nextAttemptAt: run.now,
    lastStatusCode: null,
    lastError: null,
    createdAt: run.now,
    updatedAt: run.now,
    deliveredAt: null,
  };
}

/** What the webhook formats need to know of an event to name it. */
export function eventFacts(event: EventRecord): EventFacts {
  const order = event.payload['order'] as
    | {
        capture_method?: CaptureMethod | null;
        kind?: OrderKind;
        dialect?: Dialect;
        amount?: { minor?: number };
      }
    | undefined;
  return {
    type: event.type,
    statusAfter: event.statusAfter,
    captureMethod: order?.capture_method ?? null,
    ...(order?.kind !== undefined ? { kind: order.kind } : {}),
    ...(order?.dialect !== undefined ? { dialect: order.dialect } : {}),
    ...(order?.amount?.minor !== undefined ? { amountMinor: order.amount.minor } : {}),
  };
}

/** One page of the outbox matching the filter, oldest first. */
export const listEvents = (deps: AppDeps, filter: EventFilter): Promise<EventRecord[]> =>
  query(deps, (tx) => tx.listEvents(filter));
