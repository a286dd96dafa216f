/**
 * wrk, the C load generator of `npm run bench`: finding it (and installing Debian's package when
 * it is missing), running bench/lua/refund.lua against a URL, and reading the line its done()
 * prints. wrk keeps its connections open and pipelines nothing, like a pool of HTTP clients.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's bench/ folder (this file runs from dist/bench/). */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench');
const SCRIPT = path.join(BENCH_DIR, 'lua', 'refund.lua');

export type WrkFace = 'admin' | 'points' | 'mpg' | 'backd' | 'empty';

export interface WrkResult {
  /** Answers received (any status). */
  readonly requests: number;
  /** Answers that were not 2xx. */
  readonly bad: number;
  /** Connect, read, write errors and timeouts. */
  readonly socketErrors: number;
  readonly seconds: number;
  /** 2xx answers per second. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** The first answer that was not 2xx: status and the start of its body. */
  readonly firstBad: string | null;
}

const ms = (us: number) => Math.round(us / 10) / 100;

/** Reads the "WRK …" and "WRK_BAD …" lines that bench/lua/refund.lua prints. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('WRK '));
  if (!line) throw new Error(`wrk printed no result line:\n${stdout}`);
  const v: Record<string, number> = {};
  for (const pair of line.slice(4).trim().split(/\s+/)) {
    const [key, value] = pair.split('=');
    if (key && value !== undefined) v[key] = Number(value);
  }
  const n = (key: string): number => {
    const value = v[key];
    if (value === undefined || !Number.isFinite(value))
      throw new Error(`wrk: no ${key} in ${line}`);
    return value;
  };
  const seconds = n('duration_us') / 1e6;
  const good = n('requests') - n('bad');
  const badLine = stdout.split('\n').find((l) => l.startsWith('WRK_BAD '));
  return {
    requests: n('requests'),
    bad: n('bad'),
    socketErrors: n('connect') + n('read') + n('write') + n('timeout'),
    seconds: Math.round(seconds * 100) / 100,
    perSecond: seconds > 0 ? Math.round(good / seconds) : 0,
    p50Ms: ms(n('p50_us')),
    p90Ms: ms(n('p90_us')),
    p99Ms: ms(n('p99_us')),
    p999Ms: ms(n('p999_us')),
    maxMs: ms(n('max_us')),
    firstBad: badLine ? badLine.slice('WRK_BAD '.length) : null,
  };
}

const versionOf = (): string | null => {
  // `wrk -v` prints its version and usage, and exits 1.
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error) return null;
  return (probe.stdout || probe.stderr).split('\n')[0]?.trim() || 'wrk';
};

/**
 * wrk's version line. When wrk is missing, tries Debian's package (`apt-get install -y wrk`, as
 * root or through `sudo -n`); when that fails too, stops with a message saying how to install it.
 */
export function ensureWrk(): string {
  const found = versionOf();
  if (found) return found;
  console.error('wrk (the load generator) is missing: trying `apt-get install -y wrk`');
  const asRoot = process.getuid?.() === 0;
  const install = asRoot
    ? spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' })
    : spawnSync('sudo', ['-n', 'apt-get', 'install', '-y', 'wrk'], { stdio: 'inherit' });
  const installed = install.error ? null : versionOf();
  if (installed) return installed;
  const bar = '!'.repeat(78);
  console.error(
    [
      bar,
      '!! npm run bench needs wrk, the HTTP load generator, and could not install it.',
      '!! Install it, then run the benchmark again:',
      '!!     sudo apt-get update && sudo apt-get install -y wrk     (Debian, Ubuntu)',
      '!! (elsewhere: your package manager\'s "wrk", or build https://github.com/wg/wrk)',
      bar,
    ].join('\n'),
  );
  process.exit(2);
}

export interface WrkRun {
  readonly url: string;
  readonly face: WrkFace;
  readonly connections: number;
  readonly seconds: number;
  /** File of order ids, one a line (not for `empty`). */
  readonly idsFile?: string;
  /** The credential header, "name: value". */
  readonly auth?: string;
}

/** Runs wrk once: two threads from 16 connections up (as the outside measurement does), else one. */
export function runWrk(run: WrkRun): Promise<WrkResult> {
  const threads = run.connections >= 16 ? 2 : 1;
  const args = [
    `-t${threads}`,
    `-c${run.connections}`,
    `-d${run.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    run.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, {
      env: {
        ...process.env,
        WRK_FACE: run.face,
        WRK_IDS: run.idsFile ?? '',
        WRK_AUTH: run.auth ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(parseWrkOutput(out));
      } catch (error) {
        reject(
          new Error(`wrk ${args.join(' ')} exited ${code}: ${err}${(error as Error).message}`),
        );
      }
    });
  });
}
