// Proves the start-up summary's store line on its own: PostgreSQL is named by host, port,
// database and schema, never with the user's password, and a connection string that is not a
// URL is not echoed at all; a set PUBLIC_URL is where the dashboard is said to be.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseAddress, readySummary } from '../../src/cli/ready.js';
import { loadConfig } from '../../src/config.js';

const facts = { url: 'http://127.0.0.1:8080', adminToken: 'env' as const, version: '1.2.3' };

describe('start-up summary', () => {
  it('names PostgreSQL without credentials', () => {
    const secret = 's3cr3t-password';
    const config = loadConfig(
      {
        DATABASE_URL: `postgres://unwind:${secret}@db.example:6543/ledger`,
        UNWIND_DB_SCHEMA: 'shop',
      },
      '/srv',
    );
    const summary = readySummary(config, facts);
    assert.equal(summary.lines[4], '  Store:       PostgreSQL db.example:6543/ledger, schema shop');
    assert.equal(summary.fields['database'], 'db.example:6543/ledger');
    assert.equal(summary.fields['schema'], 'shop');
    const everything = JSON.stringify(summary);
    assert.ok(!everything.includes(secret), everything);
    assert.ok(!everything.includes('unwind:'), everything);
  });

  it('does not echo a connection string that is not a URL', () => {
    assert.equal(databaseAddress('host=db password=hunter2'), null);
    const config = loadConfig({ DATABASE_URL: 'host=db password=hunter2' }, '/srv');
    const summary = readySummary(config, facts);
    assert.ok(!JSON.stringify(summary).includes('hunter2'));
    assert.equal(summary.lines[4], '  Store:       PostgreSQL (DATABASE_URL), schema public');
  });

  it('points at PUBLIC_URL when it is set, at the listening address otherwise', () => {
    const behindProxy = readySummary(
      loadConfig({ PUBLIC_URL: 'https://unwind.example' }, '/'),
      facts,
    );
    assert.equal(behindProxy.fields['dashboard_url'], 'https://unwind.example/dashboard/');
    const direct = readySummary(loadConfig({ PORT: '0' }, '/'), {
      ...facts,
      url: 'http://127.0.0.1:41234',
    });
    assert.equal(direct.fields['dashboard_url'], 'http://127.0.0.1:41234/dashboard/');
  });
});
