// Proves endpoint health over HTTP on both stores, with the test clock: an endpoint whose every
// attempt fails is disabled exactly five days after its first failure (not a millisecond before),
// the merchant's other endpoint is told with `endpoint.disabled`, and re-enabling clears its
// record and, on request, replays what it missed; a receiver's `Unwind-Stop-Retries: true`
// ends one delivery's retries without counting against the endpoint; delivered deliveries are
// removed with their attempts once past their retention, and nothing else is.
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

const DAY_MS = 86_400_000;

interface EndpointJson {
  id: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  consecutive_failures: number;
}

interface DeliveryJson {
  id: string;
  endpoint_id: string;
  event_type: string;
  status: string;
  attempts: number;
}

const post = <T>(t: TestApp, url: string, payload: unknown, expected = 201) =>
  t.call<T>({ method: 'POST', url, payload: payload as Record<string, unknown> }, expected);

async function shopWithOrder(t: TestApp) {
  const { id: merchantId } = await post<{ id: string }>(t, '/admin/merchants', { name: 'Shop' });
  const { id: orderId } = await post<{ id: string }>(t, '/admin/orders', {
    merchant_id: merchantId,
    amount_minor: 100_000,
    capture: 'purchase',
  });
  return { merchantId, orderId };
}

const refund = (t: TestApp, orderId: string) =>
  post(t, `/admin/orders/${orderId}/refund`, { amount_minor: 100 }, 200);
const runJobs = (t: TestApp) =>
  post<{ jobs: Record<string, number> }>(t, '/admin/jobs/run', {}, 200);
const setClock = (t: TestApp, ms: number) =>
  post(t, '/admin/clock', { now: new Date(ms).toISOString() }, 200);
const endpointOf = (t: TestApp, merchantId: string, id: string) =>
  t.call<EndpointJson>(
    { method: 'GET', url: `/admin/merchants/${merchantId}/webhooks/${id}` },
    200,
  );
const deliveriesOf = async (t: TestApp, query: string) =>
  (
    await t.call<{ data: DeliveryJson[] }>(
      { method: 'GET', url: `/admin/deliveries?${query}` },
      200,
    )
  ).data;

function suite(factory: StoreFactory, skip?: string) {
  describe(`webhook endpoint health: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let failing: Receiver;
    let healthy: Receiver;
    let stopping: Receiver;
    before(async () => {
      t = await startTestApp(factory);
      failing = await startReceiver({ status: 500 });
      healthy = await startReceiver();
      stopping = await startReceiver({ status: 500, headers: { 'Unwind-Stop-Retries': 'true' } });
    });
    after(async () => {
      await Promise.all([failing.close(), healthy.close(), stopping.close()]);
      await t.close();
    });

    it('disables an endpoint failing for five days, tells the others, re-enables and replays', async () => {
      const { merchantId, orderId } = await shopWithOrder(t);
      const hooks = `/admin/merchants/${merchantId}/webhooks`;
      const bad = await post<EndpointJson>(t, hooks, { url: `${failing.url}/bad` });
      const good = await post<EndpointJson>(t, hooks, { url: `${healthy.url}/good` });
      const start = t.clock.now();
      await refund(t, orderId);
      await runJobs(t);
      const first = await endpointOf(t, merchantId, bad.id);
      assert.equal(first.failing_since, new Date(start).toISOString());
      assert.equal(first.consecutive_failures, 1);

      // One millisecond short of five days: every attempt fails, the endpoint stays enabled.
      await setClock(t, start + 5 * DAY_MS - 1);
      await refund(t, orderId);
      await runJobs(t);
      const before = await endpointOf(t, merchantId, bad.id);
      assert.equal(before.enabled, true);
      assert.ok(before.consecutive_failures > 1);

      // Five days to the millisecond: the next failure disables it.
      await setClock(t, start + 5 * DAY_MS);
      await refund(t, orderId);
      await runJobs(t);
      const disabled = await endpointOf(t, merchantId, bad.id);
      assert.equal(disabled.enabled, false);
      assert.equal(disabled.disabled_at, new Date(start + 5 * DAY_MS).toISOString());
      assert.match(disabled.disabled_reason ?? '', /failed since/);
      const told = healthy.requests.filter((r) => JSON.parse(r.body).type === 'endpoint.disabled');
      assert.equal(told.length, 1, 'the other endpoint heard of it once');
      assert.equal(JSON.parse(told[0]!.body).data.endpoint.id, bad.id);
      assert.equal(
        failing.requestsTo('/bad').filter((r) => r.body.includes('endpoint.disabled')).length,
        0,
      );

      // Missed while disabled: no delivery is made to it.
      await setClock(t, start + 6 * DAY_MS);
      await refund(t, orderId);
      const missedBefore = await deliveriesOf(t, `endpoint_id=${bad.id}&limit=100`);

      // Re-enabled: a clean record; replaying from disabled_at creates what it missed.
      failing.answerWith(200);
      await t.call(
        { method: 'PATCH', url: `${hooks}/${bad.id}`, payload: { enabled: true, reason: 'fixed' } },
        200,
      );
      const enabled = await endpointOf(t, merchantId, bad.id);
      assert.deepEqual(
        [enabled.enabled, enabled.failing_since, enabled.consecutive_failures, enabled.disabled_at],
        [true, null, 0, null],
      );
      await post(
        t,
        `/admin/webhooks/${bad.id}/replay`,
        { since: disabled.disabled_at, reason: 'missed' },
        202,
      );
      await runJobs(t);
      const after = await deliveriesOf(t, `endpoint_id=${bad.id}&limit=100`);
      assert.ok(after.length > missedBefore.length, 'the missed refund event got a delivery');
      assert.ok(
        after.every((d) => d.status === 'delivered'),
        JSON.stringify(after),
      );
      void good;
    });

    it('Unwind-Stop-Retries: true makes one delivery dead at once, the endpoint unharmed', async () => {
      const { merchantId, orderId } = await shopWithOrder(t);
      const hook = await post<EndpointJson>(t, `/admin/merchants/${merchantId}/webhooks`, {
        url: `${stopping.url}/stop`,
      });
      await refund(t, orderId);
      await runJobs(t);
      const [delivery] = await deliveriesOf(t, `endpoint_id=${hook.id}`);
      assert.deepEqual([delivery?.status, delivery?.attempts], ['dead', 1]);
      const endpoint = await endpointOf(t, merchantId, hook.id);
      assert.deepEqual([endpoint.enabled, endpoint.consecutive_failures], [true, 0]);
    });

    it('removes delivered deliveries past retention, in batches, and keeps the rest', async () => {
      const { merchantId, orderId } = await shopWithOrder(t);
      const hook = await post<EndpointJson>(t, `/admin/merchants/${merchantId}/webhooks`, {
        url: `${healthy.url}/kept`,
      });
      const deadHook = await post<EndpointJson>(t, `/admin/merchants/${merchantId}/webhooks`, {
        url: `${stopping.url}/dead`,
      });
      await refund(t, orderId);
      await refund(t, orderId);
      const deliveredAt = t.clock.now();
      await runJobs(t);
      const count = async (endpointId: string) =>
        (await deliveriesOf(t, `endpoint_id=${endpointId}`)).length;
      assert.deepEqual([await count(hook.id), await count(deadHook.id)], [2, 2]);

      // 30 days (the default) less a millisecond: kept.
      await setClock(t, deliveredAt + 30 * DAY_MS);
      await runJobs(t);
      assert.equal(await count(hook.id), 2);
      // Past it: the delivered ones go, with their attempts; the dead ones stay, to replay.
      await setClock(t, deliveredAt + 30 * DAY_MS + 1);
      const run = await runJobs(t);
      assert.ok((run.jobs['delivery-reaper'] ?? 0) >= 2, JSON.stringify(run));
      assert.deepEqual([await count(hook.id), await count(deadHook.id)], [0, 2]);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
