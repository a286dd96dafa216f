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
    assert.throws(() => loadConfig({ UNWIND_WORKERS: 'yes' }, cwd), /UNWIND_WORKERS/);
    assert.throws(() => loadConfig({ UNWIND_DB_SCHEMA: 'Bad-Name' }, cwd), /UNWIND_DB_SCHEMA/);
    assert.throws(
      () => loadConfig({ UNWIND_CONFIG: path.join(cwd, 'missing.json') }, cwd),
      /UNWIND_CONFIG/,
    );
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
