// Proves the `unwind` launcher (bin/unwind.mjs, what `npm start`, `npm run unwind` and `npx
// unwind` run) compiles only when it must: in a copy of the launcher beside a fake TypeScript
// compiler and dashboard bundler that record each call, a first run builds and says why, the next
// runs call no compiler at all and go straight to the CLI, a source modified after the build or a
// file removed from a source folder makes it build again, and a failing build stops it before the
// CLI runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const FAKE_TSC = `
const fs = require('node:fs');
fs.appendFileSync('calls.log', 'tsc\\n');
if (fs.existsSync('tsc-fails')) { console.error('error TS1: broken'); process.exit(2); }
fs.mkdirSync('dist/src/cli', { recursive: true });
fs.writeFileSync('dist/src/cli/main.js', "console.log('cli ran with ' + process.argv.slice(2).join(' '));\\n");
`;
const FAKE_DASHBOARD = `
import fs from 'node:fs';
fs.appendFileSync('calls.log', 'dashboard\\n');
fs.mkdirSync('dist/dashboard', { recursive: true });
fs.writeFileSync('dist/dashboard/index.html', '<!doctype html>');
`;

describe('the unwind launcher', () => {
  let root = '';
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [path.join(root, 'bin', 'unwind.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
    });
    const calls = fs.existsSync(path.join(root, 'calls.log'))
      ? fs.readFileSync(path.join(root, 'calls.log'), 'utf8').split('\n').filter(Boolean)
      : [];
    fs.rmSync(path.join(root, 'calls.log'), { force: true });
    return { ...result, calls };
  };
  /** Sets a file's modification time `seconds` from now. */
  const touch = (file: string, seconds: number) => {
    const at = new Date(Date.now() + seconds * 1000);
    fs.utimesSync(path.join(root, file), at, at);
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-launcher-'));
    for (const file of ['bin/unwind.mjs', 'scripts/build-state.mjs']) {
      fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      fs.copyFileSync(path.join(REPO, file), path.join(root, file));
    }
    fs.mkdirSync(path.join(root, 'node_modules/typescript/bin'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules/typescript/bin/tsc'), FAKE_TSC);
    fs.writeFileSync(
      path.join(root, 'node_modules/typescript/package.json'),
      '{"type":"commonjs"}',
    );
    fs.writeFileSync(path.join(root, 'scripts/build-dashboard.mjs'), FAKE_DASHBOARD);
    fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
    fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}');
    fs.mkdirSync(path.join(root, 'src/app'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/app/a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(root, 'src/app/b.ts'), 'export const b = 2;\n');
    // Every source a minute old, so the builds below are newer than they are.
    for (const file of ['src', 'src/app', 'src/app/a.ts', 'src/app/b.ts', 'tsconfig.json']) {
      touch(file, -60);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('builds the first time, saying why, then runs the CLI with the arguments', () => {
    const first = run('--version');
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(first.calls, ['tsc', 'dashboard']);
    assert.match(first.stderr, /^unwind: dist\/src\/cli\/main\.js does not exist; compiling/m);
    assert.equal(first.stdout, 'cli ran with --version\n');
  });

  it('runs the CLI without compiling while the build is current', () => {
    for (const args of [['serve'], ['merchant', 'create', '--name', 'A']]) {
      const next = run(...args);
      assert.equal(next.status, 0, next.stderr);
      assert.deepEqual(next.calls, [], 'no compiler ran');
      assert.equal(next.stderr, '');
      assert.equal(next.stdout, `cli ran with ${args.join(' ')}\n`);
    }
  });

  it('compiles again when a source is newer than the build', () => {
    touch('src/app/a.ts', 5);
    const changed = run('migrate');
    assert.deepEqual(changed.calls, ['tsc', 'dashboard']);
    assert.match(changed.stderr, /^unwind: src\/app\/a\.ts changed since the last build/m);
    assert.equal(changed.stdout, 'cli ran with migrate\n');
    touch('src/app/a.ts', -60);
    assert.deepEqual(run('migrate').calls, []);
  });

  it('compiles again when a file is removed from a source folder', () => {
    fs.rmSync(path.join(root, 'src/app/b.ts'));
    touch('src/app', 5);
    const removed = run('verify');
    assert.deepEqual(removed.calls, ['tsc', 'dashboard']);
    assert.match(removed.stderr, /src\/app changed since the last build/);
  });

  it('stops before the CLI when the build fails, and tries again next time', () => {
    fs.writeFileSync(path.join(root, 'tsc-fails'), '');
    touch('tsconfig.json', 5);
    const failed = run('serve');
    assert.equal(failed.status, 1);
    assert.deepEqual(failed.calls, ['tsc']);
    assert.match(failed.stderr, /tsc failed/);
    assert.match(failed.stderr, /not starting: the build failed/);
    assert.equal(failed.stdout, '');
    fs.rmSync(path.join(root, 'tsc-fails'));
    const fixed = run('serve');
    assert.deepEqual(fixed.calls, ['tsc', 'dashboard']);
    assert.equal(fixed.stdout, 'cli ran with serve\n');
  });
});
