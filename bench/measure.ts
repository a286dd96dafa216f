/**
 * One measurement of one path: the server's counters (GET /admin/metrics) and its CPU time
 * (/proc/<pid>/stat) before and after a wrk measurement, turned into figures per request.
 */
import { processCpuMs } from './cpu.js';
import { BENCH_ADMIN_TOKEN, type RunningServer } from './load.js';
import { runWrk, type WrkResult, type WrkRun } from './wrk.js';

/** The parts of GET /admin/metrics the benchmark reads. */
export interface ServerMetrics {
  readonly http: { readonly requests: number };
  readonly store: {
    readonly statements: number;
    readonly transactions: number;
    readonly round_trips: number | null;
  };
}

export async function readMetrics(url: string): Promise<ServerMetrics> {
  const res = await fetch(`${url}/admin/metrics`, {
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  if (!res.ok) throw new Error(`GET /admin/metrics answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as ServerMetrics;
}

/** Figures per unit of work (a request, or a settled refund request). */
export interface PerUnit {
  /** Statements sent to the database (BEGIN and COMMIT included). */
  readonly statementsPerRequest: number | null;
  /** Waits on the database server (PostgreSQL); null on SQLite. */
  readonly roundTripsPerRequest: number | null;
  readonly transactionsPerRequest: number | null;
  /** CPU time of the measured process (user + system), in milliseconds. */
  readonly cpuMsPerRequest: number | null;
}

export interface Measurement extends WrkResult, PerUnit {
  /** Stable key: `admin`, `points`, `mpg`, `backd-submit`, `pgbench`, … */
  readonly key: string;
  readonly label: string;
  readonly connections: number | null;
  /** This path's requests/s over each ceiling's at the same number of connections. */
  readonly ratios: Record<string, number>;
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const per = (total: number | null, units: number): number | null =>
  total === null || units <= 0 ? null : round(total / units);

/** Counters and CPU of a server, to be compared after some work. */
export async function snapshot(server: RunningServer) {
  return { metrics: await readMetrics(server.url), cpuMs: processCpuMs(server.pid) };
}

/**
 * The counters' and CPU's growth between `before` and now, over `units` units of work (default:
 * the requests served since). The metrics request that took `before` was answered after it read
 * the counters, so it is counted among them and taken off.
 */
export async function perUnitSince(
  server: RunningServer,
  before: Awaited<ReturnType<typeof snapshot>>,
  units?: number,
): Promise<PerUnit & { served: number }> {
  const after = await snapshot(server);
  const served = after.metrics.http.requests - before.metrics.http.requests - 1;
  const n = units ?? served;
  const a = after.metrics.store;
  const b = before.metrics.store;
  return {
    served,
    statementsPerRequest: per(a.statements - b.statements, n),
    roundTripsPerRequest:
      a.round_trips === null || b.round_trips === null
        ? null
        : per(a.round_trips - b.round_trips, n),
    transactionsPerRequest: per(a.transactions - b.transactions, n),
    cpuMsPerRequest:
      after.cpuMs === null || before.cpuMs === null ? null : per(after.cpuMs - before.cpuMs, n),
  };
}

/** Drives `server` with wrk and reports the measurement with its per-request figures. */
export async function measurePath(
  server: RunningServer,
  spec: Omit<WrkRun, 'url'> & { key: string; label: string },
): Promise<Measurement> {
  const { key, label, ...run } = spec;
  const before = await snapshot(server);
  const wrk = await runWrk({ ...run, url: server.url });
  // wrk stops with requests in flight; let the server finish them before counting.
  await new Promise((r) => setTimeout(r, 300));
  const { served: _served, ...perUnit } = await perUnitSince(server, before);
  return { key, label, connections: run.connections, ...wrk, ...perUnit, ratios: {} };
}
