// Proves that every time in an event payload is an ISO 8601 string (UTC, milliseconds, `Z`), as
// everywhere else in the admin API, on SQLite and PostgreSQL: the `unwind demo` stories and a few
// more requests make an event of every type in the catalogue over HTTP, then a walk of every
// event's payload in GET /admin/events, and of its webhook body in every format that carries it,
// fails on a field named `timestamp` or ending in `_at` that holds a number. Points-format
// bodies keep Points' documented times, ISO 8601 to the second.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventFacts, type EventRecord, listEvents } from '../../src/app/events.js';
import { DemoClient, type Json } from '../../src/cli/demo-client.js';
import {
  type DemoContext,
  draftBackdRefund,
  seedBackd,
  seedMpg,
  seedPoints,
  seedReconciliation,
  settleBackdRefund,
} from '../../src/cli/demo-stories.js';
import { refundRequestLocker } from '../../src/jobs/refund-request-locker.js';
import { EVENT_TYPES } from '../../src/domain/events.js';
import { formatCarries, WEBHOOK_FORMATS } from '../../src/domain/webhooks.js';
import { webhookBody } from '../../src/webhooks/formats.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const isTimeField = (key: string) => key === 'timestamp' || key.endsWith('_at');

const DAY_MS = 86_400_000;
const CARD = { type: 'card', month: 12, year: 2099, security_code: '123' };
const DEVICE = { user_agent: 'payload walk', ip_address: '192.0.2.1' };

/**
 * Event types no request can produce today: an MPG follow-up is always approved, so
 * `order.operation_failed` is never written (docs/dialects/mpg.md). Its payload is the ledger's,
 * as every other order event's.
 */
const UNREACHABLE = new Set(['order.operation_failed']);

/** Every time field under `value`, with its path. */
function timeFields(value: unknown, path = '$'): Array<{ path: string; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => timeFields(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(isTimeField(key) && v !== null ? [{ path: `${path}.${key}`, value: v }] : []),
    ...timeFields(v, `${path}.${key}`),
  ]);
}

/** The demo's stories, in the order `unwind demo` tells them, with the reconciliation applied. */
async function seedStories(t: TestApp, ctx: DemoContext) {
  const start = t.clock.now();
  const points = await seedPoints(ctx);
  ctx.advanceTo(start + DAY_MS);
  const backd = await seedBackd(ctx);
  ctx.advanceTo(start + 2 * DAY_MS);
  await seedMpg(ctx);
  await settleBackdRefund(ctx, backd);
  ctx.advanceTo(start + 5 * DAY_MS);
  const run = await seedReconciliation(ctx, points, start);
  ctx.advance(3 * DAY_MS); // past the grace period: applying refunds what the report lacks
  await ctx.client.json(ctx.admin, 'POST', `/admin/reconciliations/${run.id}/apply`);
  await draftBackdRefund(ctx, backd);
  return backd;
}

/** The events the stories do not make: a shipping status, an extension, a reversal, and more. */
async function seedTheRest(ctx: DemoContext, backd: Awaited<ReturnType<typeof seedBackd>>) {
  const { client, admin } = ctx;
  const merchant = await client.json(
    admin,
    'POST',
    '/admin/merchants',
    { name: 'Payload Walk', currency: 'SAR' },
    201,
  );
  const points = { pointsKey: merchant.credentials.points.api_key as string };
  const phone = '0555000199';
  await client.json(
    admin,
    'POST',
    '/admin/points/customers',
    { phone_number: phone, balance: 0 },
    201,
  );
  const earned = await client.json(points, 'POST', '/points/api/v1/orders/earning', {
    phone_number: phone,
    total_price: 10,
    order_number: 'WALK-1',
    products: [{ product_name: 'Soap', product_price: 10, quantity: 1 }],
  });
  await client.json(points, 'POST', `/points/api/v1/orders/${earned.data.uuid}/status`, {
    status: 'delivered',
  });

  const mpg = { mpgKey: merchant.credentials.mpg.api_key as string };
  const authorize = (number: string): Promise<Json> =>
    client.json(mpg, 'POST', '/mpg/v1/orders/authorize', {
      order_id: crypto.randomUUID(),
      amount: 1000,
      currency: 'SAR',
      description: 'Payload walk',
      source: { ...CARD, number },
      device: DEVICE,
    });
  const held = await authorize('4111111111111111');
  await client.json(mpg, 'POST', `/mpg/v1/orders/${held.id}/extend`, {});
  const timedOut = await authorize('4000000000000341');
  await client.json(mpg, 'POST', `/mpg/v1/transactions/${timedOut.transactions[0].id}/reverse`, {
    reason: 'gateway_timeout',
  });

  // Backd: update the placed order, and replace the draft refund request (declining it).
  const orders = await client.json(
    admin,
    'GET',
    `/admin/orders?merchant_id=${backd.merchant.id}&dialect=backd&limit=50`,
  );
  // DEMO-B-1003 is the story's order left placed.
  const placed = (orders.data as Json[]).find((o) => o.merchant_order_id === 'DEMO-B-1003');
  assert.ok(placed, 'the stories leave a placed Backd order');
  await client.json(backd.auth, 'POST', '/backd/update_order', {
    backd_order_id: placed.backd_order_id,
    merchant_order_id: placed.merchant_order_id,
    merchant_order_status: 'packed',
  });
  await client.json(backd.auth, 'POST', '/backd/refund', { ...backd.pending, refund_amount: 10 });
}

/**
 * An endpoint whose every attempt fails for five days is disabled, and the merchant's other
 * endpoint hears of it (`endpoint.disabled`).
 */
async function seedDisabledEndpoint(ctx: DemoContext, failingUrl: string, healthyUrl: string) {
  const { client, admin } = ctx;
  const merchant = await client.json(admin, 'POST', '/admin/merchants', { name: 'Down' }, 201);
  const hooks = `/admin/merchants/${merchant.id}/webhooks`;
  await client.json(admin, 'POST', hooks, { url: `${failingUrl}/down` }, 201);
  await client.json(admin, 'POST', hooks, { url: `${healthyUrl}/up` }, 201);
  const order = await client.json(
    admin,
    'POST',
    '/admin/orders',
    { merchant_id: merchant.id, amount_minor: 1000 },
    201,
  );
  const refundAndRun = async () => {
    await client.json(admin, 'POST', `/admin/orders/${order.id}/refund`, { amount_minor: 1 });
    await client.json(admin, 'POST', '/admin/jobs/run', {});
  };
  await refundAndRun();
  ctx.advance(5 * DAY_MS);
  await refundAndRun();
}

/** Every time field of `value` that is not a string of `shape`, named by its path. */
const offenders = (value: unknown, shape: RegExp, where: string) =>
  timeFields(value)
    .filter((f) => typeof f.value !== 'string' || !shape.test(f.value))
    .map((f) => `${where} ${f.path} = ${JSON.stringify(f.value)}`);

function suite(factory: StoreFactory, skip?: string) {
  describe(`event payload times are ISO 8601 strings: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let events: EventRecord[];
    let failing: Receiver;
    let healthy: Receiver;

    before(async () => {
      t = await startTestApp(factory);
      failing = await startReceiver({ status: 500 });
      healthy = await startReceiver();
      const locker = refundRequestLocker(t.deps);
      const ctx: DemoContext = {
        client: new DemoClient(t.app),
        admin: { admin: TEST_ADMIN_TOKEN },
        advance: (ms) => t.clock.advance(ms),
        advanceTo: (at) => t.clock.set(Math.max(t.clock.now(), at)),
        async runRefundRequestJob() {
          let total = 0;
          for (let n = await locker.step(); n > 0; n = await locker.step()) total += n;
          return total;
        },
      };
      const backd = await seedStories(t, ctx);
      await seedTheRest(ctx, backd);
      await seedDisabledEndpoint(ctx, failing.url, healthy.url);
      events = await listEvents(t.deps, { limit: 1000 });
    });

    after(async () => {
      await Promise.all([failing?.close(), healthy?.close()]);
      await t?.close();
    });

    it('the requests made an event of every type', () => {
      const made = new Set(events.map((e) => e.type));
      const missing = EVENT_TYPES.filter((type) => !made.has(type) && !UNREACHABLE.has(type));
      assert.deepEqual(missing, []);
    });

    it('GET /admin/events: every time in every payload is ISO 8601 with milliseconds', async () => {
      const problems: string[] = [];
      let cursor: string | null = null;
      let read = 0;
      do {
        const page: {
          data: Array<{ type: string; payload: unknown }>;
          next_cursor: string | null;
        } = await t.call(
          { method: 'GET', url: `/admin/events?limit=100${cursor ? `&cursor=${cursor}` : ''}` },
          200,
        );
        for (const e of page.data) problems.push(...offenders(e.payload, ISO_MS, e.type));
        read += page.data.length;
        cursor = page.next_cursor;
      } while (cursor);
      assert.equal(read, events.length);
      assert.deepEqual(problems, []);
    });

    it('webhook bodies: ISO 8601 with milliseconds, to the second in the Points format', () => {
      const problems: string[] = [];
      let pointsBodies = 0;
      for (const event of events) {
        for (const format of WEBHOOK_FORMATS) {
          if (!formatCarries(format, eventFacts(event))) continue;
          pointsBodies += format === 'points' ? 1 : 0;
          const body = JSON.parse(webhookBody(format, event)) as unknown;
          const shape = format === 'points' ? ISO_SECONDS : ISO_MS;
          problems.push(...offenders(body, shape, `${format} ${event.type}`));
        }
      }
      assert.ok(pointsBodies > 0, 'some events go to Points endpoints');
      assert.deepEqual(problems, []);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
