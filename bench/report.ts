/** The benchmark's table (one per store) and its JSON, in bench/results/ and at --json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Measurement } from './measure.js';
import type { BenchOptions } from './options.js';
import type { StoreReport } from './suite.js';

export interface Machine {
  readonly cpus: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadGenerator: string;
  /** 1-, 5- and 15-minute load averages when the benchmark started: a busy machine reads low. */
  readonly loadAverageAtStart: readonly number[];
}

export function describeMachine(loadGenerator: string): Machine {
  const cpus = os.cpus();
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadGenerator,
    loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

const fixed = (n: number | null, places = 2): string =>
  n === null || !Number.isFinite(n) ? '-' : n.toFixed(places);

const COLUMNS: readonly [string, number, (m: Measurement) => string][] = [
  ['conns', 5, (m) => (m.connections === null ? '-' : String(m.connections))],
  ['req/s', 8, (m) => String(m.perSecond)],
  ['p50 ms', 7, (m) => fixed(m.p50Ms)],
  ['p99 ms', 7, (m) => fixed(m.p99Ms)],
  ['stmts/req', 9, (m) => fixed(m.statementsPerRequest)],
  ['trips/req', 9, (m) => fixed(m.roundTripsPerRequest)],
  ['tx/req', 6, (m) => fixed(m.transactionsPerRequest)],
  ['cpu ms/req', 10, (m) => fixed(m.cpuMsPerRequest, 3)],
];

/** One store's table: ceilings first, then each path with its ratio to each ceiling. */
export function formatStore(r: StoreReport, o: BenchOptions): string {
  const ceilingKeys = [...new Set(r.ceilings.map((c) => c.key))];
  const labelWidth = Math.max(30, ...[...r.ceilings, ...r.paths].map((m) => m.label.length));
  const header = [
    'path'.padEnd(labelWidth),
    ...COLUMNS.map(([name, width]) => name.padStart(width)),
    ...ceilingKeys.map((k) => `×${k}`.padStart(9)),
    'non-2xx'.padStart(8),
  ].join(' ');
  const row = (m: Measurement) =>
    [
      m.label.padEnd(labelWidth),
      ...COLUMNS.map(([, width, cell]) => cell(m).padStart(width)),
      ...ceilingKeys.map((k) => fixed(m.ratios[k] ?? null).padStart(9)),
      String(m.bad + m.socketErrors).padStart(8),
    ].join(' ');
  const byConnections = (a: Measurement, b: Measurement) =>
    (b.connections ?? -1) - (a.connections ?? -1);
  const lines = [
    `${r.store}: ${r.database}; pool ${o.pool}; wrk ${o.seconds} s at 16+ connections ` +
      `(2 threads), ${o.latencySeconds} s below (1 thread); jobs ${o.workers ? 'on' : 'off'}`,
    header,
    ...[...r.ceilings].sort(byConnections).map(row),
    ...[...r.paths].sort(byConnections).map(row),
  ];
  for (const m of r.paths.filter((p) => p.firstBad !== null)) {
    lines.push(
      `  ! ${m.label} at ${m.connections ?? '-'} connections: first non-2xx: ${m.firstBad}`,
    );
  }
  return lines.join('\n');
}

/** Writes the JSON to bench/results/<name>-<timestamp>.json and to --json; returns the paths. */
export function writeResults(name: string, o: BenchOptions, body: unknown): string[] {
  const dir = path.join('bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(body, null, 2)}\n`;
  fs.writeFileSync(file, text);
  if (o.json) fs.writeFileSync(o.json, text);
  return o.json ? [file, o.json] : [file];
}
