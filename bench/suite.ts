/**
 * One store's refund benchmark: start Unwind (`unwind serve`, a child process), make the orders,
 * then for each number of connections measure the ceilings and each path with wrk; then Backd's
 * refund request submission and its settlement by the job runner on a server with the test
 * clock (settling needs the lock deadline to pass). Every path is expressed as a fraction of each
 * ceiling measured at the same number of connections in the same benchmark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  driverCeiling,
  emptyRouteCeiling,
  havePgbench,
  pgbenchCeiling,
  setupPostgresCeiling,
  setupSqliteCeiling,
  sqliteCeiling,
} from './ceilings.js';
import { jsonClient, type RunningServer } from './load.js';
import { type Measurement, measurePath } from './measure.js';
import { type BenchOptions, secondsFor } from './options.js';
import { type BenchMerchants, createMerchants, createOrder, inParallel, writeIds } from './seed.js';
import { measureBackd } from './settlement.js';
import { describeMachine, formatStore, writeResults } from './report.js';
import { startServer, type Target, targetsFor } from './targets.js';
import { ensureWrk, type WrkFace } from './wrk.js';

export interface PathPlan {
  readonly key: string;
  readonly label: string;
  readonly face: Exclude<WrkFace, 'empty'>;
  /** wrk's id file lines: the orders it draws from. */
  readonly lines: readonly string[];
}

export interface Context {
  readonly target: Target;
  readonly server: RunningServer;
  readonly client: ReturnType<typeof jsonClient>;
  readonly merchants: BenchMerchants;
  readonly options: BenchOptions;
  readonly log: (line: string) => void;
}

export interface Plan {
  /** Runs on the started server once the merchants exist; returns the paths to measure. */
  prepare(ctx: Context): Promise<PathPlan[]>;
  /** Also measure Backd's refund requests (submission under wrk, settlement by the job). */
  readonly backd: boolean;
}

export interface StoreReport {
  readonly store: 'sqlite' | 'postgres';
  readonly database: string;
  readonly ceilings: Measurement[];
  readonly paths: Measurement[];
}

/**
 * `count` orders of `face`, made 16 at a time; Points earnings one at a time, as Points allows
 * one earning call per merchant at once (429 `points.merchant_busy` otherwise).
 */
export const makeOrders = (ctx: Context, face: PathPlan['face'], count: number) =>
  inParallel(count, face === 'points' ? 1 : 16, () => createOrder(ctx.client, face, ctx.merchants));

/** The main benchmark's paths: one refund through the admin API, Points and MPG each. */
export const refundPaths: Plan = {
  backd: true,
  async prepare(ctx) {
    const n = ctx.options.orders;
    ctx.log(`making ${n} orders each for admin, Points and MPG`);
    return [
      {
        key: 'admin',
        label: 'admin refund',
        face: 'admin',
        lines: await makeOrders(ctx, 'admin', n),
      },
      {
        key: 'points',
        label: 'Points refund 0.01',
        face: 'points',
        lines: await makeOrders(ctx, 'points', n),
      },
      { key: 'mpg', label: 'MPG refund', face: 'mpg', lines: await makeOrders(ctx, 'mpg', n) },
    ];
  },
};

async function setupCeilings(target: Target): Promise<void> {
  if (target.postgres) await setupPostgresCeiling(target.postgres.url, target.postgres.schema);
  else setupSqliteCeiling(path.join(target.dir, 'ceiling.sqlite'));
}

/** The store's ceilings at `connections`: pgbench and the pg driver, or better-sqlite3 and HTTP. */
async function measureCeilings(
  target: Target,
  o: BenchOptions,
  connections: number,
  withPgbench: boolean,
): Promise<Measurement[]> {
  const seconds = secondsFor(o, connections);
  const out: Omit<Measurement, 'ratios'>[] = [];
  if (target.postgres) {
    const { url, schema } = target.postgres;
    if (withPgbench) out.push(await pgbenchCeiling(url, schema, connections, seconds));
    out.push(await driverCeiling(url, schema, o.pool, connections, seconds));
  } else {
    out.push(sqliteCeiling(path.join(target.dir, 'ceiling.sqlite'), connections, seconds));
    out.push(await emptyRouteCeiling(connections, seconds));
  }
  return out.map((c) => ({ ...c, ratios: {} }));
}

/** Each path's requests/s over each ceiling's at the same number of connections. */
export function addRatios(paths: Measurement[], ceilings: readonly Measurement[]): void {
  for (const p of paths) {
    for (const c of ceilings) {
      if (c.connections === p.connections && c.perSecond > 0) {
        p.ratios[c.key] = Math.round((p.perSecond / c.perSecond) * 100) / 100;
      }
    }
  }
}

export async function benchStore(
  target: Target,
  o: BenchOptions,
  plan: Plan,
  log: (line: string) => void,
): Promise<StoreReport> {
  const idsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-bench-ids-'));
  const ceilings: Measurement[] = [];
  const paths: Measurement[] = [];
  const withPgbench = o.ceilings && target.postgres !== null && havePgbench();
  let merchants: BenchMerchants;
  const server = await startServer(target, o, 'main');
  try {
    const client = jsonClient(server.url, 16);
    merchants = await createMerchants(client);
    const plans = await plan.prepare({ target, server, client, merchants, options: o, log });
    client.close();
    if (o.ceilings) await setupCeilings(target);
    for (const connections of o.connections) {
      if (o.ceilings) {
        log(`ceilings at ${connections} connections`);
        ceilings.push(...(await measureCeilings(target, o, connections, withPgbench)));
      }
      for (const p of plans) {
        log(`${p.label} at ${connections} connections`);
        const idsFile = writeIds(idsDir, p.key, p.lines);
        paths.push(
          await measurePath(server, {
            key: p.key,
            label: p.label,
            face: p.face,
            idsFile,
            auth: merchants.auth[p.face],
            connections,
            seconds: secondsFor(o, connections),
          }),
        );
      }
    }
  } finally {
    await server.stop();
  }
  if (plan.backd && o.settle > 0) {
    paths.push(...(await measureBackd({ target, options: o, merchants, idsDir, log })));
  }
  fs.rmSync(idsDir, { recursive: true, force: true });
  addRatios(paths, ceilings);
  return { store: target.engine, database: await target.version(), ceilings, paths };
}

/**
 * A whole benchmark: wrk checked, the machine described, `plan` measured on each store of
 * --store in turn (each dropped after), one table per store printed, the JSON written to
 * bench/results/<name>-<timestamp>.json (and --json).
 */
export async function runBenchmark(
  name: string,
  options: BenchOptions,
  plan: Plan,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const machine = describeMachine(ensureWrk());
  const startedAt = new Date().toISOString();
  console.log(
    `machine: ${machine.cpus}, ${machine.memoryGiB} GiB, ${machine.os}, node ${machine.node}; ` +
      `load generator: ${machine.loadGenerator}; load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  const stores: StoreReport[] = [];
  for (const make of targetsFor(options.store)) {
    const target = await make();
    if (!target) continue;
    const log = (line: string) => console.error(`[${target.engine}] ${line}`);
    try {
      const report = await benchStore(target, options, plan, log);
      stores.push(report);
      console.log(`\n${formatStore(report, options)}`);
    } finally {
      await target.cleanup();
    }
  }
  const finishedAt = new Date().toISOString();
  const body = { startedAt, finishedAt, machine, options, ...extra, stores };
  console.log(`\nwrote ${writeResults(name, options, body).join(', ')}`);
}
