// Proves webhook delivery survives real processes dying and scales out safely: compiled `unwind
// serve` children are SIGKILLed before dispatch and mid-send and the restarted server still
// delivers every committed event (at least once, never zero), and two servers with their workers
// on, sharing one PostgreSQL schema, deliver 1,000 events to a real receiver exactly once each:
// one arrival and one recorded attempt per delivery, whatever the machine's load (the claim
// outlives its attempt by construction, and the timeout is far beyond the receiver's answer).
import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { verifyWebhook } from '../../src/webhooks/verify.js';
import { headerOf, type Receiver, startReceiver } from '../support/receiver.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const EVENTS = 1_000;
const ORDERS = 20;
const CLIENT_CONCURRENCY = 32;
/** Only a bound on a hung test: the assertions count, they never time. */
const DELIVERY_DEADLINE_MS = 240_000;
/**
 * The nodes' webhook timeout: the receiver answers at once, so only a stall of a minute could
 * time a send out and retry it; the lease is the shortest config.ts allows for it.
 */
/** A bound on start-up only, generous for a loaded machine. */
const START_TIMEOUT_MS = 120_000;
const TWO_NODE_ENV = { UNWIND_WEBHOOK_TIMEOUT_MS: '60000', UNWIND_DELIVERY_LEASE_MS: '66000' };

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JSON call that must answer `expected`. */
const call = (
  server: ServerProcess,
  method: string,
  path: string,
  body: unknown,
  expected: number,
) => server.call(method, path, body, expected);

const createMerchant = async (server: ServerProcess): Promise<string> =>
  (await call(server, 'POST', '/admin/merchants', { name: 'Hook Shop' }, 201)).id as string;

const createOrder = async (server: ServerProcess, merchantId: string, amountMinor: number) =>
  (
    await call(
      server,
      'POST',
      '/admin/orders',
      { merchant_id: merchantId, amount_minor: amountMinor, capture: 'purchase' },
      201,
    )
  ).id as string;

const refund = (server: ServerProcess, orderId: string, amountMinor: number) =>
  call(server, 'POST', `/admin/orders/${orderId}/refund`, { amount_minor: amountMinor }, 200);

const createEndpoint = async (
  server: ServerProcess,
  merchantId: string,
  url: string,
): Promise<{ id: string; secret: string }> =>
  call(server, 'POST', `/admin/merchants/${merchantId}/webhooks`, { url }, 201);

/** Rows of a table that belong to one merchant. */
async function rowsOf(store: TestStore, table: string, merchantId: string) {
  return (await store.rawRows(table)).filter((r) => r['merchant_id'] === merchantId);
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function defineCrashSuite(factory: StoreFactory, skip: string | undefined): void {
  describe(`webhook delivery across a crash: ${factory.engine}`, { skip }, () => {
    let store: TestStore | undefined;
    let receiver: Receiver | undefined;
    beforeEach(async () => {
      store = await factory.create();
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await killAllServers();
      await receiver?.close();
      await store?.cleanup();
    });

    it('an event committed before a SIGKILL (no job ran) is delivered after restart', async () => {
      const first = await startServer({ env: { ...store!.env, UNWIND_WORKERS: '0' } });
      const merchantId = await createMerchant(first);
      const orderId = await createOrder(first, merchantId, 10_000);
      await createEndpoint(first, merchantId, `${receiver!.url}/crash`);
      await refund(first, orderId, 100);
      await refund(first, orderId, 200);
      first.kill('SIGKILL');
      assert.equal((await first.waitForExit()).signal, 'SIGKILL');

      const pending = await rowsOf(store!, 'deliveries', merchantId);
      assert.equal(pending.length, 2, 'both refund events were committed with their deliveries');
      assert.ok(pending.every((d) => d['status'] === 'pending'));
      assert.equal(receiver!.requests.length, 0, 'nothing was sent before the kill');

      // Restarted with its workers on: the background loop finds the committed deliveries.
      const second = await startServer({ env: store!.env });
      await receiver!.waitForRequests(2, 15_000);
      const received = new Set(receiver!.requests.map((r) => headerOf(r, 'webhook-id')));
      assert.deepEqual(received, new Set(pending.map((d) => d['id'] as string)));
      await second.stop('SIGTERM');

      const settled = await rowsOf(store!, 'deliveries', merchantId);
      assert.ok(
        settled.every((d) => d['status'] === 'delivered'),
        JSON.stringify(settled),
      );
    });

    it('a server killed mid-send leaves its claim to come due again when the lease ends', async () => {
      receiver!.queue('hang'); // the first attempt never gets an answer
      const env = { ...store!.env, UNWIND_TEST_CLOCK: '1' };
      const first = await startServer({ env });
      const merchantId = await createMerchant(first);
      const orderId = await createOrder(first, merchantId, 10_000);
      await createEndpoint(first, merchantId, `${receiver!.url}/mid-send`);
      await refund(first, orderId, 100); // the commit nudges the dispatcher at once
      await receiver!.waitForRequests(1, 15_000);
      first.kill('SIGKILL');
      await first.waitForExit();

      const [claimed] = await rowsOf(store!, 'deliveries', merchantId);
      assert.ok(claimed);
      assert.equal(claimed['status'], 'pending');
      assert.equal(Number(claimed['attempt_count']), 0, 'the killed attempt was never recorded');
      const webhookId = headerOf(receiver!.requests[0]!, 'webhook-id');
      assert.equal(webhookId, claimed['id']);

      const second = await startServer({ env: { ...env, UNWIND_WORKERS: '0' } });
      await call(second, 'POST', '/admin/jobs/run', undefined, 200);
      assert.equal(receiver!.requests.length, 1, 'the lease still holds: no second send yet');

      await call(second, 'POST', '/admin/clock/advance', { seconds: 61 }, 200);
      await call(second, 'POST', '/admin/jobs/run', undefined, 200);
      assert.equal(receiver!.requests.length, 2);
      assert.equal(headerOf(receiver!.requests[1]!, 'webhook-id'), webhookId);
      const delivery = await call(second, 'GET', `/admin/deliveries/${webhookId}`, undefined, 200);
      assert.equal(delivery.status, 'delivered');
      assert.deepEqual(
        (delivery.attempt_log as { status_code: number }[]).map((a) => a.status_code),
        [200],
      );
    });
  });
}

defineCrashSuite(sqliteFactory, undefined);
const postgresSkip = await postgresSkipReason();
defineCrashSuite(postgresFactory, postgresSkip);

describe(
  'two servers on one PostgreSQL deliver every event exactly once',
  { skip: postgresSkip },
  () => {
    let store: TestStore | undefined;
    let receiver: Receiver | undefined;
    after(async () => {
      await killAllServers();
      await receiver?.close();
      await store?.cleanup();
    });

    it(`${EVENTS} events from refunds on both servers reach the receiver once each`, async () => {
      store = await postgresFactory.create();
      receiver = await startReceiver();
      // Both with workers on and the real clock: each dispatches on its own timer and nudges.
      const env = { ...store.env, ...TWO_NODE_ENV };
      const servers = await Promise.all([
        startServer({ env, logLevel: 'warn', readyTimeoutMs: START_TIMEOUT_MS }),
        startServer({ env, logLevel: 'warn', readyTimeoutMs: START_TIMEOUT_MS }),
      ]);
      const [one, two] = servers as [ServerProcess, ServerProcess];
      const merchantId = await createMerchant(one);
      // Orders first, so their order.created events have no endpoint to go to.
      const orders = await Promise.all(
        Array.from({ length: ORDERS }, (_, i) => createOrder(servers[i % 2]!, merchantId, 1_000)),
      );
      const endpoint = await createEndpoint(two, merchantId, `${receiver.url}/scale`);

      const started = Date.now();
      const jobs = Array.from({ length: EVENTS }, (_, i) => i);
      await pool(jobs, CLIENT_CONCURRENCY, async (i) => {
        await refund(servers[i % 2]!, orders[i % ORDERS]!, 1);
      });

      // Wait for every delivery to be recorded delivered, then two job periods more, so a late
      // duplicate would have time to show up.
      const deadline = started + DELIVERY_DEADLINE_MS;
      const allDelivered = async () =>
        (await rowsOf(store!, 'deliveries', merchantId)).every((d) => d['status'] === 'delivered');
      while (!(await allDelivered()) && Date.now() < deadline) await delay(500);
      const arrivedInMs = Date.now() - started;
      await delay(2_500);

      const deliveries = await rowsOf(store, 'deliveries', merchantId);
      assert.equal(deliveries.length, EVENTS, 'one delivery per refund event');
      const expected = new Set(deliveries.map((d) => d['id'] as string));
      const arrivals = new Map<string, number>();
      for (const r of receiver.requests) {
        const id = headerOf(r, 'webhook-id')!;
        arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
      }
      const missing = [...expected].filter((id) => !arrivals.has(id));
      assert.deepEqual(missing, [], `${missing.length} events never arrived`);
      assert.deepEqual(new Set(arrivals.keys()), expected);
      const twice = [...arrivals].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], `${twice.length} webhook ids arrived more than once`);

      for (const request of receiver.requests)
        verifyWebhook(endpoint.secret, request.headers, request.body);
      assert.deepEqual(
        deliveries.filter((d) => d['status'] !== 'delivered').map((d) => d['id']),
        [],
      );
      const attempts = (await store.rawRows('delivery_attempts')).filter((a) =>
        expected.has(a['delivery_id'] as string),
      );
      // One recorded attempt each: no send failed, so none was retried.
      assert.equal(attempts.length, EVENTS, 'one attempt per delivery');
      process.stderr.write(
        `# ${EVENTS} webhooks over two servers delivered in ${arrivedInMs} ms\n`,
      );
      await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    });
  },
);
