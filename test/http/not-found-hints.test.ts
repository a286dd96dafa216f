// Proves that errors say how to fix them, over HTTP on both stores: a mistyped path gets the
// nearest route of its own face in that face's own error shape (the admin's
// details.did_you_mean; a sentence in the message of Points, Backd and MPG), a path like nothing
// gets no suggestion, and the test clock's routes, while UNWIND_TEST_CLOCK is off, answer
// 404 feature.disabled naming the setting for any method instead of a bare 404 or 405.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

function hintsSuite(factory: StoreFactory, skip?: string) {
  describe(`errors that say how to fix them: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let clockOff: TestApp;
    before(async () => {
      t = await startTestApp(factory);
      clockOff = await startTestApp(factory, { testClockRoutes: false });
    });
    after(async () => {
      await t?.close();
      await clockOff?.close();
    });

    const get = (app: TestApp, method: 'GET' | 'POST', url: string) =>
      app.admin({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });

    it('the admin face names the nearest admin route in details.did_you_mean', async () => {
      for (const [method, typed, meant] of [
        ['GET', '/admin/merchnts', '/admin/merchants'],
        ['GET', '/admin/order/0192', '/admin/orders/:id'],
        ['POST', '/admin/orders/0192/refnd', '/admin/orders/:id/refund'],
        ['GET', '/admin/reconciliation', '/admin/reconciliations'],
      ] as const) {
        const res = await get(t, method, typed);
        assert.equal(res.statusCode, 404, res.body);
        const { error } = res.json();
        assert.equal(error.code, 'http.route_not_found');
        assert.deepEqual(error.details, { did_you_mean: meant }, typed);
        assert.equal(error.message, `No route matches this path. Did you mean ${meant}?`);
      }
    });

    it('paths no face owns are matched against every route', async () => {
      for (const [typed, meant] of [
        ['/healtz', '/healthz'],
        ['/admn/orders', '/admin/orders'],
        ['/dashbord', '/dashboard'],
      ] as const) {
        const res = await get(t, 'GET', typed);
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(res.json().error.details?.did_you_mean, meant, typed);
      }
    });

    it('a path like no route gets no suggestion, and the plain message', async () => {
      for (const typed of ['/admin/xyz', '/admin/' + 'q'.repeat(300), '/nothing-here-at-all']) {
        const res = await get(t, 'GET', typed);
        assert.equal(res.statusCode, 404, res.body);
        const { error } = res.json();
        assert.equal(error.details, undefined, typed);
        assert.equal(error.message, 'No route matches this path.');
      }
    });

    it('Points says it in its message, within its own envelope', async () => {
      const res = await get(t, 'POST', '/points/api/v1/order/earning');
      assert.equal(res.statusCode, 404, res.body);
      assert.deepEqual(res.json(), {
        status: false,
        message: 'The route could not be found. Did you mean /points/api/v1/orders/earning?',
        appended_data: {},
      });
      const far = await get(t, 'GET', '/points/api/v1/zzzzzzzzzz/zzzzzzzzzz');
      assert.equal(far.json().message, 'The route could not be found.');
    });

    it('Backd says it in its message, within its own envelope', async () => {
      const res = await get(t, 'GET', '/backd/findorder/BO-20260416-8F3A5C0D1E2B4A69');
      assert.equal(res.statusCode, 404, res.body);
      assert.deepEqual(res.json(), {
        data: null,
        message:
          'Not found: no Backd endpoint has this path. Did you mean /backd/find_order/:backd_order_id?',
        status: { type: 'error', code: 404, error: true },
      });
    });

    it('MPG says it in its message, its only field', async () => {
      const res = await get(t, 'GET', '/mpg/v1/order');
      assert.equal(res.statusCode, 404, res.body);
      assert.deepEqual(res.json(), { message: 'Not found. Did you mean /mpg/v1/orders?' });
      const far = await get(t, 'GET', '/mpg/v1/nowhere');
      assert.deepEqual(far.json(), { message: 'Not found' });
    });

    it('without the test clock, setting it is 404 feature.disabled naming UNWIND_TEST_CLOCK', async () => {
      for (const [method, url] of [
        ['POST', '/admin/clock'],
        ['DELETE', '/admin/clock'],
        ['POST', '/admin/clock/advance'],
        ['PATCH', '/admin/clock/advance'],
      ] as const) {
        const res = await clockOff.admin({ method, url, payload: { seconds: 60 } });
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
        const { error } = res.json();
        assert.equal(error.code, 'feature.disabled');
        assert.equal(
          error.message,
          'The test clock is off: start Unwind with UNWIND_TEST_CLOCK=1 to set or advance it (GET /admin/clock reads the clock either way).',
        );
        assert.deepEqual(error.details, { setting: 'UNWIND_TEST_CLOCK', value: '1' });
      }
      // Reading it still works, and says the test clock is off.
      const read = await clockOff.admin({ method: 'GET', url: '/admin/clock' });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.json().test_clock, false);
    });

    it('with the test clock on, the same routes work and a wrong method is a plain 405', async () => {
      const moved = await t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: 60 },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const wrong = await t.admin({ method: 'DELETE', url: '/admin/clock' });
      assert.equal(wrong.statusCode, 405, wrong.body);
      assert.equal(wrong.json().error.code, 'http.method_not_allowed');
    });
  });
}

hintsSuite(sqliteFactory);
hintsSuite(postgresFactory, await postgresSkipReason());
