/**
 * Refund benchmarks against the hardware ceiling, on SQLite and PostgreSQL.
 *
 * For each store: start Unwind as a child process, create orders over HTTP, then drive refunds
 * from this process over keep-alive HTTP:
 *  - spread:    refunds of 1 minor unit on random orders among many (50 and 8 clients);
 *  - contended: the same on 4 orders (50 clients), so requests queue on row locks;
 *  - mixed:     80% order reads, 20% refunds (50 clients).
 * Then, with the server stopped, the ceiling: the same refund transaction (lock the order, check
 * the refundable amount, insert the ledger row, update the totals, insert the outbox event)
 * through the database driver alone; on SQLite grouped per commit as the store groups them, so
 * HTTP is compared with the same number of fsyncs. And once: an empty Fastify route over the same
 * client.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { GROUP_COMMIT_MAX } from '../src/store/sqlite/sqlite-store.js';
import {
  benchSchema,
  jsonClient,
  type LoadResult,
  runLoad,
  startUnwind,
  summarize,
} from './load.js';

export interface RefundBenchOptions {
  readonly seconds: number;
  readonly orders: number;
  readonly cpuProfileDir: string | null;
}

export interface ScenarioResult extends LoadResult {
  readonly store: string;
  readonly scenario: string;
  readonly clients: number;
  /** requests/s as a fraction of the store's driver-only ceiling (refund scenarios only). */
  readonly ratioToCeiling: number | null;
}

const AMOUNT_MINOR = 1_000_000_000;

async function seed(
  url: string,
  orders: number,
): Promise<{ merchantId: string; orderIds: string[] }> {
  const client = jsonClient(url, 16);
  try {
    const merchant = JSON.parse(
      (await client.request('POST', '/admin/merchants', { name: 'Bench' })).body,
    ) as { id: string };
    const orderIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < orders) {
          next += 1;
          const res = await client.request('POST', '/admin/orders', {
            merchant_id: merchant.id,
            amount_minor: AMOUNT_MINOR,
          });
          if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${res.body}`);
          orderIds.push((JSON.parse(res.body) as { id: string }).id);
        }
      }),
    );
    return { merchantId: merchant.id, orderIds };
  } finally {
    client.close();
  }
}

async function httpScenarios(
  store: string,
  url: string,
  orderIds: readonly string[],
  seconds: number,
): Promise<Omit<ScenarioResult, 'ratioToCeiling'>[]> {
  const results: Omit<ScenarioResult, 'ratioToCeiling'>[] = [];
  const pick = (ids: readonly string[]) => ids[crypto.randomInt(ids.length)]!;
  const refund = (client: ReturnType<typeof jsonClient>, ids: readonly string[]) => async () =>
    (await client.request('POST', `/admin/orders/${pick(ids)}/refund`, { amount_minor: 1 }))
      .status === 200;
  const scenario = async (
    name: string,
    clients: number,
    work: (c: ReturnType<typeof jsonClient>) => () => Promise<boolean>,
  ) => {
    const client = jsonClient(url, clients);
    try {
      const load = await runLoad(clients, seconds, work(client));
      results.push({ store, scenario: name, clients, ...load });
    } finally {
      client.close();
    }
  };
  const few = orderIds.slice(0, 4);
  await scenario('refunds spread', 50, (c) => refund(c, orderIds));
  await scenario('refunds spread', 8, (c) => refund(c, orderIds));
  await scenario('refunds contended (4 orders)', 50, (c) => refund(c, few));
  await scenario('mixed 80% read / 20% refund', 50, (c) => async () => {
    if (crypto.randomInt(10) < 8) {
      return (await c.request('GET', `/admin/orders/${pick(orderIds)}`)).status === 200;
    }
    return refund(c, orderIds)();
  });
  return results;
}

// The refund transaction of src/app/ledger.ts, written directly against the driver: the same
// statements in the same order, without the server, validation or JSON around them.
const LOCK = `SELECT id, merchant_id, currency, captured_minor, refunded_minor, version FROM orders WHERE id = $1 FOR UPDATE`;
const INSERT_TX = `INSERT INTO transactions (id, order_id, merchant_id, type, status, amount_minor, points,
  currency, reason, actor, event_id, details, created_at)
  VALUES ($1, $2, $3, 'refund', 'approved', 1, 0, $4, NULL, 'admin', $5, '{}', $6)`;
const UPDATE = `UPDATE orders SET refunded_minor = refunded_minor + 1, status = 'partially_refunded',
  updated_at = $2, version = version + 1 WHERE id = $1 AND version = $3`;
const INSERT_EVENT = `INSERT INTO events (id, merchant_id, order_id, type, actor, reason, status_before,
  status_after, idempotency_key, request_fingerprint, payload, created_at)
  VALUES ($1, $2, $3, 'order.refunded', 'admin', NULL, 'partially_refunded', 'partially_refunded',
  NULL, NULL, '{}', $4)`;

async function postgresCeiling(
  connectionString: string,
  schema: string,
  orderIds: readonly string[],
  seconds: number,
  clients: number,
): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString, max: 10, options: `-c search_path=${schema}` });
  try {
    return await runLoad(clients, seconds, async () => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const id = orderIds[crypto.randomInt(orderIds.length)]!;
        const order = (await c.query({ name: 'lock', text: LOCK, values: [id] })).rows[0] as {
          merchant_id: string;
          currency: string;
          captured_minor: string;
          refunded_minor: string;
          version: number;
        };
        if (Number(order.captured_minor) - Number(order.refunded_minor) < 1) {
          await c.query('ROLLBACK');
          return false;
        }
        const now = Date.now();
        const eventId = crypto.randomUUID();
        await c.query({
          name: 'tx',
          text: INSERT_TX,
          values: [crypto.randomUUID(), id, order.merchant_id, order.currency, eventId, now],
        });
        await c.query({ name: 'upd', text: UPDATE, values: [id, now, order.version] });
        await c.query({
          name: 'ev',
          text: INSERT_EVENT,
          values: [eventId, order.merchant_id, id, now],
        });
        await c.query('COMMIT');
        return true;
      } catch {
        await c.query('ROLLBACK').catch(() => undefined);
        return false;
      } finally {
        c.release();
      }
    });
  } finally {
    await pool.end();
  }
}

/**
 * SQLite's ceiling for `clients` concurrent refunds: the store commits every transaction queued
 * while its writer was busy together (up to GROUP_COMMIT_MAX, each in a SAVEPOINT, one fsync), so
 * the ceiling does the same with one group of min(clients, GROUP_COMMIT_MAX) refunds per
 * BEGIN IMMEDIATE … COMMIT. Each refund's latency is its group's: none is durable before COMMIT.
 */
function sqliteCeiling(
  file: string,
  orderIds: readonly string[],
  seconds: number,
  clients: number,
): LoadResult {
  const perCommit = Math.min(clients, GROUP_COMMIT_MAX);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const q = (sql: string) => db.prepare(sql.replace(/\$\d+/g, '?').replace(' FOR UPDATE', ''));
  const lock = q(LOCK);
  const insertTx = q(INSERT_TX);
  const update = q(UPDATE);
  const insertEvent = q(INSERT_EVENT);
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < perCommit; i++) {
      db.exec('SAVEPOINT unit');
      const id = orderIds[crypto.randomInt(orderIds.length)]!;
      const order = lock.get(id) as { merchant_id: string; currency: string; version: number };
      const now = Date.now();
      const eventId = crypto.randomUUID();
      insertTx.run(crypto.randomUUID(), id, order.merchant_id, order.currency, eventId, now);
      update.run(id, now, order.version);
      insertEvent.run(eventId, order.merchant_id, id, now);
      db.exec('RELEASE unit');
    }
    db.exec('COMMIT');
    const groupMs = performance.now() - t0;
    for (let i = 0; i < perCommit; i++) latencies.push(groupMs);
  }
  db.close();
  return summarize(latencies, 0, (performance.now() - started) / 1000);
}

async function emptyRouteCeiling(seconds: number, clients: number): Promise<LoadResult> {
  const app = Fastify({ logger: false });
  app.post('/empty', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const client = jsonClient(`http://127.0.0.1:${address.port}`, clients);
  try {
    return await runLoad(
      clients,
      seconds,
      async () => (await client.request('POST', '/empty', { amount_minor: 1 })).status === 200,
    );
  } finally {
    client.close();
    await app.close();
  }
}

export async function benchRefunds(o: RefundBenchOptions): Promise<{
  scenarios: ScenarioResult[];
  ceilings: (LoadResult & { store: string; what: string; clients: number })[];
}> {
  const scenarios: ScenarioResult[] = [];
  const ceilings: (LoadResult & { store: string; what: string; clients: number })[] = [];
  const profile = (name: string) =>
    o.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [];

  // One store: serve, seed, drive over HTTP, stop, then measure the driver-only ceiling on the
  // same data at each of `ceilingClients` and express each refund scenario as a fraction of the
  // ceiling at its own number of clients (the first one when there is none at that number).
  const measure = async (
    store: string,
    env: Record<string, string>,
    what: string,
    ceilingClients: readonly [number, ...number[]],
    ceilingOf: (orderIds: readonly string[], clients: number) => Promise<LoadResult> | LoadResult,
  ) => {
    const server = await startUnwind({ ...env, UNWIND_WORKERS: '0' }, profile(store));
    const { orderIds } = await seed(server.url, o.orders);
    const http = await httpScenarios(store, server.url, orderIds, o.seconds);
    await server.stop();
    const ceilingAt = new Map<number, LoadResult>();
    for (const clients of ceilingClients) {
      const ceiling = await ceilingOf(orderIds, clients);
      ceilingAt.set(clients, ceiling);
      ceilings.push({ store, what, clients, ...ceiling });
    }
    for (const r of http) {
      const refunds = r.scenario.startsWith('refunds');
      const ceiling = ceilingAt.get(r.clients) ?? ceilingAt.get(ceilingClients[0])!;
      scenarios.push({
        ...r,
        ratioToCeiling: refunds ? round2(r.perSecond / ceiling.perSecond) : null,
      });
    }
  };

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-bench-'));
  try {
    await measure(
      'sqlite',
      { DATA_DIR: dataDir },
      'refund transactions, driver only, grouped',
      [50, 8],
      (ids, clients) => sqliteCeiling(path.join(dataDir, 'unwind.sqlite'), ids, o.seconds, clients),
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const target = await benchSchema();
  if (target) {
    try {
      await measure(
        'postgres',
        target.env,
        'refund transaction, driver only (pool 10)',
        [50],
        (ids, clients) => postgresCeiling(target.url, target.schema, ids, o.seconds, clients),
      );
    } finally {
      await target.drop();
    }
  } else {
    console.error('PostgreSQL does not answer: skipping its refund benchmarks');
  }

  const empty = await emptyRouteCeiling(o.seconds, 50);
  ceilings.push({ store: '-', what: 'empty Fastify route', clients: 50, ...empty });
  return { scenarios, ceilings };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function printRefundTables(r: Awaited<ReturnType<typeof benchRefunds>>): void {
  console.log('refunds over HTTP (admin API, keep-alive)');
  console.log(
    'store     scenario                        clients     req/s   p50 ms  p95 ms  p99 ms  errors  ×ceiling',
  );
  for (const s of r.scenarios) {
    console.log(
      [
        s.store.padEnd(9),
        s.scenario.padEnd(31),
        String(s.clients).padStart(7),
        String(s.perSecond).padStart(9),
        String(s.p50Ms).padStart(8),
        String(s.p95Ms).padStart(7),
        String(s.p99Ms).padStart(7),
        String(s.errors).padStart(7),
        (s.ratioToCeiling === null ? '-' : s.ratioToCeiling.toFixed(2)).padStart(9),
      ].join(' '),
    );
  }
  console.log('\nceilings');
  for (const c of r.ceilings) {
    console.log(
      `${c.store.padEnd(9)} ${c.what.padEnd(42)} ${String(c.clients).padStart(4)} clients ${String(c.perSecond).padStart(7)} /s  p50 ${c.p50Ms} ms  p99 ${c.p99Ms} ms`,
    );
  }
}
