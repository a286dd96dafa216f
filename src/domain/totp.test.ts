// The RFCs' own test vectors: SHA-1 (RFC 3174 / FIPS 180), HMAC-SHA-1 (RFC 2202), HOTP (RFC 4226
// appendix D) and TOTP (RFC 6238 appendix B, the SHA-1 rows, 8 digits).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  base32Decode,
  base32Encode,
  hmacSha1,
  hotp,
  matchingTotpStep,
  sha1,
  totp,
  TOTP_STEP_MS,
} from './totp.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const RFC_SECRET = bytes('12345678901234567890');

describe('TOTP (RFC 6238) and its parts', () => {
  it('SHA-1 answers the FIPS 180 vectors, across block boundaries', () => {
    assert.equal(hex(sha1(bytes('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(hex(sha1(bytes(''))), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(
      hex(sha1(bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    assert.equal(hex(sha1(bytes('a'.repeat(1000)))), '291e9a6c66994949b57ba5e650361e98fc36b1ba');
  });

  it('HMAC-SHA-1 answers RFC 2202, a key longer than a block included', () => {
    assert.equal(
      hex(hmacSha1(new Uint8Array(20).fill(0x0b), bytes('Hi There'))),
      'b617318655057264e28bc0b6fb378c8ef146be00',
    );
    assert.equal(
      hex(hmacSha1(bytes('Jefe'), bytes('what do ya want for nothing?'))),
      'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
    );
    assert.equal(
      hex(
        hmacSha1(
          new Uint8Array(80).fill(0xaa),
          bytes('Test Using Larger Than Block-Size Key - Hash Key First'),
        ),
      ),
      'aa4ae5e15272d00e95705637ce8a3b55ed402112',
    );
  });

  it('HOTP answers RFC 4226 appendix D', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922'];
    expected.forEach((code, counter) => assert.equal(hotp(RFC_SECRET, counter), code));
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
    for (const [seconds, code] of vectors) assert.equal(totp(RFC_SECRET, seconds * 1000, 8), code);
  });

  it('accepts one step of drift either way and no more', () => {
    const at = 1111111111_000;
    const step = Math.floor(at / TOTP_STEP_MS);
    assert.equal(matchingTotpStep(RFC_SECRET, totp(RFC_SECRET, at), at), step);
    assert.equal(matchingTotpStep(RFC_SECRET, totp(RFC_SECRET, at - TOTP_STEP_MS), at), step - 1);
    assert.equal(matchingTotpStep(RFC_SECRET, totp(RFC_SECRET, at + TOTP_STEP_MS), at), step + 1);
    assert.equal(matchingTotpStep(RFC_SECRET, totp(RFC_SECRET, at - 2 * TOTP_STEP_MS), at), null);
    assert.equal(matchingTotpStep(RFC_SECRET, '', at), null);
    assert.equal(matchingTotpStep(RFC_SECRET, `${totp(RFC_SECRET, at)}0`, at), null);
  });

  it('base32 round-trips (RFC 4648 vectors) and refuses other characters', () => {
    assert.equal(base32Encode(bytes('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Encode(bytes('f')), 'MY');
    assert.equal(hex(base32Decode('MZXW6YTBOI')!), hex(bytes('foobar')));
    assert.equal(base32Decode('MZ1'), null);
    assert.equal(hex(base32Decode(base32Encode(RFC_SECRET))!), hex(RFC_SECRET));
  });
});
