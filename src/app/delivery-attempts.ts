/**
 * The dispatcher's bookkeeping (src/webhooks/dispatcher.ts): claim a fair set of due deliveries
 * (src/domain/delivery-schedule.ts), and record each attempt when it ends, in its own
 * transaction, with what it means for the delivery (delivered, retry later, dead) and for its
 * endpoint's health (circuit breaker, auto-disable after a long run of failures).
 */
import {
  type BreakerPolicy,
  failingTooLong,
  healthAfterAttempt,
  type InFlight,
  planClaims,
  probingOnly,
} from '../domain/delivery-schedule.js';
import {
  type AttemptVerdict,
  type Delivery,
  type DeliveryAttempt,
  judgeAttempt,
  retryDelayMs,
  type WebhookEndpoint,
} from '../domain/webhooks.js';
import type { AppDeps, RunContext } from './context.js';
import { disableFailingEndpoint } from './endpoint-health.js';
import type { EventRecord } from './ports/outbox.js';
import type { StoreTx } from './ports/store.js';

export interface ClaimedDelivery {
  readonly delivery: Delivery;
  /** The lease this worker holds; recording succeeds only while it still holds it. */
  readonly claimedUntil: number;
  readonly event: EventRecord;
  readonly endpoint: WebhookEndpoint;
}

/** How the dispatcher shares its slots and treats failing endpoints. */
export interface DispatchPolicy {
  /** How long a claim lasts: longer than an attempt can take (config.ts checks it). */
  readonly leaseMs: number;
  readonly endpointConcurrency: number;
  readonly merchantConcurrency: number;
  readonly breaker: BreakerPolicy;
  /** Continuous failure after which an endpoint is disabled. */
  readonly disableAfterMs: number;
}

/** What this worker is already doing, so a claim takes only what it can start at once. */
export interface ClaimRoom {
  readonly slotsFree: number;
  readonly inFlight: InFlight;
}

/**
 * Due rows looked at (and locked) per claim: a few per free slot, so endpoints with a backlog
 * leave room to find others' deliveries; endpoints and merchants without room are not looked at.
 */
const SCAN_MIN = 16;
const SCAN_PER_SLOT = 2;
const SCAN_MAX = 1_000;

/**
 * Claims, in one transaction, the due deliveries this worker has room to start now, fairly
 * across merchants and endpoints, with their events and endpoints, in sending order. Endpoints
 * at their limit here are not even looked at; an endpoint whose circuit is half open gets one
 * probe, and its circuit is held closed to other workers for the probe's lease.
 */
export function claimDeliveries(
  deps: AppDeps,
  room: ClaimRoom,
  policy: DispatchPolicy,
): Promise<ClaimedDelivery[]> {
  if (room.slotsFree <= 0) return Promise.resolve([]);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const claimedUntil = now + policy.leaseMs;
    const full = (counts: ReadonlyMap<string, number>, limit: number) =>
      [...counts].filter(([, n]) => n >= limit).map(([id]) => id);
    const skip = {
      endpointIds: full(room.inFlight.byEndpoint, policy.endpointConcurrency),
      merchantIds: full(room.inFlight.byMerchant, policy.merchantConcurrency),
    };
    const scan = Math.min(SCAN_MAX, SCAN_MIN + room.slotsFree * SCAN_PER_SLOT);
    const due = await tx.lockDueDeliveries(now, skip, scan);
    const endpoints = new Map(
      (await tx.findWebhookEndpoints(distinct(due, (d) => d.endpointId))).map((e) => [e.id, e]),
    );
    const probing = new Set(
      [...endpoints.values()].filter((e) => probingOnly(e.health, policy.breaker)).map((e) => e.id),
    );
    const limits = { ...policy, slotsFree: room.slotsFree };
    const planned = planClaims(due, room.inFlight, limits, probing);
    const leased = new Map(
      (
        await tx.leaseDeliveries(
          planned.map((d) => d.id),
          claimedUntil,
          now,
        )
      ).map((d) => [d.id, d]),
    );
    await tx.holdEndpoints(
      distinct(planned, (d) => d.endpointId).filter((id) => probing.has(id)),
      claimedUntil,
    );
    const events = new Map(
      (await tx.findEvents(distinct([...leased.values()], (d) => d.eventId))).map((e) => [e.id, e]),
    );
    return planned.flatMap((d) => {
      const delivery = leased.get(d.id);
      const event = delivery && events.get(delivery.eventId);
      const endpoint = endpoints.get(d.endpointId);
      return delivery && event && endpoint ? [{ delivery, claimedUntil, event, endpoint }] : [];
    });
  });
}

const distinct = <T>(items: readonly T[], key: (item: T) => string): string[] => [
  ...new Set(items.map(key)),
];

export interface AttemptOutcome {
  readonly startedAt: number;
  readonly durationMs: number;
  /** Null when no HTTP answer arrived (timeout, refused connection, blocked address). */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly responseExcerpt: string | null;
  /** The receiver answered with the stop-retries header (STOP_RETRIES_HEADER). */
  readonly stopRetries: boolean;
}

/** One attempt to record: the claimed delivery, what happened, and jitter in [0, 1). */
export interface AttemptRecord {
  readonly claimed: ClaimedDelivery;
  readonly outcome: AttemptOutcome;
  readonly jitter01: number;
}

/**
 * Records one attempt in its own transaction and moves the delivery on; returns the verdict, or
 * `lost` where the lease expired and another worker took the delivery over (its own attempt is
 * recorded instead).
 */
export function recordAttempt(
  deps: AppDeps,
  { claimed, outcome, jitter01 }: AttemptRecord,
  policy: DispatchPolicy,
): Promise<AttemptVerdict | 'lost'> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const { delivery, endpoint } = claimed;
    const policyAttempts = delivery.policyAttempts + 1;
    const verdict = judgeAttempt(
      outcome.statusCode,
      endpoint.retryPolicy,
      policyAttempts,
      outcome.stopRetries,
    );
    const delay =
      verdict === 'retry' ? retryDelayMs(endpoint.retryPolicy, policyAttempts, jitter01) : null;
    const next: Delivery = {
      ...delivery,
      status: verdict === 'delivered' ? 'delivered' : verdict === 'retry' ? 'pending' : 'dead',
      attemptCount: delivery.attemptCount + 1,
      policyAttempts,
      nextAttemptAt: verdict === 'retry' ? now + (delay ?? 0) : null,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      updatedAt: now,
      deliveredAt: verdict === 'delivered' ? now : null,
    };
    if (!(await tx.updateClaimedDelivery(next, claimed.claimedUntil))) return 'lost';
    const attempt: DeliveryAttempt = {
      id: deps.newId(),
      deliveryId: delivery.id,
      attemptNumber: next.attemptCount,
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode,
      error: outcome.error,
      responseExcerpt: outcome.responseExcerpt,
    };
    await tx.insertDeliveryAttempt(attempt);
    await judgeEndpoint(tx, { now, newId: deps.newId }, endpoint, verdict, outcome, policy);
    return verdict;
  });
}

/**
 * What the attempt says of its endpoint: 410 Gone disables it; an answer the receiver meant (2xx,
 * or the stop-retries header) clears its failures; anything else extends them, opening its
 * circuit and, past `disableAfterMs` of continuous failure, disabling it.
 */
async function judgeEndpoint(
  tx: StoreTx,
  run: RunContext,
  { id: endpointId, health: known }: WebhookEndpoint,
  verdict: AttemptVerdict,
  outcome: AttemptOutcome,
  policy: DispatchPolicy,
): Promise<void> {
  const answered = verdict === 'delivered' || (outcome.stopRetries && outcome.statusCode !== null);
  // The common case writes nothing and locks nothing: a healthy endpoint answered.
  if (answered && known.consecutiveFailures === 0) return;
  const current = await tx.lockWebhookEndpoint(endpointId);
  if (!current) return;
  if (verdict === 'gone') {
    if (current.enabled) {
      await tx.updateWebhookEndpoint({
        ...current,
        enabled: false,
        disabledReason: 'The receiver answered 410 Gone.',
        disabledAt: run.now,
        updatedAt: run.now,
      });
    }
    return;
  }
  const health = healthAfterAttempt(current.health, answered, outcome.startedAt, policy.breaker);
  const unchanged =
    health.consecutiveFailures === current.health.consecutiveFailures &&
    health.failingSince === current.health.failingSince &&
    health.pausedUntil === current.health.pausedUntil;
  if (!unchanged) await tx.updateEndpointHealth(endpointId, health);
  if (current.enabled && failingTooLong(health, run.now, policy.disableAfterMs)) {
    await disableFailingEndpoint(tx, run, { ...current, health });
  }
}
