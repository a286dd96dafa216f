// Proves configuration parsing: defaults, the environment over the optional JSON file, strict
// checks that name the bad variable, and private webhook delivery off unless explicitly set.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DELIVERY_LEASE_MS_MIN, loadConfig } from './config.js';

const emptyDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-config-'));

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const cwd = emptyDir();
    const c = loadConfig({}, cwd);
    assert.deepEqual(
      [c.port, c.host, c.publicUrl, c.databaseUrl, c.dataDir, c.adminToken, c.testClock, c.workers],
      [8080, '127.0.0.1', 'http://127.0.0.1:8080', null, path.join(cwd, 'data'), null, false, true],
    );
    assert.equal(c.webhookAllowPrivate, false);
  });

  it('allows private webhook targets only when UNWIND_WEBHOOK_ALLOW_PRIVATE says so', () => {
    const cwd = emptyDir();
    // A loopback HOST used to imply it: a server listening locally still sends to the network.
    for (const host of ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '']) {
      assert.equal(loadConfig({ HOST: host }, cwd).webhookAllowPrivate, false, host);
    }
    for (const [raw, allowed] of [
      ['1', true],
      ['true', true],
      ['0', false],
      ['false', false],
      ['', false],
    ] as const) {
      const c = loadConfig({ HOST: '127.0.0.1', UNWIND_WEBHOOK_ALLOW_PRIVATE: raw }, cwd);
      assert.equal(c.webhookAllowPrivate, allowed, raw);
    }
    assert.throws(
      () => loadConfig({ UNWIND_WEBHOOK_ALLOW_PRIVATE: 'yes' }, cwd),
      /UNWIND_WEBHOOK_ALLOW_PRIVATE must be 1 or 0/,
    );
  });

  it('reads unwind.config.json, and the environment wins over it', () => {
    const cwd = emptyDir();
    fs.writeFileSync(
      path.join(cwd, 'unwind.config.json'),
      JSON.stringify({ PORT: 9000, LOG_LEVEL: 'debug' }),
    );
    const c = loadConfig({ PORT: '9100' }, cwd);
    assert.equal(c.port, 9100);
    assert.equal(c.logLevel, 'debug');
  });

  it('refuses bad values, naming the variable', () => {
    const cwd = emptyDir();
    assert.throws(() => loadConfig({ PORT: '80a' }, cwd), /PORT/);
    assert.throws(() => loadConfig({ PORT: '70000' }, cwd), /PORT/);
    // What Number() would read as an integer is not a number in decimal digits.
    for (const loose of ['0x1F90', '8e3', ' 8080', '8080.0', '+8080']) {
      assert.throws(() => loadConfig({ PORT: loose }, cwd), /PORT must be an integer/, loose);
    }
    assert.throws(() => loadConfig({ BODY_LIMIT_BYTES: '1e6' }, cwd), /BODY_LIMIT_BYTES/);
    assert.throws(() => loadConfig({ UNWIND_WORKERS: 'yes' }, cwd), /UNWIND_WORKERS/);
    assert.throws(() => loadConfig({ UNWIND_DB_SCHEMA: 'Bad-Name' }, cwd), /UNWIND_DB_SCHEMA/);
    assert.throws(
      () => loadConfig({ UNWIND_CONFIG: path.join(cwd, 'missing.json') }, cwd),
      /UNWIND_CONFIG/,
    );
  });

  it('reads the HTTP edge settings, with their documented defaults', () => {
    const cwd = emptyDir();
    const c = loadConfig({}, cwd);
    assert.deepEqual(
      [c.trustedProxies, c.authFailuresPerMinute, c.connections],
      [
        [],
        30,
        {
          headersTimeoutMs: 10_000,
          requestTimeoutMs: 30_000,
          uploadTimeoutMs: 3_600_000,
          keepAliveTimeoutMs: 5_000,
          connectionsMax: 8_192,
          connectionsPerAddressMax: 256,
        },
      ],
    );
    const set = loadConfig(
      {
        UNWIND_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,',
        UNWIND_AUTH_FAILURES_PER_MINUTE: '5',
        UNWIND_HEADERS_TIMEOUT_MS: '100',
        UNWIND_REQUEST_TIMEOUT_MS: '3600000',
        UNWIND_UPLOAD_TIMEOUT_MS: '86400000',
        UNWIND_KEEP_ALIVE_TIMEOUT_MS: '600000',
        UNWIND_MAX_CONNECTIONS: '1',
        UNWIND_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
      },
      cwd,
    );
    assert.deepEqual(set.trustedProxies, ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    assert.equal(set.authFailuresPerMinute, 5);
    assert.deepEqual(set.connections, {
      headersTimeoutMs: 100,
      requestTimeoutMs: 3_600_000,
      uploadTimeoutMs: 86_400_000,
      keepAliveTimeoutMs: 600_000,
      connectionsMax: 1,
      connectionsPerAddressMax: 1_000_000,
    });
  });

  it('refuses bad HTTP edge settings, naming the variable', () => {
    const cwd = emptyDir();
    const bad: Record<string, string[]> = {
      UNWIND_TRUSTED_PROXIES: ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', '::1/129', '1.2.3'],
      UNWIND_AUTH_FAILURES_PER_MINUTE: ['0', '1.5'],
      UNWIND_HEADERS_TIMEOUT_MS: ['0', '99', '600001'],
      UNWIND_REQUEST_TIMEOUT_MS: ['99', '3600001'],
      UNWIND_UPLOAD_TIMEOUT_MS: ['99', '86400001'],
      UNWIND_KEEP_ALIVE_TIMEOUT_MS: ['0', '600001'],
      UNWIND_MAX_CONNECTIONS: ['0'],
      UNWIND_MAX_CONNECTIONS_PER_ADDRESS: ['0', 'many'],
    };
    for (const [name, values] of Object.entries(bad)) {
      for (const value of values) {
        assert.throws(
          () => loadConfig({ [name]: value }, cwd),
          new RegExp(name),
          `${name}=${value}`,
        );
      }
    }
  });

  it('refuses a delivery lease that an attempt could outlive', () => {
    const cwd = emptyDir();
    // The 10 s timeout, the dispatcher's 1 s cut-off after it, and a 5 s margin for the record.
    assert.equal(DELIVERY_LEASE_MS_MIN, 16_000);
    assert.equal(loadConfig({}, cwd).delivery.leaseMs, 60_000);
    assert.equal(loadConfig({ UNWIND_DELIVERY_LEASE_MS: '16000' }, cwd).delivery.leaseMs, 16_000);
    assert.throws(
      () => loadConfig({ UNWIND_DELIVERY_LEASE_MS: '15999' }, cwd),
      /UNWIND_DELIVERY_LEASE_MS must be an integer from 16000/,
    );
    // A longer timeout raises the floor with it.
    const slow = { UNWIND_WEBHOOK_TIMEOUT_MS: '30000' };
    assert.equal(loadConfig(slow, cwd).delivery.timeoutMs, 30_000);
    assert.throws(
      () => loadConfig({ ...slow, UNWIND_DELIVERY_LEASE_MS: '35999' }, cwd),
      /UNWIND_DELIVERY_LEASE_MS must be an integer from 36000/,
    );
    assert.equal(
      loadConfig({ ...slow, UNWIND_DELIVERY_LEASE_MS: '36000' }, cwd).delivery.leaseMs,
      36_000,
    );
    assert.throws(() => loadConfig({ UNWIND_WEBHOOK_TIMEOUT_MS: '999' }, cwd), /TIMEOUT_MS/);
    assert.throws(() => loadConfig({ UNWIND_WEBHOOK_TIMEOUT_MS: '60001' }, cwd), /TIMEOUT_MS/);
  });

  it('reads the delivery concurrency, endpoint health and retention settings', () => {
    const cwd = emptyDir();
    const day = 86_400_000;
    assert.deepEqual(loadConfig({}, cwd).delivery, {
      timeoutMs: 10_000,
      leaseMs: 60_000,
      concurrency: 256,
      endpointConcurrency: 4,
      merchantConcurrency: 64,
      disableAfterMs: 5 * day,
      retentionMs: 30 * day,
    });
    const set = loadConfig(
      {
        UNWIND_DELIVERY_CONCURRENCY: '1',
        UNWIND_DELIVERY_ENDPOINT_CONCURRENCY: '2',
        UNWIND_DELIVERY_MERCHANT_CONCURRENCY: '3',
        UNWIND_WEBHOOK_DISABLE_AFTER_DAYS: '1',
        UNWIND_DELIVERY_RETENTION_DAYS: '3650',
      },
      cwd,
    ).delivery;
    assert.deepEqual(
      [set.concurrency, set.endpointConcurrency, set.merchantConcurrency],
      [1, 2, 3],
    );
    assert.equal(set.disableAfterMs, day);
    assert.equal(set.retentionMs, 3650 * day);
    for (const name of [
      'UNWIND_DELIVERY_CONCURRENCY',
      'UNWIND_DELIVERY_ENDPOINT_CONCURRENCY',
      'UNWIND_DELIVERY_MERCHANT_CONCURRENCY',
      'UNWIND_WEBHOOK_DISABLE_AFTER_DAYS',
      'UNWIND_DELIVERY_RETENTION_DAYS',
    ]) {
      assert.throws(() => loadConfig({ [name]: '0' }, cwd), new RegExp(name));
    }
    assert.throws(() => loadConfig({ UNWIND_DELIVERY_RETENTION_DAYS: '3651' }, cwd));
  });

  it('reads the SMS sender: dev by default; http needs an https (or loopback) URL and a token', () => {
    const cwd = emptyDir();
    assert.deepEqual(loadConfig({}, cwd).sms, { sender: 'dev' });
    const http = {
      UNWIND_SMS_SENDER: 'http',
      UNWIND_SMS_HTTP_URL: 'https://sms.example/send',
      UNWIND_SMS_HTTP_TOKEN: 'tok',
    };
    assert.deepEqual(loadConfig(http, cwd).sms, {
      sender: 'http',
      url: 'https://sms.example/send',
      token: 'tok',
      timeoutMs: 5000,
    });
    const local = { ...http, UNWIND_SMS_HTTP_URL: 'http://127.0.0.1:9000/sms' };
    assert.equal(loadConfig(local, cwd).sms.sender, 'http');
    const timeout = (ms: string) => ({ ...http, UNWIND_SMS_HTTP_TIMEOUT_MS: ms });
    assert.equal((loadConfig(timeout('100'), cwd).sms as { timeoutMs: number }).timeoutMs, 100);
    assert.equal((loadConfig(timeout('60000'), cwd).sms as { timeoutMs: number }).timeoutMs, 60000);
    assert.throws(() => loadConfig(timeout('99'), cwd), /UNWIND_SMS_HTTP_TIMEOUT_MS/);
    assert.throws(() => loadConfig(timeout('60001'), cwd), /UNWIND_SMS_HTTP_TIMEOUT_MS/);
    assert.throws(
      () => loadConfig({ UNWIND_SMS_SENDER: 'carrier-pigeon' }, cwd),
      /UNWIND_SMS_SENDER/,
    );
    const plain = { ...http, UNWIND_SMS_HTTP_URL: 'http://sms.example/send' };
    assert.throws(() => loadConfig(plain, cwd), /UNWIND_SMS_HTTP_URL must be https/);
    const withUser = { ...http, UNWIND_SMS_HTTP_URL: 'https://u:p@sms.example/' };
    assert.throws(() => loadConfig(withUser, cwd), /must not carry credentials/);
    assert.throws(
      () => loadConfig({ ...http, UNWIND_SMS_HTTP_URL: '' }, cwd),
      /UNWIND_SMS_HTTP_URL/,
    );
    assert.throws(
      () => loadConfig({ ...http, UNWIND_SMS_HTTP_TOKEN: '' }, cwd),
      /UNWIND_SMS_HTTP_TOKEN/,
    );
  });

  it('reads the checkout limits with their defaults and bounds', () => {
    const cwd = emptyDir();
    assert.deepEqual(loadConfig({}, cwd).checkout, {
      codeTtlSeconds: 300,
      codeSends: 3,
      codeAttempts: 5,
      phoneSendsPerHour: 5,
      phoneFailuresPerHour: 10,
      addressRequestsPerHour: 60,
    });
    const bounds: [string, number, number][] = [
      ['UNWIND_CHECKOUT_CODE_TTL_SECONDS', 30, 3600],
      ['UNWIND_CHECKOUT_CODE_SENDS', 1, 20],
      ['UNWIND_CHECKOUT_CODE_ATTEMPTS', 1, 20],
      ['UNWIND_CHECKOUT_PHONE_SENDS_PER_HOUR', 1, 1000],
      ['UNWIND_CHECKOUT_PHONE_FAILURES_PER_HOUR', 1, 1000],
      ['UNWIND_CHECKOUT_ADDRESS_PER_HOUR', 1, 1_000_000],
    ];
    for (const [name, min, max] of bounds) {
      assert.doesNotThrow(() => loadConfig({ [name]: String(min) }, cwd), name);
      assert.doesNotThrow(() => loadConfig({ [name]: String(max) }, cwd), name);
      assert.throws(() => loadConfig({ [name]: String(min - 1) }, cwd), new RegExp(name));
      assert.throws(() => loadConfig({ [name]: String(max + 1) }, cwd), new RegExp(name));
    }
  });
});

describe('loadConfig: operators (issue 17)', () => {
  it('four-eyes is off by default; the threshold, approval and invite lifetimes are bounded', () => {
    const cwd = emptyDir();
    assert.deepEqual(loadConfig({}, cwd).operatorPolicy, {
      approvalAboveMinor: null,
      approvalTtlMs: 86_400_000,
      inviteTtlMs: 259_200_000,
    });
    const set = loadConfig(
      {
        UNWIND_REFUND_APPROVAL_ABOVE_MINOR: '0',
        UNWIND_REFUND_APPROVAL_TTL_MS: '60000',
        UNWIND_OPERATOR_INVITE_TTL_MS: '2592000000',
      },
      cwd,
    ).operatorPolicy;
    assert.deepEqual(set, {
      approvalAboveMinor: 0,
      approvalTtlMs: 60_000,
      inviteTtlMs: 2_592_000_000,
    });
    for (const [name, value] of [
      ['UNWIND_REFUND_APPROVAL_ABOVE_MINOR', '-1'],
      ['UNWIND_REFUND_APPROVAL_ABOVE_MINOR', '1000000000001'],
      ['UNWIND_REFUND_APPROVAL_TTL_MS', '59999'],
      ['UNWIND_OPERATOR_INVITE_TTL_MS', '2592000001'],
    ] as const) {
      assert.throws(() => loadConfig({ [name]: value }, cwd), new RegExp(name), `${name}=${value}`);
    }
  });
});
