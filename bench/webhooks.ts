/**
 * Webhook delivery benchmark: starts Unwind as a child process (SQLite, and PostgreSQL when it
 * answers), registers one endpoint pointing at a receiver in this process, creates N orders over
 * HTTP with C concurrent clients, and measures
 *  - deliveries per second, from the first order created to the last webhook received, and
 *  - lag from commit (the event's `created_at`, same machine clock) to arrival, p50/p95/p99.
 *
 *   node dist/bench/webhooks.js [--events 2000] [--concurrency 16] [--json out.json]
 *
 * With `--classes` it runs the webhook drill instead (test/drills/webhook-drill.ts: three
 * processes on one PostgreSQL, hanging, 2 s and healthy endpoints) and reports its figures:
 * deliveries/s, lag p50/p99 per class of endpoint, duplicates, missing.
 *
 *   npm run bench:webhooks -- --classes [--events 10000]
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { printWebhookDrill, runWebhookDrill } from '../test/drills/webhook-drill.js';
import { BENCH_ADMIN_TOKEN, benchSchema, percentile, startUnwind } from './load.js';

interface Options {
  events: number;
  concurrency: number;
  json: string | null;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    events: Number(get('events') ?? 2000),
    concurrency: Number(get('concurrency') ?? 16),
    json: get('json') ?? null,
  };
}

async function admin(url: string, method: string, pathname: string, body?: unknown) {
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export interface WebhookBenchResult {
  store: string;
  events: number;
  concurrency: number;
  deliveriesPerSecond: number;
  lagMs: { p50: number; p95: number; p99: number; max: number };
  duplicates: number;
  missing: number;
}

async function runOne(
  store: string,
  env: Record<string, string>,
  o: Options,
): Promise<WebhookBenchResult> {
  const lags: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let lastArrival = 0;
  let done!: () => void;
  const allArrived = new Promise<void>((r) => (done = r));
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrived = Date.now();
      const id = String(req.headers['webhook-id']);
      if (seen.has(id)) duplicates += 1;
      seen.add(id);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        data: { order: { updated_at: number } };
      };
      lags.push(arrived - body.data.order.updated_at);
      lastArrival = arrived;
      res.end('ok');
      if (seen.size >= o.events) done();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverPort = (receiver.address() as net.AddressInfo).port;
  // The receiver is on 127.0.0.1: private delivery must be allowed explicitly.
  const unwind = await startUnwind({ ...env, UNWIND_WEBHOOK_ALLOW_PRIVATE: '1' });
  try {
    const merchant = await admin(unwind.url, 'POST', '/admin/merchants', { name: 'Bench' });
    await admin(unwind.url, 'POST', `/admin/merchants/${String(merchant['id'])}/webhooks`, {
      url: `http://127.0.0.1:${receiverPort}/hook`,
    });
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (next < o.events) {
          next += 1;
          await admin(unwind.url, 'POST', '/admin/orders', {
            merchant_id: merchant['id'],
            amount_minor: 1000,
          });
        }
      }),
    );
    await Promise.race([allArrived, new Promise((r) => setTimeout(r, 120_000))]);
    lags.sort((a, b) => a - b);
    const seconds = Math.max(1, lastArrival - started) / 1000;
    return {
      store,
      events: o.events,
      concurrency: o.concurrency,
      deliveriesPerSecond: Math.round(seen.size / seconds),
      lagMs: {
        p50: percentile(lags, 50),
        p95: percentile(lags, 95),
        p99: percentile(lags, 99),
        max: lags.at(-1) ?? NaN,
      },
      duplicates,
      missing: o.events - seen.size,
    };
  } finally {
    await unwind.stop();
    receiver.close();
  }
}

export async function benchWebhooks(o: Options): Promise<WebhookBenchResult[]> {
  const results: WebhookBenchResult[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-bench-'));
  try {
    results.push(await runOne('sqlite', { DATA_DIR: dataDir }, o));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const pgTarget = await benchSchema();
  if (pgTarget) {
    try {
      results.push(await runOne('postgres', pgTarget.env, o));
    } finally {
      await pgTarget.drop();
    }
  } else {
    console.error('PostgreSQL does not answer: skipping its webhook benchmark');
  }
  return results;
}

export function printWebhookTable(results: readonly WebhookBenchResult[]): void {
  console.log('webhook delivery (one endpoint, local receiver)');
  console.log(
    'store     events  clients  deliveries/s  lag p50  p95     p99     max     dup  missing',
  );
  for (const r of results) {
    console.log(
      [
        r.store.padEnd(8),
        String(r.events).padStart(7),
        String(r.concurrency).padStart(8),
        String(r.deliveriesPerSecond).padStart(13),
        `${r.lagMs.p50} ms`.padStart(8),
        `${r.lagMs.p95} ms`.padStart(7),
        `${r.lagMs.p99} ms`.padStart(7),
        `${r.lagMs.max} ms`.padStart(7),
        String(r.duplicates).padStart(4),
        String(r.missing).padStart(8),
      ].join(' '),
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const options = parseArgs(process.argv.slice(2));
  if (process.argv.includes('--classes')) {
    const report = await runWebhookDrill({ events: options.events, deadlineMs: 900_000 });
    printWebhookDrill(report, (line) => console.log(line));
    if (options.json) fs.writeFileSync(options.json, JSON.stringify(report, null, 2));
    process.exit(0);
  }
  const results = await benchWebhooks(options);
  printWebhookTable(results);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(results, null, 2));
}
