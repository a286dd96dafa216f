// Proves the pure webhook rules: the retry schedule and its jitter bounds, what each answer
// means for a delivery, secret overlap, private-address classification, and which events each
// format carries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatCarries,
  isPrivateAddress,
  judgeAttempt,
  maxAttempts,
  RETRY_DELAYS_MS,
  retryDelayMs,
  SECRET_ROTATION_OVERLAP_MS,
  signingSecrets,
  type WebhookEndpoint,
} from './webhooks.js';

const HOUR = 3_600_000;

describe('retry schedule', () => {
  it('standard spreads 10 attempts over about three days', () => {
    assert.equal(maxAttempts('standard'), 10);
    const total = RETRY_DELAYS_MS.standard.reduce((a, b) => a + b, 0);
    assert.ok(total > 66 * HOUR && total < 78 * HOUR, `total ${total / HOUR} h`);
  });

  it('points makes exactly 3 attempts', () => {
    assert.equal(maxAttempts('points'), 3);
    assert.equal(retryDelayMs('points', 1, 0.5), 10_000);
    assert.equal(retryDelayMs('points', 2, 0.5), 60_000);
    assert.equal(retryDelayMs('points', 3, 0.5), null);
  });

  it('gives the nominal delay at jitter 0.5 and stays within ±20%', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('standard' as const, 'points' as const),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (policy, attempt, jitter) => {
          const nominal = RETRY_DELAYS_MS[policy][attempt - 1];
          const delay = retryDelayMs(policy, attempt, jitter);
          if (nominal === undefined) return delay === null;
          return delay !== null && delay >= nominal * 0.8 - 1 && delay <= nominal * 1.2 + 1;
        },
      ),
    );
    assert.equal(retryDelayMs('standard', 1, 0.5), 5_000);
  });

  it('never shrinks from one attempt to the next (nominal delays)', () => {
    for (const delays of Object.values(RETRY_DELAYS_MS)) {
      delays.slice(1).forEach((d, i) => assert.ok(d >= delays[i]!, `step ${i + 2}`));
    }
  });

  it('is null for attempt numbers that are not positive integers', () => {
    assert.equal(retryDelayMs('standard', 0, 0.5), null);
    assert.equal(retryDelayMs('standard', 1.5, 0.5), null);
  });
});

describe('judgeAttempt', () => {
  it('delivers on any 2xx', () => {
    for (const code of [200, 201, 204, 299])
      assert.equal(judgeAttempt(code, 'points', 1), 'delivered');
  });
  it('disables on 410 Gone', () => assert.equal(judgeAttempt(410, 'standard', 1), 'gone'));
  it('retries other answers and network errors until the policy is spent', () => {
    assert.equal(judgeAttempt(500, 'points', 1), 'retry');
    assert.equal(judgeAttempt(null, 'points', 2), 'retry');
    assert.equal(judgeAttempt(301, 'points', 3), 'dead');
    assert.equal(judgeAttempt(404, 'standard', 10), 'dead');
  });
});

describe('signingSecrets', () => {
  const endpoint = {
    secret: 'whsec_new',
    previousSecret: 'whsec_old',
    previousSecretExpiresAt: 1_000 + SECRET_ROTATION_OVERLAP_MS,
  } as WebhookEndpoint;
  it('signs with both secrets during the overlap and with the new one after', () => {
    assert.deepEqual(signingSecrets(endpoint, 1_000), ['whsec_new', 'whsec_old']);
    assert.deepEqual(signingSecrets(endpoint, 1_000 + SECRET_ROTATION_OVERLAP_MS - 1), [
      'whsec_new',
      'whsec_old',
    ]);
    assert.deepEqual(signingSecrets(endpoint, 1_000 + SECRET_ROTATION_OVERLAP_MS), ['whsec_new']);
  });
});

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local, CGNAT, multicast and unspecified addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::127.0.0.1',
      '::ffff:0:127.0.0.1',
      '::ffff:10.0.0.1',
      '[::1]',
      'ff02::1',
      'garbage',
      '1.2.3',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
  });
  it('lets public addresses through', () => {
    for (const a of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '2a00:1450:4001:80b::200e',
    ]) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });
});

describe('formatCarries', () => {
  const captured = {
    type: 'order.captured',
    statusAfter: 'captured',
    captureMethod: 'purchase',
  } as const;
  it('standard carries every event; points only its own events of Points and admin orders', () => {
    for (const dialect of ['points', 'backd', 'mpg', 'admin'] as const) {
      assert.equal(formatCarries('standard', { ...captured, captureMethod: null, dialect }), true);
    }
    assert.equal(formatCarries('points', { ...captured, dialect: 'points' }), true);
    assert.equal(formatCarries('points', { ...captured, dialect: 'admin' }), true);
    assert.equal(formatCarries('points', { ...captured, dialect: 'mpg' }), false);
    assert.equal(formatCarries('points', { ...captured, dialect: 'backd' }), false);
    // A void has no Points event, whatever the face.
    const voided = { type: 'order.voided', statusAfter: 'voided', captureMethod: null } as const;
    assert.equal(formatCarries('points', { ...voided, dialect: 'points' }), false);
  });
});
