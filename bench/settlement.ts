/**
 * Backd's refund requests: submission (POST /backd/refund) under wrk, then their settlement by
 * the job runner (`refund-request-locker`: a draft becomes approved at its lock deadline, then
 * refunded with its core refund, each step in its own transaction), measured as requests settled
 * per second. Settling needs the lock deadline (17:00 America/Chicago) to pass, so this runs on
 * a server with the test clock (UNWIND_TEST_CLOCK=1), moved by the admin API.
 */
import { jsonClient } from './load.js';
import { type Measurement, measurePath, perUnitSince, snapshot } from './measure.js';
import { type BenchOptions, secondsFor } from './options.js';
import { type BenchMerchants, createOrder, inParallel, must, writeIds } from './seed.js';
import { startServer, type Target } from './targets.js';

const DAY_MS = 86_400_000;

/**
 * A Monday at 16:00 UTC, one to nine days after `nowMs`: 10:00 or 11:00 in Chicago, before that
 * day's 17:00 lock deadline, and later than every row written so far.
 */
export function mondayMorningAfter(nowMs: number): number {
  const day = new Date(nowMs + 2 * DAY_MS);
  const toMonday = (8 - day.getUTCDay()) % 7;
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + toMonday, 16);
}

interface BackdRun {
  readonly target: Target;
  readonly options: BenchOptions;
  readonly merchants: BenchMerchants;
  readonly idsDir: string;
  readonly log: (line: string) => void;
}

export async function measureBackd(run: BackdRun): Promise<Measurement[]> {
  const { options: o, merchants, log } = run;
  const server = await startServer(run.target, o, 'backd', { UNWIND_TEST_CLOCK: '1' });
  const client = jsonClient(server.url, 16);
  try {
    const now = new Date(mondayMorningAfter(Date.now())).toISOString();
    await must(client, 200, 'POST', '/admin/clock', { now });
    const total = Math.max(o.orders, o.settle);
    log(`making ${total} confirmed Backd orders (test clock at ${now})`);
    const lines = await inParallel(total, 16, () => createOrder(client, 'backd', merchants));
    const idsFile = writeIds(run.idsDir, 'backd', lines.slice(0, o.orders));
    const out: Measurement[] = [];
    for (const connections of o.connections) {
      log(`Backd refund request at ${connections} connections`);
      out.push(
        await measurePath(server, {
          key: 'backd-submit',
          label: 'Backd refund request',
          face: 'backd',
          idsFile,
          auth: merchants.auth.backd,
          connections,
          seconds: secondsFor(o, connections),
        }),
      );
    }
    // One active draft on every order (a submission replaces the draft wrk left).
    log(`submitting one refund request on each of ${total} Backd orders, then settling them`);
    await inParallel(total, 16, async (i) => {
      const [backdOrderId, merchantOrderId] = lines[i]!.split(' ');
      const body = {
        backd_order_id: backdOrderId,
        merchant_order_id: merchantOrderId,
        refund_amount: 0.01,
      };
      await must(client, 200, 'POST', '/backd/refund', body, merchants.auth.backd);
    });
    out.push(await settle(run.target, server, client, total));
    return out;
  } finally {
    client.close();
    await server.stop();
  }
}

const SETTLED = `SELECT count(*) FROM backd_refund_requests WHERE status = 'refunded'`;

/** Moves the clock a day on, then runs the jobs until the locker has nothing left to do. */
async function settle(
  target: Target,
  server: Awaited<ReturnType<typeof startServer>>,
  client: ReturnType<typeof jsonClient>,
  expected: number,
): Promise<Measurement> {
  await must(client, 200, 'POST', '/admin/clock/advance', { seconds: DAY_MS / 1000 });
  const settledBefore = await target.count(SETTLED);
  const before = await snapshot(server);
  const started = performance.now();
  // Every job runs on each call: what the others did (a reaper's cleanup) is in the figures too.
  const done = new Map<string, number>();
  for (let run = 0; run < 100; run++) {
    const answer = await must(client, 200, 'POST', '/admin/jobs/run', {});
    for (const [job, n] of Object.entries(answer.jobs as Record<string, number>)) {
      done.set(job, (done.get(job) ?? 0) + n);
    }
    if ((answer.jobs['refund-request-locker'] ?? 0) === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const others = [...done].filter(([job, n]) => job !== 'refund-request-locker' && n > 0);
  if (others.length > 0) {
    console.log(`settlement: the other jobs did ${others.map(([j, n]) => `${j} ${n}`).join(', ')}`);
  }
  const settled = (await target.count(SETTLED)) - settledBefore;
  const { served: _served, ...perUnit } = await perUnitSince(server, before, settled);
  return {
    key: 'backd-settle',
    label: 'Backd settlement by the job',
    connections: null,
    requests: settled,
    bad: expected - settled,
    socketErrors: 0,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(settled / seconds),
    p50Ms: NaN,
    p90Ms: NaN,
    p99Ms: NaN,
    p999Ms: NaN,
    maxMs: NaN,
    firstBad:
      settled < expected ? `${expected - settled} of ${expected} requests not settled` : null,
    ...perUnit,
    ratios: {},
  };
}
