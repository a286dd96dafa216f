// Proves the admin API's clock and jobs over HTTP on SQLite and on PostgreSQL: the test clock is
// read, set and advanced (bad requests leave it alone) and stamps what is written; without it the
// server clock is only read; POST /admin/jobs/run runs the jobs once, and stored idempotency keys
// are reaped exactly when 24 hours have passed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appPerSuite, startTestApp, type TestApp } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  DAY_S,
  expectError,
  expectIssue,
  getOrder,
  listEvents,
  operate,
  START,
  succeed,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('test clock', () => {
    const app = appPerSuite(factory);

    const getClock = async () => {
      const res = await app().admin({ method: 'GET', url: '/admin/clock' });
      assert.equal(res.statusCode, 200);
      return (res.json() as { now: string }).now;
    };

    it('GET /admin/clock shows the test clock', async () => {
      assert.deepEqual((await app().admin({ method: 'GET', url: '/admin/clock' })).json(), {
        now: START,
        test_clock: true,
      });
    });

    it('POST /admin/clock sets an instant given with an offset, in UTC', async () => {
      const res = await app().admin({
        method: 'POST',
        url: '/admin/clock',
        payload: { now: '2027-01-01T00:00:00+03:00' },
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { now: '2026-12-31T21:00:00.000Z' });
      assert.equal(await getClock(), '2026-12-31T21:00:00.000Z');
      assert.equal(app().clock.now(), Date.UTC(2026, 11, 31, 21));
    });

    it('POST /admin/clock keeps milliseconds', async () => {
      const res = await app().admin({
        method: 'POST',
        url: '/admin/clock',
        payload: { now: '2027-03-01T10:20:30.456Z' },
      });
      assert.deepEqual(res.json(), { now: '2027-03-01T10:20:30.456Z' });
    });

    it('POST /admin/clock/advance moves the clock by whole seconds, either way', async () => {
      const t = app();
      await t.admin({
        method: 'POST',
        url: '/admin/clock',
        payload: { now: '2027-01-01T00:00:00Z' },
      });
      const forward = await t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: 60 },
      });
      assert.equal(forward.statusCode, 200);
      assert.deepEqual(forward.json(), { now: '2027-01-01T00:01:00.000Z' });
      const back = await t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: -120 },
      });
      assert.deepEqual(back.json(), { now: '2026-12-31T23:59:00.000Z' });
    });

    it('an invalid clock request is 422 and leaves the clock alone', async () => {
      const t = app();
      const before = await getClock();
      const setCases: [unknown, string][] = [
        [{}, 'now'],
        [{ now: 'yesterday' }, 'now'],
        [{ now: '2027-01-01' }, 'now'],
        [{ now: '2027-02-30T00:00:00Z' }, 'now'],
        [{ now: 1_800_000_000_000 }, 'now'],
        [{ now: '2027-01-01T00:00:00Z', extra: 1 }, ''],
      ];
      for (const [payload, path] of setCases) {
        const res = await t.admin({
          method: 'POST',
          url: '/admin/clock',
          payload: payload as object,
        });
        expectIssue(res, path);
      }
      const advanceCases: [unknown, string][] = [
        [{}, 'seconds'],
        [{ seconds: 1.5 }, 'seconds'],
        [{ seconds: '60' }, 'seconds'],
        [{ seconds: 3_153_600_001 }, 'seconds'],
        [{ seconds: -3_153_600_001 }, 'seconds'],
        [{ seconds: 60, unit: 's' }, ''],
      ];
      for (const [payload, path] of advanceCases) {
        const res = await t.admin({
          method: 'POST',
          url: '/admin/clock/advance',
          payload: payload as object,
        });
        expectIssue(res, path);
      }
      assert.equal(await getClock(), before);
    });

    it('orders, ledger rows and events carry the clock time', async () => {
      const t = app();
      await t.admin({
        method: 'POST',
        url: '/admin/clock',
        payload: { now: '2027-01-01T00:00:00+03:00' },
      });
      const m = await createMerchant(t, { name: 'Clocked Shop' });
      assert.equal(m.created_at, '2026-12-31T21:00:00.000Z');
      const o = await createOrder(t, m.id, 1000);
      assert.equal(o.created_at, '2026-12-31T21:00:00.000Z');
      assert.equal(o.captured_at, '2026-12-31T21:00:00.000Z');
      await t.admin({ method: 'POST', url: '/admin/clock/advance', payload: { seconds: 90 } });
      const refunded = await succeed(t, o.id, 'refund', { amount_minor: 10 });
      assert.equal(refunded.created_at, '2026-12-31T21:00:00.000Z');
      assert.equal(refunded.updated_at, '2026-12-31T21:01:30.000Z');
      assert.deepEqual(
        (await getOrder(t, o.id)).transactions?.map((r) => r.created_at),
        ['2026-12-31T21:00:00.000Z', '2026-12-31T21:01:30.000Z'],
      );
      const events = await listEvents(t, `order_id=${o.id}`);
      assert.deepEqual(
        events.data.map((e) => e.created_at),
        ['2026-12-31T21:00:00.000Z', '2026-12-31T21:01:30.000Z'],
      );
    });
  });

  describe('jobs', () => {
    const app = appPerSuite(factory);
    const runJobs = async () => {
      const res = await app().admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { jobs: Record<string, number> };
      assert.deepEqual(Object.keys(body), ['jobs']);
      for (const [name, handled] of Object.entries(body.jobs)) {
        assert.ok(Number.isSafeInteger(handled) && handled >= 0, `${name}: ${handled}`);
      }
      return body.jobs;
    };
    /** Items the idempotency reaper handled in one run (other jobs are not this suite's). */
    const reaped = async () => {
      const jobs = await runJobs();
      assert.ok('idempotency-reaper' in jobs, JSON.stringify(jobs));
      return jobs['idempotency-reaper'];
    };

    it('POST /admin/jobs/run is 200 {jobs: {name: handled}} with nothing due', async () => {
      assert.equal(await reaped(), 0);
    });

    it('stored idempotency keys are reaped once 24 hours have passed, and the key is free again', async () => {
      const t = app();
      const m = await createMerchant(t, { name: 'Reaped Shop' });
      const o = await createOrder(t, m.id, 1000);
      const refund = (key: string, amount: number) =>
        operate(t, o.id, 'refund', { amount_minor: amount }, { 'idempotency-key': key });
      assert.equal((await refund('reap-1', 10)).statusCode, 200);
      assert.equal((await refund('reap-2', 20)).statusCode, 200);
      assert.equal((await t.testStore.rawRows('claims')).length, 2);

      assert.equal(await reaped(), 0);
      t.clock.advance((DAY_S - 1) * 1000);
      assert.equal(await reaped(), 0);
      assert.equal((await t.testStore.rawRows('claims')).length, 2);

      const advance = await t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: 2 },
      });
      assert.equal(advance.statusCode, 200);
      assert.equal(await reaped(), 2);
      assert.deepEqual(await t.testStore.rawRows('claims'), []);
      assert.equal(await reaped(), 0);

      // The reaped key no longer remembers its first body.
      const reused = await refund('reap-1', 30);
      assert.equal(reused.statusCode, 200, reused.body);
      assert.equal(reused.headers['idempotency-replayed'], undefined);
      assert.equal((await getOrder(t, o.id)).refunded_minor, 60);
    });
  });

  describe('GET /admin/clock without the test clock', () => {
    let t: TestApp | undefined;
    before(async () => {
      t = await startTestApp(factory, { testClockRoutes: false });
    });
    after(async () => {
      await t?.close();
    });

    it('reads the server clock with test_clock false; setting it names UNWIND_TEST_CLOCK', async () => {
      const res = await t!.admin({ method: 'GET', url: '/admin/clock' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { now: START, test_clock: false });
      // Setting or advancing it, by any method, says which setting turns the test clock on.
      for (const [method, url] of [
        ['POST', '/admin/clock'],
        ['PUT', '/admin/clock'],
        ['POST', '/admin/clock/advance'],
        ['GET', '/admin/clock/advance'],
      ] as const) {
        const refused = await t!.admin({ method, url, payload: { now: START, seconds: 1 } });
        const error = expectError(refused, 404, 'feature.disabled');
        assert.match(error.message, /UNWIND_TEST_CLOCK=1/, `${method} ${url}`);
        assert.deepEqual(error.details, { setting: 'UNWIND_TEST_CLOCK', value: '1' });
      }
      assert.equal(t!.clock.now(), Date.parse(START));
    });
  });
});
