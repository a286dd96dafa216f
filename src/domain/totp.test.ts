// The RFCs' own test vectors: HOTP (RFC 4226 appendix D) and TOTP (RFC 6238 appendix B, the SHA-1
// rows, 8 digits), with node:crypto's HMAC-SHA-1 passed in as the service passes it.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, hotp, matchingTotpStep, totp, TOTP_STEP_MS } from './totp.js';

const hmacSha1 = (key: Uint8Array, message: Uint8Array) =>
  new Uint8Array(crypto.createHmac('sha1', key).update(message).digest());
const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const RFC_SECRET = bytes('12345678901234567890');

describe('TOTP (RFC 6238) and its parts', () => {
  it('the HMAC passed in is what signs: another key gives other codes', () => {
    const other = bytes('12345678901234567891');
    assert.notEqual(hotp(hmacSha1, RFC_SECRET, 0), hotp(hmacSha1, other, 0));
  });

  it('HOTP answers RFC 4226 appendix D', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922'];
    expected.forEach((code, counter) => assert.equal(hotp(hmacSha1, RFC_SECRET, counter), code));
  });

  it('TOTP answers RFC 6238 appendix B (SHA-1, 8 digits)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors)
      assert.equal(totp(hmacSha1, RFC_SECRET, seconds * 1000, 8), code);
  });

  it('accepts one step of drift either way and no more', () => {
    const at = 1111111111_000;
    const step = Math.floor(at / TOTP_STEP_MS);
    assert.equal(matchingTotpStep(hmacSha1, RFC_SECRET, totp(hmacSha1, RFC_SECRET, at), at), step);
    assert.equal(
      matchingTotpStep(hmacSha1, RFC_SECRET, totp(hmacSha1, RFC_SECRET, at - TOTP_STEP_MS), at),
      step - 1,
    );
    assert.equal(
      matchingTotpStep(hmacSha1, RFC_SECRET, totp(hmacSha1, RFC_SECRET, at + TOTP_STEP_MS), at),
      step + 1,
    );
    assert.equal(
      matchingTotpStep(hmacSha1, RFC_SECRET, totp(hmacSha1, RFC_SECRET, at - 2 * TOTP_STEP_MS), at),
      null,
    );
    assert.equal(matchingTotpStep(hmacSha1, RFC_SECRET, '', at), null);
    assert.equal(
      matchingTotpStep(hmacSha1, RFC_SECRET, `${totp(hmacSha1, RFC_SECRET, at)}0`, at),
      null,
    );
  });

  it('base32 round-trips (RFC 4648 vectors) and refuses other characters', () => {
    assert.equal(base32Encode(bytes('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Encode(bytes('f')), 'MY');
    assert.equal(hex(base32Decode('MZXW6YTBOI')!), hex(bytes('foobar')));
    assert.equal(base32Decode('MZ1'), null);
    assert.equal(hex(base32Decode(base32Encode(RFC_SECRET))!), hex(RFC_SECRET));
  });
});
