/**
 * Webhook endpoints, deliveries and the retry schedule: pure rules, no I/O.
 */
import type { Dialect } from './order.js';
import { type EventFacts, pointsWebhookEvent } from './points.js';

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

export function judgeAttempt(
  statusCode: number | null,
  policy: RetryPolicy,
  policyAttemptsAfter: number,
): AttemptVerdict {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'delivered';
  // 410 Gone: the receiver says the endpoint no longer exists; stop sending to it.
  if (statusCode === 410) return 'gone';
  return policyAttemptsAfter >= maxAttempts(policy) ? 'dead' : 'retry';
}

/**
 * True for addresses a webhook must not reach unless private delivery is allowed: loopback,
 * private, link-local, carrier-grade NAT, unspecified, multicast and reserved ranges, in IPv4 and
 * IPv6 (including IPv4-mapped IPv6). Anything unparseable counts as private: refuse when unsure.
 */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return isPrivateIpv4(v4);
  const v6 = parseIpv6(address);
  if (!v6) return true;
  // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, and the deprecated
  // compatible ::a.b.c.d; each is judged by its IPv4 address.
  const embedsIpv4 =
    (v6.slice(0, 5).every((h) => h === 0) && (v6[5] === 0xffff || v6[5] === 0)) ||
    (v6.slice(0, 4).every((h) => h === 0) && v6[4] === 0xffff && v6[5] === 0);
  if (embedsIpv4 && !(v6[6] === 0 && v6[7]! <= 1)) {
    return isPrivateIpv4([v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff]);
  }
  if (v6.every((h) => h === 0)) return true; // ::
  if (v6.slice(0, 7).every((h) => h === 0) && v6[7] === 1) return true; // ::1
  const first = v6[0]!;
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (first === 0x2001 && v6[1] === 0x0db8) return true; // 2001:db8::/32 documentation
  if (first === 0x0064 && v6[1] === 0xff9b) return true; // 64:ff9b::/96 NAT64 → may reach v4
  return false;
}

function isPrivateIpv4([a, b]: readonly number[]): boolean {
  return (
    a === 0 || // 0.0.0.0/8
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) || // 100.64.0.0/10 carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // 192.0.0.0/24 protocol assignments (and 192.0.2.0/24)
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a! >= 224 // multicast and reserved
  );
}

function parseIpv4(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

function parseIpv6(address: string): number[] | null {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0]!;
  if (!/^[0-9a-f:.]+$/i.test(bare) || !bare.includes(':')) return null;
  let text = bare;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = parseIpv4(text.slice(lastColon + 1));
  if (maybeV4) {
    tail.push((maybeV4[0]! << 8) | maybeV4[1]!, (maybeV4[2]! << 8) | maybeV4[3]!);
    text = `${text.slice(0, lastColon)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const words = [...head, ...Array<string>(8 - explicit).fill('0'), ...rest];
  if (!words.every((w) => /^[0-9a-f]{1,4}$/i.test(w))) return null;
  const out = words.map((w) => parseInt(w, 16));
  if (tail.length) out.splice(6, 2, ...tail);
  return out;
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

/** Whether an endpoint of this format receives the event at all. */
export function formatCarries(format: WebhookFormat, event: EventFacts): boolean {
  if (format === 'standard') return true;
  if (event.dialect !== undefined && !POINTS_FORMAT_DIALECTS.includes(event.dialect)) return false;
  return pointsWebhookEvent(event) !== null;
}
