/**
 * Where a server's CPU went, from a V8 CPU profile (`npm run bench -- --cpu-prof` writes one per
 * server in bench/results/profiles/): the functions with the most self time, and the share of the
 * busy time (idle excluded) each part of the stack takes, by the file a function lives in.
 *
 *   node dist/bench/profile-summary.js bench/results/profiles/postgres-bench.cpuprofile [--top 15]
 *     [--from-ms A --to-ms B]   only the samples between A and B ms after the profile started
 */
import fs from 'node:fs';
import { Args } from './options.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The part of the program a frame belongs to, by its file. */
export function partOf(url: string, functionName: string): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)' || url === '') return 'V8 and native (program, JSON, crypto)';
  const parts: [RegExp, string][] = [
    [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass)\//, 'pg driver'],
    [/node_modules\/better-sqlite3\//, 'better-sqlite3'],
    [/node_modules\/(fastify|find-my-way|light-my-request|avvio|@fastify)/, 'fastify'],
    [/node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream)/, 'logging (pino)'],
    [/node_modules\/zod\//, 'zod (validation)'],
    [/node_modules\//, 'other packages'],
    [/^node:|internal\//, 'Node core (net, http, streams)'],
    [/\/src\/store\//, 'src/store'],
    [/\/src\/http\//, 'src/http'],
    [/\/src\/app\//, 'src/app'],
    [/\/src\/domain\//, 'src/domain'],
  ];
  return parts.find(([re]) => re.test(url))?.[1] ?? 'other';
}

/** Self time per node (microseconds) over the samples between `fromUs` and `toUs`. */
function selfTimes(p: CpuProfile, fromUs: number, toUs: number): Map<number, number> {
  const self = new Map<number, number>();
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const delta = p.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromUs || t > toUs) continue;
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  return self;
}

export function summarize(p: CpuProfile, top: number, fromUs = 0, toUs = Infinity) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = selfTimes(p, fromUs, toUs);
  const functions = new Map<string, number>();
  const parts = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const part = partOf(url, functionName);
    parts.set(part, (parts.get(part) ?? 0) + us);
    if (part === 'idle') continue;
    busy += us;
    const file = url.replace(/^.*\/(node_modules|src|dist)\//, '$1/');
    const name = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const share = (us: number) => `${((100 * us) / Math.max(busy, 1)).toFixed(1)}%`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    busyMs: Math.round(busy / 1000),
    parts: sorted(parts)
      .filter(([name]) => name !== 'idle')
      .map(([name, us]) => ({ part: name, share: share(us) })),
    functions: sorted(functions)
      .slice(0, top)
      .map(([name, us]) => ({ function: name, share: share(us) })),
  };
}

function main(): void {
  const args = new Args(process.argv.slice(2));
  const file = process.argv[2];
  if (!file || file.startsWith('--')) {
    throw new Error('usage: profile-summary <file.cpuprofile> [--top N] [--from-ms A --to-ms B]');
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const fromMs = args.int('from-ms', 0, true);
  const toMs = args.int('to-ms', Number.MAX_SAFE_INTEGER);
  const s = summarize(profile, args.int('top', 15), fromMs * 1000, toMs * 1000);
  const lines = [
    `${file}: ${s.busyMs} ms busy (idle excluded)`,
    'part of the stack (self time)            share',
    ...s.parts.map((p) => `  ${p.part.padEnd(40)}${p.share.padStart(6)}`),
    'function (self time)                                                  share',
    ...s.functions.map((f) => `  ${f.function.slice(0, 68).padEnd(68)}${f.share.padStart(6)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
