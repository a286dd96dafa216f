// Proves configuration parsing: defaults, the environment over the optional JSON file, strict
// checks that name the bad variable, and the private-webhook default that follows HOST.
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
    assert.equal(c.webhookAllowPrivate, true, 'loopback HOST allows private webhook targets');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }, cwd).webhookAllowPrivate, false);
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

  it('refuses a delivery lease shorter than a whole dispatcher step', () => {
    const cwd = emptyDir();
    // 200 deliveries, 64 at a time: 4 rounds of up to 10 s, then the write that records them.
    assert.equal(DELIVERY_LEASE_MS_MIN, 45_000);
    assert.equal(loadConfig({}, cwd).deliveryLeaseMs, 60_000);
    assert.equal(loadConfig({ UNWIND_DELIVERY_LEASE_MS: '45000' }, cwd).deliveryLeaseMs, 45_000);
    assert.throws(
      () => loadConfig({ UNWIND_DELIVERY_LEASE_MS: '44999' }, cwd),
      /UNWIND_DELIVERY_LEASE_MS must be an integer from 45000/,
    );
    // One send's timeout was the old floor; a batch outlives it.
    assert.throws(() => loadConfig({ UNWIND_DELIVERY_LEASE_MS: '11000' }, cwd));
  });
});
