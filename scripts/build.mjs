#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` builds once): compiles the TypeScript and
// bundles the dashboard into dist/, and records the build (scripts/build-state.mjs).
// With --if-stale it builds only when a source changed since the last build, in milliseconds
// otherwise: what `npm test`, the benchmarks and the drills run first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildIfStale } from './build-state.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line) => process.stderr.write(`build: ${line}\n`);
const ok = process.argv.includes('--if-stale') ? buildIfStale(root, log) : build(root, log);
process.exit(ok ? 0 : 1);
