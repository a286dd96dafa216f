/**
 * Shared pieces of the benchmarks: a load loop with N concurrent clients (the driver-only
 * ceilings), a keep-alive JSON client (seeding), latency percentiles, starting Unwind as a child
 * process, and per-run PostgreSQL schemas.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';

export const BENCH_ADMIN_TOKEN = 'bench_admin_token';

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export function summarize(latenciesMs: number[], errors: number, seconds: number): LoadResult {
  latenciesMs.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: latenciesMs.length,
    errors,
    seconds: round(seconds),
    perSecond: Math.round(latenciesMs.length / seconds),
    p50Ms: round(percentile(latenciesMs, 50)),
    p95Ms: round(percentile(latenciesMs, 95)),
    p99Ms: round(percentile(latenciesMs, 99)),
  };
}

/**
 * Runs `clients` concurrent loops for `seconds`, each awaiting `work(client, i)`; a rejected or
 * false result counts as an error. Latency is measured per call.
 */
export async function runLoad(
  clients: number,
  seconds: number,
  work: (client: number, iteration: number) => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        let ok = false;
        try {
          ok = await work(client, i);
        } catch {
          ok = false;
        }
        if (ok) latencies.push(performance.now() - t0);
        else errors += 1;
      }
    }),
  );
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

/**
 * A minimal keep-alive JSON client: one socket per concurrent client, no redirects. Requests
 * carry the admin token unless `headers` are given.
 */
export function jsonClient(baseUrl: string, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const url = new URL(baseUrl);
  const request = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    retried = false,
  ): Promise<{ status: number; body: string }> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed while idle (a long pause between requests,
        // e.g. while bulk rows are written) fails before the request is read: send it again.
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') {
          resolve(request(method, path, body, headers, true));
        } else {
          reject(error);
        }
      });
      req.end(payload);
    });
  };
  return { request, close: () => agent.destroy() };
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

export interface RunningServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** The server's process id (the node process itself, for its CPU time in /proc). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `node dist/src/cli/main.js serve` with env; `nodeArgs` e.g. ['--cpu-prof']. */
export async function startUnwind(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/cli/main.js', 'serve'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, child, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('Unwind did not start');
}

export const testDatabaseUrl = (): string =>
  process.env['TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema on the test database, or null when PostgreSQL does not answer. */
export async function benchSchema(): Promise<{
  url: string;
  schema: string;
  env: Record<string, string>;
  drop: () => Promise<void>;
} | null> {
  const url = testDatabaseUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
  const schema = `unwind_bench_${crypto.randomBytes(4).toString('hex')}`;
  return {
    url,
    schema,
    env: { DATABASE_URL: url, UNWIND_DB_SCHEMA: schema },
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
