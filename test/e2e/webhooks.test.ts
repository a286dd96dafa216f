// Proves the webhooks feature end to end on SQLite and PostgreSQL alike: the real server (in
// process, test clock frozen, jobs run only through POST /admin/jobs/run) delivers signed events
// to a real HTTP receiver, retries on the policy's schedule, dies, replays, disables on 410,
// rotates secrets, fans out exactly once per enabled endpoint in the event's own transaction,
// validates URLs, and (with a sender that refuses private addresses) never reaches loopback.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { JITTER_FRACTION, RETRY_DELAYS_MS } from '../../src/domain/webhooks.js';
import { createSender } from '../../src/webhooks/sender.js';
import { verifyWebhook, WebhookVerificationError } from '../../src/webhooks/verify.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  headerOf,
  type ReceivedRequest,
  type Receiver,
  startReceiver,
} from '../support/receiver.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const DAY_S = 86_400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface EndpointJson {
  id: string;
  merchant_id: string;
  url: string;
  format: string;
  retry_policy: string;
  enabled: boolean;
  disabled_reason: string | null;
  secret_prefix: string;
  secret?: string;
  previous_secret_expires_at: string | null;
}

interface AttemptJson {
  attempt: number;
  status_code: number | null;
  error: string | null;
}

interface DeliveryJson {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  delivered_at: string | null;
  attempt_log?: AttemptJson[];
}

interface EventJson {
  id: string;
  type: string;
  order_id: string | null;
}

interface ErrorJson {
  error: { code: string };
}

/** The parsed JSON of a standard-format body. */
interface StandardBody {
  type: string;
  timestamp: string;
  data: { event_id: string } & Record<string, unknown>;
}

// ---- a small admin client over app.inject ------------------------------------------------------

const call = <T>(t: TestApp, options: InjectOptions, expected: number): Promise<T> =>
  t.call<T>(options, expected);

const createMerchant = async (t: TestApp): Promise<string> =>
  (
    await call<{ id: string }>(
      t,
      { method: 'POST', url: '/admin/merchants', payload: { name: 'Hook Shop' } },
      201,
    )
  ).id;

const createOrder = async (t: TestApp, merchantId: string, amountMinor = 100_000) =>
  (
    await call<{ id: string }>(
      t,
      {
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: merchantId, amount_minor: amountMinor, capture: 'purchase' },
      },
      201,
    )
  ).id;

const refund = (t: TestApp, orderId: string, amountMinor = 100) =>
  call<{ refunded_minor: number }>(
    t,
    {
      method: 'POST',
      url: `/admin/orders/${orderId}/refund`,
      payload: { amount_minor: amountMinor },
    },
    200,
  );

const createEndpoint = (t: TestApp, merchantId: string, body: Record<string, unknown>) =>
  call<EndpointJson & { secret: string }>(
    t,
    { method: 'POST', url: `/admin/merchants/${merchantId}/webhooks`, payload: body },
    201,
  );

const getEndpoint = (t: TestApp, merchantId: string, endpointId: string) =>
  call<EndpointJson>(
    t,
    { method: 'GET', url: `/admin/merchants/${merchantId}/webhooks/${endpointId}` },
    200,
  );

const patchEndpoint = (
  t: TestApp,
  merchantId: string,
  endpointId: string,
  body: Record<string, unknown>,
) =>
  call<EndpointJson>(
    t,
    {
      method: 'PATCH',
      url: `/admin/merchants/${merchantId}/webhooks/${endpointId}`,
      payload: body,
    },
    200,
  );

const runJobs = (t: TestApp) =>
  call<{ jobs: Record<string, number> }>(t, { method: 'POST', url: '/admin/jobs/run' }, 200);

const advance = (t: TestApp, seconds: number) =>
  call(t, { method: 'POST', url: '/admin/clock/advance', payload: { seconds } }, 200);

const getDelivery = (t: TestApp, id: string) =>
  call<DeliveryJson>(t, { method: 'GET', url: `/admin/deliveries/${id}` }, 200);

async function listDeliveries(t: TestApp, query: Record<string, string>): Promise<DeliveryJson[]> {
  const all: DeliveryJson[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ ...query, limit: '500', ...(cursor ? { cursor } : {}) });
    const page: { data: DeliveryJson[]; next_cursor: string | null } = await call(
      t,
      { method: 'GET', url: `/admin/deliveries?${qs.toString()}` },
      200,
    );
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

async function eventsOf(t: TestApp, query: Record<string, string>): Promise<EventJson[]> {
  const qs = new URLSearchParams({ ...query, limit: '500' });
  return (await call<{ data: EventJson[] }>(t, { method: 'GET', url: `/admin/events?${qs}` }, 200))
    .data;
}

const nowSeconds = (t: TestApp) => Math.floor(t.clock.now() / 1000);

/** verifyWebhook on a received request, at the test clock's time. */
const verifyAt = (secret: string, request: ReceivedRequest, now: number, body?: string) =>
  verifyWebhook(secret, request.headers, body ?? request.body, { nowSeconds: now });

/** Asserts that `ms` (an ISO time) lies within the jittered delay after `fromMs`. */
function assertDelayWithinJitter(nextIso: string | null, fromMs: number, nominalMs: number) {
  assert.ok(nextIso, 'a retry must be scheduled');
  const delay = Date.parse(nextIso) - fromMs;
  const low = Math.floor(nominalMs * (1 - JITTER_FRACTION));
  const high = Math.ceil(nominalMs * (1 + JITTER_FRACTION));
  assert.ok(delay >= low && delay <= high, `retry delay ${delay} ms outside [${low}, ${high}]`);
}

/** Failure injected around the store: inserting a delivery raises an error. */
function refuseDeliveryInsertsSql(engine: 'sqlite' | 'postgres'): { on: string; off: string } {
  return engine === 'sqlite'
    ? {
        on: `CREATE TRIGGER test_refuse_delivery BEFORE INSERT ON deliveries
             BEGIN SELECT RAISE(ABORT, 'delivery insert refused by the test'); END;`,
        off: 'DROP TRIGGER test_refuse_delivery;',
      }
    : {
        on: `CREATE FUNCTION test_refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'delivery insert refused by the test'; END $$;
             CREATE TRIGGER test_refuse_delivery BEFORE INSERT ON deliveries
               FOR EACH ROW EXECUTE FUNCTION test_refuse_delivery();`,
        off: `DROP TRIGGER test_refuse_delivery ON deliveries;
              DROP FUNCTION test_refuse_delivery();`,
      };
}

function defineWebhookSuite(factory: StoreFactory, skip?: string): void {
  describe(`webhooks end to end: ${factory.engine}`, { skip }, () => {
    // A fresh app (own store, clock at 2026-11-23T12:00Z) and receiver per test, so no pending
    // retry of one test can come due in another.
    let t: TestApp;
    let receiver: Receiver;
    beforeEach(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await receiver.close();
      await t.close();
    });

    it('a refund produces exactly one signed delivery that verifyWebhook accepts', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId);
      const endpoint = await createEndpoint(t, merchantId, { url: `${receiver.url}/hooks` });
      assert.match(endpoint.secret, /^whsec_/);
      await refund(t, orderId, 250);
      await runJobs(t);
      await runJobs(t); // nothing more is due: still one request

      assert.equal(receiver.requests.length, 1);
      const request = receiver.requests[0]!;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/hooks');
      assert.equal(headerOf(request, 'content-type'), 'application/json');
      assert.equal(headerOf(request, 'webhook-timestamp'), String(nowSeconds(t)));

      const deliveries = await listDeliveries(t, { endpoint_id: endpoint.id });
      assert.equal(deliveries.length, 1);
      const delivery = deliveries[0]!;
      assert.equal(headerOf(request, 'webhook-id'), delivery.id);
      assert.equal(delivery.status, 'delivered');
      assert.equal(delivery.event_type, 'order.refunded');

      const [event] = await eventsOf(t, { order_id: orderId, type: 'order.refunded' });
      assert.ok(event);
      assert.equal(delivery.event_id, event.id);

      const verified = verifyAt(endpoint.secret, request, nowSeconds(t)) as StandardBody;
      assert.deepEqual(verified, JSON.parse(request.body));
      assert.deepEqual(Object.keys(verified).sort(), ['data', 'timestamp', 'type']);
      assert.equal(verified.type, 'order.refunded');
      assert.equal(verified.data.event_id, event.id);
      // When the event occurred (the frozen clock's now), not when it was sent.
      assert.equal(verified.timestamp, new Date(t.clock.now()).toISOString());

      const tampered = request.body.replace('"order.refunded"', '"order.refundeD"');
      assert.notEqual(tampered, request.body);
      assert.throws(
        () => verifyAt(endpoint.secret, request, nowSeconds(t), tampered),
        WebhookVerificationError,
      );
      assert.throws(
        () => verifyAt(endpoint.secret, request, nowSeconds(t), `${request.body} `),
        WebhookVerificationError,
      );
      const wrongSecret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
      assert.throws(() => verifyAt(wrongSecret, request, nowSeconds(t)), WebhookVerificationError);
      // A captured request replayed later than the tolerance is refused too.
      assert.throws(
        () => verifyAt(endpoint.secret, request, nowSeconds(t) + 301),
        WebhookVerificationError,
      );
    });

    it('500, 500, 200: three attempts on the backoff schedule, one webhook-id, delivered', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId);
      const endpoint = await createEndpoint(t, merchantId, { url: `${receiver.url}/retry` });
      receiver.queue(500, 500);
      await refund(t, orderId);
      const sentAt: number[] = [];

      sentAt.push(nowSeconds(t));
      const firstAt = t.clock.now();
      await runJobs(t);
      assert.equal(receiver.requests.length, 1);
      const deliveryId = headerOf(receiver.requests[0]!, 'webhook-id')!;
      let delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'pending');
      assert.equal(delivery.attempts, 1);
      assertDelayWithinJitter(delivery.next_attempt_at, firstAt, RETRY_DELAYS_MS.standard[0]!);

      await runJobs(t); // not due yet: the clock has not moved
      assert.equal(receiver.requests.length, 1);

      await advance(t, 7); // past 5 s + 20%
      sentAt.push(nowSeconds(t));
      const secondAt = t.clock.now();
      await runJobs(t);
      assert.equal(receiver.requests.length, 2);
      delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'pending');
      assertDelayWithinJitter(delivery.next_attempt_at, secondAt, RETRY_DELAYS_MS.standard[1]!);

      await advance(t, 60); // 4 minutes short of the earliest second retry
      await runJobs(t);
      assert.equal(receiver.requests.length, 2);

      await advance(t, 6 * 60); // past 5 min + 20%
      sentAt.push(nowSeconds(t));
      await runJobs(t);
      assert.equal(receiver.requests.length, 3);

      assert.deepEqual(
        receiver.requests.map((r) => headerOf(r, 'webhook-id')),
        [deliveryId, deliveryId, deliveryId],
      );
      // Each attempt is signed afresh for its own moment, and verifies at that moment.
      receiver.requests.forEach((r, i) => {
        assert.equal(headerOf(r, 'webhook-timestamp'), String(sentAt[i]));
        verifyAt(endpoint.secret, r, sentAt[i]!);
      });
      delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'delivered');
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.next_attempt_at, null);
      assert.ok(delivery.delivered_at);
      assert.deepEqual(
        delivery.attempt_log?.map((a) => [a.attempt, a.status_code]),
        [
          [1, 500],
          [2, 500],
          [3, 200],
        ],
      );
    });

    it('points policy: dead after exactly 3 failed attempts, then replay delivers it', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId);
      const endpoint = await createEndpoint(t, merchantId, {
        url: `${receiver.url}/points-policy`,
        retry_policy: 'points',
      });
      assert.equal(endpoint.retry_policy, 'points');
      receiver.answerWith(503);
      await refund(t, orderId);

      let at = t.clock.now();
      await runJobs(t);
      const deliveryId = headerOf(receiver.requests[0]!, 'webhook-id')!;
      let delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'pending');
      assertDelayWithinJitter(delivery.next_attempt_at, at, RETRY_DELAYS_MS.points[0]!);

      await advance(t, 12); // past 10 s + 20%
      at = t.clock.now();
      await runJobs(t);
      assert.equal(receiver.requests.length, 2);
      delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'pending');
      assertDelayWithinJitter(delivery.next_attempt_at, at, RETRY_DELAYS_MS.points[1]!);

      await advance(t, 72); // past 60 s + 20%
      await runJobs(t);
      assert.equal(receiver.requests.length, 3);
      delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'dead');
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.next_attempt_at, null);
      assert.deepEqual(
        delivery.attempt_log?.map((a) => a.status_code),
        [503, 503, 503],
      );

      // Dead means no fourth attempt, however long we wait.
      await advance(t, 3 * DAY_S);
      await runJobs(t);
      assert.equal(receiver.requests.length, 3);

      receiver.answerWith(200);
      const replayed = await call<DeliveryJson>(
        t,
        { method: 'POST', url: `/admin/deliveries/${deliveryId}/replay` },
        202,
      );
      assert.equal(replayed.status, 'pending');
      await runJobs(t);
      assert.equal(receiver.requests.length, 4);
      assert.deepEqual(
        receiver.requests.map((r) => headerOf(r, 'webhook-id')),
        [deliveryId, deliveryId, deliveryId, deliveryId],
      );
      verifyAt(endpoint.secret, receiver.requests[3]!, nowSeconds(t));
      delivery = await getDelivery(t, deliveryId);
      assert.equal(delivery.status, 'delivered');
      assert.deepEqual(
        delivery.attempt_log?.map((a) => a.status_code),
        [503, 503, 503, 200],
      );
      assert.equal((await listDeliveries(t, { endpoint_id: endpoint.id })).length, 1);
    });

    it('format points: {event, order, timestamp} with x-webhook-event and x-webhook-secret', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId, 10_000);
      const endpoint = await createEndpoint(t, merchantId, {
        url: `${receiver.url}/points-format`,
        format: 'points',
      });
      assert.equal(endpoint.format, 'points');
      await refund(t, orderId, 2_500);
      await runJobs(t);

      assert.equal(receiver.requests.length, 1);
      const request = receiver.requests[0]!;
      assert.equal(headerOf(request, 'x-webhook-event'), 'refunded');
      assert.equal(headerOf(request, 'x-webhook-secret'), endpoint.secret);
      const body = JSON.parse(request.body) as {
        event: string;
        order: Record<string, unknown>;
        timestamp: string;
      };
      assert.deepEqual(Object.keys(body).sort(), ['event', 'order', 'timestamp']);
      assert.equal(body.event, 'refunded');
      assert.equal(body.order['id'], orderId);
      assert.equal(typeof body.order['id'], 'string');
      assert.match(body.order['id'] as string, UUID);
      assert.equal(typeof body.order['type'], 'string');
      assert.equal(body.order['order_status'], 'partially_refunded');
      assert.equal(body.order['total_price'], 100); // SAR numbers, not minor units
      assert.equal(body.order['refund_amount'], 25);
      assert.equal(body.order['left_amount'], 75);
      assert.match(body.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      // The Standard Webhooks signature comes along on this format too.
      assert.deepEqual(verifyAt(endpoint.secret, request, nowSeconds(t)), body);
    });

    it('410 Gone disables the endpoint; later events make no deliveries until re-enabled', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId);
      const endpoint = await createEndpoint(t, merchantId, { url: `${receiver.url}/gone` });
      receiver.queue(410);
      await refund(t, orderId);
      await runJobs(t);
      assert.equal(receiver.requests.length, 1);

      const [first] = await listDeliveries(t, { endpoint_id: endpoint.id });
      assert.ok(first);
      const gone = await getDelivery(t, first.id);
      assert.equal(gone.status, 'dead');
      assert.deepEqual(
        gone.attempt_log?.map((a) => a.status_code),
        [410],
      );
      const disabled = await getEndpoint(t, merchantId, endpoint.id);
      assert.equal(disabled.enabled, false);
      assert.ok(disabled.disabled_reason && disabled.disabled_reason.length > 0);

      await refund(t, orderId);
      await refund(t, orderId);
      assert.equal((await listDeliveries(t, { endpoint_id: endpoint.id })).length, 1);
      await advance(t, DAY_S);
      await runJobs(t);
      assert.equal(receiver.requests.length, 1);

      const enabled = await patchEndpoint(t, merchantId, endpoint.id, { enabled: true });
      assert.equal(enabled.enabled, true);
      assert.equal(enabled.disabled_reason, null);
      await refund(t, orderId);
      const later = await listDeliveries(t, { endpoint_id: endpoint.id });
      assert.equal(later.length, 2);
      await runJobs(t);
      assert.equal(receiver.requests.length, 2);
      const latest = later.find((d) => d.id !== first.id)!;
      assert.equal(headerOf(receiver.requests[1]!, 'webhook-id'), latest.id);
      assert.equal((await getDelivery(t, latest.id)).status, 'delivered');
    });

    it('secret rotation signs with old and new secret for 24 h, then with the new only', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId);
      const created = await createEndpoint(t, merchantId, { url: `${receiver.url}/rotate` });
      const oldSecret = created.secret;
      const rotated = await patchEndpoint(t, merchantId, created.id, { rotate_secret: true });
      assert.ok(rotated.secret, 'a rotation returns the new secret');
      const newSecret = rotated.secret;
      assert.notEqual(newSecret, oldSecret);
      assert.equal(
        rotated.previous_secret_expires_at,
        new Date(t.clock.now() + DAY_S * 1000).toISOString(),
      );

      await refund(t, orderId);
      await runJobs(t);
      const during = receiver.requests[0]!;
      const signatures = headerOf(during, 'webhook-signature')!.split(' ');
      assert.equal(signatures.length, 2);
      assert.ok(signatures.every((s) => s.startsWith('v1,')));
      verifyAt(oldSecret, during, nowSeconds(t));
      verifyAt(newSecret, during, nowSeconds(t));

      await advance(t, DAY_S + 1);
      await refund(t, orderId);
      await runJobs(t);
      assert.equal(receiver.requests.length, 2);
      const afterOverlap = receiver.requests[1]!;
      const single = headerOf(afterOverlap, 'webhook-signature')!.split(' ');
      assert.equal(single.length, 1);
      assert.ok(single[0]!.startsWith('v1,'));
      verifyAt(newSecret, afterOverlap, nowSeconds(t));
      assert.throws(
        () => verifyAt(oldSecret, afterOverlap, nowSeconds(t)),
        WebhookVerificationError,
      );
    });

    it('fan-out: 30 concurrent refunds, one delivery per event per enabled endpoint', async () => {
      const merchantId = await createMerchant(t);
      const a = await createEndpoint(t, merchantId, { url: `${receiver.url}/a` });
      const b = await createEndpoint(t, merchantId, { url: `${receiver.url}/b` });
      const off = await createEndpoint(t, merchantId, {
        url: `${receiver.url}/off`,
        enabled: false,
      });
      assert.equal(off.enabled, false);
      const orders = await Promise.all(
        Array.from({ length: 10 }, () => createOrder(t, merchantId)),
      );
      await Promise.all(
        orders.flatMap((id) => [refund(t, id, 1), refund(t, id, 2), refund(t, id, 3)]),
      );

      const events = (await t.testStore.rawRows('events')).filter(
        (e) => e['merchant_id'] === merchantId,
      );
      assert.equal(events.length, 40); // 10 order.created + 30 order.refunded
      assert.equal(events.filter((e) => e['type'] === 'order.refunded').length, 30);
      const deliveries = (await t.testStore.rawRows('deliveries')).filter(
        (d) => d['merchant_id'] === merchantId,
      );
      assert.equal(deliveries.length, 2 * events.length);
      const byEvent = new Map<string, string[]>();
      for (const d of deliveries) {
        const list = byEvent.get(d['event_id'] as string) ?? [];
        list.push(d['endpoint_id'] as string);
        byEvent.set(d['event_id'] as string, list);
      }
      const eventIds = new Set(events.map((e) => e['id'] as string));
      assert.deepEqual(new Set(byEvent.keys()), eventIds, 'no delivery without its event');
      for (const id of eventIds) {
        assert.deepEqual(byEvent.get(id)?.sort(), [a.id, b.id].sort(), `event ${id}`);
      }
      assert.equal((await listDeliveries(t, { endpoint_id: off.id })).length, 0);

      await runJobs(t);
      const received = (path: string) =>
        receiver
          .requestsTo(path)
          .map((r) => (JSON.parse(r.body) as StandardBody).data.event_id)
          .sort();
      assert.deepEqual(received('/a'), [...eventIds].sort());
      assert.deepEqual(received('/b'), [...eventIds].sort());
      assert.equal(receiver.requestsTo('/off').length, 0);
      assert.equal(receiver.requests.length, 2 * eventIds.size);
    });

    it('an event is never committed without its deliveries (a failing fan-out rolls back)', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId, 5_000);
      await createEndpoint(t, merchantId, { url: `${receiver.url}/atomic` });
      const eventsBefore = (await t.testStore.rawRows('events')).length;
      const deliveriesBefore = (await t.testStore.rawRows('deliveries')).length;

      const sql = refuseDeliveryInsertsSql(t.testStore.engine);
      await t.testStore.rawExec(sql.on);
      try {
        const res = await t.admin({
          method: 'POST',
          url: `/admin/orders/${orderId}/refund`,
          payload: { amount_minor: 700 },
        });
        assert.equal(res.statusCode, 500, res.body);
      } finally {
        await t.testStore.rawExec(sql.off);
      }
      assert.equal((await t.testStore.rawRows('events')).length, eventsBefore);
      assert.equal((await t.testStore.rawRows('deliveries')).length, deliveriesBefore);
      const order = await call<{ refunded_minor: number }>(
        t,
        { method: 'GET', url: `/admin/orders/${orderId}` },
        200,
      );
      assert.equal(order.refunded_minor, 0, 'the refund rolled back with its event');

      assert.equal((await refund(t, orderId, 700)).refunded_minor, 700);
      assert.equal((await t.testStore.rawRows('events')).length, eventsBefore + 1);
      assert.equal((await t.testStore.rawRows('deliveries')).length, deliveriesBefore + 1);
    });

    it('replay since: delivered deliveries are reset and sent again, missing ones created', async () => {
      const merchantId = await createMerchant(t);
      const orderId = await createOrder(t, merchantId);
      await advance(t, 60);
      const since = new Date(t.clock.now()).toISOString();
      await advance(t, 1);
      await refund(t, orderId); // before the endpoint exists: no delivery yet
      await advance(t, 1);
      const endpoint = await createEndpoint(t, merchantId, { url: `${receiver.url}/replay` });
      await refund(t, orderId);
      await advance(t, 1);
      await refund(t, orderId);
      await runJobs(t);
      assert.equal(receiver.requests.length, 2);
      const firstIds = receiver.requests.map((r) => headerOf(r, 'webhook-id')!);
      for (const id of firstIds) assert.equal((await getDelivery(t, id)).status, 'delivered');

      await advance(t, 60);
      const result = await call<{ reset: number; created: number; next_cursor: string | null }>(
        t,
        { method: 'POST', url: `/admin/webhooks/${endpoint.id}/replay`, payload: { since } },
        202,
      );
      assert.deepEqual(result, { reset: 2, created: 1, next_cursor: null });
      for (const id of firstIds) assert.equal((await getDelivery(t, id)).status, 'pending');

      await runJobs(t);
      assert.equal(receiver.requests.length, 5);
      const replayed = receiver.requests.slice(2).map((r) => headerOf(r, 'webhook-id')!);
      for (const id of firstIds) assert.ok(replayed.includes(id), `${id} sent again, same id`);
      const all = await listDeliveries(t, { endpoint_id: endpoint.id });
      assert.equal(all.length, 3);
      assert.ok(all.every((d) => d.status === 'delivered'));
      // The order.created event before `since` was not replayed.
      const types = receiver.requests.map((r) => (JSON.parse(r.body) as StandardBody).type);
      assert.ok(types.every((type) => type === 'order.refunded'));
      for (const r of receiver.requests.slice(2)) verifyAt(endpoint.secret, r, nowSeconds(t));
    });

    it('webhook URLs are validated (422 webhook.invalid_url) and unique (409)', async () => {
      const merchantId = await createMerchant(t);
      const base = `/admin/merchants/${merchantId}/webhooks`;
      for (const url of ['ftp://x', 'not a url', 'http://user:pw@host/', 'http://user@host/']) {
        const bad = await call<ErrorJson>(t, { method: 'POST', url: base, payload: { url } }, 422);
        assert.equal(bad.error.code, 'webhook.invalid_url', url);
      }
      const url = `${receiver.url}/unique`;
      const first = await createEndpoint(t, merchantId, { url });
      const duplicate = await call<ErrorJson>(
        t,
        { method: 'POST', url: base, payload: { url } },
        409,
      );
      assert.equal(duplicate.error.code, 'webhook.duplicate_url');

      const second = await createEndpoint(t, merchantId, { url: `${receiver.url}/other` });
      const patchUrl = `${base}/${second.id}`;
      const taken = await call<ErrorJson>(
        t,
        { method: 'PATCH', url: patchUrl, payload: { url } },
        409,
      );
      assert.equal(taken.error.code, 'webhook.duplicate_url');
      const invalid = await call<ErrorJson>(
        t,
        { method: 'PATCH', url: patchUrl, payload: { url: 'ftp://x' } },
        422,
      );
      assert.equal(invalid.error.code, 'webhook.invalid_url');

      const listed = await call<{ data: EndpointJson[] }>(t, { method: 'GET', url: base }, 200);
      assert.deepEqual(listed.data.map((e) => e.id).sort(), [first.id, second.id].sort());
      assert.ok(
        listed.data.every((e) => e.secret === undefined),
        'lists never show secrets',
      );
    });
  });
}

defineWebhookSuite(sqliteFactory);
defineWebhookSuite(postgresFactory, await postgresSkipReason());

// The replay batch bound is a rule of the use case, not of a store, so this runs on SQLite only
// (10,600 events are written straight through the store: through the API it would take minutes).
describe('replay since beyond one batch (SQLite)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(sqliteFactory);
  });
  after(async () => {
    await t.close();
  });

  it('a replay past one batch hands back a cursor, and following it replays the rest', async () => {
    const merchantId = await createMerchant(t);
    const url = 'http://127.0.0.1:9'; // never contacted: no job runs here
    const standard = await createEndpoint(t, merchantId, { url: `${url}/standard` });
    const points = await createEndpoint(t, merchantId, {
      url: `${url}/points`,
      format: 'points',
    });
    // 600 alternating refunds and voids (Points has no void event), then 10,000 refunds.
    const types = [
      ...Array.from({ length: 600 }, (_, i) => (i % 2 ? 'order.voided' : 'order.refunded')),
      ...Array<string>(10_000).fill('order.refunded'),
    ];
    const since = t.clock.now() + 1_000;
    await t.deps.store.transaction(async (tx) => {
      for (const [i, type] of types.entries()) {
        await tx.insertEvent({
          id: t.deps.newId(),
          merchantId,
          orderId: null,
          type,
          actor: 'admin',
          reason: null,
          statusBefore: 'captured',
          statusAfter: type === 'order.voided' ? 'voided' : 'partially_refunded',
          idempotencyKey: null,
          requestFingerprint: null,
          payload: { order: { capture_method: 'authorize' } },
          createdAt: since + i,
        });
      }
    });
    const replayAll = async (endpointId: string, maxCalls: number) => {
      let cursor: string | null = null;
      for (let calls = 0; calls < maxCalls; calls++) {
        const result: { next_cursor: string | null } = await call<{ next_cursor: string | null }>(
          t,
          {
            method: 'POST',
            url: `/admin/webhooks/${endpointId}/replay`,
            payload: {
              since: new Date(since).toISOString(),
              ...(cursor ? { cursor } : {}),
            },
          },
          202,
        );
        cursor = result.next_cursor;
        if (cursor === null) break;
      }
      return (await t.testStore.rawRows('deliveries')).filter(
        (d) => d['endpoint_id'] === endpointId,
      ).length;
    };
    // Each endpoint's events fit in two batches of 10,000.
    assert.deepEqual(
      { points: await replayAll(points.id, 2), standard: await replayAll(standard.id, 2) },
      { points: 10_300, standard: 10_600 },
    );
    // Each call is one admin action: the first stopped short after 10,000 events (Points skips
    // the 300 voids among them), the continuation finished.
    const recorded = await call<{ data: { details: Record<string, unknown> }[] }>(
      t,
      {
        method: 'GET',
        url: `/admin/actions?action=webhook.replayed_since&merchant_id=${merchantId}`,
      },
      200,
    );
    assert.deepEqual(
      recorded.data.map((a) => [
        a.details['continued'],
        a.details['complete'],
        a.details['created'],
      ]),
      [
        [false, false, 9_700],
        [true, true, 600],
        [false, false, 10_000],
        [true, true, 600],
      ],
    );
  });
});

describe('webhook sender refuses private addresses unless allowed', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('127.0.0.1, localhost and their disguises fail without reaching the receiver', async () => {
    const strict = createSender({ timeoutMs: 2_000, allowPrivate: false, excerptBytes: 1024 });
    const open = createSender({ timeoutMs: 2_000, allowPrivate: true, excerptBytes: 1024 });
    try {
      const headers = { 'content-type': 'application/json' };
      const targets = [
        `http://127.0.0.1:${receiver.port}/private`,
        `http://localhost:${receiver.port}/private`,
        `http://2130706433:${receiver.port}/private`, // 127.0.0.1 as one number
        `http://[::ffff:127.0.0.1]:${receiver.port}/private`,
        `http://[::1]:${receiver.port}/private`,
      ];
      for (const url of targets) {
        const result = await strict(url, headers, '{}');
        assert.equal(result.statusCode, null, url);
        assert.ok(result.error, url);
        assert.match(result.error, /private/, url);
      }
      assert.equal(receiver.requests.length, 0, 'no request reached the receiver');

      // The same receiver is reachable when private delivery is allowed: the refusal is real.
      const allowed = await open(`http://127.0.0.1:${receiver.port}/private`, headers, '{}');
      assert.equal(allowed.statusCode, 200);
      assert.equal(receiver.requests.length, 1);
    } finally {
      strict.close();
      open.close();
    }
  });
});
