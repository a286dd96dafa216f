// Proves the admin API's merchants over HTTP on SQLite and on PostgreSQL: creation answers every
// credential in plaintext once, with the default or given currency and settings; rotation issues
// new keys for one dialect and revokes the old ones at once; PATCH changes only the settings
// given; and the list pages by name, then id, without credentials.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashSecret } from '../../../src/app/secrets.js';
import { MPG_PERMISSIONS } from '../../../src/domain/merchant.js';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  expectIssue,
  type IssuedJson,
  type MerchantJson,
  prefixOf,
  secretsOf,
  START,
  tagOf,
  walk,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('merchants and credentials', () => {
    const app = appPerSuite(factory);

    it('POST /admin/merchants is 201 with the merchant and every credential in plaintext, once', async () => {
      const m = await createMerchant(app(), { name: 'Shop' });
      assert.equal(typeof m.id, 'string');
      assert.equal(m.name, 'Shop');
      assert.equal(m.currency, 'SAR');
      assert.deepEqual(m.settings, {
        points_per_unit: 10,
        minor_per_point: 10,
        refund_window_days: 365,
        holidays: [],
        ip_allow_list: null,
        order_total_increase_limit_percent: 10,
        refund_settlement_delay_seconds: 0,
        auto_refund_grace_hours: 48,
        sandbox: false,
        store_rating_points: 50,
        product_rating_points: 25,
        refund_approval_above_minor: null,
        checkout_capture: 'automatic',
      });
      assert.equal(m.created_at, START);
      assert.equal(m.updated_at, START);

      assert.deepEqual(Object.keys(m.credentials).sort(), ['backd', 'mpg', 'points']);
      assert.deepEqual(Object.keys(m.credentials.points).sort(), ['api_key', 'public_key']);
      assert.deepEqual(Object.keys(m.credentials.backd).sort(), ['public_key', 'secret_key']);
      assert.deepEqual(Object.keys(m.credentials.mpg), ['api_key']);
      assert.ok(m.credentials.points.api_key.startsWith('pts_sk_'));
      assert.ok(m.credentials.points.public_key.startsWith('pts_pk_'));
      assert.ok(m.credentials.backd.public_key.startsWith('pk_'));
      assert.ok(m.credentials.backd.secret_key.startsWith('sk_'));
      assert.ok(m.credentials.mpg.api_key.startsWith('merchant_key_'));
      const secrets = secretsOf(m.credentials);
      assert.equal(new Set(secrets).size, 5);
      // 256 random bits in base64url after the tag.
      for (const s of secrets) assert.match(s.slice(tagOf(s).length), /^[A-Za-z0-9_-]{43}$/);
    });

    it('POST /admin/merchants takes a currency and settings', async () => {
      const m = await createMerchant(app(), {
        name: 'Kuwait Shop',
        currency: 'KWD',
        settings: {
          points_per_unit: 2.5,
          refund_window_days: 0,
          holidays: ['2026-12-25'],
          ip_allow_list: ['10.0.0.1'],
          sandbox: true,
          checkout_capture: 'authorize',
        },
      });
      assert.equal(m.currency, 'KWD');
      assert.deepEqual(m.settings, {
        points_per_unit: 2.5,
        minor_per_point: 10,
        refund_window_days: 0,
        holidays: ['2026-12-25'],
        ip_allow_list: ['10.0.0.1'],
        order_total_increase_limit_percent: 10,
        refund_settlement_delay_seconds: 0,
        auto_refund_grace_hours: 48,
        sandbox: true,
        store_rating_points: 50,
        product_rating_points: 25,
        refund_approval_above_minor: null,
        checkout_capture: 'authorize',
      });
    });

    it('POST /admin/merchants/:id/credentials rotates one dialect and revokes its old key', async () => {
      const t = app();
      const m = await createMerchant(t, { name: 'Rotating Shop' });
      t.clock.advance(60_000);
      const res = await t.admin({
        method: 'POST',
        url: `/admin/merchants/${m.id}/credentials`,
        payload: { dialect: 'mpg' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const rotated = res.json() as {
        merchant_id: string;
        dialect: string;
        credentials: IssuedJson;
      };
      assert.equal(rotated.merchant_id, m.id);
      assert.equal(rotated.dialect, 'mpg');
      assert.deepEqual(Object.keys(rotated.credentials), ['mpg']);
      const newKey = rotated.credentials.mpg?.api_key ?? '';
      assert.ok(newKey.startsWith('merchant_key_'));
      assert.notEqual(newKey, m.credentials.mpg.api_key);

      const got = (
        await t.admin({ method: 'GET', url: `/admin/merchants/${m.id}` })
      ).json() as MerchantJson;
      const credentials = got.credentials ?? [];
      assert.equal(credentials.length, 6);
      const mpg = credentials.filter((c) => c.dialect === 'mpg');
      const old = mpg.find(
        (c) => c.prefix === prefixOf(m.credentials.mpg.api_key, 'merchant_key_'),
      );
      const fresh = mpg.find((c) => c.prefix === prefixOf(newKey, 'merchant_key_'));
      assert.equal(old?.revoked_at, new Date(t.clock.now()).toISOString());
      assert.equal(fresh?.revoked_at, null);
      assert.equal(fresh?.created_at, new Date(t.clock.now()).toISOString());
      assert.deepEqual(fresh?.permissions, [...MPG_PERMISSIONS]);
      // The other dialects are untouched.
      for (const c of credentials.filter((c) => c.dialect !== 'mpg')) {
        assert.equal(c.revoked_at, null);
      }
      const raw = JSON.stringify(await t.testStore.rawRows('credentials'));
      assert.ok(!raw.includes(newKey));
      assert.ok(raw.includes(hashSecret(newKey)));
    });

    it('rotating backd replaces both of its keys', async () => {
      const t = app();
      const m = await createMerchant(t, { name: 'Backd Shop' });
      const res = await t.admin({
        method: 'POST',
        url: `/admin/merchants/${m.id}/credentials`,
        payload: { dialect: 'backd' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const issued = (res.json() as { credentials: IssuedJson }).credentials.backd;
      assert.ok(issued?.public_key.startsWith('pk_'));
      assert.ok(issued?.secret_key.startsWith('sk_'));
      assert.notEqual(issued?.public_key, m.credentials.backd.public_key);
      assert.notEqual(issued?.secret_key, m.credentials.backd.secret_key);
      const got = (
        await t.admin({ method: 'GET', url: `/admin/merchants/${m.id}` })
      ).json() as MerchantJson;
      const backd = (got.credentials ?? []).filter((c) => c.dialect === 'backd');
      assert.equal(backd.length, 4);
      assert.equal(backd.filter((c) => c.revoked_at === null).length, 2);
    });

    it('PATCH /admin/merchants/:id changes only the settings given', async () => {
      const t = app();
      const m = await createMerchant(t, { name: 'Patched Shop' });
      t.clock.advance(3_600_000);
      const res = await t.admin({
        method: 'PATCH',
        url: `/admin/merchants/${m.id}`,
        payload: { settings: { refund_window_days: 30, holidays: ['2026-12-25'] } },
      });
      assert.equal(res.statusCode, 200, res.body);
      const patched = res.json() as MerchantJson;
      assert.deepEqual(patched.settings, {
        ...m.settings,
        refund_window_days: 30,
        holidays: ['2026-12-25'],
      });
      assert.equal(patched.created_at, m.created_at);
      assert.equal(patched.updated_at, new Date(t.clock.now()).toISOString());
      const got = (
        await t.admin({ method: 'GET', url: `/admin/merchants/${m.id}` })
      ).json() as MerchantJson;
      assert.deepEqual(got.settings, patched.settings);

      expectIssue(
        await t.admin({ method: 'PATCH', url: `/admin/merchants/${m.id}`, payload: {} }),
        'settings',
      );
      expectIssue(
        await t.admin({
          method: 'PATCH',
          url: `/admin/merchants/${m.id}`,
          payload: { settings: { refund_window_days: -5 } },
        }),
        'settings.refund_window_days',
      );
    });
  });

  describe('GET /admin/merchants', () => {
    const app = appPerSuite(factory);

    it('lists merchants by name, then id, with a cursor, and never their credentials', async () => {
      const t = app();
      const charlie = await createMerchant(t, { name: 'Charlie' });
      const alpha = await createMerchant(t, { name: 'Alpha' });
      const bravo = [
        await createMerchant(t, { name: 'Bravo' }),
        await createMerchant(t, { name: 'Bravo' }),
      ];
      const pages = await walk<MerchantJson>(t, '/admin/merchants?limit=3');
      assert.deepEqual(
        pages.map((p) => p.data.length),
        [3, 1],
      );
      const listed = pages.flatMap((p) => p.data);
      assert.deepEqual(
        listed.map((m) => m.id),
        [alpha.id, ...bravo.map((m) => m.id).sort(), charlie.id],
      );
      for (const m of listed) {
        assert.equal(m.credentials, undefined);
        assert.deepEqual(Object.keys(m), [
          'id',
          'name',
          'currency',
          'settings',
          'created_at',
          'updated_at',
        ]);
      }
      assert.doesNotMatch(JSON.stringify(listed), /pts_sk_|sk_|merchant_key_/);
    });
  });
});
