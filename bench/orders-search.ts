/**
 * `npm run bench:orders`: the dashboard's order search (GET /admin/orders) at one million orders.
 *
 * For each store: a fresh SQLite file / a fresh PostgreSQL schema (dropped afterwards), migrated,
 * 50 merchants made through the use case, then ONE MILLION orders written by one bulk statement
 * (a recursive CTE on SQLite, generate_series on PostgreSQL) spread over the merchants, every
 * status and every dialect, with Points-style order numbers and phones shared by repeat
 * customers. Then each scenario calls the real store query (`StoreTx.listOrders`, the one the
 * route calls) repeatedly and reports p50/p95/max latency. Nothing here asserts a speed.
 *
 * Options: --orders N (default 1000000), --runs N per scenario (default 200),
 * --store sqlite|postgres|both (default both), --explain (print each scenario's query plan).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { TestClock } from '../src/app/clocks.js';
import { type AppDeps, execute } from '../src/app/context.js';
// The dialects' hooks (a merchant's credentials), registered as src/main.ts does.
import '../src/app/dialects.js';
import { uuidV7Generator } from '../src/app/ids.js';
import { createMerchant } from '../src/app/merchants.js';
import type { Store } from '../src/app/ports/store.js';
import type { OrderFilter } from '../src/app/ports/ledger.js';
import { orderSearchFor } from '../src/domain/order-search.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { createSqlStoreTx } from '../src/store/sql/store-tx.js';
import type { SqlSession } from '../src/store/sql/sql-helpers.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import {
  BULK_CUSTOMERS,
  BULK_END_AT,
  bulkMerchantsSql,
  bulkOrdersSql,
  bulkSpacingMs,
} from './bulk.js';
import { benchSchema, percentile } from './load.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const ORDERS = Number(option('orders', '1000000'));
const RUNS = Number(option('runs', '200'));
const STORES = option('store', 'both');
const EXPLAIN = argv.includes('--explain');

const MERCHANTS = 50;
const PAGE = 50;
const DEEP_PAGE = 500;
const DAY_MS = 86_400_000;
const END_AT = BULK_END_AT;
const START_AT = END_AT - bulkSpacingMs(ORDERS) * ORDERS;

interface Bulk {
  /** Runs SQL around the store (the bulk seed only). */
  exec(sql: string): Promise<void>;
  /** The plan of a query, one line per step. */
  explain(sql: string, params: readonly unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

async function seed(store: Store, bulk: Bulk, engine: 'sqlite' | 'postgres'): Promise<string[]> {
  const clock = new TestClock(START_AT);
  const deps: AppDeps = { store, clock, newId: uuidV7Generator(clock) };
  const merchantIds: string[] = [];
  for (let i = 0; i < MERCHANTS; i++) {
    const made = await execute(
      deps,
      createMerchant({ name: `Bench merchant ${String(i).padStart(2, '0')}`, currency: 'SAR' }),
    );
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    merchantIds.push(made.value.merchant.id);
  }
  await bulk.exec(bulkMerchantsSql(merchantIds.map((id) => ({ id, endpointId: null }))));
  await bulk.exec(bulkOrdersSql(engine, ORDERS, MERCHANTS));
  await bulk.exec('DROP TABLE bench_merchants');
  return merchantIds;
}

/** The phone of order n as a person would type it into the search box: `+966 5X XXX XXXX`. */
function typedPhone(n: number): string {
  const digits = `5${String(10_000_000 + ((n * 48271) % BULK_CUSTOMERS) * 531).padStart(8, '0')}`;
  return `+966 ${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}`;
}

interface Scenario {
  readonly name: string;
  /** The filter of run i (varied where a real operator would vary it). */
  readonly filter: (i: number) => OrderFilter;
}

interface Measured {
  readonly store: string;
  readonly scenario: string;
  readonly rows: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** Picks order numbers spread over the whole table, deterministically. */
const spread = (i: number, every: number, offset: number) =>
  (((i * 7_919) % Math.floor(ORDERS / every)) * every + offset) % ORDERS || every;

function scenarios(merchantIds: readonly string[], deepCursor: OrderFilter['after']): Scenario[] {
  const desc = { direction: 'desc', limit: PAGE } as const;
  return [
    { name: 'first page, newest first, no filter', filter: () => desc },
    {
      name: `page ${DEEP_PAGE} via cursors, newest first`,
      filter: () => ({ ...desc, ...(deepCursor ? { after: deepCursor } : {}) }),
    },
    {
      name: 'q = order_number (Points)',
      filter: (i) => ({ ...desc, search: orderSearchFor(String(100_000 + spread(i, 4, 4))) }),
    },
    {
      name: 'q = phone as typed (+966 5X XXX XXXX)',
      filter: (i) => ({ ...desc, search: orderSearchFor(typedPhone(spread(i, 4, 4))) }),
    },
    { name: 'status = refunded', filter: () => ({ ...desc, status: 'refunded' }) },
    {
      name: 'merchant + status + 30-day window',
      filter: (i) => ({
        ...desc,
        merchantId: merchantIds[i % MERCHANTS]!,
        status: 'captured',
        createdFrom: END_AT - 90 * DAY_MS,
        createdTo: END_AT - 60 * DAY_MS,
      }),
    },
    {
      name: 'matches nothing: merchant 0 + dialect backd',
      filter: () => ({ ...desc, merchantId: merchantIds[0]!, dialect: 'backd' }),
    },
    {
      name: 'matches nothing: q = unknown reference',
      filter: (i) => ({ ...desc, search: orderSearchFor(`no-such-order-${i}`) }),
    },
  ];
}

async function measure(store: Store, label: string, scenario: Scenario): Promise<Measured> {
  const times: number[] = [];
  let rows = 0;
  // Two untimed runs first: prepared statements and the first page of the cache.
  for (let i = -2; i < RUNS; i++) {
    const filter = scenario.filter(Math.max(i, 0));
    const t0 = performance.now();
    const found = await store.read((tx) => tx.listOrders(filter));
    if (i >= 0) times.push(performance.now() - t0);
    rows = found.length;
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    store: label,
    scenario: scenario.name,
    rows,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(times.at(-1) ?? NaN),
  };
}

/** Walks `DEEP_PAGE - 1` pages newest first and returns the cursor to the next one. */
async function deepCursor(store: Store): Promise<{ cursor: OrderFilter['after']; ms: number }> {
  const t0 = performance.now();
  let after: OrderFilter['after'];
  for (let page = 1; page < DEEP_PAGE; page++) {
    const found = await store.read((tx) =>
      tx.listOrders({ direction: 'desc', limit: PAGE, ...(after ? { after } : {}) }),
    );
    const last = found.at(-1);
    if (!last) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return { cursor: after, ms: performance.now() - t0 };
}

/**
 * Prints the plan of each scenario's SQL. The SQL is caught from the store's own session by
 * running the scenario once through a store whose `read` records what it sends.
 */
async function explainAll(
  label: string,
  list: readonly Scenario[],
  capture: (filter: OrderFilter) => Promise<{ sql: string; params: readonly unknown[] }>,
  bulk: Bulk,
): Promise<void> {
  for (const s of list) {
    const { sql, params } = await capture(s.filter(1));
    console.log(`\n[${label}] ${s.name}`);
    for (const line of await bulk.explain(sql, params)) console.log(`  ${line}`);
  }
}

async function runStore(
  label: 'sqlite' | 'postgres',
  open: () => Store,
  bulk: Bulk,
  capture: (filter: OrderFilter) => Promise<{ sql: string; params: readonly unknown[] }>,
): Promise<Measured[]> {
  const store = open();
  try {
    await store.migrate();
    const t0 = performance.now();
    const merchantIds = await seed(store, bulk, label);
    const seededS = (performance.now() - t0) / 1000;
    console.log(`[${label}] seeded ${ORDERS} orders in ${seededS.toFixed(1)} s`);
    if (label === 'postgres') {
      // What autovacuum does shortly after a bulk load; done at once so the plans are stable.
      await bulk.exec('ANALYZE');
    }
    const deep = await deepCursor(store);
    console.log(
      `[${label}] walked ${DEEP_PAGE - 1} pages of ${PAGE} in ${deep.ms.toFixed(0)} ms ` +
        `(${(deep.ms / (DEEP_PAGE - 1)).toFixed(2)} ms a page)`,
    );
    const list = scenarios(merchantIds, deep.cursor);
    if (EXPLAIN) await explainAll(label, list, capture, bulk);
    const results: Measured[] = [];
    for (const s of list) results.push(await measure(store, label, s));
    return results;
  } finally {
    await store.close();
    await bulk.close();
  }
}

function printTable(results: readonly Measured[]): void {
  const header = `${'store'.padEnd(9)} ${'scenario'.padEnd(44)} ${'rows'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`;
  console.log(`\norders search, ${ORDERS} orders, ${RUNS} runs per scenario, page of ${PAGE}`);
  console.log(header);
  for (const r of results) {
    console.log(
      `${r.store.padEnd(9)} ${r.scenario.padEnd(44)} ${String(r.rows).padStart(5)} ${String(r.p50Ms).padStart(8)} ${String(r.p95Ms).padStart(8)} ${String(r.maxMs).padStart(8)}`,
    );
  }
}

/** Captures the SQL one listOrders call sends, by running it against a recording session. */
async function captureWith(
  makeTx: (session: SqlSession) => { listOrders(f: OrderFilter): Promise<unknown> },
  filter: OrderFilter,
): Promise<{ sql: string; params: readonly unknown[] }> {
  let caught: { sql: string; params: readonly unknown[] } | undefined;
  const tx = makeTx({
    all: async (sql, params = []) => {
      caught = { sql, params };
      return [];
    },
    run: async () => 0,
    write: async () => undefined,
    writeOne: async () => undefined,
  });
  await tx.listOrders(filter);
  if (!caught) throw new Error('listOrders sent no SQL');
  return caught;
}

const capture = (filter: OrderFilter) => captureWith(createSqlStoreTx, filter);
const results: Measured[] = [];

if (STORES === 'both' || STORES === 'sqlite') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-bench-orders-'));
  const raw = () => {
    const db = new Database(path.join(dataDir, 'unwind.sqlite'));
    // The seed is one statement in one transaction: it needs no fsync to be fast or correct.
    db.pragma('synchronous = OFF');
    return db;
  };
  let db: Database.Database | undefined;
  const conn = () => (db ??= raw());
  try {
    results.push(
      ...(await runStore(
        'sqlite',
        () => openSqliteStore({ dataDir }),
        {
          exec: async (sql) => void conn().exec(sql),
          explain: async (sql, params) =>
            (
              conn()
                .prepare(`EXPLAIN QUERY PLAN ${sql}`)
                .all(...params) as { detail: string }[]
            ).map((r) => r.detail),
          close: async () => void db?.close(),
        },
        capture,
      )),
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (STORES === 'both' || STORES === 'postgres') {
  const schema = await benchSchema();
  if (!schema) {
    console.log('[postgres] skipped: TEST_DATABASE_URL does not answer');
  } else {
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema.schema}`);
      await client.query(`SET search_path TO ${schema.schema}`);
      let n = 0;
      const numbered = (sql: string) => sql.replace(/\?/g, () => `$${++n}`);
      results.push(
        ...(await runStore(
          'postgres',
          () => openPostgresStore({ connectionString: schema.url, schema: schema.schema }),
          {
            exec: async (sql) => void (await client.query(sql)),
            explain: async (sql, params) => {
              n = 0;
              const plan = await client.query(`EXPLAIN ${numbered(sql)}`, [...params]);
              return plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']!);
            },
            close: async () => undefined,
          },
          capture,
        )),
      );
    } finally {
      await client.end();
      await schema.drop();
    }
  }
}

printTable(results);
