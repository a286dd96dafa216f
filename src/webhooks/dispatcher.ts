/**
 * The webhook dispatcher, a job: claims a bounded batch of due deliveries, sends them with
 * bounded concurrency, and records every attempt. Claims are leases in the database (SKIP LOCKED
 * on PostgreSQL), so any number of processes may run it without sending a delivery twice; a
 * process that dies mid-send leaves its claims to come due again when the lease ends, so an
 * event is delivered at least once, never zero times.
 */
import crypto from 'node:crypto';
import type { AppDeps } from '../app/context.js';
import { type AttemptRecord, claimDeliveries, recordAttempts } from '../app/deliveries.js';
import { LIMITS } from '../app/limits.js';
import type { Job } from '../app/ports/job.js';
import { buildWebhookRequest } from './formats.js';
import type { WebhookSender } from './sender.js';

async function eachWithConcurrency<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** A random number in [0, 1) for retry jitter. */
const jitter = (): number => crypto.randomInt(0, 1_000_000) / 1_000_000;

/**
 * `leaseMs` is how long a claim lasts: it must outlive the whole step, every round of sends
 * (each up to the 10 s timeout) and the one write that records them (config.ts
 * DELIVERY_LEASE_MS_MIN), and it is how long deliveries claimed by a process that died wait
 * before another process sends them.
 */
export function webhookDispatcher(
  deps: AppDeps,
  send: WebhookSender,
  leaseMs: number = LIMITS.deliveryLeaseMs,
): Job {
  return {
    name: 'webhook-dispatcher',
    async step() {
      const claimed = await claimDeliveries(deps, LIMITS.deliveryBatchSize, leaseMs);
      const records: AttemptRecord[] = [];
      await eachWithConcurrency(claimed, LIMITS.deliveryConcurrency, async (c) => {
        const startedAt = deps.clock.now();
        const request = buildWebhookRequest(c.endpoint, c.delivery, c.event, startedAt);
        const result = await send(c.endpoint.url, request.headers, request.body);
        records.push({ claimed: c, outcome: { startedAt, ...result }, jitter01: jitter() });
      });
      // One transaction records the whole batch. A crash before it commits leaves the claims
      // to expire and the batch to be sent again: at least once, never lost.
      if (records.length > 0) await recordAttempts(deps, records);
      return claimed.length;
    },
  };
}
