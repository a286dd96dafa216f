// Proves one slow merchant never delays another, over HTTP on both stores: a merchant whose
// endpoints hang (never answer) has older due deliveries than a healthy merchant's one, yet the
// healthy delivery arrives and is recorded delivered while every hanging attempt is still in
// flight; the hanging merchant holds no more than its own slots (merchant and endpoint limits).
// No time is measured: the hanging receiver answers nothing until the test closes it, and the
// webhook timeout (60 s) is far beyond the test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

interface DeliveryJson {
  id: string;
  endpoint_id: string;
  status: string;
  attempts: number;
}

const HANGING_ENDPOINTS = 3;
const HANGING_REFUNDS = 4;
/** Tight limits, so the hanging merchant's backlog would fill them all if it could. */
const DELIVERY = {
  timeoutMs: 60_000,
  leaseMs: 66_000,
  concurrency: 8,
  endpointConcurrency: 2,
  merchantConcurrency: 4,
};

const created = async (t: TestApp, url: string, payload: Record<string, unknown>) =>
  t.call<{ id: string }>({ method: 'POST', url, payload }, 201);

async function merchantWithOrder(t: TestApp, name: string) {
  const merchant = await created(t, '/admin/merchants', { name });
  const order = await created(t, '/admin/orders', {
    merchant_id: merchant.id,
    amount_minor: 100_000,
    capture: 'purchase',
  });
  return { merchantId: merchant.id, orderId: order.id };
}

const refund = (t: TestApp, orderId: string) =>
  t.call(
    { method: 'POST', url: `/admin/orders/${orderId}/refund`, payload: { amount_minor: 100 } },
    200,
  );

const deliveriesOf = async (t: TestApp, merchantId: string) =>
  (
    await t.call<{ data: DeliveryJson[] }>(
      { method: 'GET', url: `/admin/deliveries?merchant_id=${merchantId}&limit=100` },
      200,
    )
  ).data;

function suite(factory: StoreFactory, skip?: string) {
  describe(`webhook isolation: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let hanging: Receiver;
    let healthy: Receiver;
    before(async () => {
      t = await startTestApp(factory, { delivery: DELIVERY });
      hanging = await startReceiver({ status: 'hang' });
      healthy = await startReceiver();
    });
    after(async () => {
      await hanging.close().catch(() => undefined);
      await healthy.close();
      await t.close();
    });

    it("a hanging merchant's endpoints do not delay another merchant's delivery", async () => {
      const slow = await merchantWithOrder(t, 'Hanging Shop');
      for (let i = 0; i < HANGING_ENDPOINTS; i++) {
        await created(t, `/admin/merchants/${slow.merchantId}/webhooks`, {
          url: `${hanging.url}/hook-${i}`,
        });
      }
      for (let i = 0; i < HANGING_REFUNDS; i++) await refund(t, slow.orderId);
      const fine = await merchantWithOrder(t, 'Healthy Shop');
      await created(t, `/admin/merchants/${fine.merchantId}/webhooks`, {
        url: `${healthy.url}/hook`,
      });
      await refund(t, fine.orderId);

      // The run answers only once every attempt it started has ended: not awaited yet.
      const run = t.call<{ jobs: Record<string, number> }>(
        { method: 'POST', url: '/admin/jobs/run' },
        200,
      );
      await healthy.waitForRequests(1);
      let mine = await deliveriesOf(t, fine.merchantId);
      // Its record commits just after the receiver answered: read until it shows (bounded),
      // letting the event loop reach the sockets between reads (SQLite's reads never wait on I/O).
      for (let i = 0; i < 1_000 && mine[0]?.status !== 'delivered'; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        mine = await deliveriesOf(t, fine.merchantId);
      }
      assert.deepEqual(
        mine.map((d) => [d.status, d.attempts]),
        [['delivered', 1]],
        'recorded when its own attempt ended',
      );

      // Meanwhile the hanging merchant holds exactly its own slots, none of them answered.
      await hanging.waitForRequests(DELIVERY.merchantConcurrency);
      assert.equal(hanging.requests.length, DELIVERY.merchantConcurrency);
      const theirs = await deliveriesOf(t, slow.merchantId);
      assert.equal(theirs.length, HANGING_ENDPOINTS * HANGING_REFUNDS);
      assert.ok(
        theirs.every((d) => d.status === 'pending' && d.attempts === 0),
        'no hanging attempt has ended',
      );
      const perEndpoint = new Map<string, number>();
      for (const r of hanging.requests) perEndpoint.set(r.path, (perEndpoint.get(r.path) ?? 0) + 1);
      assert.ok(
        [...perEndpoint.values()].every((n) => n <= DELIVERY.endpointConcurrency),
        JSON.stringify([...perEndpoint]),
      );

      // Cutting the hanging connections ends the run: those attempts fail and are retried later.
      await hanging.close();
      await run;
      const failed = (await deliveriesOf(t, slow.merchantId)).filter((d) => d.attempts > 0);
      assert.ok(failed.length >= DELIVERY.merchantConcurrency);
      assert.ok(failed.every((d) => d.status === 'pending'));
      assert.equal(healthy.requests.length, 1, 'the healthy delivery was sent once');
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
