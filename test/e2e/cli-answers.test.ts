// Proves that the `unwind` command answers at once and says what to do, run as a real process:
// --version prints the package's version; a mistyped command, a missing option and a refused
// value each say what was expected (the nearest command, the command's usage, the expected
// form); and `serve` tells, in one block and as log fields, where the API, the dashboard and the
// admin token are, which store it uses and whether the test clock is on, for each way the admin
// token can come to be.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  killAllServers,
  runCli,
  type ServerProcess,
  startServer,
} from '../support/server-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

const dirs: string[] = [];
const tempDataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-e2e-answers-'));
  dirs.push(dir);
  return dir;
};

/** The start-up block: the lines from "Unwind … is ready." on. */
function readyBlock(server: ServerProcess): string[] {
  const at = server.lines.findIndex((l) => /^Unwind \S+ is ready\.$/.test(l.text));
  assert.ok(at >= 0, server.stdout);
  return server.lines.slice(at, at + 6).map((l) => l.text);
}

const listening = (server: ServerProcess) =>
  server.logs().find((l) => l['msg'] === 'unwind is listening') ?? {};

describe('unwind answers at once and says what to do', () => {
  after(async () => {
    await killAllServers();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--version prints the version of package.json', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], {});
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${VERSION}\n`);
    }
  });

  it('a mistyped command is named, with the nearest command and the list of commands', async () => {
    const result = await runCli(['migrat'], {});
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: unknown command 'migrat' \(Did you mean migrate\?\)/);
    assert.match(result.stderr, /the commands are serve, migrate, merchant, .*demo/);
    assert.match(result.stderr, /^Usage: unwind \[options\] \[command\]$/m);
    assert.equal(result.stdout, '');
  });

  it("a missing required option names it and shows the command's usage", async () => {
    const result = await runCli(['merchant', 'create'], { DATA_DIR: tempDataDir() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: required option '--name <name>' not specified$/m);
    assert.match(result.stderr, /^Usage: unwind merchant create \[options\]$/m);
    assert.match(result.stderr, /--currency <code> +ISO 4217 currency/);
  });

  it('a refused value says what was expected and what was given', async () => {
    const result = await runCli(['merchant', 'create', '--name', 'Shop', '--currency', 'dollars'], {
      DATA_DIR: tempDataDir(),
    });
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'cannot create merchant: validation.failed (expected --name with at least one non-space ' +
        'character and --currency an ISO 4217 code such as SAR or USD; got --name "Shop" ' +
        '--currency "dollars")\n',
    );
  });

  it('a bad setting names the variable and the values it takes', async () => {
    const result = await runCli(['migrate'], { DATA_DIR: tempDataDir(), PORT: 'eighty' });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'unwind: PORT must be an integer from 0 to 65535, got "eighty"\n');
  });

  it('serve says where everything is: a generated token, then a stored one', async () => {
    const env = { DATA_DIR: tempDataDir() };
    const first = await startServer({ env, adminToken: null });
    try {
      const block = readyBlock(first);
      assert.deepEqual(block, [
        `Unwind ${VERSION} is ready.`,
        `  API:         ${first.url} (OpenAPI documents at ${first.url}/docs)`,
        `  Dashboard:   ${first.url}/dashboard/`,
        '  Admin token: printed above, once (only its hash is kept); `npx unwind admin-token` prints a new one',
        `  Store:       SQLite in ${env.DATA_DIR} (DATA_DIR)`,
        '  Test clock:  off (UNWIND_TEST_CLOCK=1 turns it on)',
      ]);
      assert.ok(first.bannerToken(), 'the token is printed above the block');
      const fields = listening(first);
      assert.deepEqual(
        {
          url: fields['url'],
          dashboard_url: fields['dashboard_url'],
          docs_url: fields['docs_url'],
          version: fields['version'],
          admin_token: fields['admin_token'],
          store: fields['store'],
          data_dir: fields['data_dir'],
          test_clock: fields['test_clock'],
        },
        {
          url: first.url,
          dashboard_url: `${first.url}/dashboard/`,
          docs_url: `${first.url}/docs`,
          version: VERSION,
          admin_token: 'issued',
          store: 'sqlite',
          data_dir: env.DATA_DIR,
          test_clock: false,
        },
      );
      // The dashboard is where the block says.
      const dashboard = await fetch(`${first.url}/dashboard/`);
      assert.equal(dashboard.status, 200);
    } finally {
      await first.stop();
    }
    const second = await startServer({ env, adminToken: null });
    try {
      assert.match(readyBlock(second)[3]!, /^ {2}Admin token: generated at an earlier start/);
      assert.equal(listening(second)['admin_token'], 'stored');
    } finally {
      await second.stop();
    }
  });

  it('serve with ADMIN_TOKEN and the test clock on says so', async () => {
    const server = await startServer({
      env: { DATA_DIR: tempDataDir(), UNWIND_TEST_CLOCK: '1' },
    });
    try {
      const block = readyBlock(server);
      assert.equal(block[3], '  Admin token: the ADMIN_TOKEN this process was started with');
      assert.equal(
        block[5],
        '  Test clock:  on: POST /admin/clock and /admin/clock/advance move it',
      );
      assert.equal(listening(server)['admin_token'], 'env');
      assert.equal(listening(server)['test_clock'], true);
      assert.ok(!server.stdout.includes(server.token!), 'the token is never printed');
    } finally {
      await server.stop();
    }
  });
});
