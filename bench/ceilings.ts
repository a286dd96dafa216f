/**
 * The ceilings measured beside Unwind in the same benchmark, each doing the bare refund transaction
 * (lock the order, insert the refund, update the totals, insert the outbox row) or nothing:
 *  - PostgreSQL, pgbench: PostgreSQL's own C client (bench/ceiling/ceiling.pgbench);
 *  - PostgreSQL, driver only: the same statements through `pg` from Node with Unwind's pool size;
 *  - SQLite, driver only: the same transaction through better-sqlite3, grouped per commit as the
 *    store groups them (src/store/sqlite/sqlite-store.ts), one fsync per group;
 *  - the empty route: a Fastify route answering a small JSON body, driven by the same wrk.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { GROUP_COMMIT_MAX } from '../src/store/sqlite/sqlite-store.js';
import { ownCpuMs, processCpuMs } from './cpu.js';
import { freePort, percentile, runLoad } from './load.js';
import type { Measurement } from './measure.js';
import { BENCH_DIR, runWrk } from './wrk.js';

const CEILING_DIR = path.join(BENCH_DIR, 'ceiling');
const ORDERS = 10_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

type Ceiling = Omit<Measurement, 'ratios'>;

function ceiling(
  key: string,
  label: string,
  connections: number,
  r: { requests: number; seconds: number; p50Ms: number; p99Ms: number; maxMs?: number },
  perRequest: { statements: number | null; roundTrips: number | null; cpuMs: number | null },
): Ceiling {
  return {
    key,
    label,
    connections,
    requests: r.requests,
    bad: 0,
    socketErrors: 0,
    seconds: round2(r.seconds),
    perSecond: Math.round(r.requests / r.seconds),
    p50Ms: r.p50Ms,
    p90Ms: NaN,
    p99Ms: r.p99Ms,
    p999Ms: NaN,
    maxMs: r.maxMs ?? NaN,
    firstBad: null,
    statementsPerRequest: perRequest.statements,
    roundTripsPerRequest: perRequest.roundTrips,
    transactionsPerRequest: 1,
    cpuMsPerRequest: perRequest.cpuMs === null ? null : round2(perRequest.cpuMs),
  };
}

/** Creates the ceiling's tables (10,000 orders) in `schema`. */
export async function setupPostgresCeiling(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(
      fs.readFileSync(path.join(CEILING_DIR, 'ceiling-setup.postgres.sql'), 'utf8'),
    );
  } finally {
    await client.end();
  }
}

/** True when pgbench is installed; says loudly how to install it when not. */
export function havePgbench(): boolean {
  if (!spawnSync('pgbench', ['--version']).error) return true;
  console.error(
    '!! pgbench is missing: the PostgreSQL C-client ceiling is skipped. Install it with ' +
      '`sudo apt-get install -y postgresql-client` (it ships pgbench) and run again.',
  );
  return false;
}

/**
 * pgbench -n -M prepared -c C -j J -T S on ceiling.pgbench, as the outside measurement runs it;
 * latencies from its per-transaction log. Its CPU is PostgreSQL's and pgbench's, not measured.
 */
export async function pgbenchCeiling(
  url: string,
  schema: string,
  connections: number,
  seconds: number,
): Promise<Ceiling> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-pgbench-'));
  const threads = connections >= 16 ? 2 : 1;
  const args = ['-n', '-M', 'prepared', `-c${connections}`, `-j${threads}`, `-T${seconds}`];
  args.push(
    '-f',
    path.join(CEILING_DIR, 'ceiling.pgbench'),
    '-l',
    `--log-prefix=${logDir}/tx`,
    url,
  );
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('pgbench', args, {
        env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`pgbench exited ${code}:\n${text}`)),
      );
    });
    // Each log line: client, transaction number, latency in µs, script, epoch s, µs.
    const latencies: number[] = [];
    for (const file of fs.readdirSync(logDir)) {
      for (const line of fs.readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${out}`);
    return ceiling(
      'pgbench',
      'ceiling: pgbench, C client',
      connections,
      {
        requests: latencies.length,
        seconds: latencies.length / tps,
        p50Ms: round2(percentile(latencies, 50)),
        p99Ms: round2(percentile(latencies, 99)),
        maxMs: round2(latencies[latencies.length - 1] ?? NaN),
      },
      { statements: 6, roundTrips: 6, cpuMs: null },
    );
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

const LOCK = 'SELECT amount, refunded FROM c_orders WHERE id = $1 FOR UPDATE';
const INSERT_REFUND = `INSERT INTO c_refunds (order_id, amount, idempotency_key)
  VALUES ($1, 1, gen_random_uuid()::text) RETURNING id`;
const UPDATE = `UPDATE c_orders SET refunded = refunded + 1, status = 'partially_refunded',
  updated_at = now() WHERE id = $1`;
const INSERT_OUTBOX = `INSERT INTO c_outbox (topic, order_id, payload) VALUES ('refund.created', $1,
  jsonb_build_object('order', $1::bigint, 'refund', $2::bigint, 'amount', 1))`;

/**
 * ceiling.pgbench's transaction through `pg` (named prepared statements, as the store sends
 * them) from `connections` concurrent callers on a pool of `poolSize`, in this process.
 */
export async function driverCeiling(
  url: string,
  schema: string,
  poolSize: number,
  connections: number,
  seconds: number,
): Promise<Ceiling> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schema}`,
  });
  try {
    // Connections are opened before the clock starts, as pgbench's -T time excludes them.
    await Promise.all(Array.from({ length: poolSize }, () => pool.connect())).then((cs) =>
      cs.forEach((c) => c.release()),
    );
    const cpu0 = ownCpuMs();
    const load = await runLoad(connections, seconds, async () => {
      const id = 1 + crypto.randomInt(ORDERS);
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query({ name: 'c_lock', text: LOCK, values: [id] });
        const refund = await c.query({ name: 'c_refund', text: INSERT_REFUND, values: [id] });
        await c.query({ name: 'c_update', text: UPDATE, values: [id] });
        const refundId = (refund.rows[0] as { id: string }).id;
        await c.query({ name: 'c_outbox', text: INSERT_OUTBOX, values: [id, refundId] });
        await c.query('COMMIT');
        return true;
      } catch {
        await c.query('ROLLBACK').catch(() => undefined);
        return false;
      } finally {
        c.release();
      }
    });
    const cpuMs = (ownCpuMs() - cpu0) / Math.max(1, load.requests);
    return ceiling('driver', `ceiling: pg driver, Node, pool ${poolSize}`, connections, load, {
      statements: 6,
      roundTrips: 6,
      cpuMs,
    });
  } finally {
    await pool.end();
  }
}

/** Creates the ceiling's tables in a SQLite file of their own, with the store's pragmas. */
export function setupSqliteCeiling(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(fs.readFileSync(path.join(CEILING_DIR, 'ceiling-setup.sqlite.sql'), 'utf8'));
  } finally {
    db.close();
  }
}

/**
 * The bare refund transaction through better-sqlite3 alone, grouped as the store groups the
 * transactions that queue while its writer is busy: min(connections, GROUP_COMMIT_MAX) refunds,
 * each in a SAVEPOINT, per BEGIN IMMEDIATE … COMMIT, one fsync (synchronous=FULL) per group.
 * Each refund's latency is its group's: none is durable before the COMMIT.
 */
export function sqliteCeiling(file: string, connections: number, seconds: number): Ceiling {
  const perCommit = Math.min(connections, GROUP_COMMIT_MAX);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const lock = db.prepare('SELECT amount, refunded FROM c_orders WHERE id = ?');
  const insertRefund = db.prepare(`INSERT INTO c_refunds (order_id, amount, idempotency_key,
    created_at) VALUES (?, 1, ?, ?) RETURNING id`);
  const update = db.prepare(`UPDATE c_orders SET refunded = refunded + 1,
    status = 'partially_refunded', updated_at = ? WHERE id = ?`);
  const insertOutbox = db.prepare(`INSERT INTO c_outbox (topic, order_id, payload, created_at)
    VALUES ('refund.created', ?, json_object('order', ?, 'refund', ?, 'amount', 1), ?)`);
  const latencies: number[] = [];
  const cpu0 = ownCpuMs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < perCommit; i++) {
        db.exec('SAVEPOINT unit');
        const id = 1 + crypto.randomInt(ORDERS);
        const now = Date.now();
        lock.get(id);
        const refund = insertRefund.get(id, crypto.randomUUID(), now) as { id: number };
        update.run(now, id);
        insertOutbox.run(id, id, refund.id, now);
        db.exec('RELEASE unit');
      }
      db.exec('COMMIT');
      const groupMs = performance.now() - t0;
      for (let i = 0; i < perCommit; i++) latencies.push(groupMs);
    }
  } finally {
    db.close();
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return ceiling(
    'sqlite',
    `ceiling: better-sqlite3, ${perCommit} per commit`,
    connections,
    {
      requests: latencies.length,
      seconds: elapsed,
      p50Ms: round2(percentile(latencies, 50)),
      p99Ms: round2(percentile(latencies, 99)),
      maxMs: round2(latencies[latencies.length - 1] ?? NaN),
    },
    {
      // Four statements and a savepoint's two per refund, BEGIN and COMMIT per group.
      statements: round2(6 + 2 / perCommit),
      roundTrips: null,
      cpuMs: (ownCpuMs() - cpu0) / Math.max(1, latencies.length),
    },
  );
}

/** An empty Fastify route (bench/empty-route.ts, its own process) driven by the same wrk. */
export async function emptyRouteCeiling(connections: number, seconds: number): Promise<Ceiling> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./empty-route.js', import.meta.url)), String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        if (c.toString().includes('listening')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`empty route exited ${code}`)));
    });
    const cpu0 = processCpuMs(child.pid!);
    const wrk = await runWrk({
      url: `http://127.0.0.1:${port}`,
      face: 'empty',
      connections,
      seconds,
    });
    const cpu1 = processCpuMs(child.pid!);
    return {
      key: 'http',
      label: 'ceiling: empty Fastify route',
      connections,
      ...wrk,
      statementsPerRequest: 0,
      roundTripsPerRequest: null,
      transactionsPerRequest: 0,
      cpuMsPerRequest:
        cpu0 === null || cpu1 === null ? null : round2((cpu1 - cpu0) / Math.max(1, wrk.requests)),
    };
  } finally {
    child.kill('SIGTERM');
  }
}
