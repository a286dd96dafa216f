// Whether the build in dist/ is current, and the build itself (tsc, then the dashboard), shared by
// `npm run build` (scripts/build.mjs) and the `unwind` launcher (bin/unwind.mjs).
//
// A build writes dist/.build-stamp holding the instant it started. The build is current when the
// stamp exists, the compiled CLI and the dashboard exist, and no source file or folder (a folder's
// time changes when a file in it is added, removed or renamed) was modified after that instant.
// Walking the sources takes a few milliseconds, so every command can afford to ask.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** What tsc and the dashboard bundle compile: tsconfig.json's `include`, and their settings. */
const SOURCE_DIRS = ['src', 'test', 'bench'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.dashboard.json', 'scripts/build-dashboard.mjs'];
/** What a usable build contains. */
const OUTPUTS = ['dist/src/cli/main.js', 'dist/dashboard/index.html'];
const STAMP = 'dist/.build-stamp';

/** The newest modification under `dir` (itself included): { at: ms, file }. */
function newestUnder(dir, newest) {
  let stat;
  try {
    stat = fs.statSync(dir);
  } catch {
    return newest;
  }
  if (stat.mtimeMs > newest.at) newest = { at: stat.mtimeMs, file: dir };
  if (!stat.isDirectory()) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    newest = newestUnder(path.join(dir, entry.name), newest);
  }
  return newest;
}

/**
 * Why `root`'s build must be redone, in a few words ("src/cli/main.ts changed since the last
 * build"), or null when it is current.
 */
export function staleReason(root) {
  const missing = OUTPUTS.find((file) => !fs.existsSync(path.join(root, file)));
  if (missing) return `${missing} does not exist`;
  let builtAt;
  try {
    builtAt = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8')).startedAt;
  } catch {
    return 'no finished build is recorded';
  }
  if (typeof builtAt !== 'number') return 'no finished build is recorded';
  let newest = { at: -Infinity, file: '' };
  for (const name of [...SOURCE_DIRS, ...SOURCE_FILES]) {
    newest = newestUnder(path.join(root, name), newest);
  }
  if (newest.at <= builtAt) return null;
  return `${path.relative(root, newest.file) || '.'} changed since the last build`;
}

/** tsc's entry point in `root`, or null when TypeScript is not installed (devDependencies omitted). */
function tscPath(root) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  return fs.existsSync(tsc) ? tsc : null;
}

const run = (root, args) =>
  spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status === 0;

/**
 * Compiles the TypeScript (tsc -p tsconfig.json, incremental) and bundles the dashboard, then
 * records the build. Returns true on success. Without TypeScript installed it says so and leaves
 * dist/ as it is (true: an install without devDependencies must not fail).
 */
export function build(root, log) {
  const tsc = tscPath(root);
  if (!tsc) {
    log('TypeScript is not installed (devDependencies omitted); dist/ is used as it is');
    return true;
  }
  const startedAt = Date.now();
  const started = performance.now();
  if (!run(root, [tsc, '-p', 'tsconfig.json'])) {
    log('tsc failed (see above); fix the errors and run it again');
    return false;
  }
  if (!run(root, [path.join(root, 'scripts', 'build-dashboard.mjs')])) {
    log('the dashboard bundle failed (see above)');
    return false;
  }
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP), `${JSON.stringify({ startedAt })}\n`);
  log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * Builds `root` when its build is not current, saying why first; does nothing (and says nothing)
 * when it is. Returns false when a needed build failed.
 */
export function buildIfStale(root, log) {
  const reason = staleReason(root);
  if (reason === null) return true;
  log(`${reason}; compiling (tsc and the dashboard)…`);
  return build(root, log);
}
