/**
 * Outbox events and their fan-out. `eventFanOut` decides who receives an event (one pending
 * delivery per enabled endpoint of the merchant whose format carries it), and the store writes
 * the event with those deliveries in the same transaction, so an event can never be committed
 * without its deliveries, nor a delivery without its event. An order's event is written by
 * `commitChange` (src/app/ledger.ts) through `LedgerStore.writeChange`, with the change itself;
 * `appendEvent` writes an event about no order (src/app/endpoint-health.ts), and lint keeps it
 * to those callers.
 */
import { type AppDeps, query, type RunContext } from './context.js';
import { LIMITS } from './limits.js';
import type { CaptureMethod, Dialect, OrderKind } from '../domain/order.js';
import type { EventFacts } from '../domain/events.js';
import { type Delivery, formatCarries, WEBHOOK_FORMATS } from '../domain/webhooks.js';
import type { EventFanOut } from './ports/ledger.js';
import type { EventFilter, EventRecord, OutboxStore } from './ports/outbox.js';

export type { EventRecord } from './ports/outbox.js';

export function appendEvent(tx: OutboxStore, run: RunContext, event: EventRecord): Promise<void> {
  return tx.writeEvent(event, eventFanOut(run, event));
}

/**
 * Who receives `event`, for a store that writes the event with its deliveries in one go
 * (LedgerStore.writeChange): the same endpoints as appendEvent's, one delivery due now for each.
 */
export function eventFanOut(run: RunContext, event: EventRecord): EventFanOut {
  const facts = eventFacts(event);
  return {
    formats: WEBHOOK_FORMATS.filter((format) => formatCarries(format, facts)),
    endpointLimit: LIMITS.webhookEndpointsMax,
    delivery: pendingDeliveryFields(run, event),
    newId: run.newId,
  };
}

/** A delivery of `event` to one endpoint, due now. */
export function newPendingDelivery(
  run: RunContext,
  event: EventRecord,
  endpointId: string,
): Delivery {
  return { ...pendingDeliveryFields(run, event), id: run.newId(), endpointId };
}

function pendingDeliveryFields(
  run: RunContext,
  event: EventRecord,
): Omit<Delivery, 'id' | 'endpointId'> {
  return {
    eventId: event.id,
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
