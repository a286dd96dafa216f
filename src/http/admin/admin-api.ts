/**
 * Proves the admin API's contract over HTTP (statuses, error codes, JSON shapes, ledger effects,
 * idempotency, clock, jobs and events) by injecting requests into the real server on a real store;
 * `admin-api.sqlite.test.ts` and `admin-api.postgres.test.ts` run this one suite on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { execute } from '../../app/context.js';
import { createOrder as createOrderUseCase } from '../../app/create-order.js';
import { hashSecret } from '../../app/secrets.js';
import { BOUNDS } from '../../domain/bounds.js';
import type { Order } from '../../domain/order.js';
import { MPG_PERMISSIONS } from '../../domain/merchant.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import type { StoreFactory } from '../../../test/support/stores.js';
import { type Receiver, startReceiver } from '../../../test/support/receiver.js';

const START = '2026-11-23T12:00:00.000Z';
const DAY_S = 86_400;

interface ErrorJson {
  code: string;
  message: string;
  request_id: string;
  issues?: { path: string; message: string }[];
  details?: Record<string, unknown>;
}

interface TransactionJson {
  id: string;
  type: string;
  status: string;
  amount_minor: number;
  points: number;
  currency: string;
  reason: string | null;
  actor: string;
  event_id: string;
  created_at: string;
}

interface OrderJson {
  id: string;
  merchant_id: string;
  dialect: string;
  kind: string;
  status: string;
  currency: string;
  amount: string;
  amount_minor: number;
  authorized_minor: number;
  captured_minor: number;
  voided_minor: number;
  refunded_minor: number;
  capturable_minor: number;
  refundable_minor: number;
  order_number: string | null;
  captured_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  transactions?: TransactionJson[];
}

interface CredentialJson {
  id: string;
  dialect: string;
  kind: string;
  prefix: string;
  permissions: string[];
  created_at: string;
  revoked_at: string | null;
}

interface IssuedJson {
  points?: { api_key: string; public_key: string };
  backd?: { public_key: string; secret_key: string };
  mpg?: { api_key: string };
}

interface MerchantJson {
  id: string;
  name: string;
  currency: string;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  credentials?: CredentialJson[];
}

interface CreatedMerchantJson extends Omit<MerchantJson, 'credentials'> {
  credentials: Required<IssuedJson>;
}

interface EventJson {
  id: string;
  type: string;
  merchant_id: string;
  order_id: string | null;
  actor: string;
  reason: string | null;
  status_before: string | null;
  status_after: string | null;
  payload: Record<string, unknown>;
  created_at: string;
}

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

type Operation = 'authorize' | 'capture' | 'void' | 'cancel' | 'refund';

/** Starts a fresh app (own store) before the enclosing describe's tests and closes it after. */
function appPerSuite(factory: StoreFactory): () => TestApp {
  let t: TestApp | undefined;
  before(async () => {
    t = await startTestApp(factory);
  });
  after(async () => {
    await t?.close();
  });
  return () => {
    assert.ok(t, 'the test app did not start');
    return t;
  };
}

/** Asserts an admin error envelope with this status and code; returns `error`. */
function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorJson {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json() as { error: ErrorJson };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code, res.body);
  assert.equal(body.error.request_id, res.headers['x-request-id']);
  return body.error;
}

/** Asserts 422 validation.failed with an issue at `path`. */
function expectIssue(res: LightMyRequestResponse, path: string): ErrorJson {
  const error = expectError(res, 422, 'validation.failed');
  const paths = (error.issues ?? []).map((i) => i.path);
  assert.ok(paths.includes(path), `expected an issue at "${path}", got ${JSON.stringify(paths)}`);
  return error;
}

/** Key tags of src/app/merchants.ts; the random part may itself contain `_`. */
const KEY_TAGS = ['pts_sk_', 'pts_pk_', 'merchant_key_', 'pk_', 'sk_'];
const tagOf = (secret: string): string => {
  const tag = KEY_TAGS.find((t) => secret.startsWith(t));
  assert.ok(tag, `unknown key tag: ${secret.slice(0, 16)}`);
  return tag;
};
/** The visible prefix: the key's tag and six random characters (src/app/secrets.ts). */
const prefixOf = (secret: string, tag: string): string => secret.slice(0, tag.length + 6);

const secretsOf = (c: IssuedJson): string[] =>
  [
    c.points?.api_key,
    c.points?.public_key,
    c.backd?.public_key,
    c.backd?.secret_key,
    c.mpg?.api_key,
  ].filter((s): s is string => typeof s === 'string');

export function defineAdminApiSuite(factory: StoreFactory, skip?: string): void {
  describe(`admin API over HTTP: ${factory.engine}`, { skip }, () => {
    // ---- small clients over app.inject, shared by every section --------------------------------

    async function createMerchant(
      t: TestApp,
      body: Record<string, unknown> = { name: 'Shop' },
    ): Promise<CreatedMerchantJson> {
      const res = await t.admin({ method: 'POST', url: '/admin/merchants', payload: body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as CreatedMerchantJson;
    }

    async function createOrder(
      t: TestApp,
      merchantId: string,
      amountMinor = 1000,
      capture: 'none' | 'authorize' | 'purchase' = 'purchase',
      extra: Record<string, unknown> = {},
    ): Promise<OrderJson> {
      const res = await t.admin({
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: merchantId, amount_minor: amountMinor, capture, ...extra },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as OrderJson;
    }

    const operate = (
      t: TestApp,
      orderId: string,
      op: Operation,
      body?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) =>
      t.admin({
        method: 'POST',
        url: `/admin/orders/${orderId}/${op}`,
        headers,
        ...(body === undefined ? {} : { payload: body }),
      });

    async function succeed(
      t: TestApp,
      orderId: string,
      op: Operation,
      body?: Record<string, unknown>,
    ): Promise<OrderJson> {
      const res = await operate(t, orderId, op, body);
      assert.equal(res.statusCode, 200, `${op}: ${res.body}`);
      return res.json() as OrderJson;
    }

    async function getOrder(t: TestApp, orderId: string): Promise<OrderJson> {
      const res = await t.admin({ method: 'GET', url: `/admin/orders/${orderId}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as OrderJson;
    }

    async function listEvents(t: TestApp, query: string): Promise<Page<EventJson>> {
      const res = await t.admin({ method: 'GET', url: `/admin/events?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Page<EventJson>;
    }

    /** Follows next_cursor from `url` to the end; returns every page. */
    async function walk<T>(t: TestApp, url: string): Promise<Page<T>[]> {
      const pages: Page<T>[] = [];
      let cursor: string | null = null;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const res = await t.admin({
          method: 'GET',
          url: cursor === null ? url : `${url}${sep}cursor=${encodeURIComponent(cursor)}`,
        });
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json() as Page<T>;
        pages.push(page);
        cursor = page.next_cursor;
        assert.ok(pages.length < 100, 'pagination does not end');
      } while (cursor !== null);
      return pages;
    }

    /**
     * Asserts an operation is refused with this status and code, and that it changed nothing:
     * the order (totals, version, rows) and its events are exactly as before.
     */
    async function rejects(
      t: TestApp,
      orderId: string,
      op: Operation,
      body: Record<string, unknown> | undefined,
      status: number,
      code: string,
      details?: Record<string, unknown>,
    ): Promise<void> {
      const before = await getOrder(t, orderId);
      const eventsBefore = await listEvents(t, `order_id=${orderId}&limit=500`);
      const error = expectError(await operate(t, orderId, op, body), status, code);
      if (details) assert.deepEqual(error.details, details);
      assert.deepEqual(await getOrder(t, orderId), before, `${op} changed the order`);
      assert.deepEqual(await listEvents(t, `order_id=${orderId}&limit=500`), eventsBefore);
    }

    // ---- merchants ----------------------------------------------------------------------------

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
        });
      });

      it('GET /admin/merchants/:id shows credential prefixes and no secret or hash', async () => {
        const m = await createMerchant(app());
        const res = await app().admin({ method: 'GET', url: `/admin/merchants/${m.id}` });
        assert.equal(res.statusCode, 200);
        const got = res.json() as MerchantJson;
        assert.equal(got.id, m.id);
        assert.equal(got.name, m.name);
        const credentials = got.credentials ?? [];
        assert.equal(credentials.length, 5);

        const expected: [string, string, string][] = [
          ['points', 'api_key', m.credentials.points.api_key],
          ['points', 'public_key', m.credentials.points.public_key],
          ['backd', 'public_key', m.credentials.backd.public_key],
          ['backd', 'secret_key', m.credentials.backd.secret_key],
          ['mpg', 'api_key', m.credentials.mpg.api_key],
        ];
        for (const [dialect, kind, secret] of expected) {
          const found = credentials.filter((c) => c.dialect === dialect && c.kind === kind);
          assert.equal(found.length, 1, `${dialect}/${kind}`);
          const c = found[0]!;
          assert.deepEqual(Object.keys(c).sort(), [
            'created_at',
            'dialect',
            'id',
            'kind',
            'permissions',
            'prefix',
            'revoked_at',
          ]);
          assert.equal(c.prefix, prefixOf(secret, tagOf(secret)));
          assert.ok(c.prefix.length < secret.length);
          assert.deepEqual(c.permissions, dialect === 'mpg' ? [...MPG_PERMISSIONS] : []);
          assert.equal(c.revoked_at, null);
          assert.equal(c.created_at, START);
        }
        for (const secret of secretsOf(m.credentials)) {
          assert.ok(!res.body.includes(secret), 'a plaintext secret is in the response');
          assert.ok(!res.body.includes(hashSecret(secret)), 'a secret hash is in the response');
        }
      });

      it('the database holds only hashes and prefixes of the secrets', async () => {
        const m = await createMerchant(app(), { name: 'Stored Shop' });
        const credentialRows = await app().testStore.rawRows('credentials');
        const merchantRows = await app().testStore.rawRows('merchants');
        const raw = JSON.stringify([credentialRows, merchantRows]);
        const mine = credentialRows.filter((r) => r['merchant_id'] === m.id);
        assert.equal(mine.length, 5);
        for (const secret of secretsOf(m.credentials)) {
          assert.ok(!raw.includes(secret), 'a plaintext secret is stored');
          const rows = mine.filter((r) => r['secret_hash'] === hashSecret(secret));
          assert.equal(rows.length, 1, 'the secret is stored as its SHA-256 hash');
          assert.equal(rows[0]!['prefix'], prefixOf(secret, tagOf(secret)));
        }
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

    // ---- orders -------------------------------------------------------------------------------

    describe('orders', () => {
      const app = appPerSuite(factory);
      let merchantId = '';
      before(async () => {
        merchantId = (await createMerchant(app(), { name: 'Order Shop' })).id;
      });

      it('POST /admin/orders purchases by default: 201 with the order and its purchase row', async () => {
        const o = await createOrder(app(), merchantId, 1000);
        assert.equal(o.merchant_id, merchantId);
        assert.equal(o.dialect, 'admin');
        assert.equal(o.kind, 'standard');
        assert.equal(o.status, 'captured');
        assert.equal(o.currency, 'SAR');
        assert.equal(o.amount, '10.00');
        assert.equal(o.amount_minor, 1000);
        assert.equal(o.authorized_minor, 1000);
        assert.equal(o.captured_minor, 1000);
        assert.equal(o.capturable_minor, 0);
        assert.equal(o.refundable_minor, 1000);
        assert.equal(o.version, 0);
        assert.equal(o.created_at, START);
        assert.equal(o.captured_at, START);
        assert.deepEqual(
          o.transactions?.map((r) => [r.type, r.amount_minor, r.actor, r.status]),
          [['purchase', 1000, 'admin', 'approved']],
        );

        const omitted = await app().admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchantId, amount_minor: 50 },
        });
        assert.equal(omitted.statusCode, 201);
        assert.equal((omitted.json() as OrderJson).status, 'captured');
      });

      it('operations whose fields are all optional take no body at all, as documented', async () => {
        const pending = await createOrder(app(), merchantId, 700, 'none');
        const authorized = await app().admin({
          method: 'POST',
          url: `/admin/orders/${pending.id}/authorize`,
        });
        assert.equal(authorized.statusCode, 200);
        assert.equal((authorized.json() as OrderJson).status, 'authorized');
        const captured = await app().admin({
          method: 'POST',
          url: `/admin/orders/${pending.id}/capture`,
        });
        assert.equal(captured.statusCode, 200);
        assert.equal((captured.json() as OrderJson).captured_minor, 700);
        const refunded = await app().admin({
          method: 'POST',
          url: `/admin/orders/${pending.id}/refund`,
        });
        assert.equal(refunded.statusCode, 200);
        assert.equal((refunded.json() as OrderJson).status, 'refunded');
        const toCancel = await createOrder(app(), merchantId, 700, 'authorize');
        const cancelled = await app().admin({
          method: 'POST',
          url: `/admin/orders/${toCancel.id}/cancel`,
        });
        assert.equal(cancelled.statusCode, 200);
        assert.equal((cancelled.json() as OrderJson).status, 'cancelled');
      });

      it('capture "authorize" reserves and "none" leaves the order pending', async () => {
        const authorized = await createOrder(app(), merchantId, 700, 'authorize');
        assert.equal(authorized.status, 'authorized');
        assert.equal(authorized.authorized_minor, 700);
        assert.equal(authorized.capturable_minor, 700);
        assert.equal(authorized.refundable_minor, 0);
        assert.deepEqual(
          authorized.transactions?.map((r) => r.type),
          ['authorize'],
        );

        const pending = await createOrder(app(), merchantId, 700, 'none');
        assert.equal(pending.status, 'pending');
        assert.equal(pending.authorized_minor, 0);
        assert.deepEqual(pending.transactions, []);
      });

      it('an order takes the merchant currency unless given, and formats by its exponent', async () => {
        const kwd = await createMerchant(app(), { name: 'KWD Shop', currency: 'KWD' });
        const o = await createOrder(app(), kwd.id, 1234);
        assert.equal(o.currency, 'KWD');
        assert.equal(o.amount, '1.234');
        const usd = await createOrder(app(), kwd.id, 1234, 'purchase', { currency: 'USD' });
        assert.equal(usd.currency, 'USD');
        assert.equal(usd.amount, '12.34');
        const jpy = await createOrder(app(), kwd.id, 1234, 'purchase', { currency: 'JPY' });
        assert.equal(jpy.amount, '1234');
      });

      it('an order for an unknown merchant is 404 merchant.not_found', async () => {
        const res = await app().admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: 'no-such-merchant', amount_minor: 100 },
        });
        expectError(res, 404, 'merchant.not_found');
      });

      it('an order in a currency missing from ISO 4217 is 422 validation.failed', async () => {
        const res = await app().admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchantId, amount_minor: 100, currency: 'XAU' },
        });
        expectError(res, 422, 'validation.failed');
      });

      it('a repeated order_number is 409 order.duplicate_reference; another merchant may reuse it', async () => {
        await createOrder(app(), merchantId, 100, 'purchase', { order_number: 'INV-1' });
        const res = await app().admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchantId, amount_minor: 100, order_number: 'INV-1' },
        });
        const error = expectError(res, 409, 'order.duplicate_reference');
        assert.deepEqual(error.details, { field: 'order_number' });
        const other = await createMerchant(app(), { name: 'Other Shop' });
        const o = await createOrder(app(), other.id, 100, 'purchase', { order_number: 'INV-1' });
        assert.equal(o.order_number, 'INV-1');
      });

      it('an invalid order is 422 at the failing field', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ amount_minor: 100 }, 'merchant_id'],
          [{ merchant_id: '', amount_minor: 100 }, 'merchant_id'],
          [{ merchant_id: merchantId }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: -1 }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: 10.5 }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: '10' }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: null }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: 2 ** 53 }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: 1e300 }, 'amount_minor'],
          [{ merchant_id: merchantId, amount_minor: 1, capture: 'later' }, 'capture'],
          [{ merchant_id: merchantId, amount_minor: 1, currency: 'usd' }, 'currency'],
          [{ merchant_id: merchantId, amount_minor: 1, reason: 'r'.repeat(501) }, 'reason'],
          [{ merchant_id: merchantId, amount_minor: 1, order_number: '' }, 'order_number'],
          [{ merchant_id: merchantId, amount_minor: 1, kind: 'bnpl' }, ''],
        ];
        for (const [payload, path] of cases) {
          expectIssue(await app().admin({ method: 'POST', url: '/admin/orders', payload }), path);
        }
      });

      it('an amount at the bound is accepted; one minor unit more is 422', async () => {
        const o = await createOrder(app(), merchantId, BOUNDS.amountMinorMax);
        assert.equal(o.amount_minor, 1_000_000_000_000);
        assert.equal(o.amount, '10000000000.00');
        assert.equal((await getOrder(app(), o.id)).captured_minor, BOUNDS.amountMinorMax);
        for (const payload of [
          `{"merchant_id":"${merchantId}","amount_minor":1000000000001}`,
          `{"merchant_id":"${merchantId}","amount_minor":9007199254740993}`,
        ]) {
          const res = await app().admin({
            method: 'POST',
            url: '/admin/orders',
            headers: { 'content-type': 'application/json' },
            payload,
          });
          expectIssue(res, 'amount_minor');
        }
        const refund = await app().admin({
          method: 'POST',
          url: `/admin/orders/${o.id}/refund`,
          payload: { amount_minor: BOUNDS.amountMinorMax + 1 },
        });
        expectIssue(refund, 'amount_minor');
      });

      it('authorize, partial capture, void, capture of the rest, partial and full refund', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        let now = await succeed(t, o.id, 'capture', { amount_minor: 400 });
        assert.equal(now.status, 'captured');
        assert.equal(now.captured_minor, 400);
        assert.equal(now.capturable_minor, 600);
        assert.equal(now.refundable_minor, 400);
        assert.deepEqual(
          now.transactions?.map((r) => [r.type, r.amount_minor]),
          [['capture', 400]],
        );

        now = await succeed(t, o.id, 'void', { amount_minor: 100 });
        assert.equal(now.status, 'captured');
        assert.equal(now.voided_minor, 100);
        assert.equal(now.capturable_minor, 500);

        now = await succeed(t, o.id, 'capture');
        assert.equal(now.captured_minor, 900);
        assert.equal(now.capturable_minor, 0);

        now = await succeed(t, o.id, 'refund', { amount_minor: 300, reason: 'damaged' });
        assert.equal(now.status, 'partially_refunded');
        assert.equal(now.refunded_minor, 300);
        assert.equal(now.refundable_minor, 600);

        now = await succeed(t, o.id, 'refund');
        assert.equal(now.status, 'refunded');
        assert.equal(now.refunded_minor, 900);
        assert.equal(now.refundable_minor, 0);
        assert.equal(now.version, 5);

        const got = await getOrder(t, o.id);
        assert.deepEqual(
          got.transactions?.map((r) => [r.type, r.amount_minor, r.reason, r.actor]),
          [
            ['authorize', 1000, null, 'admin'],
            ['capture', 400, null, 'admin'],
            ['void', 100, null, 'admin'],
            ['capture', 500, null, 'admin'],
            ['refund', 300, 'damaged', 'admin'],
            ['refund', 600, null, 'admin'],
          ],
        );
        assert.equal(new Set(got.transactions?.map((r) => r.event_id)).size, 6);
      });

      it('cancel of an authorized order voids the reservation and ends the order', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 800, 'authorize');
        const now = await succeed(t, o.id, 'cancel', { reason: 'customer changed mind' });
        assert.equal(now.status, 'cancelled');
        assert.equal(now.voided_minor, 800);
        assert.equal(now.capturable_minor, 0);
        assert.equal(now.cancelled_at, START);
        assert.deepEqual(
          now.transactions?.map((r) => [r.type, r.amount_minor, r.reason]),
          [
            ['void', 800, 'customer changed mind'],
            ['cancel', 0, 'customer changed mind'],
          ],
        );
        const pending = await createOrder(t, merchantId, 800, 'none');
        const cancelled = await succeed(t, pending.id, 'cancel');
        assert.equal(cancelled.status, 'cancelled');
        assert.deepEqual(
          cancelled.transactions?.map((r) => r.type),
          ['cancel'],
        );
      });

      it('authorize of a pending order reserves its whole amount', async () => {
        const o = await createOrder(app(), merchantId, 450, 'none');
        const now = await succeed(app(), o.id, 'authorize');
        assert.equal(now.status, 'authorized');
        assert.equal(now.authorized_minor, 450);
      });

      it('refund more than refundable is 409 refund.exceeds_refundable with refundableMinor', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        await succeed(t, o.id, 'refund', { amount_minor: 250 });
        await rejects(t, o.id, 'refund', { amount_minor: 751 }, 409, 'refund.exceeds_refundable', {
          refundableMinor: 750,
        });
      });

      it('capture more than capturable is 409 capture.exceeds_capturable with capturableMinor', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        await succeed(t, o.id, 'capture', { amount_minor: 300 });
        await rejects(
          t,
          o.id,
          'capture',
          { amount_minor: 701 },
          409,
          'capture.exceeds_capturable',
          {
            capturableMinor: 700,
          },
        );
      });

      it('void more than voidable is 409 void.exceeds_voidable with voidableMinor', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        await succeed(t, o.id, 'void', { amount_minor: 100 });
        await rejects(t, o.id, 'void', { amount_minor: 901 }, 409, 'void.exceeds_voidable', {
          voidableMinor: 900,
        });
      });

      it('a captured order: cancel 409 order.already_captured, authorize 409, capture/void have nothing left', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        await rejects(t, o.id, 'cancel', undefined, 409, 'order.already_captured');
        await rejects(t, o.id, 'authorize', undefined, 409, 'order.already_captured');
        await rejects(t, o.id, 'capture', undefined, 409, 'order.already_captured');
        await rejects(t, o.id, 'void', undefined, 409, 'order.nothing_to_void');
      });

      it('a pending order: refund 409 order.not_captured; capture and void 409 order.not_authorized', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'none');
        await rejects(t, o.id, 'refund', { amount_minor: 10 }, 409, 'order.not_captured');
        await rejects(t, o.id, 'refund', undefined, 409, 'order.not_captured');
        await rejects(t, o.id, 'capture', { amount_minor: 10 }, 409, 'order.not_authorized');
        await rejects(t, o.id, 'void', undefined, 409, 'order.not_authorized');
      });

      it('an authorized order: refund 409 order.not_captured; authorize 409 order.already_authorized', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        await rejects(t, o.id, 'refund', { amount_minor: 10 }, 409, 'order.not_captured');
        await rejects(t, o.id, 'authorize', undefined, 409, 'order.already_authorized');
      });

      it('a voided order: every operation is refused, mostly as order.nothing_to_void', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        assert.equal((await succeed(t, o.id, 'void')).status, 'voided');
        await rejects(t, o.id, 'void', undefined, 409, 'order.nothing_to_void');
        await rejects(t, o.id, 'capture', undefined, 409, 'order.nothing_to_void');
        await rejects(t, o.id, 'cancel', undefined, 409, 'order.nothing_to_void');
        await rejects(t, o.id, 'authorize', undefined, 409, 'order.nothing_to_void');
        await rejects(t, o.id, 'refund', undefined, 409, 'order.not_captured');
      });

      it('a cancelled order: cancel 409 order.already_cancelled, anything else 409 order.cancelled', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        await succeed(t, o.id, 'cancel');
        await rejects(t, o.id, 'cancel', undefined, 409, 'order.already_cancelled');
        await rejects(t, o.id, 'capture', { amount_minor: 1 }, 409, 'order.cancelled');
        await rejects(t, o.id, 'void', undefined, 409, 'order.cancelled');
        await rejects(t, o.id, 'refund', { amount_minor: 1 }, 409, 'order.cancelled');
        await rejects(t, o.id, 'authorize', undefined, 409, 'order.cancelled');
      });

      it('a refunded order: refund 409 order.already_fully_refunded, cancel 409 order.already_refunded', async () => {
        const t = app();
        const partly = await createOrder(t, merchantId, 1000);
        await succeed(t, partly.id, 'refund', { amount_minor: 1 });
        await rejects(t, partly.id, 'cancel', undefined, 409, 'order.already_refunded');

        const o = await createOrder(t, merchantId, 1000);
        await succeed(t, o.id, 'refund');
        await rejects(t, o.id, 'refund', { amount_minor: 1 }, 409, 'order.already_fully_refunded');
        await rejects(t, o.id, 'refund', undefined, 409, 'order.already_fully_refunded');
        await rejects(t, o.id, 'cancel', undefined, 409, 'order.already_refunded');
        await rejects(t, o.id, 'capture', undefined, 409, 'order.already_fully_refunded');
      });

      it('an invalid amount on capture, void or refund is 422 at amount_minor and changes nothing', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        await succeed(t, o.id, 'capture', { amount_minor: 500 });
        const before = await getOrder(t, o.id);
        const bad: unknown[] = [-1, 0, 10.5, '10', null, true, 2 ** 53, 1e300, [10], { minor: 10 }];
        for (const op of ['capture', 'void', 'refund'] as const) {
          for (const amount of bad) {
            const res = await operate(t, o.id, op, { amount_minor: amount });
            expectIssue(res, 'amount_minor');
          }
          const raw = await t.admin({
            method: 'POST',
            url: `/admin/orders/${o.id}/${op}`,
            headers: { 'content-type': 'application/json' },
            payload: '{"amount_minor":9007199254740993}',
          });
          expectIssue(raw, 'amount_minor');
        }
        assert.deepEqual(await getOrder(t, o.id), before);
      });

      it('an unknown field on an operation is 422, and cancel takes no amount', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000, 'authorize');
        expectIssue(await operate(t, o.id, 'cancel', { amount_minor: 5 }), '');
        expectIssue(await operate(t, o.id, 'authorize', { amount_minor: 5 }), '');
        expectIssue(await operate(t, o.id, 'refund', { amount: 5 }), '');
        expectIssue(await operate(t, o.id, 'refund', { reason: 'r'.repeat(501) }), 'reason');
        assert.equal((await getOrder(t, o.id)).version, 0);
      });

      it('an unknown order id is 404 order.not_found on read and on every operation', async () => {
        const t = app();
        for (const id of ['no-such-order', '01900000-0000-7000-8000-000000000000']) {
          expectError(
            await t.admin({ method: 'GET', url: `/admin/orders/${id}` }),
            404,
            'order.not_found',
          );
          for (const op of ['authorize', 'capture', 'void', 'cancel', 'refund'] as const) {
            const body = op === 'cancel' || op === 'authorize' ? undefined : { amount_minor: 10 };
            expectError(await operate(t, id, op, body), 404, 'order.not_found');
          }
        }
      });

      it('GET /admin/orders/:id returns the order with every ledger row', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        await succeed(t, o.id, 'refund', { amount_minor: 100 });
        const got = await getOrder(t, o.id);
        assert.equal(got.id, o.id);
        assert.equal(got.refunded_minor, 100);
        assert.equal(got.version, 1);
        assert.deepEqual(
          got.transactions?.map((r) => [r.type, r.amount_minor, r.currency]),
          [
            ['purchase', 1000, 'SAR'],
            ['refund', 100, 'SAR'],
          ],
        );
      });

      it('concurrent refunds never refund more than was captured', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 500);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => operate(t, o.id, 'refund', { amount_minor: 100 })),
        );
        const ok = results.filter((r) => r.statusCode === 200);
        const refused = results.filter((r) => r.statusCode !== 200);
        assert.equal(ok.length, 5);
        for (const r of refused) expectError(r, 409, 'order.already_fully_refunded');
        const got = await getOrder(t, o.id);
        assert.equal(got.refunded_minor, 500);
        assert.equal(got.status, 'refunded');
        assert.equal(got.transactions?.filter((r) => r.type === 'refund').length, 5);
      });

      describe('GET /admin/orders', () => {
        let listed = '';
        const ids: string[] = [];
        before(async () => {
          listed = (await createMerchant(app(), { name: 'Listed Shop' })).id;
          for (let i = 0; i < 5; i++) ids.push((await createOrder(app(), listed, 100 + i)).id);
        });

        it('pages a merchant orders oldest first with next_cursor until the end', async () => {
          const pages = await walk<OrderJson>(app(), `/admin/orders?merchant_id=${listed}&limit=2`);
          assert.deepEqual(
            pages.map((p) => p.data.length),
            [2, 2, 1],
          );
          assert.deepEqual(
            pages.flatMap((p) => p.data.map((o) => o.id)),
            ids,
          );
          assert.equal(pages.at(-1)?.next_cursor, null);
          for (const o of pages.flatMap((p) => p.data)) {
            assert.equal(o.merchant_id, listed);
            assert.equal(o.transactions, undefined);
          }
        });

        it('a full last page has a cursor to an empty page', async () => {
          const pages = await walk<OrderJson>(app(), `/admin/orders?merchant_id=${listed}&limit=5`);
          assert.deepEqual(
            pages.map((p) => p.data.length),
            [5, 0],
          );
          assert.equal(pages[1]?.next_cursor, null);
        });

        it('filters by dialect', async () => {
          const admin = await app().admin({
            method: 'GET',
            url: `/admin/orders?merchant_id=${listed}&dialect=admin`,
          });
          assert.equal((admin.json() as Page<OrderJson>).data.length, 5);
          const points = await app().admin({
            method: 'GET',
            url: `/admin/orders?merchant_id=${listed}&dialect=points`,
          });
          assert.deepEqual(points.json(), { data: [], next_cursor: null });
        });

        it('a garbage cursor, a bad limit or an unknown parameter is 422', async () => {
          const cases: [string, string][] = [
            ['cursor=garbage', 'cursor'],
            ['cursor=%25%25%25', 'cursor'],
            [`cursor=${Buffer.from('abc:').toString('base64url')}`, 'cursor'],
            [`cursor=${Buffer.from('1.5:x').toString('base64url')}`, 'cursor'],
            ['limit=0', 'limit'],
            ['limit=501', 'limit'],
            ['limit=abc', 'limit'],
            ['limit=2.5', 'limit'],
            // What Number() reads as an integer is still not one in decimal digits.
            ['limit=0x10', 'limit'],
            ['limit=1e2', 'limit'],
            ['limit=%2B5', 'limit'],
            ['limit=%205', 'limit'],
            ['limit=', 'limit'],
            [`cursor=${Buffer.from(`0x10:${'x'}`).toString('base64url')}`, 'cursor'],
            [`cursor=${Buffer.from(':x').toString('base64url')}`, 'cursor'],
            ['dialect=paypal', 'dialect'],
            ['colour=red', ''],
          ];
          for (const [query, path] of cases) {
            const res = await app().admin({ method: 'GET', url: `/admin/orders?${query}` });
            expectIssue(res, path);
          }
        });
      });
    });

    // ---- idempotency --------------------------------------------------------------------------

    describe('Idempotency-Key on admin writes', () => {
      const app = appPerSuite(factory);
      let merchantId = '';
      before(async () => {
        merchantId = (await createMerchant(app(), { name: 'Idempotent Shop' })).id;
      });

      const refundWithKey = (orderId: string, key: string, body: Record<string, unknown>) =>
        operate(app(), orderId, 'refund', body, { 'idempotency-key': key });

      it('the same key and body replays the stored response and refunds once', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        const first = await refundWithKey(o.id, 'refund-once', { amount_minor: 300 });
        assert.equal(first.statusCode, 200, first.body);
        assert.equal(first.headers['idempotency-replayed'], undefined);

        const again = await refundWithKey(o.id, 'refund-once', { amount_minor: 300 });
        assert.equal(again.statusCode, first.statusCode);
        assert.equal(again.headers['idempotency-replayed'], 'true');
        assert.deepEqual(again.json(), first.json());
        assert.equal(again.body, first.body);

        const got = await getOrder(t, o.id);
        assert.equal(got.refunded_minor, 300);
        assert.equal(got.transactions?.filter((r) => r.type === 'refund').length, 1);
        const rows = await t.testStore.rawRows('idempotency_keys');
        const row = rows.find((r) => r['idempotency_key'] === 'refund-once');
        assert.equal(row?.['scope'], 'admin');
        assert.equal(row?.['state'], 'completed');
        assert.equal(Number(row?.['response_status']), 200);
      });

      it('the same key with a different body is 422 idempotency.key_reused and changes nothing', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        await refundWithKey(o.id, 'reused', { amount_minor: 100 });
        const before = await getOrder(t, o.id);
        expectError(
          await refundWithKey(o.id, 'reused', { amount_minor: 101 }),
          422,
          'idempotency.key_reused',
        );
        expectError(
          await refundWithKey(o.id, 'reused', { amount_minor: 100, reason: 'x' }),
          422,
          'idempotency.key_reused',
        );
        assert.deepEqual(await getOrder(t, o.id), before);
      });

      it('the same key on another order or path is 422 idempotency.key_reused', async () => {
        const t = app();
        const a = await createOrder(t, merchantId, 1000);
        const b = await createOrder(t, merchantId, 1000, 'authorize');
        await refundWithKey(a.id, 'per-request', { amount_minor: 100 });
        expectError(
          await refundWithKey(b.id, 'per-request', { amount_minor: 100 }),
          422,
          'idempotency.key_reused',
        );
        expectError(
          await operate(
            t,
            b.id,
            'capture',
            { amount_minor: 100 },
            { 'idempotency-key': 'per-request' },
          ),
          422,
          'idempotency.key_reused',
        );
        assert.equal((await getOrder(t, b.id)).captured_minor, 0);
      });

      it('different keys with the same body are two refunds', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        assert.equal((await refundWithKey(o.id, 'k-a', { amount_minor: 100 })).statusCode, 200);
        assert.equal((await refundWithKey(o.id, 'k-b', { amount_minor: 100 })).statusCode, 200);
        assert.equal((await getOrder(t, o.id)).refunded_minor, 200);
      });

      it('a refused request is stored and replayed too', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        const first = await refundWithKey(o.id, 'too-much', { amount_minor: 5000 });
        const error = expectError(first, 409, 'refund.exceeds_refundable');
        assert.deepEqual(error.details, { refundableMinor: 1000 });
        const again = await refundWithKey(o.id, 'too-much', { amount_minor: 5000 });
        assert.equal(again.statusCode, 409);
        assert.equal(again.headers['idempotency-replayed'], 'true');
        assert.equal(again.body, first.body);
      });

      it('a request failing validation does not consume its key', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        expectIssue(await refundWithKey(o.id, 'after-422', { amount_minor: -1 }), 'amount_minor');
        const res = await refundWithKey(o.id, 'after-422', { amount_minor: 10 });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['idempotency-replayed'], undefined);
      });

      it('a key of 256 characters is 422 at Idempotency-Key; 255 is accepted', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        expectIssue(
          await refundWithKey(o.id, 'k'.repeat(256), { amount_minor: 10 }),
          'Idempotency-Key',
        );
        expectIssue(await refundWithKey(o.id, '', { amount_minor: 10 }), 'Idempotency-Key');
        assert.equal((await getOrder(t, o.id)).refunded_minor, 0);
        const ok = await refundWithKey(o.id, 'k'.repeat(255), { amount_minor: 10 });
        assert.equal(ok.statusCode, 200, ok.body);
      });

      it('concurrent requests with one key refund once; the others replay or are in progress', async () => {
        const t = app();
        const o = await createOrder(t, merchantId, 1000);
        const results = await Promise.all(
          Array.from({ length: 5 }, () => refundWithKey(o.id, 'racing', { amount_minor: 100 })),
        );
        const fresh = results.filter(
          (r) => r.statusCode === 200 && r.headers['idempotency-replayed'] === undefined,
        );
        assert.equal(fresh.length, 1);
        for (const r of results) {
          if (r.statusCode === 200) assert.equal(r.body, fresh[0]?.body);
          else expectError(r, 409, 'idempotency.in_progress');
        }
        const got = await getOrder(t, o.id);
        assert.equal(got.refunded_minor, 100);
        assert.equal(got.transactions?.filter((r) => r.type === 'refund').length, 1);
      });

      it('POST /admin/orders with a key creates one order', async () => {
        const t = app();
        const m = await createMerchant(t, { name: 'Keyed Orders' });
        const create = () =>
          t.admin({
            method: 'POST',
            url: '/admin/orders',
            headers: { 'idempotency-key': 'create-1' },
            payload: { merchant_id: m.id, amount_minor: 900 },
          });
        const first = await create();
        assert.equal(first.statusCode, 201, first.body);
        const again = await create();
        assert.equal(again.statusCode, 201);
        assert.equal(again.headers['idempotency-replayed'], 'true');
        assert.equal((again.json() as OrderJson).id, (first.json() as OrderJson).id);
        const list = await t.admin({ method: 'GET', url: `/admin/orders?merchant_id=${m.id}` });
        assert.equal((list.json() as Page<OrderJson>).data.length, 1);
      });
    });

    // ---- test clock ---------------------------------------------------------------------------

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

    // ---- jobs ---------------------------------------------------------------------------------

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
        assert.equal((await t.testStore.rawRows('idempotency_keys')).length, 2);

        assert.equal(await reaped(), 0);
        t.clock.advance((DAY_S - 1) * 1000);
        assert.equal(await reaped(), 0);
        assert.equal((await t.testStore.rawRows('idempotency_keys')).length, 2);

        const advance = await t.admin({
          method: 'POST',
          url: '/admin/clock/advance',
          payload: { seconds: 2 },
        });
        assert.equal(advance.statusCode, 200);
        assert.equal(await reaped(), 2);
        assert.deepEqual(await t.testStore.rawRows('idempotency_keys'), []);
        assert.equal(await reaped(), 0);

        // The reaped key no longer remembers its first body.
        const reused = await refund('reap-1', 30);
        assert.equal(reused.statusCode, 200, reused.body);
        assert.equal(reused.headers['idempotency-replayed'], undefined);
        assert.equal((await getOrder(t, o.id)).refunded_minor, 60);
      });
    });

    // ---- events -------------------------------------------------------------------------------

    describe('GET /admin/events', () => {
      const app = appPerSuite(factory);
      let merchantId = '';
      let orderId = '';
      let otherOrderId = '';
      const T0 = '2026-11-23T12:00:00.000Z';
      const T1 = '2026-11-23T12:01:00.000Z';
      const T2 = '2026-11-23T12:02:00.000Z';

      before(async () => {
        const t = app();
        merchantId = (await createMerchant(t, { name: 'Evented Shop' })).id;
        orderId = (await createOrder(t, merchantId, 1000, 'authorize')).id;
        otherOrderId = (await createOrder(t, merchantId, 50, 'none')).id;
        t.clock.advance(60_000);
        await succeed(t, orderId, 'capture', { amount_minor: 400 });
        t.clock.advance(60_000);
        await succeed(t, orderId, 'refund', { amount_minor: 100, reason: 'damaged' });
        // Refused operations write no event.
        expectError(
          await operate(t, orderId, 'refund', { amount_minor: 10_000 }),
          409,
          'refund.exceeds_refundable',
        );
        expectError(await operate(t, orderId, 'cancel'), 409, 'order.already_refunded');
        // Another merchant's events.
        const other = await createMerchant(t, { name: 'Quiet Shop' });
        await createOrder(t, other.id, 10);
      });

      it('lists an order events in order with status_before and status_after', async () => {
        const page = await listEvents(app(), `order_id=${orderId}`);
        assert.equal(page.next_cursor, null);
        assert.deepEqual(
          page.data.map((e) => [
            e.type,
            e.status_before,
            e.status_after,
            e.actor,
            e.reason,
            e.created_at,
          ]),
          [
            ['order.created', null, 'authorized', 'admin', null, T0],
            ['order.captured', 'authorized', 'captured', 'admin', null, T1],
            ['order.refunded', 'captured', 'partially_refunded', 'admin', 'damaged', T2],
          ],
        );
        for (const e of page.data) {
          assert.equal(e.order_id, orderId);
          assert.equal(e.merchant_id, merchantId);
        }
        const refunded = page.data[2]?.payload as {
          order: { status: string; refunded: { minor: number } };
          refund: Record<string, number>;
        };
        assert.equal(refunded.order.status, 'partially_refunded');
        assert.equal(refunded.order.refunded.minor, 100);
        assert.deepEqual(refunded.refund, {
          amount_minor: 100,
          cash_minor: 100,
          points_value_minor: 0,
          points_reversed: 0,
          points_returned: 0,
        });
      });

      it('each event id matches the event_id of its ledger rows', async () => {
        const page = await listEvents(app(), `order_id=${orderId}`);
        const rows = (await getOrder(app(), orderId)).transactions ?? [];
        assert.deepEqual(
          rows.map((r) => r.event_id),
          page.data.map((e) => e.id),
        );
      });

      it('filters by type and by merchant', async () => {
        const refunds = await listEvents(app(), `type=order.refunded&merchant_id=${merchantId}`);
        assert.deepEqual(
          refunds.data.map((e) => [e.type, e.order_id]),
          [['order.refunded', orderId]],
        );
        const mine = await listEvents(app(), `merchant_id=${merchantId}`);
        assert.equal(mine.data.length, 4);
        assert.ok(mine.data.every((e) => e.merchant_id === merchantId));
        assert.deepEqual(
          mine.data.filter((e) => e.order_id === otherOrderId).map((e) => e.type),
          ['order.created'],
        );
        const all = await listEvents(app(), '');
        assert.equal(all.data.length, 5);
        const none = await listEvents(app(), 'type=order.voided');
        assert.deepEqual(none, { data: [], next_cursor: null });
      });

      it('filters by time: from is inclusive, to is exclusive, offsets are honoured', async () => {
        const q = (s: string) => listEvents(app(), `order_id=${orderId}&${s}`);
        const types = (p: Page<EventJson>) => p.data.map((e) => e.type);
        assert.deepEqual(types(await q(`from=${T1}`)), ['order.captured', 'order.refunded']);
        assert.deepEqual(types(await q(`to=${T1}`)), ['order.created']);
        assert.deepEqual(types(await q(`from=${T1}&to=${T2}`)), ['order.captured']);
        assert.deepEqual(
          types(await q(`from=${encodeURIComponent('2026-11-23T15:01:00+03:00')}`)),
          ['order.captured', 'order.refunded'],
        );
      });

      it('pages with a cursor through the same events in the same order', async () => {
        const all = await listEvents(app(), `merchant_id=${merchantId}`);
        const pages = await walk<EventJson>(
          app(),
          `/admin/events?merchant_id=${merchantId}&limit=1`,
        );
        assert.deepEqual(
          pages.flatMap((p) => p.data.map((e) => e.id)),
          all.data.map((e) => e.id),
        );
        assert.ok(pages.slice(0, -1).every((p) => p.data.length === 1));
        const three = await walk<EventJson>(
          app(),
          `/admin/events?merchant_id=${merchantId}&limit=3`,
        );
        assert.deepEqual(
          three.map((p) => p.data.length),
          [3, 1],
        );
      });

      it('a garbage cursor, bad time or bad limit is 422', async () => {
        const cases: [string, string][] = [
          ['cursor=garbage', 'cursor'],
          ['from=yesterday', 'from'],
          ['to=2026-11-23', 'to'],
          ['limit=0', 'limit'],
          ['limit=501', 'limit'],
          ['status=captured', ''],
        ];
        for (const [query, path] of cases) {
          expectIssue(await app().admin({ method: 'GET', url: `/admin/events?${query}` }), path);
        }
      });
    });

    // ---- defects found and fixed; kept as regression tests --------------------------------------

    // ---- reads behind the dashboard --------------------------------------------------------------

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

    describe('order search and filters (GET /admin/orders)', () => {
      const app = appPerSuite(factory);
      let shop = '';
      let other = '';
      let first: OrderJson;
      let authorized: OrderJson;
      let refunded: OrderJson;
      let points: Order;

      const list = async (query: string) => {
        const res = await app().admin({ method: 'GET', url: `/admin/orders?${query}` });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as Page<OrderJson>;
      };
      const ids = async (query: string) => (await list(query)).data.map((o) => o.id);

      before(async () => {
        const t = app();
        shop = (await createMerchant(t, { name: 'Search Shop' })).id;
        other = (await createMerchant(t, { name: 'Other Shop' })).id;
        first = await createOrder(t, shop, 1000, 'purchase', { order_number: 'DASH-1' });
        t.clock.advance(3_600_000);
        authorized = await createOrder(t, shop, 2000, 'authorize');
        t.clock.advance(3_600_000);
        refunded = await createOrder(t, shop, 3000);
        await succeed(t, refunded.id, 'refund');
        await createOrder(t, other, 500, 'purchase', { order_number: 'DASH-1' });
        t.clock.advance(3_600_000);
        // A Points order carries the customer's phone; the admin face cannot make one.
        const made = await execute(
          t.deps,
          createOrderUseCase({
            merchantId: shop,
            actor: { kind: 'admin' },
            dialect: 'points',
            kind: 'earning',
            amountMinor: 4000,
            capture: 'purchase',
            customerRef: '501234567',
          }),
        );
        assert.ok(made.ok);
        points = made.value.order;
      });

      it('order=desc lists newest first and its cursors walk to the end; the default stays oldest first', async () => {
        const all = [first.id, authorized.id, refunded.id, points.id];
        assert.deepEqual(await ids(`merchant_id=${shop}`), all);
        assert.deepEqual(await ids(`merchant_id=${shop}&order=asc`), all);
        const pages = await walk<OrderJson>(
          app(),
          `/admin/orders?merchant_id=${shop}&order=desc&limit=3`,
        );
        assert.deepEqual(
          pages.map((p) => p.data.map((o) => o.id)),
          [[points.id, refunded.id, authorized.id], [first.id]],
        );
      });

      it('a cursor made for one order is refused with the other', async () => {
        const desc = await list(`merchant_id=${shop}&order=desc&limit=1`);
        const asc = await list(`merchant_id=${shop}&limit=1`);
        const mixed = [
          `order=asc&cursor=${desc.next_cursor}`,
          `cursor=${desc.next_cursor}`,
          `order=desc&cursor=${asc.next_cursor}`,
        ];
        for (const query of mixed) {
          const error = expectIssue(
            await app().admin({ method: 'GET', url: `/admin/orders?merchant_id=${shop}&${query}` }),
            'cursor',
          );
          assert.match(error.issues![0]!.message, /order=(asc|desc)/);
        }
        // A cursor of the form before `order` existed still pages oldest first.
        const legacy = Buffer.from(`${Date.parse(first.created_at)}:${first.id}`).toString(
          'base64url',
        );
        assert.deepEqual(await ids(`merchant_id=${shop}&limit=1&cursor=${legacy}`), [
          authorized.id,
        ]);
      });

      it('q finds an order exactly by id, order number or phone, trimmed, with the other filters', async () => {
        assert.deepEqual(await ids(`q=${first.id}`), [first.id]);
        assert.equal((await ids('q=DASH-1')).length, 2);
        assert.deepEqual(await ids(`q=%20DASH-1%20&merchant_id=${shop}`), [first.id]);
        assert.deepEqual(await ids(`q=${encodeURIComponent('+966 50 123 4567')}`), [points.id]);
        assert.deepEqual(await ids(`q=0501234567&dialect=points&status=captured`), [points.id]);
        assert.deepEqual(await ids(`q=0501234567&status=refunded`), []);
        // Exact, never a part of a value.
        assert.deepEqual(await list('q=DASH'), { data: [], next_cursor: null });
        assert.deepEqual(await ids(`q=${first.id.slice(0, -1)}`), []);
      });

      it('filters by status, dialect and a creation window (from inclusive, to exclusive)', async () => {
        assert.deepEqual(await ids(`merchant_id=${shop}&status=authorized`), [authorized.id]);
        assert.deepEqual(await ids(`status=refunded`), [refunded.id]);
        assert.deepEqual(await ids(`merchant_id=${shop}&dialect=points`), [points.id]);
        const window = (from: string, to: string) =>
          ids(
            `merchant_id=${shop}&created_from=${encodeURIComponent(from)}&created_to=${encodeURIComponent(to)}`,
          );
        assert.deepEqual(await window(authorized.created_at, refunded.created_at), [authorized.id]);
        // The same instants written with an offset.
        assert.deepEqual(await window('2026-11-23T16:00:00+03:00', '2026-11-23T17:00:00+03:00'), [
          authorized.id,
        ]);
        assert.deepEqual(
          await ids(
            `merchant_id=${shop}&created_from=${encodeURIComponent(refunded.created_at)}&order=desc`,
          ),
          [points.id, refunded.id],
        );
      });

      it('bad query parameters are 422 at the parameter', async () => {
        const cases: [string, string][] = [
          ['q=', 'q'],
          ['q=%20%20%20', 'q'],
          [`q=${'x'.repeat(256)}`, 'q'],
          ['status=shipped', 'status'],
          ['order=sideways', 'order'],
          ['created_from=yesterday', 'created_from'],
          ['created_from=2026-11-23', 'created_from'],
          ['created_to=2026-11-23T12:00:00', 'created_to'],
          ['created_from=2026-11-23T12:00:00Z&created_to=2026-11-23T12:00:00Z', 'created_to'],
          ['created_from=2026-11-24T00:00:00Z&created_to=2026-11-23T00:00:00Z', 'created_to'],
          ['cursor=garbage', 'cursor'],
          [`cursor=${Buffer.from('desc:1.5:x').toString('base64url')}`, 'cursor'],
          [`cursor=${Buffer.from('up:1:x').toString('base64url')}`, 'cursor'],
          ['sort=created_at', ''],
        ];
        for (const [query, path] of cases) {
          expectIssue(await app().admin({ method: 'GET', url: `/admin/orders?${query}` }), path);
        }
        // 255 characters after trimming is the longest search.
        assert.deepEqual(await list(`q=%20${'x'.repeat(255)}%20`), { data: [], next_cursor: null });
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
        assert.equal(
          (await app().admin({ method: 'POST', url: '/admin/jobs/run' })).statusCode,
          200,
        );
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
        assert.deepEqual(
          new Set(all.keys()),
          new Set([flaky.id, broken.id, quiet.id, elsewhere.id]),
        );
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
        for (const [url, path] of cases)
          expectIssue(await app().admin({ method: 'GET', url }), path);
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

    describe('GET /admin/stats/daily', () => {
      const app = appPerSuite(factory);
      let shop = '';

      interface DayJson {
        date: string;
        refunds: {
          count: number;
          amounts: { currency: string; amount_minor: string; amount: string }[];
        };
        cancels: { count: number };
        voids: { count: number };
        webhooks: {
          attempts: number;
          succeeded: number;
          failed: number;
          success_rate: number | null;
        };
      }
      const stats = async (query: string) => {
        const res = await app().admin({ method: 'GET', url: `/admin/stats/daily?${query}` });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { tz: string; days: DayJson[] };
      };
      const at = (iso: string) => app().clock.set(Date.parse(iso));

      before(async () => {
        const t = app();
        shop = (await createMerchant(t, { name: 'Charted' })).id;
        const other = (await createMerchant(t, { name: 'Charted elsewhere' })).id;
        // Sunday 2026-03-08 is Chicago's spring change: the local day runs 06:00Z to 05:00Z.
        at('2026-03-08T05:30:00Z'); // 23:30 on the 7th in Chicago, the 8th in UTC
        await succeed(t, (await createOrder(t, shop, 1000)).id, 'refund', { amount_minor: 400 });
        at('2026-03-08T12:00:00Z');
        await succeed(
          t,
          (await createOrder(t, shop, 1000, 'purchase', { currency: 'USD' })).id,
          'refund',
        );
        await succeed(t, (await createOrder(t, shop, 900)).id, 'refund', { amount_minor: 100 });
        await succeed(t, (await createOrder(t, shop, 500, 'authorize')).id, 'cancel');
        await succeed(t, (await createOrder(t, other, 700)).id, 'refund');
        at('2026-03-09T04:59:59Z'); // still the 8th in Chicago (CDT), the 9th in UTC
        await succeed(t, (await createOrder(t, shop, 800, 'authorize')).id, 'void', {
          amount_minor: 300,
        });
      });

      it('counts per UTC day, every day present, zeros included', async () => {
        const body = await stats(`from=2026-03-07&to=2026-03-10&merchant_id=${shop}`);
        assert.equal(body.tz, 'UTC');
        assert.deepEqual(
          body.days.map((d) => d.date),
          ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'],
        );
        const [d7, d8, d9, d10] = body.days;
        assert.deepEqual(d7!.refunds, { count: 0, amounts: [] });
        assert.deepEqual(d8, {
          date: '2026-03-08',
          refunds: {
            count: 3,
            amounts: [
              { currency: 'SAR', amount_minor: '500', amount: '5.00' },
              { currency: 'USD', amount_minor: '1000', amount: '10.00' },
            ],
          },
          cancels: { count: 1 },
          // The cancel released its reservation with a void row.
          voids: { count: 1 },
          webhooks: { attempts: 0, succeeded: 0, failed: 0, success_rate: null },
        });
        assert.deepEqual([d9!.voids, d9!.refunds.count], [{ count: 1 }, 0]);
        assert.deepEqual(d10!.refunds, { count: 0, amounts: [] });
      });

      it('counts per America/Chicago day across the daylight-saving change', async () => {
        const body = await stats(
          `from=2026-03-07&to=2026-03-09&merchant_id=${shop}&tz=America/Chicago`,
        );
        assert.equal(body.tz, 'America/Chicago');
        assert.deepEqual(
          body.days.map((d) => [d.date, d.refunds.count, d.cancels.count, d.voids.count]),
          [
            ['2026-03-07', 1, 0, 0],
            ['2026-03-08', 2, 1, 2],
            ['2026-03-09', 0, 0, 0],
          ],
        );
        assert.deepEqual(body.days[0]!.refunds.amounts, [
          { currency: 'SAR', amount_minor: '400', amount: '4.00' },
        ]);
      });

      it('without merchant_id counts every merchant; one day and 366 days are fine', async () => {
        const body = await stats('from=2026-03-08&to=2026-03-08');
        assert.deepEqual(body.days[0]!.refunds.amounts, [
          { currency: 'SAR', amount_minor: '1200', amount: '12.00' },
          { currency: 'USD', amount_minor: '1000', amount: '10.00' },
        ]);
        assert.equal(
          (await stats('from=2024-01-01&to=2024-12-31&tz=Asia/Riyadh')).days.length,
          366,
        );
      });

      it('sums refunds at the amount bound exactly, as decimal strings', async () => {
        const t = app();
        const big = (await createMerchant(t, { name: 'Charted at the bound' })).id;
        at('2026-04-01T10:00:00Z');
        for (let i = 0; i < 3; i++) {
          await succeed(t, (await createOrder(t, big, BOUNDS.amountMinorMax)).id, 'refund');
        }
        await succeed(t, (await createOrder(t, big, BOUNDS.amountMinorMax - 1)).id, 'refund');
        const body = await stats(`from=2026-04-01&to=2026-04-01&merchant_id=${big}`);
        assert.deepEqual(body.days[0]!.refunds, {
          count: 4,
          amounts: [{ currency: 'SAR', amount_minor: '3999999999999', amount: '39999999999.99' }],
        });
      });

      it('bad dates, ranges, zones or parameters are 422 at the parameter', async () => {
        const cases: [string, string][] = [
          ['to=2026-03-08', 'from'],
          ['from=2026-03-08', 'to'],
          ['from=2026-03-08&to=2026-03-07', 'to'],
          ['from=2024-01-01&to=2025-01-01', 'to'],
          ['from=2026-02-30&to=2026-03-01', 'from'],
          ['from=2026-3-1&to=2026-03-02', 'from'],
          ['from=2026-03-01T00:00:00Z&to=2026-03-02', 'from'],
          ['from=2026-03-01&to=2026-03-02&tz=Mars/Olympus', 'tz'],
          ['from=2026-03-01&to=2026-03-02&tz=%2B03:00', 'tz'],
          ['from=2026-03-01&to=2026-03-02&tz=', 'tz'],
          ['from=2026-03-01&to=2026-03-02&currency=SAR', ''],
        ];
        for (const [query, path] of cases) {
          expectIssue(
            await app().admin({ method: 'GET', url: `/admin/stats/daily?${query}` }),
            path,
          );
        }
      });
    });

    describe('GET /admin/reconciliations', () => {
      const app = appPerSuite(factory);

      it('lists runs newest first with a cursor', async () => {
        const t = app();
        const m = await createMerchant(t);
        const made: string[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await t.admin({
            method: 'POST',
            url:
              `/admin/reconciliations?merchant_id=${m.id}&dialect=${i === 1 ? 'mpg' : 'points'}` +
              '&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
            headers: { 'content-type': 'text/csv' },
            payload: 'order_reference,transaction_reference,type,amount,currency,settled_at\n',
          });
          assert.equal(res.statusCode, 201, res.body);
          made.push((res.json() as { id: string }).id);
          t.clock.advance(1000);
        }
        const pages = await walk<{
          id: string;
          status: string;
          merchant_id: string | null;
          dialect: string | null;
          summary: unknown;
        }>(t, '/admin/reconciliations?limit=2');
        assert.deepEqual(
          pages.map((p) => p.data.map((r) => r.id)),
          [[made[2], made[1]], [made[0]]],
        );
        assert.deepEqual(Object.keys(pages[0]!.data[0]!), [
          'id',
          'status',
          'source',
          'merchant_id',
          'dialect',
          'from',
          'to',
          'summary',
          'error',
          'created_at',
          'completed_at',
          'applied_at',
        ]);
        assert.deepEqual(
          pages[0]!.data.map((r) => [r.merchant_id, r.dialect]),
          [
            [m.id, 'points'],
            [m.id, 'mpg'],
          ],
        );
        const points = await walk<{ id: string }>(
          t,
          `/admin/reconciliations?merchant_id=${m.id}&dialect=points&limit=3`,
        );
        assert.deepEqual(
          points.map((p) => p.data.map((r) => r.id)),
          [[made[2], made[0]]],
        );
        for (const query of ['cursor=garbage', 'limit=0', 'status=applied', 'dialect=admin']) {
          const res = await t.admin({ method: 'GET', url: `/admin/reconciliations?${query}` });
          assert.equal(res.statusCode, 422, `${query}: ${res.body}`);
        }
      });
    });

    describe('fixed defects', () => {
      const app = appPerSuite(factory);

      it('an empty merchant, order or endpoint filter is refused, not read as every merchant', async () => {
        // Each list used to drop `merchant_id=` (an id that came out empty) and answer with
        // every merchant's rows; there are two merchants' orders, events and deliveries here.
        const t = app();
        for (const name of ['Filter A', 'Filter B']) {
          const m = await createMerchant(t, { name });
          await createOrder(t, m.id, 1000);
        }
        const lists = [
          '/admin/orders?merchant_id=',
          '/admin/events?merchant_id=',
          '/admin/events?order_id=',
          '/admin/deliveries?merchant_id=',
          '/admin/deliveries?order_id=',
          '/admin/deliveries?endpoint_id=',
          '/admin/actions?merchant_id=',
          '/admin/actions?order_id=',
          '/admin/webhooks?merchant_id=',
          '/admin/stats/daily?from=2026-11-01&to=2026-11-30&merchant_id=',
          '/admin/reconciliations?merchant_id=',
        ];
        for (const url of lists) {
          const parameter = /([a-z_]+)=$/.exec(url)![1]!;
          expectIssue(await t.admin({ method: 'GET', url }), parameter);
        }
      });

      it('text with a NUL byte is refused or not found, never a 500', async () => {
        const t = app();
        const m = await createMerchant(t);
        const o = await createOrder(t, m.id, 1000);
        const requests: InjectOptions[] = [
          { method: 'GET', url: '/admin/orders/a%00b' },
          { method: 'GET', url: '/admin/merchants/a%00b' },
          { method: 'GET', url: '/admin/events?type=a%00b' },
          { method: 'POST', url: '/admin/merchants', payload: { name: '\u0000Shop' } },
          { method: 'POST', url: '/admin/merchants', payload: { name: 'Sh\u0000op' } },
          {
            method: 'POST',
            url: '/admin/orders',
            payload: { merchant_id: 'a\u0000b', amount_minor: 1 },
          },
          {
            method: 'POST',
            url: '/admin/orders',
            payload: { merchant_id: m.id, amount_minor: 1, order_number: 'a\u0000b' },
          },
          {
            method: 'POST',
            url: `/admin/orders/${o.id}/refund`,
            payload: { amount_minor: 1, reason: 'a\u0000b' },
          },
        ];
        const failures: string[] = [];
        for (const request of requests) {
          const res = await t.admin(request);
          if (res.statusCode >= 500) {
            failures.push(
              `${request.method} ${request.url} ${JSON.stringify(request.payload ?? '')}`,
            );
          }
        }
        assert.deepEqual(failures, []);
      });

      it('a merchant created with an Idempotency-Key leaves no plaintext secret in the database', async () => {
        const t = app();
        const res = await t.admin({
          method: 'POST',
          url: '/admin/merchants',
          headers: { 'idempotency-key': 'merchant-1' },
          payload: { name: 'Keyed Shop' },
        });
        assert.equal(res.statusCode, 201);
        const raw = JSON.stringify(await t.testStore.rawRows('idempotency_keys'));
        for (const secret of secretsOf((res.json() as CreatedMerchantJson).credentials)) {
          assert.ok(!raw.includes(secret), 'a plaintext secret is stored');
        }
      });
    });
  });
}
