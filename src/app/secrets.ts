/**
 * Credentials are shown once and stored only as SHA-256 hashes with a short visible prefix.
 * The secrets are 256 random bits, so a plain (unsalted) SHA-256 is not brute-forceable, and it
 * lets a presented key be found by its hash with one indexed lookup.
 */
import crypto from 'node:crypto';

/** Random characters kept in clear after the tag, to recognise a key in lists and logs. */
export const VISIBLE_RANDOM_CHARS = 6;

export interface IssuedSecret {
  readonly plaintext: string;
  readonly prefix: string;
  readonly hash: string;
}

/** HMAC-SHA-1, node:crypto's, for the one-time codes of src/domain/totp.ts. */
export const hmacSha1 = (key: Uint8Array, message: Uint8Array): Uint8Array =>
  new Uint8Array(crypto.createHmac('sha1', key).update(message).digest());

export const hashSecret = (plaintext: string): string =>
  crypto.createHash('sha256').update(plaintext, 'utf8').digest('hex');

export function issueSecret(tag: string): IssuedSecret {
  const plaintext = `${tag}${crypto.randomBytes(32).toString('base64url')}`;
  return {
    plaintext,
    prefix: plaintext.slice(0, tag.length + VISIBLE_RANDOM_CHARS),
    hash: hashSecret(plaintext),
  };
}

/** Compares two hex hashes in constant time. */
export function hashesEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** A stable fingerprint of a request, for idempotency: same request, same fingerprint. */
export function fingerprint(parts: unknown): string {
  return crypto.createHash('sha256').update(stableJson(parts)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
