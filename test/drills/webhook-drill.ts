/**
 * The webhook drill: three `unwind serve` processes (workers on, real clock, default delivery
 * settings) on ONE PostgreSQL schema deliver the events of 20 merchants to 100 endpoints on a
 * receiver in this process: one merchant's 50 endpoints hang (never answer; the sender times
 * out), another merchant's 5 answer after 2 s, and the 45 endpoints of the other 18 merchants
 * answer at once. Events are `order.created`, made over HTTP spread across the three processes;
 * each fans out to every endpoint of its merchant. It reports, per class of endpoint, the
 * deliveries expected and arrived, the lag from commit to arrival (p50/p99; the commit time is
 * the millisecond in the event's UUIDv7 id), webhook ids that arrived twice, and what never
 * arrived; and deliveries per second over the healthy and slow classes.
 *
 *   npm run drill:webhooks -- [--events 10000] [--deadline-s 900]
 */
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import { postgresFactory, postgresUnavailable } from '../support/stores.js';
import { startHookReceiver, type EndpointClass } from './hook-receiver.js';

export interface WebhookDrillOptions {
  readonly events: number;
  /** Stop waiting for healthy and slow deliveries after this long (a bound, not a measure). */
  readonly deadlineMs: number;
  readonly log?: (line: string) => void;
}

export interface ClassReport {
  readonly endpoints: number;
  readonly expected: number;
  readonly arrived: number;
  readonly missing: number;
  /** Webhook ids that arrived more than once. */
  readonly duplicates: number;
  readonly lagMs: { readonly p50: number | null; readonly p99: number | null };
}

export interface WebhookDrillReport {
  readonly events: number;
  readonly seconds: number;
  /** Arrivals of healthy and slow deliveries per second, first order to last arrival. */
  readonly deliveriesPerSecond: number;
  readonly classes: Readonly<Record<EndpointClass, ClassReport>>;
}

const SERVERS = 3;
const CLIENTS = 24;
/** Endpoints per merchant: 50 hanging, 5 slow, and 45 healthy spread over 18 merchants. */
const LAYOUT: readonly { readonly kind: EndpointClass; readonly endpoints: number }[] = [
  { kind: 'hanging', endpoints: 50 },
  { kind: 'slow', endpoints: 5 },
  ...Array.from({ length: 18 }, (_, i) => ({ kind: 'healthy' as const, endpoints: i < 9 ? 3 : 2 })),
];

const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0
    ? null
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function pool(n: number, clients: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

export async function runWebhookDrill(o: WebhookDrillOptions): Promise<WebhookDrillReport> {
  const log = o.log ?? (() => undefined);
  const testStore = await postgresFactory.create();
  const receiver = await startHookReceiver({ slowMs: 2_000 });
  try {
    const servers: ServerProcess[] = await Promise.all(
      Array.from({ length: SERVERS }, () =>
        startServer({ env: testStore.env, logLevel: 'warn', readyTimeoutMs: 120_000 }),
      ),
    );
    const merchants: { id: string; kind: EndpointClass; endpoints: number }[] = [];
    for (const [m, shape] of LAYOUT.entries()) {
      const server = servers[m % SERVERS]!;
      const { id } = await server.call('POST', '/admin/merchants', { name: `Drill ${m}` }, 201);
      for (let e = 0; e < shape.endpoints; e++) {
        const url = `${receiver.url}/${shape.kind}/${m}/${e}`;
        await server.call('POST', `/admin/merchants/${id as string}/webhooks`, { url }, 201);
      }
      merchants.push({ id: id as string, kind: shape.kind, endpoints: shape.endpoints });
    }
    log(
      `${SERVERS} servers, ${merchants.length} merchants, 100 endpoints; creating ${o.events} events`,
    );
    const expected: Record<EndpointClass, number> = { healthy: 0, slow: 0, hanging: 0 };
    const started = Date.now();
    await pool(o.events, CLIENTS, async (i) => {
      const merchant = merchants[i % merchants.length]!;
      await servers[i % SERVERS]!.call(
        'POST',
        '/admin/orders',
        { merchant_id: merchant.id, amount_minor: 1_000, capture: 'purchase' },
        201,
      );
      expected[merchant.kind] += merchant.endpoints;
    });
    log(`events created in ${Date.now() - started} ms; waiting for deliveries`);
    const deadline = started + o.deadlineMs;
    const settled = () =>
      receiver.distinct('healthy') >= expected.healthy &&
      receiver.distinct('slow') >= expected.slow;
    while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    // A little longer, so a late duplicate would show up.
    await new Promise((r) => setTimeout(r, 3_000));
    const seconds = (receiver.lastArrival() - started) / 1000;
    const classes = Object.fromEntries(
      (['healthy', 'slow', 'hanging'] as const).map((kind) => {
        const lags = receiver.lags(kind);
        const arrived = receiver.distinct(kind);
        const report: ClassReport = {
          endpoints: merchants.filter((m) => m.kind === kind).reduce((n, m) => n + m.endpoints, 0),
          expected: expected[kind],
          arrived,
          missing: kind === 'hanging' ? 0 : expected[kind] - arrived,
          duplicates: receiver.duplicates(kind),
          lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99) },
        };
        return [kind, report];
      }),
    ) as Record<EndpointClass, ClassReport>;
    const delivered = classes.healthy.arrived + classes.slow.arrived;
    return {
      events: o.events,
      seconds: Math.round(seconds * 10) / 10,
      deliveriesPerSecond: Math.round(delivered / Math.max(seconds, 0.001)),
      classes,
    };
  } finally {
    await killAllServers();
    await receiver.close();
    await testStore.cleanup();
  }
}

export function printWebhookDrill(r: WebhookDrillReport, print: (line: string) => void): void {
  print(
    `${r.events} events in ${r.seconds} s: ${r.deliveriesPerSecond} deliveries/s (healthy + slow)`,
  );
  print('class     endpoints  expected   arrived  missing  duplicates  lag p50   lag p99');
  for (const [kind, c] of Object.entries(r.classes)) {
    const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
    print(
      [
        kind.padEnd(8),
        String(c.endpoints).padStart(10),
        String(c.expected).padStart(9),
        String(c.arrived).padStart(9),
        String(c.missing).padStart(8),
        String(c.duplicates).padStart(11),
        ms(c.lagMs.p50).padStart(9),
        ms(c.lagMs.p99).padStart(9),
      ].join(' '),
    );
  }
}

const isMain = process.argv[1]?.endsWith('webhook-drill.js') ?? false;
if (isMain) {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1]! : fallback;
  };
  const unavailable = await postgresUnavailable();
  if (unavailable !== null) {
    console.error(`webhook drill needs PostgreSQL: ${unavailable}`);
    process.exit(2);
  }
  const report = await runWebhookDrill({
    events: Number(arg('events', '10000')),
    deadlineMs: Number(arg('deadline-s', '900')) * 1000,
    log: (l) => console.log(l),
  });
  printWebhookDrill(report, (l) => console.log(l));
  const ok =
    report.classes.healthy.missing === 0 &&
    report.classes.slow.missing === 0 &&
    report.classes.healthy.duplicates === 0 &&
    report.classes.slow.duplicates === 0;
  console.log(ok ? 'PASS: nothing lost, nothing delivered twice' : 'FAIL');
  process.exit(ok ? 0 : 1);
}
