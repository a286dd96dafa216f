/** Webhook delivery settings: timeouts, claim leases, concurrency, endpoint health, retention. */
import { LIMITS } from '../app/limits.js';
import { integer, type Env } from './parse.js';

export interface DeliveryConfig {
  /** One webhook POST's timeout. */
  readonly timeoutMs: number;
  /** How long a delivery claim lasts; see src/webhooks/dispatcher.ts. */
  readonly leaseMs: number;
  /** Attempts in flight at once in this process, to one endpoint, to one merchant. */
  readonly concurrency: number;
  readonly endpointConcurrency: number;
  readonly merchantConcurrency: number;
  /** Continuous failure after which an endpoint is disabled. */
  readonly disableAfterMs: number;
  /** How long delivered deliveries and their attempts are kept. */
  readonly retentionMs: number;
}

/** A cut-off after the sender's own timeout (src/webhooks/dispatcher.ts). */
const ATTEMPT_CUT_OFF_MS = 1_000;

/**
 * The shortest claim lease for a webhook timeout: an attempt starts when it is claimed and ends
 * within the timeout plus the dispatcher's cut-off; the lease must outlast that and the write that
 * records it by a margin, or another process could send the delivery again while it is in flight.
 */
export const deliveryLeaseMsMin = (timeoutMs: number): number =>
  timeoutMs + ATTEMPT_CUT_OFF_MS + LIMITS.deliveryLeaseMarginMs;

/** The shortest lease with the default timeout. */
export const DELIVERY_LEASE_MS_MIN = deliveryLeaseMsMin(LIMITS.webhookTimeoutMs);

const DAY_MS = 86_400_000;

export function deliveryConfig(env: Env): DeliveryConfig {
  const timeoutMs = integer(
    env,
    'UNWIND_WEBHOOK_TIMEOUT_MS',
    LIMITS.webhookTimeoutMs,
    1_000,
    60_000,
  );
  const count = (name: string, fallback: number) => integer(env, name, fallback, 1, 100_000);
  const days = (name: string, fallback: number) => integer(env, name, fallback, 1, 3650) * DAY_MS;
  return {
    timeoutMs,
    // A claim must outlive the attempt it covers (see deliveryLeaseMsMin).
    leaseMs: integer(
      env,
      'UNWIND_DELIVERY_LEASE_MS',
      LIMITS.deliveryLeaseMs,
      deliveryLeaseMsMin(timeoutMs),
      3_600_000,
    ),
    concurrency: count('UNWIND_DELIVERY_CONCURRENCY', LIMITS.deliveryConcurrency),
    endpointConcurrency: count(
      'UNWIND_DELIVERY_ENDPOINT_CONCURRENCY',
      LIMITS.deliveryEndpointConcurrency,
    ),
    merchantConcurrency: count(
      'UNWIND_DELIVERY_MERCHANT_CONCURRENCY',
      LIMITS.deliveryMerchantConcurrency,
    ),
    disableAfterMs: days(
      'UNWIND_WEBHOOK_DISABLE_AFTER_DAYS',
      LIMITS.webhookDisableAfterDaysDefault,
    ),
    retentionMs: days('UNWIND_DELIVERY_RETENTION_DAYS', LIMITS.deliveryRetentionDaysDefault),
  };
}
