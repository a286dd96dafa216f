/**
 * Webhook endpoints, deliveries and the retry schedule: pure rules, no I/O.
 */
import type { Dialect } from './order.js';
import { type DomainError, domainError } from './errors.js';
import { privateHost } from './network-address.js';
import type { EventFacts } from './events.js';
import { pointsWebhookEvent } from './points.js';
import type { EndpointHealth } from './delivery-schedule.js';

export const WEBHOOK_FORMATS = ['standard', 'points'] as const;
/**
 * - standard: `{type, timestamp, data}` body with Standard Webhooks signature headers.
 * - points:   the Points envelope `{event, order, timestamp}` plus `X-Webhook-Secret` and
 *             `X-Webhook-Event`, and the Standard Webhooks signature headers as well.
 */
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const RETRY_POLICIES = ['standard', 'points'] as const;
/**
 * - standard: exponential backoff with jitter over about three days (10 attempts).
 * - points:   3 attempts in total, as the Points docs say ("the job retries up to 3 times").
 */
export type RetryPolicy = (typeof RETRY_POLICIES)[number];

export interface WebhookEndpoint {
  readonly id: string;
  readonly merchantId: string;
  readonly url: string;
  readonly name: string | null;
  readonly format: WebhookFormat;
  readonly retryPolicy: RetryPolicy;
  readonly enabled: boolean;
  /** Signing secret (`whsec_…`). Kept retrievable: HMAC signing and Points need the secret. */
  readonly secret: string;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
  readonly previousSecret: string | null;
  readonly previousSecretExpiresAt: number | null;
  /** Why the endpoint was disabled automatically (e.g. the receiver answered 410 Gone). */
  readonly disabledReason: string | null;
  /** When it was last disabled (by an operator or automatically); null while enabled. */
  readonly disabledAt: number | null;
  /** Its run of failed attempts and circuit; written only by the dispatcher and on enabling. */
  readonly health: EndpointHealth;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly deletedAt: number | null;
}

export const DELIVERY_STATUSES = [
  'pending', // waiting for its next attempt
  'delivered', // a 2xx answer was received
  'dead', // the retry policy is exhausted, or the endpoint said 410 Gone; replayable
  'cancelled', // its endpoint was deleted before it could be delivered
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  readonly id: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly merchantId: string;
  readonly orderId: string | null;
  readonly eventType: string;
  readonly status: DeliveryStatus;
  /** Attempts made in all, numbering the attempt log. */
  readonly attemptCount: number;
  /** Attempts counted against the retry policy; a replay starts a fresh budget. */
  readonly policyAttempts: number;
  readonly nextAttemptAt: number | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly deliveredAt: number | null;
}

export interface DeliveryAttempt {
  readonly id: string;
  readonly deliveryId: string;
  readonly attemptNumber: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** The first 1 KiB of the response body. */
  readonly responseExcerpt: string | null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delay before the next attempt after attempt n (1-based) failed. `standard` grows roughly
 * exponentially and sums to about 72 hours over 10 attempts; `points` makes 3 attempts, 10 s
 * and 60 s apart (the Points docs do not give the interval).
 */
export const RETRY_DELAYS_MS: Readonly<Record<RetryPolicy, readonly number[]>> = {
  standard: [
    5 * SECOND,
    5 * MINUTE,
    30 * MINUTE,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    14 * HOUR,
    20 * HOUR,
    20 * HOUR,
  ],
  points: [10 * SECOND, 60 * SECOND],
};

/** Attempts in all that a policy allows. */
export const maxAttempts = (policy: RetryPolicy): number => RETRY_DELAYS_MS[policy].length + 1;

/** Jitter spreads retries of many deliveries by up to ±20% so they do not arrive in waves. */
export const JITTER_FRACTION = 0.2;

/**
 * The delay before the attempt after `failedAttempt` (1-based), or null when the policy is
 * exhausted. `jitter01` is a random number in [0, 1) supplied by the caller (domain code draws
 * no randomness): 0.5 gives the nominal delay, 0 and 1 its −20% and +20% ends.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  jitter01: number,
): number | null {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) return null;
  const nominal = RETRY_DELAYS_MS[policy][failedAttempt - 1];
  if (nominal === undefined) return null;
  const clamped = Math.min(Math.max(jitter01, 0), 1);
  return Math.round(nominal * (1 - JITTER_FRACTION + 2 * JITTER_FRACTION * clamped));
}

/** What one attempt's answer means for the delivery. */
export type AttemptVerdict = 'delivered' | 'retry' | 'dead' | 'gone';

/**
 * The response header with which a receiver stops the retries of one delivery: a failed answer
 * carrying `Unwind-Stop-Retries: true` makes the delivery `dead` at once (docs/operations.md).
 */
export const STOP_RETRIES_HEADER = 'unwind-stop-retries';

export function judgeAttempt(
  statusCode: number | null,
  policy: RetryPolicy,
  policyAttemptsAfter: number,
  stopRetries = false,
): AttemptVerdict {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'delivered';
  // 410 Gone: the receiver says the endpoint no longer exists; stop sending to it.
  if (statusCode === 410) return 'gone';
  if (stopRetries && statusCode !== null) return 'dead';
  return policyAttemptsAfter >= maxAttempts(policy) ? 'dead' : 'retry';
}

/**
 * Why a webhook URL must not be registered, or null: its host can only be private or local (a
 * private address in any notation, or a local name such as `localhost`). `url` is one that
 * src/domain/urls.ts accepted. Names that merely resolve to a private address pass here: the
 * sender refuses them at every connection (src/webhooks/address-guard.ts).
 */
export function privateWebhookUrlError(url: string): DomainError | null {
  const host = new URL(url).hostname;
  const found = privateHost(host);
  return found === null
    ? null
    : domainError('webhook.private_url', {
        field: 'url',
        host,
        kind: found.kind,
        range: found.range,
      });
}

/** How long the secret before a rotation keeps signing deliveries, so receivers can switch. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Secrets to sign with at `now`: the current one, and the previous one while it overlaps. */
export function signingSecrets(endpoint: WebhookEndpoint, now: number): string[] {
  const previousValid =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    now < endpoint.previousSecretExpiresAt;
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/**
 * The faces whose orders a `points` endpoint hears of: Points' own, and the admin API's (which
 * belong to no provider; the operator chose the format). Never another provider's: a Points
 * receiver told of an MPG card purchase or a Backd order as an `approved` Points order could
 * award points for it.
 */
const POINTS_FORMAT_DIALECTS: readonly Dialect[] = ['points', 'admin'];

/**
 * How each format names an event: the hook a format fills (a dialect that brings its own format
 * adds its entry here, and its body and headers in src/webhooks/formats.ts). The name is the
 * event as the format's receivers know it, or null when an endpoint of the format does not hear
 * of the event at all; the core hands it only the event's facts.
 */
export const WEBHOOK_EVENT_NAMES: Readonly<
  Record<WebhookFormat, (event: EventFacts) => string | null>
> = {
  standard: (event) => event.type,
  points: (event) =>
    event.dialect !== undefined && !POINTS_FORMAT_DIALECTS.includes(event.dialect)
      ? null
      : pointsWebhookEvent(event),
};

/** Whether an endpoint of this format receives the event at all. */
export function formatCarries(format: WebhookFormat, event: EventFacts): boolean {
  return WEBHOOK_EVENT_NAMES[format](event) !== null;
}
