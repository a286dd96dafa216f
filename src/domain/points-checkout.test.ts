// Proves the pure rules of the hosted checkout's phone verification at their boundaries: when a
// session counts as expired, which codes parse, when a phone's window starts again, the order in
// which one attempt is judged (a phone over its limit is refused before its code is compared; a
// code is dead from its expiry instant on), and which numbers are sandbox identities.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkoutCodeText,
  checkoutState,
  currentPhoneWindow,
  decideVerification,
  formatCheckoutCode,
  parseCheckoutCode,
  sandboxIdentity,
  type VerifyLimits,
} from './points-checkout.js';

const limits: VerifyLimits = { codeAttempts: 3, phoneFailuresPerWindow: 4, phoneWindowMs: 1000 };
const pending = { codeHash: 'h', codeExpiresAt: 500, codeFailures: 0 };
const calm = { windowStartedAt: 0, sends: 1, failures: 0 };
const decide = (over: Partial<Parameters<typeof decideVerification>[0]> = {}) =>
  decideVerification({ session: pending, phone: calm, now: 100, limits, matches: true, ...over });

describe('checkout sessions', () => {
  it('is open until 1 ms before its expiry and expired from that instant', () => {
    const open = { status: 'open' as const, expiresAt: 1000 };
    assert.equal(checkoutState(open, 999), 'open');
    assert.equal(checkoutState(open, 1000), 'expired');
    assert.equal(checkoutState({ status: 'completed', expiresAt: 1000 }, 0), 'completed');
    assert.equal(checkoutState({ status: 'cancelled', expiresAt: 1000 }, 5000), 'cancelled');
  });
});

describe('codes', () => {
  it('parses six ASCII digits, spaces ignored, and nothing else', () => {
    assert.equal(parseCheckoutCode(' 012 345 '), '012345');
    for (const bad of ['12345', '1234567', '١٢٣٤٥٦', '12a456', '', 123456, null, '1'.repeat(40)]) {
      assert.equal(parseCheckoutCode(bad), null, String(bad));
    }
  });

  it('formats every value of the code space with six digits, and refuses the rest', () => {
    assert.equal(formatCheckoutCode(0), '000000');
    assert.equal(formatCheckoutCode(999_999), '999999');
    assert.throws(() => formatCheckoutCode(1_000_000), RangeError);
    assert.throws(() => formatCheckoutCode(-1), RangeError);
    assert.match(checkoutCodeText('042042', 300), /042042\. It expires in 5 min/);
  });
});

describe('per-phone windows', () => {
  it('keeps the window until 1 ms before its end and starts afresh at the end', () => {
    const stored = { windowStartedAt: 1000, sends: 3, failures: 2 };
    assert.equal(currentPhoneWindow(stored, 1999, 1000), stored);
    assert.deepEqual(currentPhoneWindow(stored, 2000, 1000), {
      windowStartedAt: 2000,
      sends: 0,
      failures: 0,
    });
    assert.deepEqual(currentPhoneWindow(undefined, 7, 1000), {
      windowStartedAt: 7,
      sends: 0,
      failures: 0,
    });
  });
});

describe('one verification attempt', () => {
  it('verifies a matching code 1 ms before its expiry and refuses it at the expiry', () => {
    assert.deepEqual(decide({ now: 499 }), { kind: 'verified' });
    assert.deepEqual(decide({ now: 500 }), { kind: 'code_expired' });
  });

  it('counts wrong codes down to the last one', () => {
    assert.deepEqual(decide({ matches: false }), { kind: 'incorrect', attemptsLeft: 2 });
    const twice = { ...pending, codeFailures: 2 };
    assert.deepEqual(decide({ session: twice, matches: false }), {
      kind: 'incorrect',
      attemptsLeft: 0,
    });
    assert.deepEqual(decide({ session: { ...pending, codeFailures: 3 } }), { kind: 'exhausted' });
  });

  it('refuses a phone at its wrong-code limit before comparing, even a right code', () => {
    const limited = { windowStartedAt: 0, sends: 1, failures: 4 };
    assert.deepEqual(decide({ phone: limited }), { kind: 'phone_limited', retryAfterMs: 900 });
    assert.deepEqual(decide({ phone: { ...limited, failures: 3 } }), { kind: 'verified' });
  });

  it('has nothing to compare without a pending code', () => {
    const none = { codeHash: null, codeExpiresAt: null, codeFailures: 0 };
    assert.deepEqual(decide({ session: none }), { kind: 'no_code' });
  });
});

describe('sandbox identities', () => {
  it('are the three test numbers at a sandbox merchant, ordinary numbers elsewhere', () => {
    assert.equal(sandboxIdentity('500000001', true), 'with_balance');
    assert.equal(sandboxIdentity('500000002', true), 'no_balance');
    assert.equal(sandboxIdentity('500000003', true), 'no_account');
    assert.equal(sandboxIdentity('500000004', true), null);
    for (const phone of ['500000001', '500000002', '500000003']) {
      assert.equal(sandboxIdentity(phone, false), null);
    }
  });
});
