/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA-1, 6 digits, 30-second
 * steps), the codes authenticator apps show. Pure: the HMAC is a parameter, the platform's own
 * (never written out here); the RFCs' test vectors hold the whole (totp.test.ts). SHA-1's
 * weaknesses (collisions) do not touch HMAC-SHA-1, which every authenticator app uses.
 */

export const TOTP_STEP_MS = 30_000;
export const TOTP_DIGITS = 6;
/** Codes of the previous and next step are accepted too: phone clocks drift. */
export const TOTP_DRIFT_STEPS = 1;

/**
 * HMAC-SHA-1 (RFC 2104) of `message` under `key`. The domain reads no Node module, so the caller
 * passes the platform's (src/app/secrets.ts uses node:crypto): no hand-written cryptography.
 */
export type HmacSha1 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

/** HOTP (RFC 4226): the code for one counter value, `digits` long with leading zeros. */
export function hotp(
  mac: HmacSha1,
  secret: Uint8Array,
  counter: number,
  digits = TOTP_DIGITS,
): string {
  const message = new Uint8Array(8);
  const view = new DataView(message.buffer);
  view.setUint32(0, Math.floor(counter / 2 ** 32));
  view.setUint32(4, counter >>> 0);
  const digest = mac(secret, message);
  const offset = digest[19]! & 0x0f;
  const binary =
    ((digest[offset]! & 0x7f) << 24) |
    (digest[offset + 1]! << 16) |
    (digest[offset + 2]! << 8) |
    digest[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP step a time falls in (RFC 6238: T0 = 0, X = 30 s). */
export const totpStep = (atMs: number): number => Math.floor(atMs / TOTP_STEP_MS);

/** TOTP (RFC 6238) at a time. */
export const totp = (
  mac: HmacSha1,
  secret: Uint8Array,
  atMs: number,
  digits = TOTP_DIGITS,
): string => hotp(mac, secret, totpStep(atMs), digits);

/**
 * The step whose code `code` is, within the drift window around `atMs`, or null. Every candidate
 * is computed and compared whole, so the answer's timing does not say which digits were right.
 * The caller refuses a step at or before the last one used (a code works once).
 */
export function matchingTotpStep(
  mac: HmacSha1,
  secret: Uint8Array,
  code: string,
  atMs: number,
): number | null {
  const now = totpStep(atMs);
  let found: number | null = null;
  for (let step = now - TOTP_DRIFT_STEPS; step <= now + TOTP_DRIFT_STEPS; step++) {
    const expected = hotp(mac, secret, step);
    let diff = expected.length ^ code.length;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ code.charCodeAt(i);
    if (diff === 0 && found === null) found = step;
  }
  return found;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: how authenticator apps take a secret. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes unpadded upper-case base32; null on any other character. */
export function base32Decode(text: string): Uint8Array | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    const index = BASE32.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** The otpauth:// URI an authenticator app reads (as a QR code or pasted). */
export const totpUri = (issuer: string, account: string, secret: Uint8Array): string =>
  `otpauth://totp/${encodeURIComponent(`${issuer}:${account}`)}?secret=${base32Encode(secret)}` +
  `&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=30`;
