// Proves webhook endpoint health in the admin API over HTTP on SQLite and on PostgreSQL, with a
// real receiver that fails on purpose: attempts, failures, success rate and the latest failure in
// a window, the backlog (pending and dead deliveries) whatever its age, per merchant or for every
// live endpoint, and a 422 or 404 for bad requests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appPerSuite } from '../../support/app.js';
import { type Receiver, startReceiver } from '../../support/receiver.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  expectError,
  expectIssue,
  type Page,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('webhook endpoint health', () => {
    const app = appPerSuite(factory);
    let receiver: Receiver;
    let shop = '';
    let other = '';
    let flaky: { id: string };
    let broken: { id: string };
    let quiet: { id: string };
    let elsewhere: { id: string };

    interface HealthJson {
      window_hours: number;
      attempts: number;
      succeeded: number;
      failed: number;
      success_rate: number | null;
      pending: number;
      dead: number;
      last_failure: {
        at: string;
        delivery_id: string;
        status_code: number | null;
        error: string | null;
      } | null;
    }
    type WithHealth = { id: string; merchant_id: string; url: string; health: HealthJson };

    const endpoint = async (merchantId: string, path: string, retryPolicy = 'standard') => {
      const res = await app().admin({
        method: 'POST',
        url: `/admin/merchants/${merchantId}/webhooks`,
        payload: { url: `${receiver.url}${path}`, retry_policy: retryPolicy },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string };
    };
    const runJobs = async () =>
      assert.equal((await app().admin({ method: 'POST', url: '/admin/jobs/run' })).statusCode, 200);
    const healthOf = async (url: string) => {
      const res = await app().admin({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
      return new Map((res.json() as { data: WithHealth[] }).data.map((e) => [e.id, e]));
    };

    before(async () => {
      // /flaky fails once, then succeeds; /broken always fails; /quiet receives nothing.
      receiver = await startReceiver({ answers: [500] });
      const t = app();
      shop = (await createMerchant(t, { name: 'Hooked' })).id;
      other = (await createMerchant(t, { name: 'Hooked elsewhere' })).id;
      flaky = await endpoint(shop, '/flaky');
      await createOrder(t, shop);
      await runJobs(); // the first answer is the queued 500
      t.clock.advance(10_000);
      await runJobs(); // the retry gets 200
      broken = await endpoint(shop, '/broken', 'points');
      quiet = await endpoint(other, '/quiet');
      await t.admin({
        method: 'PATCH',
        url: `/admin/merchants/${other}/webhooks/${quiet.id}`,
        payload: { enabled: false },
      });
      elsewhere = await endpoint(other, '/elsewhere');
      receiver.answerWith(500);
      await createOrder(t, shop); // to flaky (retries pending) and broken (dies after 3)
      await createOrder(t, other); // to elsewhere only: quiet is disabled
      for (let i = 0; i < 3; i++) {
        await runJobs();
        t.clock.advance(120_000);
      }
    });
    after(async () => {
      await receiver?.close();
    });

    it('GET /admin/merchants/:id/webhooks puts attempts, failures and backlog on each endpoint', async () => {
      const found = await healthOf(`/admin/merchants/${shop}/webhooks`);
      assert.deepEqual([...found.keys()], [flaky.id, broken.id]);
      const f = found.get(flaky.id)!.health;
      // flaky: 500, 200 on the first event; the second event failed at 0 s and once on retry.
      assert.equal(f.window_hours, 24);
      assert.equal(f.attempts, f.succeeded + f.failed);
      assert.equal(f.succeeded, 1);
      assert.ok(f.failed >= 2, JSON.stringify(f));
      assert.equal(f.success_rate, Math.round((1 / f.attempts) * 10_000) / 10_000);
      assert.equal(f.pending, 1);
      assert.equal(f.dead, 0);
      assert.equal(f.last_failure?.status_code, 500);
      const b = found.get(broken.id)!.health;
      assert.deepEqual(
        {
          ...b,
          last_failure: b.last_failure && { ...b.last_failure, at: 'x', delivery_id: 'x' },
        },
        {
          window_hours: 24,
          attempts: 3,
          succeeded: 0,
          failed: 3,
          success_rate: 0,
          pending: 0,
          dead: 1,
          last_failure: { at: 'x', delivery_id: 'x', status_code: 500, error: null },
        },
      );
      const deliveries = await app().admin({
        method: 'GET',
        url: `/admin/deliveries?endpoint_id=${broken.id}`,
      });
      const dead = (deliveries.json() as Page<{ id: string; status: string }>).data;
      assert.equal(b.last_failure?.delivery_id, dead[0]?.id);
      assert.equal(dead[0]?.status, 'dead');
    });

    it('GET /admin/webhooks lists every live endpoint, or one merchant, with health', async () => {
      const all = await healthOf('/admin/webhooks');
      assert.deepEqual(new Set(all.keys()), new Set([flaky.id, broken.id, quiet.id, elsewhere.id]));
      assert.deepEqual(all.get(quiet.id)!.health, {
        window_hours: 24,
        attempts: 0,
        succeeded: 0,
        failed: 0,
        success_rate: null,
        pending: 0,
        dead: 0,
        last_failure: null,
      });
      const mine = await healthOf(`/admin/webhooks?merchant_id=${other}`);
      assert.deepEqual(new Set(mine.keys()), new Set([quiet.id, elsewhere.id]));
      assert.equal(mine.get(elsewhere.id)!.health.attempts >= 1, true);
      // A deleted endpoint is left out.
      const gone = await app().admin({
        method: 'DELETE',
        url: `/admin/merchants/${other}/webhooks/${quiet.id}`,
      });
      assert.equal(gone.statusCode, 204);
      assert.equal((await healthOf('/admin/webhooks')).has(quiet.id), false);
      assert.deepEqual(await healthOf('/admin/webhooks?merchant_id=nobody'), new Map());
    });

    it('window_hours narrows the attempts; the backlog is counted whatever its age', async () => {
      app().clock.advance(25 * 3_600_000);
      const later = await healthOf(`/admin/webhooks?merchant_id=${shop}`);
      const b = later.get(broken.id)!.health;
      assert.deepEqual([b.attempts, b.success_rate, b.last_failure, b.dead], [0, null, null, 1]);
      const wide = await healthOf(`/admin/merchants/${shop}/webhooks?window_hours=48`);
      assert.equal(wide.get(broken.id)!.health.attempts, 3);
      assert.equal(wide.get(broken.id)!.health.window_hours, 48);
    });

    it('a bad window or parameter is 422; an unknown merchant is 404', async () => {
      const cases: [string, string][] = [
        ['/admin/webhooks?window_hours=0', 'window_hours'],
        ['/admin/webhooks?window_hours=721', 'window_hours'],
        ['/admin/webhooks?window_hours=1.5', 'window_hours'],
        ['/admin/webhooks?window_hours=day', 'window_hours'],
        ['/admin/webhooks?window_hours=0x18', 'window_hours'],
        ['/admin/webhooks?window_hours=2.4e1', 'window_hours'],
        ['/admin/webhooks?status=dead', ''],
        [`/admin/merchants/${shop}/webhooks?window_hours=-1`, 'window_hours'],
        [`/admin/merchants/${shop}/webhooks?merchant_id=${shop}`, ''],
      ];
      for (const [url, path] of cases) expectIssue(await app().admin({ method: 'GET', url }), path);
      expectError(
        await app().admin({ method: 'GET', url: '/admin/merchants/nobody/webhooks' }),
        404,
        'merchant.not_found',
      );
      const widest = await app().admin({
        method: 'GET',
        url: '/admin/webhooks?window_hours=720',
      });
      assert.equal(widest.statusCode, 200);
    });
  });
});
