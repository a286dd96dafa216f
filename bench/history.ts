/**
 * `npm run bench:history`: what a refund costs the server on orders that already carry few or
 * many transactions (10 and 1,000 earlier refunds by default), through the admin API, Points
 * and MPG, with the same figures as `npm run bench` (requests/s, p50/p99, statements, round
 * trips and server CPU per request, ratio to the ceilings). The earlier refunds are made through
 * the faces themselves, so every row they leave (ledger rows, events, Points records, MPG
 * transactions) is the product's own: the cost of seeding is time, about a minute per
 * 20,000 refunds on PostgreSQL here.
 *
 *   npm run bench:history -- [--history 10,1000] [--orders 20] [--connections 8]
 *     [--store sqlite|postgres|both] [--seconds 10] [--latency-seconds 5] [--pool 10]
 *     [--no-ceilings] [--workers] [--cpu-prof] [--json file]
 */
import crypto from 'node:crypto';
import { Args, benchOptions } from './options.js';
import { inParallel, must } from './seed.js';
import { type Context, makeOrders, type PathPlan, type Plan, runBenchmark } from './suite.js';

const args = new Args(process.argv.slice(2));
const options = benchOptions(args, { settle: 0, orders: 20, connections: [8] });
const levels = args.ints('history', [10, 1000]);

type Face = 'admin' | 'points' | 'mpg';
const LABELS: Record<Face, string> = {
  admin: 'admin refund',
  points: 'Points refund 0.01',
  mpg: 'MPG refund',
};

/** One refund of one minor unit on `id`, through `face`, as bench/lua/refund.lua sends it. */
function refund(ctx: Context, face: Face, id: string): Promise<unknown> {
  const auth = ctx.merchants.auth[face];
  if (face === 'admin') {
    return must(ctx.client, 200, 'POST', `/admin/orders/${id}/refund`, { amount_minor: 1 }, auth);
  }
  if (face === 'points') {
    const body = { amount: 0.01, reason: 'history' };
    return must(ctx.client, 200, 'POST', `/points/api/v1/orders/${id}/refund`, body, auth);
  }
  const body = { amount: 1, transaction_id: crypto.randomUUID() };
  return must(ctx.client, 200, 'POST', `/mpg/v1/orders/${id}/refund`, body, auth);
}

const historyPlan: Plan = {
  backd: false,
  async prepare(ctx) {
    const plans: PathPlan[] = [];
    for (const face of ['admin', 'points', 'mpg'] as const) {
      for (const level of levels) {
        const lines = await makeOrders(ctx, face, ctx.options.orders);
        const t0 = performance.now();
        // Spread over the orders in turn, so each ends with exactly `level` earlier refunds.
        await inParallel(lines.length * level, 32, (i) =>
          refund(ctx, face, lines[i % lines.length]!),
        );
        ctx.log(
          `${LABELS[face]}: ${level} earlier refunds on each of ${lines.length} orders ` +
            `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        plans.push({
          key: `${face}@${level}`,
          label: `${LABELS[face]}, ${level} earlier`,
          face,
          lines,
        });
      }
    }
    return plans;
  },
};

await runBenchmark('history', options, historyPlan, { levels });
