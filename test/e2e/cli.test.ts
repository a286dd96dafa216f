// Proves the `unwind` command line works as shipped: each command is run as a real process on a
// real store, and its output is checked against what lands in the database (no plaintext secret,
// migrations applied once) and against a running server (the admin token it prints works, the
// first-start banner is shown once).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/app/secrets.js';
import { killAllServers, runCli, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

interface MerchantJson {
  id: string;
  name: string;
  currency: string;
  credentials: {
    points: { api_key: string; public_key: string };
    backd: { public_key: string; secret_key: string };
    mpg: { api_key: string };
  };
}

/** Every table of the store's database, read around the store. */
async function allTables(t: TestStore): Promise<string[]> {
  if (t.engine === 'sqlite') {
    const rows = await t.rawRows('sqlite_master');
    return rows.filter((r) => r['type'] === 'table').map((r) => String(r['name']));
  }
  const rows = await t.rawRows('information_schema.tables');
  return rows
    .filter((r) => r['table_schema'] === t.env['UNWIND_DB_SCHEMA'])
    .map((r) => String(r['table_name']));
}

/** Every value of every row of every table, as one string per row. */
async function everyRow(t: TestStore): Promise<string[]> {
  const out: string[] = [];
  for (const table of await allTables(t)) {
    for (const row of await t.rawRows(table)) {
      out.push(
        `${table}: ${JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
      );
    }
  }
  return out;
}

async function merchantCreateKeepsNoPlaintext(t: TestStore): Promise<void> {
  const result = await runCli(['merchant', 'create', '--name', 'Acme', '--json'], t.env);
  assert.equal(result.code, 0, result.stderr);
  const merchant = JSON.parse(result.stdout) as MerchantJson;
  assert.match(merchant.id, /^[0-9a-f-]{36}$/);
  assert.equal(merchant.name, 'Acme');
  assert.equal(merchant.currency, 'SAR');
  const c = merchant.credentials;
  assert.match(c.points.api_key, /^pts_sk_[A-Za-z0-9_-]{20,}$/);
  assert.match(c.points.public_key, /^pts_pk_[A-Za-z0-9_-]{20,}$/);
  assert.match(c.backd.public_key, /^pk_[A-Za-z0-9_-]{20,}$/);
  assert.match(c.backd.secret_key, /^sk_[A-Za-z0-9_-]{20,}$/);
  assert.match(c.mpg.api_key, /^merchant_key_[A-Za-z0-9_-]{20,}$/);
  const secrets = [
    c.points.api_key,
    c.points.public_key,
    c.backd.public_key,
    c.backd.secret_key,
    c.mpg.api_key,
  ];
  assert.equal(new Set(secrets).size, secrets.length, 'every credential is distinct');

  // The merchant and one credential row per secret, stored by hash.
  const merchants = await t.rawRows('merchants');
  assert.ok(merchants.some((m) => m['id'] === merchant.id && m['name'] === 'Acme'));
  const credentials = (await t.rawRows('credentials')).filter(
    (r) => r['merchant_id'] === merchant.id,
  );
  assert.deepEqual(credentials.map((r) => r['secret_hash']).sort(), secrets.map(hashSecret).sort());

  // No secret, nor its random part, appears anywhere in the database.
  const rows = await everyRow(t);
  assert.ok(rows.length > 0);
  for (const secret of secrets) {
    const random = secret.slice(secret.length - 32);
    const leaks = rows.filter((row) => row.includes(secret) || row.includes(random));
    assert.deepEqual(leaks, [], `plaintext of ${secret.slice(0, 12)}… stored`);
  }

  const found = await t.store.read((tx) => tx.findMerchant(merchant.id));
  assert.equal(found?.name, 'Acme');
}

function defineMerchantCreate(factory: StoreFactory, skip: string | undefined): void {
  describe(`unwind merchant create: ${factory.engine}`, () => {
    let t: TestStore;
    // Skipped per test rather than per suite, so both engines report the same test count.
    before(async () => {
      if (!skip) t = await factory.create();
    });
    after(async () => t?.cleanup());

    it(
      'prints the merchant and its credentials as JSON and stores no plaintext secret',
      { skip },
      () => merchantCreateKeepsNoPlaintext(t),
    );
  });
}

describe('unwind CLI: sqlite', () => {
  const dirs: string[] = [];
  const tempDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-e2e-cli-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    await killAllServers();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('merchant create without --json prints the credentials once, readably', async () => {
    const t = await sqliteFactory.create();
    try {
      const result = await runCli(
        ['merchant', 'create', '--name', 'Plain', '--currency', 'KWD'],
        t.env,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^merchant [0-9a-f-]{36} \(Plain, KWD\)$/m);
      for (const label of [
        'points api_key',
        'points public_key',
        'backd public_key',
        'backd secret_key',
        'mpg api_key',
      ]) {
        assert.match(result.stdout, new RegExp(`^  ${label} +\\S{20,}$`, 'm'), label);
      }
      const bad = await runCli(['merchant', 'create', '--name', 'Bad', '--currency', 'XXZ'], t.env);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /cannot create merchant: validation\.failed/);
    } finally {
      await t.cleanup();
    }
  });

  it('migrate applies the migrations once, then says the schema is up to date', async () => {
    const env = { DATA_DIR: tempDataDir() };
    const first = await runCli(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout.trim(), /^applied migrations: \d+(, \d+)*$/);
    const second = await runCli(['migrate'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), 'schema is up to date');
  });

  it('admin-token prints a token that a server without ADMIN_TOKEN accepts', async () => {
    const env = { DATA_DIR: tempDataDir() };
    const issued = await runCli(['admin-token'], env);
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout.trim();
    assert.match(token, /^unwind_admin_[A-Za-z0-9_-]{20,}$/);

    const server = await startServer({ env, adminToken: null });
    try {
      // A token exists already, so the server issues none of its own.
      assert.equal(server.bannerCount(), 0, server.stdout);
      assert.equal((await server.http('GET', '/admin/orders', undefined, { token })).status, 200);
      assert.equal(
        (await server.http('GET', '/admin/orders', undefined, { token: null })).status,
        401,
      );
      const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      assert.equal(
        (await server.http('GET', '/admin/orders', undefined, { token: wrong })).status,
        401,
      );

      // A new token revokes the previous one, on the running server too.
      const next = await runCli(['admin-token'], env);
      assert.equal(next.code, 0, next.stderr);
      const nextToken = next.stdout.trim();
      assert.notEqual(nextToken, token);
      assert.equal(
        (await server.http('GET', '/admin/orders', undefined, { token: nextToken })).status,
        200,
      );
      assert.equal((await server.http('GET', '/admin/orders', undefined, { token })).status, 401);
    } finally {
      assert.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null }, server.tail());
    }
  });

  it('a server without ADMIN_TOKEN shows its one-time token on the first start only', async () => {
    const env = { DATA_DIR: tempDataDir() };
    const first = await startServer({ env, adminToken: null });
    let token: string | null;
    try {
      assert.equal(first.bannerCount(), 1, first.stdout);
      token = first.bannerToken();
      assert.match(token ?? '', /^unwind_admin_[A-Za-z0-9_-]{20,}$/);
      assert.equal(
        (await first.http('POST', '/admin/merchants', { name: 'Banner' }, { token })).status,
        201,
      );
    } finally {
      assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null }, first.tail());
    }
    // The token appears in the banner only, never in a log line.
    assert.equal(first.stdout.split(token!).length - 1, 1, 'the token is printed exactly once');

    const second = await startServer({ env, adminToken: null });
    try {
      assert.equal(second.bannerCount(), 0, second.stdout);
      assert.ok(!second.stdout.includes('unwind_admin_'), second.stdout);
      assert.equal((await second.http('GET', '/admin/orders', undefined, { token })).status, 200);
    } finally {
      assert.deepEqual(await second.stop('SIGTERM'), { code: 0, signal: null }, second.tail());
    }
    assert.ok(!second.stdout.includes(token!), 'the token is not shown again');
  });
});

defineMerchantCreate(sqliteFactory, undefined);
defineMerchantCreate(postgresFactory, await postgresSkipReason());
