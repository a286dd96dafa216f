// Fuzzes every registered route of every face with generated requests (wrong types, missing and
// extra fields, huge and negative numbers, long and unicode strings, malformed JSON, wrong
// methods and content types, good and bad credentials) and proves three things for each answer:
// it is never a 5xx, an error is in the owning face's own shape, and a rejected request changed
// no state (row counts of every table and the sum of order versions are unchanged).
// Bounded in `npm test`; FUZZ_RUNS=5000 runs the long mode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120);

/** Field names used by any face, so generated bodies often hit real fields with wrong values. */
const FIELDS = [
  'name',
  'currency',
  'settings',
  'merchant_id',
  'amount',
  'amount_minor',
  'capture',
  'reason',
  'order_number',
  'dialect',
  'url',
  'format',
  'retry_policy',
  'enabled',
  'rotate_secret',
  'since',
  'cursor',
  'now',
  'seconds',
  'total_price',
  'phone_number',
  'products',
  'payment_method',
  'status',
  'name_ar',
  'name_en',
  'review_reference',
  'rating',
  'product_id',
  'redeem_points',
  'backd_order_id',
  'merchant_order_id',
  'refund_amount',
  'order_total',
  'cart_amount',
  'terms',
  'order_id',
  'transaction_id',
  'description',
  'source',
  'number',
  'month',
  'year',
  'cvc',
  'items',
  'metadata',
  'callback_url',
  'billing',
  'shipping',
  'refund_window_days',
];

const nasty = fc.constantFrom(
  -1,
  0,
  1,
  -0.5,
  10.001,
  1e21,
  -1e21,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  '10.001',
  '-5',
  '1e3',
  'NaN',
  '',
  ' ',
  'null',
  '0x10',
  '١٠٠',
  'x'.repeat(10_000),
  '😀'.repeat(100),
  '\u202e\u0000',
  '<script>',
  "'; DROP TABLE orders; --",
  [],
  {},
  [1, 2],
  { a: { b: { c: 1 } } },
  true,
  null,
);

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

const bodyArb = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), valueArb, { maxKeys: 6 }),
  fc.dictionary(fc.string({ maxLength: 12 }), valueArb, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
);

type Auth = 'none' | 'valid' | 'wrong';

interface Generated {
  readonly method: string;
  readonly url: string;
  readonly auth: Auth;
  readonly body:
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; contentType: string; text: string }
    | { kind: 'none' };
}

interface Credentials {
  admin: string;
  points: { api_key: string; public_key: string };
  backd: { public_key: string; secret_key: string };
  mpg: { api_key: string };
}

function authHeaders(url: string, auth: Auth, c: Credentials): Record<string, string> {
  if (auth === 'none') return {};
  const good = auth === 'valid';
  if (url.startsWith('/points/api'))
    return { 'x-api-key': good ? c.points.api_key : 'pts_sk_wrong' };
  if (url.startsWith('/backd')) {
    const pair = good ? `${c.backd.public_key}:${c.backd.secret_key}` : 'pk_x:sk_y';
    return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
  }
  if (url.startsWith('/mpg'))
    return { authorization: `Bearer ${good ? c.mpg.api_key : 'merchant_key_x'}` };
  return { authorization: `Bearer ${good ? c.admin : 'unwind_admin_wrong'}` };
}

/** Checks an error body against the shape of the face that owns the path. */
function errorShapeProblem(url: string, res: LightMyRequestResponse): string | null {
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/html')) return null; // hosted pages answer people, in HTML
  let body: Record<string, unknown>;
  try {
    body = res.json();
  } catch {
    return `error body is not JSON: ${res.body.slice(0, 80)}`;
  }
  const path = url.split('?')[0]!;
  if (path.startsWith('/points/api')) {
    return body['status'] === false &&
      typeof body['message'] === 'string' &&
      typeof body['appended_data'] === 'object'
      ? null
      : `not the Points error envelope: ${res.body.slice(0, 120)}`;
  }
  if (path === '/backd' || path.startsWith('/backd/')) {
    const status = body['status'] as Record<string, unknown> | undefined;
    if (path.startsWith('/backd/checkout') && !status) return null;
    return status &&
      status['type'] === 'error' &&
      status['error'] === true &&
      status['code'] === res.statusCode &&
      typeof body['message'] === 'string' &&
      body['data'] === null
      ? null
      : `not the Backd error envelope: ${res.body.slice(0, 120)}`;
  }
  if (path.startsWith('/mpg')) {
    return typeof body['message'] === 'string'
      ? null
      : `not the MPG error shape: ${res.body.slice(0, 120)}`;
  }
  if (path.startsWith('/points/pay')) return null;
  const error = body['error'] as Record<string, unknown> | undefined;
  return error && typeof error['code'] === 'string' && typeof error['request_id'] === 'string'
    ? null
    : `not the admin error envelope: ${res.body.slice(0, 120)}`;
}

async function stateFingerprint(t: TestApp): Promise<string> {
  const tables =
    t.testStore.engine === 'sqlite'
      ? (
          await t.testStore.rawRows(`(SELECT name FROM sqlite_master WHERE type = 'table') AS t`)
        ).map((r) => String(r['name']))
      : (
          await t.testStore.rawRows(
            `(SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()) AS t`,
          )
        ).map((r) => String(r['name']));
  // Stored idempotent responses (header keys' claims) are written for rejected requests too, by
  // design; MPG body ids' claims (no expiry of their own) are counted.
  const counted = tables
    .filter(
      (n) => !['claims', 'schema_migrations', 'settings'].includes(n) && !n.startsWith('sqlite_'),
    )
    .sort();
  const select = [
    ...counted.map((n) => `(SELECT COUNT(*) FROM ${n}) AS "${n}"`),
    `(SELECT COUNT(*) FROM claims WHERE expires_at IS NULL) AS "mpg body ids"`,
  ].join(', ');
  const rows = await t.testStore.rawRows(
    `(SELECT ${select}, (SELECT COALESCE(SUM(version), 0) FROM orders) AS versions) AS f`,
  );
  return JSON.stringify(rows[0], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

function fuzzSuite(factory: StoreFactory, skip?: string): void {
  describe(`route fuzzing: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let credentials: Credentials;
    let orderIds: string[] = [];

    before(async () => {
      t = await startTestApp(factory);
      const merchant = (
        await t.admin({ method: 'POST', url: '/admin/merchants', payload: { name: 'Fuzz' } })
      ).json();
      credentials = { admin: 'unwind_admin_test_token_0123456789', ...merchant.credentials };
      for (let i = 0; i < 3; i++) {
        const order = await t.admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchant.id, amount_minor: 10_000 },
        });
        orderIds.push(order.json().id);
      }
      orderIds = [...orderIds, merchant.id];
    });
    after(async () => t?.close());

    it('answers every generated request without a 5xx, in the face shape, changing nothing on refusal', async () => {
      const routes = t.app.unwindRoutes;
      assert.ok(routes.length > 10, 'routes are listed');
      // Raw path segments: already URL-encoded where they need to be.
      const nastySegments = [
        '%E0%A4%A',
        '%00',
        'a%00b',
        '..',
        '%F0%9F%98%80',
        'a%20b',
        '%2F',
        'x'.repeat(400),
      ];
      const paramValue = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...orderIds) },
        { weight: 2, arbitrary: fc.uuid() },
        {
          weight: 2,
          arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
        },
        { weight: 3, arbitrary: fc.constantFrom(...nastySegments) },
      );
      const queryValue = fc.oneof(
        fc.string({ maxLength: 12 }).map(encodeURIComponent),
        fc.constantFrom('%00', '-1', '0', '999999999999999999999', 'abc', '2026-13-45', '%E0%A4%A'),
      );
      const requestArb: fc.Arbitrary<Generated> = fc
        .record({
          route: fc.constantFrom(...routes),
          otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), {
            freq: 5,
          }),
          params: fc.array(paramValue, { minLength: 4, maxLength: 4 }),
          auth: fc.constantFrom<Auth>('valid', 'valid', 'valid', 'none', 'wrong'),
          body: fc.oneof(
            { weight: 6, arbitrary: bodyArb.map((value) => ({ kind: 'json' as const, value })) },
            {
              weight: 1,
              arbitrary: fc.record({
                kind: fc.constant('raw' as const),
                contentType: fc.constantFrom(
                  'application/json',
                  'text/plain',
                  'application/xml',
                  'application/x-www-form-urlencoded',
                ),
                text: fc.oneof(
                  fc.string({ maxLength: 30 }),
                  fc.constantFrom('{', '{"a":', '[1,', 'null', '"x"', '{"amount": 1e999}'),
                ),
              }),
            },
            { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
          ),
          query: fc.option(
            fc.dictionary(
              fc.constantFrom(
                'limit',
                'cursor',
                'merchant_id',
                'order_id',
                'type',
                'status',
                'from',
                'to',
                'items',
                'per_page',
              ),
              queryValue,
              { maxKeys: 3 },
            ),
          ),
        })
        .map(({ route, otherMethod, params, auth, body, query }) => {
          let i = 0;
          const path = route.url.replace(/:[A-Za-z_]+/g, () => String(params[i++ % params.length]));
          const qs = query
            ? Object.entries(query)
                .map(([k, v]) => `${k}=${v}`)
                .join('&')
            : '';
          return {
            method: otherMethod ?? route.method,
            url: qs ? `${path}?${qs}` : path,
            auth,
            body: route.method === 'GET' && body.kind === 'json' ? { kind: 'none' as const } : body,
          };
        });

      await fc.assert(
        fc.asyncProperty(requestArb, async (g) => {
          const before = await stateFingerprint(t);
          const headers = authHeaders(g.url, g.auth, credentials);
          const res = await t.app.inject({
            method: g.method as 'GET',
            url: g.url,
            headers: {
              ...headers,
              ...(g.body.kind === 'raw' ? { 'content-type': g.body.contentType } : {}),
            },
            ...(g.body.kind === 'json'
              ? {
                  payload: JSON.stringify(g.body.value),
                  headers: { ...headers, 'content-type': 'application/json' },
                }
              : {}),
            ...(g.body.kind === 'raw' ? { payload: g.body.text } : {}),
          });
          assert.ok(
            res.statusCode < 500,
            `${g.method} ${g.url} → ${res.statusCode} ${res.body.slice(0, 300)}`,
          );
          if (res.statusCode >= 400) {
            const problem = errorShapeProblem(g.url, res);
            assert.equal(problem, null, `${g.method} ${g.url} → ${res.statusCode}: ${problem}`);
            assert.equal(
              await stateFingerprint(t),
              before,
              `${g.method} ${g.url} → ${res.statusCode} changed state`,
            );
          }
        }),
        { numRuns: RUNS },
      );
    });
  });
}

fuzzSuite(sqliteFactory);
fuzzSuite(postgresFactory, await postgresSkipReason());
