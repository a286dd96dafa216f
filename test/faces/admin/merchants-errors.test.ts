// Proves what the admin API's merchants refuse, over HTTP on SQLite and on PostgreSQL: an unknown
// merchant is 404 on read, update and rotation; an invalid merchant, a currency outside ISO 4217
// or an unknown dialect is 422 at the failing field and creates nothing; a bad list cursor, limit
// or parameter is 422.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPerSuite } from '../../support/app.js';
import { adminApiSuite, createMerchant, expectError, expectIssue } from './admin-face.js';

await adminApiSuite((factory) => {
  describe('merchants and credentials', () => {
    const app = appPerSuite(factory);

    it('an unknown merchant is 404 merchant.not_found on read, update and rotate', async () => {
      const t = app();
      const id = '01900000-0000-7000-8000-000000000000';
      expectError(
        await t.admin({ method: 'GET', url: `/admin/merchants/${id}` }),
        404,
        'merchant.not_found',
      );
      expectError(
        await t.admin({
          method: 'PATCH',
          url: `/admin/merchants/${id}`,
          payload: { settings: { refund_window_days: 1 } },
        }),
        404,
        'merchant.not_found',
      );
      expectError(
        await t.admin({
          method: 'POST',
          url: `/admin/merchants/${id}/credentials`,
          payload: { dialect: 'mpg' },
        }),
        404,
        'merchant.not_found',
      );
    });

    it('an invalid merchant is 422 with the failing field, and nothing is created', async () => {
      const t = app();
      const before = (await t.testStore.rawRows('merchants')).length;
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ name: 42 }, 'name'],
        [{ name: 'Shop', currency: 'sar' }, 'currency'],
        [{ name: 'Shop', currency: 'SARR' }, 'currency'],
        [{ name: 'Shop', colour: 'red' }, ''],
        [{ name: 'Shop', settings: { refund_window_days: -1 } }, 'settings.refund_window_days'],
        [{ name: 'Shop', settings: { refund_window_days: 1.5 } }, 'settings.refund_window_days'],
        [{ name: 'Shop', settings: { minor_per_point: 0 } }, 'settings.minor_per_point'],
        [{ name: 'Shop', settings: { points_per_unit: -1 } }, 'settings.points_per_unit'],
        [{ name: 'Shop', settings: { checkout_capture: 'later' } }, 'settings.checkout_capture'],
        [{ name: 'Shop', settings: { holidays: ['2026/12/25'] } }, 'settings.holidays.0'],
        [{ name: 'Shop', settings: { unknown: true } }, 'settings'],
      ];
      for (const [payload, path] of cases) {
        const res = await t.admin({ method: 'POST', url: '/admin/merchants', payload });
        expectIssue(res, path);
      }
      assert.equal((await t.testStore.rawRows('merchants')).length, before);
    });

    it('a currency missing from ISO 4217 is 422 validation.failed', async () => {
      const t = app();
      for (const currency of ['XAU', 'ABC']) {
        const res = await t.admin({
          method: 'POST',
          url: '/admin/merchants',
          payload: { name: 'Gold Shop', currency },
        });
        expectError(res, 422, 'validation.failed');
      }
    });

    it('rotating an unknown dialect is 422 at dialect', async () => {
      const t = app();
      const m = await createMerchant(t);
      const cases: [Record<string, unknown>, string][] = [
        [{ dialect: 'paypal' }, 'dialect'],
        [{}, 'dialect'],
        [{ dialect: 'mpg', extra: 1 }, ''],
      ];
      for (const [payload, path] of cases) {
        const res = await t.admin({
          method: 'POST',
          url: `/admin/merchants/${m.id}/credentials`,
          payload,
        });
        expectIssue(res, path);
      }
    });
  });

  describe('GET /admin/merchants', () => {
    const app = appPerSuite(factory);

    it('a bad cursor or limit, or an unknown parameter, is 422', async () => {
      const cases: [string, string][] = [
        ['cursor=garbage', 'cursor'],
        [`cursor=${Buffer.from('["Alpha"]').toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from('["Alpha",""]').toString('base64url')}`, 'cursor'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['name=Alpha', ''],
      ];
      for (const [query, path] of cases) {
        expectIssue(await app().admin({ method: 'GET', url: `/admin/merchants?${query}` }), path);
      }
    });
  });
});
