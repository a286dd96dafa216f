// Runs every compiled test file with node's test runner. Node 20's --test takes no globs, so the
// files are listed here; `npm test` compiles first (pretest), so tests are typechecked. tsc never
// deletes output, so a compiled test whose source was moved or removed stays in dist/: it is
// left out (and named), or a moved suite would run twice, once from its stale copy.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['dist/src', 'dist/test'];
const files = [];
const walk = (dir) => {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.test.js')) files.push(full);
  }
};
roots.forEach(walk);
const sourceOf = (compiled) => compiled.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts');
const stale = files.filter((f) => !fs.existsSync(sourceOf(f)));
for (const f of stale) console.error(`skipping ${f}: its source ${sourceOf(f)} is gone`);
const current = files.filter((f) => !stale.includes(f));
const only = process.argv.slice(2);
const selected = only.length ? current.filter((f) => only.some((o) => f.includes(o))) : current;
if (selected.length === 0) {
  console.error('no test files found: did the build run?');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', ...selected.sort()],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
