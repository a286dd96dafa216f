// Proves that every malformed request gets the admin error envelope (status, code, request id,
// no stack trace) by injecting requests into the real server on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../test/support/app.js';
import { sqliteFactory } from '../../test/support/stores.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A V8 stack frame, as `    at fn (/path/file.js:10:5)`. */
const STACK_FRAME = /\bat\s+\S.*:\d+:\d+/;

interface ErrorBody {
  error: {
    code: string;
    message: string;
    request_id: string;
    issues?: unknown[];
    details?: unknown;
  };
}

/**
 * Asserts the admin error envelope: exactly `{ error: { code, message, request_id } }` (plus
 * `issues` and `details` when expected), the request id equal to the `x-request-id` header, and no stack trace.
 */
function assertError(
  res: LightMyRequestResponse,
  status: number | readonly number[],
  code: string | null,
  options: { issues?: boolean; details?: boolean } = {},
): ErrorBody['error'] {
  const statuses: readonly number[] = typeof status === 'number' ? [status] : status;
  assert.ok(statuses.includes(res.statusCode), `status ${res.statusCode}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.doesNotMatch(res.body, STACK_FRAME);
  const body = res.json() as ErrorBody;
  assert.deepEqual(Object.keys(body), ['error']);
  const expectedKeys = [
    'code',
    'message',
    'request_id',
    ...(options.issues ? ['issues'] : []),
    ...(options.details ? ['details'] : []),
  ];
  assert.deepEqual(Object.keys(body.error).sort(), expectedKeys.sort());
  if (code !== null) assert.equal(body.error.code, code);
  assert.equal(typeof body.error.code, 'string');
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.equal(typeof res.headers['x-request-id'], 'string');
  assert.equal(body.error.request_id, res.headers['x-request-id']);
  return body.error;
}

const allowOf = (res: LightMyRequestResponse): string[] =>
  String(res.headers['allow'] ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .sort();

describe('HTTP server: malformed requests and the error envelope', () => {
  let t: TestApp;
  let small: TestApp;
  const SMALL_LIMIT = 256;

  before(async () => {
    t = await startTestApp(sqliteFactory);
    small = await startTestApp(sqliteFactory, { bodyLimitBytes: SMALL_LIMIT });
  });
  after(async () => {
    await t?.close();
    await small?.close();
  });

  const post = (url: string, headers: Record<string, string>, payload: string): InjectOptions => ({
    method: 'POST',
    url,
    headers,
    payload,
  });

  describe('health', () => {
    it('GET /healthz is 200 {status: ok} without a token, with a request id', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok' });
      assert.match(String(res.headers['x-request-id']), UUID);
    });

    it('GET /readyz is 200 {status: ready} while the database answers', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ready', database: 'ok' });
    });
  });

  describe('routing', () => {
    it('an unknown path is 404 http.route_not_found, with the nearest route when one is near', async () => {
      for (const [url, near] of [
        ['/nope', null],
        ['/admin/nope', null],
        ['/admin/orders/x/explode', '/admin/orders/:id'],
        ['/healthz/x', '/healthz'],
      ] as const) {
        const res = await t.admin({ method: 'GET', url });
        const error = assertError(res, 404, 'http.route_not_found', { details: near !== null });
        assert.deepEqual(error.details, near === null ? undefined : { did_you_mean: near }, url);
        assert.equal(res.headers['allow'], undefined, url);
      }
    });

    it('an unknown path with a query string is still 404', async () => {
      const res = await t.admin({ method: 'GET', url: '/nope?limit=1' });
      assertError(res, 404, 'http.route_not_found');
    });

    it('a wrong method on an existing path is 405 http.method_not_allowed with an Allow header', async () => {
      const cases: [InjectOptions['method'], string, string[]][] = [
        ['DELETE', '/admin/merchants', ['GET', 'HEAD', 'POST']],
        ['PUT', '/admin/merchants/abc', ['GET', 'HEAD', 'PATCH']],
        ['GET', '/admin/orders/abc/refund', ['POST']],
        ['DELETE', '/admin/clock', ['GET', 'HEAD', 'POST']],
        ['POST', '/healthz', ['GET', 'HEAD']],
        ['PATCH', '/readyz', ['GET', 'HEAD']],
      ];
      for (const [method, url, allow] of cases) {
        const res = await t.admin({ method, url });
        assertError(res, 405, 'http.method_not_allowed');
        assert.deepEqual(allowOf(res), allow, `${method} ${url}`);
      }
    });

    it('a malformed percent-encoding in the path is answered in the admin envelope with a request id', async () => {
      for (const url of ['/admin/orders/%E0%A4%A', '/admin/merchants/%', '/%']) {
        assertError(await t.admin({ method: 'GET', url }), 400, 'http.malformed_url');
      }
    });

    it('a path parameter over 300 characters is 414 in the admin envelope; 300 still routes', async () => {
      const atLimit = await t.admin({ method: 'GET', url: `/admin/orders/${'x'.repeat(300)}` });
      assertError(atLimit, 404, 'order.not_found');
      const over = await t.admin({ method: 'GET', url: `/admin/orders/${'x'.repeat(301)}` });
      assertError(over, 414, 'http.uri_too_long');
    });

    it('a 405 ignores the query string when matching the path', async () => {
      const res = await t.admin({ method: 'DELETE', url: '/admin/orders?limit=2' });
      assertError(res, 405, 'http.method_not_allowed');
      assert.deepEqual(allowOf(res), ['GET', 'HEAD', 'POST']);
    });
  });

  describe('request bodies', () => {
    it('malformed JSON is 400 http.malformed_json', async () => {
      for (const payload of ['{bad', '{"name":', '{"name":"x"} trailing', "{'name':'x'}"]) {
        const res = await t.admin(
          post('/admin/merchants', { 'content-type': 'application/json' }, payload),
        );
        assertError(res, 400, 'http.malformed_json');
      }
    });

    it('a prototype-poisoning body is refused as 400 http.malformed_json', async () => {
      const res = await t.admin(
        post(
          '/admin/merchants',
          { 'content-type': 'application/json' },
          '{"name":"x","__proto__":{"admin":true}}',
        ),
      );
      assertError(res, 400, 'http.malformed_json');
    });

    it('an empty body sent as application/json is 400 http.malformed_json', async () => {
      const res = await t.admin(
        post('/admin/merchants', { 'content-type': 'application/json' }, ''),
      );
      assertError(res, 400, 'http.malformed_json');
    });

    it('a Content-Length that disagrees with the body is 400 http.malformed_json', async () => {
      const res = await t.admin(
        post(
          '/admin/merchants',
          { 'content-type': 'application/json', 'content-length': '3' },
          '{"name":"x"}',
        ),
      );
      assertError(res, 400, 'http.malformed_json');
    });

    it('a body in another media type is 415 http.unsupported_media_type', async () => {
      const types = [
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/vnd.api+json',
      ];
      for (const type of types) {
        const res = await t.admin(post('/admin/merchants', { 'content-type': type }, 'name=x'));
        assertError(res, 415, 'http.unsupported_media_type');
      }
    });

    it('a body without any content type is 415 http.unsupported_media_type', async () => {
      const res = await t.admin({ method: 'POST', url: '/admin/merchants', payload: 'name=x' });
      assertError(res, 415, 'http.unsupported_media_type');
    });

    it('a text/plain body is 415 http.unsupported_media_type', async () => {
      const res = await t.admin(
        post('/admin/merchants', { 'content-type': 'text/plain' }, '{"name":"x"}'),
      );
      assertError(res, 415, 'http.unsupported_media_type');
    });

    it('a body over bodyLimitBytes is 413 http.body_too_large; the same body fits the default limit', async () => {
      const payload = JSON.stringify({
        name: 'Big Shop',
        settings: { ip_allow_list: Array.from({ length: 20 }, (_, i) => `10.0.0.${i}`) },
      });
      assert.ok(Buffer.byteLength(payload) > SMALL_LIMIT);
      const headers = { 'content-type': 'application/json' };

      const tooLarge = await small.admin(post('/admin/merchants', headers, payload));
      assertError(tooLarge, 413, 'http.body_too_large');

      const fits = await t.admin(post('/admin/merchants', headers, payload));
      assert.equal(fits.statusCode, 201, fits.body);
    });

    it('a body of exactly bodyLimitBytes is accepted; one byte more is 413', async () => {
      const headers = { 'content-type': 'application/json' };
      const open = '{"name":"Exact"';
      const exact = open + ' '.repeat(SMALL_LIMIT - open.length - 1) + '}';
      assert.equal(Buffer.byteLength(exact), SMALL_LIMIT);
      const fits = await small.admin(post('/admin/merchants', headers, exact));
      assert.equal(fits.statusCode, 201, fits.body);

      const over = open + ' '.repeat(SMALL_LIMIT - open.length) + '}';
      assert.equal(Buffer.byteLength(over), SMALL_LIMIT + 1);
      assertError(
        await small.admin(post('/admin/merchants', headers, over)),
        413,
        'http.body_too_large',
      );
    });
  });

  describe('admin authentication', () => {
    it('no Authorization header is 401 auth.missing', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/admin/clock' });
      assertError(res, 401, 'auth.missing');
    });

    it('a wrong or malformed token is 401 auth.invalid', async () => {
      const headers = [
        'Bearer wrong-token',
        `Bearer ${TEST_ADMIN_TOKEN}x`,
        `Basic ${TEST_ADMIN_TOKEN}`,
        'Bearer',
        `Bearer ${TEST_ADMIN_TOKEN} extra`,
        TEST_ADMIN_TOKEN,
      ];
      for (const authorization of headers) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/admin/clock',
          headers: { authorization },
        });
        assertError(res, 401, 'auth.invalid');
      }
    });

    it('authentication is checked before the body is parsed', async () => {
      const res = await t.app.inject(
        post('/admin/merchants', { 'content-type': 'application/json' }, '{bad'),
      );
      assertError(res, 401, 'auth.missing');
    });

    it('the right token is accepted', async () => {
      const res = await t.admin({ method: 'GET', url: '/admin/clock' });
      assert.equal(res.statusCode, 200);
    });
  });

  describe('request ids', () => {
    it('a well-formed client x-request-id is echoed in the header and the error body', async () => {
      for (const id of ['abc-123', 'A.b_C-9', 'r'.repeat(128)]) {
        const res = await t.admin({ method: 'GET', url: '/nope', headers: { 'x-request-id': id } });
        const error = assertError(res, 404, 'http.route_not_found');
        assert.equal(res.headers['x-request-id'], id);
        assert.equal(error.request_id, id);
      }
    });

    it('a client x-request-id is echoed on a success too', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'probe-1' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-request-id'], 'probe-1');
    });

    it('a malformed x-request-id is replaced by a generated UUID', async () => {
      for (const id of ['has space', 'semi;colon', 'r'.repeat(129), 'ünïcode', '']) {
        const res = await t.admin({ method: 'GET', url: '/nope', headers: { 'x-request-id': id } });
        const error = assertError(res, 404, 'http.route_not_found');
        assert.notEqual(res.headers['x-request-id'], id);
        assert.match(String(res.headers['x-request-id']), UUID);
        assert.equal(error.request_id, res.headers['x-request-id']);
      }
    });

    it('each request without an id gets a different one', async () => {
      const a = await t.admin({ method: 'GET', url: '/nope' });
      const b = await t.admin({ method: 'GET', url: '/nope' });
      assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
    });
  });

  describe('validation failures', () => {
    it('a schema failure is 422 validation.failed with issues of {path, message}', async () => {
      const res = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { currency: 'sar' },
      });
      const error = assertError(res, 422, 'validation.failed', { issues: true });
      const issues = error.issues as { path: string; message: string }[];
      for (const issue of issues) {
        assert.deepEqual(Object.keys(issue).sort(), ['message', 'path']);
        assert.equal(typeof issue.message, 'string');
      }
      assert.deepEqual(issues.map((i) => i.path).sort(), ['currency', 'name']);
    });
  });

  describe('unexpected failures', () => {
    it('a failing database is a bare 500 internal with the request id, and /readyz is 503', async () => {
      const broken = await startTestApp(sqliteFactory, { verifyOnClose: false });
      try {
        await broken.testStore.store.close();
        const res = await broken.admin({
          method: 'GET',
          url: '/admin/orders/some-id',
          headers: { 'x-request-id': 'outage-1' },
        });
        const error = assertError(res, 500, 'internal');
        assert.equal(error.request_id, 'outage-1');

        const ready = await broken.app.inject({ method: 'GET', url: '/readyz' });
        assert.equal(ready.statusCode, 503);
        assert.deepEqual(ready.json(), { status: 'not_ready', database: 'unavailable' });
      } finally {
        await broken.close();
      }
    });

    it('no error response carries a stack trace or error internals', async () => {
      const requests: InjectOptions[] = [
        { method: 'GET', url: '/nope' },
        { method: 'DELETE', url: '/admin/merchants' },
        post('/admin/merchants', { 'content-type': 'application/json' }, '{bad'),
        post('/admin/merchants', { 'content-type': 'application/json' }, ''),
        post('/admin/merchants', { 'content-type': 'application/xml' }, '<a/>'),
        { method: 'POST', url: '/admin/merchants', payload: { name: 1 } },
        { method: 'GET', url: '/admin/orders?cursor=%%%' },
        { method: 'GET', url: '/admin/orders/missing' },
      ];
      for (const request of requests) {
        const res = await t.admin(request);
        assert.ok(res.statusCode >= 400, `${request.method} ${request.url}`);
        assert.doesNotMatch(res.body, STACK_FRAME);
        assert.doesNotMatch(res.body, /"stack"|"statusCode"|FST_ERR|node_modules|\.js:\d+/);
        const body = res.json() as ErrorBody;
        assert.deepEqual(Object.keys(body), ['error']);
        for (const key of Object.keys(body.error)) {
          assert.ok(
            ['code', 'message', 'request_id', 'issues', 'details'].includes(key),
            `unexpected key ${key}`,
          );
        }
      }
    });
  });
});
