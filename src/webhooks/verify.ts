/**
 * For receivers: verify an Unwind webhook. Exported as `unwind/webhooks`.
 *
 *   import { verifyWebhook } from 'unwind/webhooks';
 *   const event = verifyWebhook(secret, request.headers, rawBody); // throws when not authentic
 *
 * Checks the Standard Webhooks signature (any `v1,` signature in `webhook-signature` made with
 * `secret`, compared in constant time) and that `webhook-timestamp` is within the tolerance of
 * now, which stops replays of old captured requests. Pass the raw body exactly as received.
 */
import crypto from 'node:crypto';
import { sign } from './signing.js';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

export interface VerifyOptions {
  /** Largest accepted distance between the timestamp and now, in seconds (default 300). */
  readonly toleranceSeconds?: number;
  /** The current time in seconds; defaults to the system clock. */
  readonly nowSeconds?: number;
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: Headers, name: string): string {
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const value = Array.isArray(found) ? found[0] : found;
  if (typeof value !== 'string' || value.length === 0) {
    throw new WebhookVerificationError(`missing ${name} header`);
  }
  return value;
}

/** Returns the parsed JSON body when the webhook is authentic; throws otherwise. */
export function verifyWebhook(
  secret: string,
  headers: Headers,
  body: string | Buffer,
  options: VerifyOptions = {},
): unknown {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!/^\d{1,12}$/.test(timestampText)) throw new WebhookVerificationError('bad timestamp');
  const timestamp = Number(timestampText);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError('timestamp outside the tolerance');
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const expected = Buffer.from(sign(secret, id, timestamp, text));
  const matches = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('no matching signature');
  return JSON.parse(text) as unknown;
}
