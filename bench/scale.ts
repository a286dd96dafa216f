/**
 * `npm run bench:scale`: `npm run bench`'s paths and ceilings on a store that already holds a
 * million orders (every status and dialect, over 10 merchants, a year), a million outbox events
 * on them and a million delivered webhook deliveries of those events, each written by one SQL
 * statement (generate_series on PostgreSQL, a recursive CTE on SQLite; ANALYZE after, on
 * PostgreSQL, as autovacuum would). The benchmark's own orders are made through the faces as in
 * `npm run bench`, after the bulk rows.
 *
 *   npm run bench:scale -- [--bulk-orders 1000000] [--events 1000000] [--deliveries 1000000]
 *     [and every option of npm run bench]
 */
import { bulkDeliveriesSql, bulkEventsSql, bulkMerchantsSql, bulkOrdersSql } from './bulk.js';
import { Args, benchOptions } from './options.js';
import { inParallel, must } from './seed.js';
import { type Context, type Plan, refundPaths, runBenchmark } from './suite.js';

const args = new Args(process.argv.slice(2));
const options = benchOptions(args, { settle: 1000 });
const bulk = {
  orders: args.int('bulk-orders', 1_000_000),
  events: args.int('events', 1_000_000, true),
  deliveries: args.int('deliveries', 1_000_000, true),
};
const MERCHANTS = 10;

/** Ten merchants with a webhook endpoint each (never sent to: the deliveries are delivered). */
async function bulkMerchants(ctx: Context) {
  return inParallel(MERCHANTS, 4, async (i) => {
    const m = await must(ctx.client, 201, 'POST', '/admin/merchants', { name: `Bulk ${i}` });
    const endpoint = await must(ctx.client, 201, 'POST', `/admin/merchants/${m.id}/webhooks`, {
      url: `https://hooks.example.com/unwind-bench/${i}`,
    });
    return { id: m.id as string, endpointId: endpoint.id as string };
  });
}

async function seedBulk(ctx: Context): Promise<void> {
  const { target, log } = ctx;
  const timed = async (what: string, sql: string) => {
    const t0 = performance.now();
    await target.exec(sql);
    log(`${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  await target.exec(bulkMerchantsSql(await bulkMerchants(ctx)));
  await timed(`${bulk.orders} orders`, bulkOrdersSql(target.engine, bulk.orders, MERCHANTS));
  if (bulk.events > 0) {
    await timed(`${bulk.events} events`, bulkEventsSql(target.engine, bulk.events, bulk.orders));
  }
  if (bulk.deliveries > 0) {
    await timed(`${bulk.deliveries} deliveries`, bulkDeliveriesSql(bulk.deliveries));
  }
  await target.exec('DROP TABLE bench_merchants');
  if (target.engine === 'postgres') await timed('ANALYZE', 'ANALYZE');
  // The bulk rows sit in SQLite's write-ahead log (the server keeps its connections open, so
  // none closes it); the server's first commit would copy them all into the database inside a
  // request (an automatic checkpoint). Copied here, as a quiet moment would have.
  if (target.engine === 'sqlite') await timed('checkpoint', 'PRAGMA wal_checkpoint(TRUNCATE)');
  // better-sqlite3 seeded synchronously, so this process saw none of the server closing its idle
  // keep-alive connections meanwhile; one pass of the event loop lets the HTTP agent drop them
  // before the next request would be written into a closed socket (EPIPE).
  await new Promise((resolve) => setTimeout(resolve, 100));
  const rows = async (table: string) => target.count(`SELECT count(*) FROM ${table}`);
  log(
    `the store holds ${await rows('orders')} orders, ${await rows('events')} events and ` +
      `${await rows('deliveries')} deliveries`,
  );
}

const scalePlan: Plan = {
  backd: true,
  async prepare(ctx) {
    await seedBulk(ctx);
    return refundPaths.prepare(ctx);
  },
};

await runBenchmark('scale', options, scalePlan, { bulk });
