// Proves the pure webhook rules: the retry schedule and its jitter bounds, what each answer
// means for a delivery, secret overlap, which webhook URLs name a private or local host, and
// which events each format carries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatCarries,
  judgeAttempt,
  maxAttempts,
  RETRY_DELAYS_MS,
  retryDelayMs,
  SECRET_ROTATION_OVERLAP_MS,
  signingSecrets,
  privateWebhookUrlError,
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

describe('privateWebhookUrlError', () => {
  it('refuses a URL whose host can only be private or local, naming why', () => {
    const cases: readonly [string, string, string][] = [
      ['http://127.0.0.1:8080/h', 'loopback', '127.0.0.0/8'],
      ['http://127.1/h', 'loopback', '127.0.0.0/8'],
      ['http://0x7f000001/h', 'loopback', '127.0.0.0/8'],
      ['http://[::ffff:0.0.0.0]:8080/h', 'this-network', '0.0.0.0/8'],
      ['http://[::]/h', 'unspecified', '::/128'],
      ['https://LOCALHOST./h', 'local-name', '.localhost'],
      ['https://metadata.google.internal/h', 'local-name', '.internal'],
      ['http://crm:8080/h', 'local-name', 'single-label'],
    ];
    for (const [url, kind, range] of cases) {
      const host = new URL(url).hostname;
      assert.deepEqual(
        privateWebhookUrlError(url),
        { code: 'webhook.private_url', details: { field: 'url', host, kind, range } },
        url,
      );
    }
  });
  it('accepts hosts that may be public', () => {
    for (const url of ['https://example.com/h', 'http://8.8.8.8/h', 'http://[2606:4700::1111]/']) {
      assert.equal(privateWebhookUrlError(url), null, url);
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
