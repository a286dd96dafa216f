/** Command-line options shared by `npm run bench`, `bench:history` and `bench:scale`. */
import path from 'node:path';

export interface BenchOptions {
  /** sqlite, postgres or both. */
  readonly store: string;
  /** Length of each measurement at 16 connections or more (wrk -d), in seconds. */
  readonly seconds: number;
  /** Length of each measurement below 16 connections (the latency ones), in seconds. */
  readonly latencySeconds: number;
  readonly connections: readonly number[];
  /** Orders per face that wrk draws from. */
  readonly orders: number;
  /** Backd refund requests settled by the job runner (0: no Backd measurement). */
  readonly settle: number;
  /** DATABASE_POOL_SIZE of the server, and the driver-only ceiling's pool. */
  readonly pool: number;
  /** Run the server's background jobs (off: a request's figures are its own). */
  readonly workers: boolean;
  readonly ceilings: boolean;
  /** Where the server writes CPU profiles (--cpu-prof), or null. */
  readonly cpuProfileDir: string | null;
  /** Extra file to write the JSON to (--json), besides bench/results/. */
  readonly json: string | null;
}

export class Args {
  readonly #argv: readonly string[];

  constructor(argv: readonly string[]) {
    this.#argv = argv;
  }

  has(name: string): boolean {
    return this.#argv.includes(`--${name}`);
  }

  string(name: string, fallback: string): string {
    const i = this.#argv.indexOf(`--${name}`);
    const value = i >= 0 ? this.#argv[i + 1] : undefined;
    return value === undefined || value.startsWith('--') ? fallback : value;
  }

  /** A positive integer (or 0 when `zero` allows it); anything else stops the benchmark. */
  int(name: string, fallback: number, zero = false): number {
    const n = Number(this.string(name, String(fallback)));
    if (!Number.isSafeInteger(n) || n < (zero ? 0 : 1)) {
      throw new Error(`--${name} must be a whole number${zero ? '' : ' above 0'}`);
    }
    return n;
  }

  ints(name: string, fallback: readonly number[]): number[] {
    const raw = this.string(name, fallback.join(','));
    const list = raw.split(',').map(Number);
    if (list.some((n) => !Number.isSafeInteger(n) || n < 1)) {
      throw new Error(`--${name} must list whole numbers above 0, e.g. ${fallback.join(',')}`);
    }
    return list;
  }
}

/** The options every refund benchmark takes, with its defaults. */
export function benchOptions(
  args: Args,
  defaults: { settle: number; orders?: number; connections?: readonly number[] },
): BenchOptions {
  return {
    store: args.string('store', 'both'),
    seconds: args.int('seconds', 10),
    latencySeconds: args.int('latency-seconds', 5),
    connections: args.ints('connections', defaults.connections ?? [50, 8]),
    orders: args.int('orders', defaults.orders ?? 200),
    settle: args.int('settle', defaults.settle, true),
    pool: args.int('pool', 10),
    workers: args.has('workers'),
    ceilings: !args.has('no-ceilings'),
    cpuProfileDir: args.has('cpu-prof') ? path.resolve('bench', 'results', 'profiles') : null,
    json: args.has('json') ? path.resolve(args.string('json', 'bench-results.json')) : null,
  };
}

/** wrk's duration for a measurement at `connections`. */
export const secondsFor = (o: BenchOptions, connections: number): number =>
  connections >= 16 ? o.seconds : o.latencySeconds;
