/**
 * An endpoint that has failed continuously for the configured period (default five days) is
 * disabled, and the merchant's other endpoints hear of it through an `endpoint.disabled` event;
 * its pending deliveries wait, and re-enabling it can replay what it missed
 * (src/app/deliveries.ts `replayEndpointSince` from its `disabled_at`).
 */
import type { WebhookEndpoint } from '../domain/webhooks.js';
import type { RunContext } from './context.js';
import { appendEvent } from './events.js';
import type { OutboxStore } from './ports/outbox.js';
import type { WebhookStore } from './ports/webhooks.js';

/** Who disabled it, in the event's `actor`: the dispatcher, no person. */
export const DISPATCHER_ACTOR = 'system:webhook-dispatcher';

export async function disableFailingEndpoint(
  tx: WebhookStore & OutboxStore,
  run: RunContext,
  endpoint: WebhookEndpoint,
): Promise<void> {
  const since = new Date(endpoint.health.failingSince ?? run.now).toISOString();
  const reason = `Every attempt failed since ${since}.`;
  // Disabled first, so the event's fan-out (enabled endpoints only) leaves this one out.
  await tx.updateWebhookEndpoint({
    ...endpoint,
    enabled: false,
    disabledReason: reason,
    disabledAt: run.now,
    updatedAt: run.now,
  });
  await appendEvent(tx, run, {
    id: run.newId(),
    merchantId: endpoint.merchantId,
    orderId: null,
    type: 'endpoint.disabled',
    actor: DISPATCHER_ACTOR,
    reason,
    statusBefore: 'enabled',
    statusAfter: 'disabled',
    idempotencyKey: null,
    requestFingerprint: null,
    payload: {
      endpoint: {
        id: endpoint.id,
        url: endpoint.url,
        name: endpoint.name,
        failing_since: since,
        consecutive_failures: endpoint.health.consecutiveFailures,
        disabled_at: new Date(run.now).toISOString(),
        disabled_reason: reason,
      },
    },
    createdAt: run.now,
  });
}
