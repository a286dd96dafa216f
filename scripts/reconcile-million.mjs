#!/usr/bin/env node
/**
 * Generates a settlement report of ROWS rows (default 1,000,000; every 100,000th row malformed)
 * and reconciles it through the real `unwind reconcile` command against a fresh SQLite database,
 * measuring the command's peak RSS with `/usr/bin/time -v`. Not part of the default test run
 * (it takes about a minute); run after `npx tsc -p tsconfig.json`:
 *
 *   node scripts/reconcile-million.mjs [ROWS]
 *
 * Exits 1 if the run's counts are wrong or the malformed lines are not the expected ones.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-million-'));
const report = path.join(dir, 'report.csv');

// Written through a stream with back-pressure: the generator itself stays small too.
const out = fs.createWriteStream(report);
const write = (text) =>
  out.write(text) ? Promise.resolve() : new Promise((r) => out.once('drain', r));
await write('order_reference,transaction_reference,type,amount,currency,settled_at\n');
const malformedLines = [];
let buffer = '';
for (let i = 1; i <= rows; i++) {
  const line = i + 1; // line 1 is the header
  if (i % 100_000 === 0) {
    malformedLines.push(line);
    buffer += `ORD-${i},TX-${i},payment,12.345,SAR,2026-11-23T10:00:00Z\n`; // three decimals
  } else {
    const type = i % 10 === 0 ? 'refund' : 'payment';
    buffer += `ORD-${i},TX-${i},${type},${(i % 9000) + 1}.${String(i % 100).padStart(2, '0')},SAR,2026-11-23T10:00:00Z\n`;
  }
  if (buffer.length > 1 << 16) {
    await write(buffer);
    buffer = '';
  }
}
await write(buffer);
await new Promise((r) => out.end(r));
const sizeMb = fs.statSync(report).size / 1_048_576;

// Every run names the merchant and face whose report it is; none of the report's orders exist.
const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
const made = spawnSync(
  process.execPath,
  ['dist/src/cli/main.js', 'merchant', 'create', '--name', 'Million', '--json'],
  { env, encoding: 'utf8' },
);
if (made.status !== 0) {
  console.error(made.stdout, made.stderr);
  process.exit(1);
}
const merchantId = JSON.parse(made.stdout).id;

const started = Date.now();
const result = spawnSync(
  '/usr/bin/time',
  [
    '-v',
    process.execPath,
    'dist/src/cli/main.js',
    'reconcile',
    '--report',
    report,
    '--merchant',
    merchantId,
    '--dialect',
    'points',
    '--from',
    '2026-11-01T00:00:00Z',
    '--to',
    '2026-12-01T00:00:00Z',
    '--json',
  ],
  { env, encoding: 'utf8' },
);
const seconds = (Date.now() - started) / 1000;
if (result.status !== 0) {
  console.error(result.stdout, result.stderr);
  process.exit(1);
}
const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
const run = JSON.parse(result.stdout);

// The malformed rows' line numbers, read back from the database through the export's source.
const db = (await import('better-sqlite3')).default(path.join(dir, 'unwind.sqlite'), {
  readonly: true,
});
const lines = db
  .prepare(
    "SELECT line FROM reconciliation_findings WHERE run_id = ? AND kind = 'malformed_row' ORDER BY line",
  )
  .all(run.id)
  .map((r) => r.line);
db.close();

console.log(
  JSON.stringify(
    {
      rows,
      report_mb: Number(sizeMb.toFixed(1)),
      seconds: Number(seconds.toFixed(1)),
      peak_rss_mb: Number((peakKb / 1024).toFixed(1)),
      summary: run.summary,
      malformed_lines: lines,
    },
    null,
    2,
  ),
);
fs.rmSync(dir, { recursive: true, force: true });
const expectedMalformed = malformedLines.length;
const ok =
  run.summary.rows === rows &&
  run.summary.malformed_rows === expectedMalformed &&
  run.summary.unknown_order === rows - expectedMalformed &&
  JSON.stringify(lines) === JSON.stringify(malformedLines);
if (!ok) {
  console.error('unexpected result');
  process.exit(1);
}
