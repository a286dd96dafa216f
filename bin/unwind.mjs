#!/usr/bin/env node
// The `unwind` command (the package's bin; `npm start` and `npm run unwind` run it too). It runs
// the compiled CLI at once when the build in dist/ is current, and compiles first, saying why,
// only when a source changed since the last build (scripts/build-state.mjs: a few milliseconds).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../scripts/build-state.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const log = (line) => process.stderr.write(`unwind: ${line}\n`);
if (!buildIfStale(root, log)) {
  log('not starting: the build failed');
  process.exit(1);
}
if (!fs.existsSync(cli)) {
  log('dist/ holds no build: run `npm install` (with devDependencies) to compile Unwind');
  process.exit(1);
}
await import('../dist/src/cli/main.js');
