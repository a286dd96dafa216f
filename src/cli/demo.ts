/**
 * `unwind demo`: seeds the store with demo data so the dashboard and the examples have something
 * real on a first start: one merchant per face with orders in every state of that face, Backd
 * refund requests before and after their lock, a webhook endpoint whose deliveries fail, and a
 * scoped reconciliation run. Everything goes through the HTTP API (the real routes and use cases,
 * driven in process on a test clock that walks through the last six days), never raw SQL.
 *
 * Running it again creates nothing and says so: the demo merchants are found by name. A run that
 * stopped half-way is reported, not repeated over.
 */
import crypto from 'node:crypto';
import { TestClock } from '../app/clocks.js';
import { loadConfig } from '../config.js';
import { refundRequestLocker } from '../jobs/refund-request-locker.js';
import { assembleUnwind } from '../main.js';
import { DemoClient, type Json } from './demo-client.js';
import {
  DEMO_NAMES,
  type DemoContext,
  draftBackdRefund,
  seedBackd,
  seedMpg,
  seedPoints,
  seedReconciliation,
  type SeededMerchant,
  settleBackdRefund,
} from './demo-stories.js';
import { UsageError } from './failure.js';

const DAY_MS = 86_400_000;

/** The demo merchants already in the store, by face. */
async function findDemoMerchants(client: DemoClient, admin: { admin: string }) {
  const found: Partial<Record<keyof typeof DEMO_NAMES, { id: string; name: string }>> = {};
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Json = await client.json(admin, 'GET', `/admin/merchants?limit=100${query}`);
    for (const merchant of page.data as { id: string; name: string }[]) {
      for (const [face, name] of Object.entries(DEMO_NAMES)) {
        if (merchant.name === name) found[face as keyof typeof DEMO_NAMES] ??= merchant;
      }
    }
    cursor = page.next_cursor as string | null;
  } while (cursor);
  return found;
}

/** Says what is there when the demo ran before; refuses to build on a half-finished run. */
async function alreadySeeded(client: DemoClient, admin: { admin: string }): Promise<boolean> {
  const found = await findDemoMerchants(client, admin);
  const names = Object.values(found).map((m) => `${m.name} (${m.id})`);
  if (names.length === 0) return false;
  const runs = found.points
    ? await client.json(
        admin,
        'GET',
        `/admin/reconciliations?merchant_id=${found.points.id}&dialect=points&limit=1`,
      )
    : { data: [] };
  if (names.length === 3 && runs.data.length > 0) {
    console.log(`The demo data is already there; nothing was created:\n  ${names.join('\n  ')}`);
    return true;
  }
  throw new UsageError(
    `An earlier \`unwind demo\` stopped before it finished (found only: ${names.join(', ')}). ` +
      'It is left as it is; to seed the demo again, start from an empty store ' +
      '(another DATA_DIR, or another UNWIND_DB_SCHEMA on PostgreSQL).',
  );
}

function report(merchants: readonly SeededMerchant[], run: { id: string; findings: number }) {
  console.log('Seeded the demo data (merchants named "Demo …"):');
  for (const merchant of merchants) {
    const orders = Object.entries(merchant.orders)
      .map(([status, n]) => (n > 1 ? `${status} ×${n}` : status))
      .join(', ');
    console.log(`  ${merchant.name} (${merchant.id}): orders ${orders}`);
    for (const note of merchant.notes) console.log(`    ${note}`);
  }
  console.log(
    `  reconciliation run ${run.id} (${DEMO_NAMES.points}, points): a dry run with ${run.findings} findings`,
  );
  console.log('Open the dashboard to look around; `unwind demo` again creates nothing.');
}

export async function demo(): Promise<void> {
  // An admin token of this process alone: the demo never issues or prints one.
  const token = crypto.randomBytes(32).toString('base64url');
  const config = {
    ...loadConfig(),
    adminToken: token,
    testClock: false,
    workers: false,
    reconcileDir: null,
    sms: { sender: 'dev' as const },
  };
  const startAt = Math.floor((Date.now() - 6 * DAY_MS) / 3_600_000) * 3_600_000;
  const clock = new TestClock(startAt);
  const unwind = await assembleUnwind(config, { clock, logger: false, announce: () => {} });
  try {
    await unwind.server.ready();
    const client = new DemoClient(unwind.server);
    const admin = { admin: token };
    if (await alreadySeeded(client, admin)) return;
    const locker = refundRequestLocker(unwind.deps);
    const ctx: DemoContext = {
      client,
      admin,
      advance: (ms) => clock.advance(ms),
      advanceTo: (at) => clock.set(Math.max(clock.now(), at)),
      async runRefundRequestJob() {
        let total = 0;
        for (let handled = await locker.step(); handled > 0; handled = await locker.step()) {
          total += handled;
        }
        return total;
      },
    };
    const points = await seedPoints(ctx);
    ctx.advanceTo(startAt + DAY_MS);
    const backd = await seedBackd(ctx);
    ctx.advanceTo(startAt + 2 * DAY_MS);
    const mpg = await seedMpg(ctx);
    await settleBackdRefund(ctx, backd);
    ctx.advanceTo(startAt + 5 * DAY_MS);
    const run = await seedReconciliation(ctx, points, startAt);
    ctx.advanceTo(Date.now() - 60_000);
    const backdDone = await draftBackdRefund(ctx, backd);
    report([points, backdDone, mpg], run);
  } finally {
    await unwind.close();
  }
}
