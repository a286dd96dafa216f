// Proves the dashboard's sign-in and its defences on both stores: the admin token is exchanged for
// an HttpOnly, SameSite=Strict session cookie; a wrong or missing token, a missing or wrong CSRF
// token, and a request from another origin are refused in the admin face's shape, with nothing
// written; signing out ends the session; bearer-token clients are untouched. Also the static
// assets at /dashboard: served from memory with a strict Content-Security-Policy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { dashboardRoutes } from '../../src/http/dashboard/static.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const OWN = 'http://localhost';
const errorCode = (r: LightMyRequestResponse) =>
  (r.json() as { error: { code: string } }).error.code;

function sessionSuite(factory: StoreFactory, skip?: string) {
  describe(`dashboard session: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let merchantId: string;
    before(async () => {
      t = await startTestApp(factory);
      const merchant = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { name: 'Dashboard' },
      });
      merchantId = (merchant.json() as { id: string }).id;
    });
    after(async () => t?.close());

    const signIn = async (token = TEST_ADMIN_TOKEN, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/admin/session', payload: { token }, headers });
    const cookieOf = (r: LightMyRequestResponse) => {
      const header = r.headers['set-cookie'];
      assert.equal(typeof header, 'string', 'one Set-Cookie header');
      return (header as string).split(';')[0]!;
    };
    const orderCount = async () =>
      (
        (
          await t.admin({ method: 'GET', url: `/admin/orders?merchant_id=${merchantId}` })
        ).json() as {
          data: unknown[];
        }
      ).data.length;
    const createOrder = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/admin/orders',
        payload: { merchant_id: merchantId, amount_minor: 1000 },
        headers,
      });

    it('signs in with the admin token: HttpOnly SameSite=Strict cookie and a CSRF token', async () => {
      const r = await signIn();
      assert.equal(r.statusCode, 201);
      const setCookie = r.headers['set-cookie'] as string;
      assert.match(setCookie, /^unwind_session=unwind_session_[A-Za-z0-9_-]{43};/);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=28800']) {
        assert.ok(setCookie.split('; ').includes(attribute), `${attribute} in ${setCookie}`);
      }
      assert.equal(r.headers['cache-control'], 'no-store');
      const body = r.json() as { csrf_token: string; expires_at: string };
      assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(Date.parse(body.expires_at) > Date.now());
      // The CSRF token is not the cookie's secret.
      assert.ok(!setCookie.includes(body.csrf_token));

      const cookie = cookieOf(r);
      const again = await t.app.inject({
        method: 'GET',
        url: '/admin/session',
        headers: { cookie },
      });
      assert.equal(again.statusCode, 200);
      assert.equal((again.json() as { csrf_token: string }).csrf_token, body.csrf_token);
      const orders = await t.app.inject({
        method: 'GET',
        url: '/admin/orders',
        headers: { cookie },
      });
      assert.equal(orders.statusCode, 200);
    });

    it('refuses a wrong token, a missing token and a malformed body, setting no cookie', async () => {
      const wrong = await signIn('unwind_admin_not_the_token');
      assert.equal(wrong.statusCode, 401);
      assert.equal(errorCode(wrong), 'auth.invalid');
      assert.equal(wrong.headers['set-cookie'], undefined);
      const missing = await t.app.inject({ method: 'POST', url: '/admin/session', payload: {} });
      assert.equal(missing.statusCode, 422);
      assert.equal(errorCode(missing), 'validation.failed');
      assert.equal(missing.headers['set-cookie'], undefined);
      const empty = await signIn('');
      assert.equal(empty.statusCode, 422);
      const extra = await t.app.inject({
        method: 'POST',
        url: '/admin/session',
        payload: { token: TEST_ADMIN_TOKEN, remember: true },
      });
      assert.equal(extra.statusCode, 422);
    });

    it('refuses admin requests without a token or cookie, and with an unknown cookie', async () => {
      const none = await t.app.inject({ method: 'GET', url: '/admin/orders' });
      assert.equal(none.statusCode, 401);
      assert.equal(errorCode(none), 'auth.missing');
      const forged = await t.app.inject({
        method: 'GET',
        url: '/admin/orders',
        headers: { cookie: 'unwind_session=unwind_session_forged' },
      });
      assert.equal(forged.statusCode, 401);
      assert.equal(errorCode(forged), 'auth.session_invalid');
      assert.match(forged.headers['set-cookie'] as string, /^unwind_session=; .*Max-Age=0/);
    });

    it('refuses a write without the CSRF token or with a wrong one, writing nothing', async () => {
      const session = await signIn();
      const cookie = cookieOf(session);
      const csrf = (session.json() as { csrf_token: string }).csrf_token;
      const before = await orderCount();

      const missing = await createOrder({ cookie });
      assert.equal(missing.statusCode, 403);
      assert.equal(errorCode(missing), 'auth.csrf_missing');
      const wrong = await createOrder({
        cookie,
        'x-csrf-token': `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`,
      });
      assert.equal(wrong.statusCode, 403);
      assert.equal(errorCode(wrong), 'auth.csrf_invalid');
      // Another session's token does not fit this session.
      const other = (await signIn()).json() as { csrf_token: string };
      const crossed = await createOrder({ cookie, 'x-csrf-token': other.csrf_token });
      assert.equal(crossed.statusCode, 403);
      assert.equal(await orderCount(), before, 'no order was written');

      const good = await createOrder({ cookie, 'x-csrf-token': csrf, origin: OWN });
      assert.equal(good.statusCode, 201);
      assert.equal(await orderCount(), before + 1);
    });

    it('refuses requests from another origin, even with a valid cookie and CSRF token', async () => {
      const session = await signIn();
      const cookie = cookieOf(session);
      const csrf = (session.json() as { csrf_token: string }).csrf_token;
      const before = await orderCount();
      for (const origin of ['http://evil.example', 'http://localhost:8081', 'null']) {
        const write = await createOrder({ cookie, 'x-csrf-token': csrf, origin });
        assert.equal(write.statusCode, 403, origin);
        assert.equal(errorCode(write), 'auth.cross_origin');
        const read = await t.app.inject({
          method: 'GET',
          url: '/admin/orders',
          headers: { cookie, origin },
        });
        assert.equal(read.statusCode, 403, origin);
      }
      for (const site of ['cross-site', 'same-site']) {
        const r = await createOrder({ cookie, 'x-csrf-token': csrf, 'sec-fetch-site': site });
        assert.equal(r.statusCode, 403, site);
        assert.equal(errorCode(r), 'auth.cross_origin');
      }
      assert.equal(await orderCount(), before, 'no order was written');
      // Signing in from another origin (login CSRF) is refused too, with no cookie set.
      const foreign = await signIn(TEST_ADMIN_TOKEN, { origin: 'http://evil.example' });
      assert.equal(foreign.statusCode, 403);
      assert.equal(foreign.headers['set-cookie'], undefined);
      // The PUBLIC_URL origin and the request's own origin are accepted.
      for (const origin of [OWN, 'http://unwind.test']) {
        const r = await t.app.inject({
          method: 'GET',
          url: '/admin/orders',
          headers: { cookie, origin },
        });
        assert.equal(r.statusCode, 200, origin);
      }
    });

    it('signs out: the cookie is cleared and no longer accepted', async () => {
      const session = await signIn();
      const cookie = cookieOf(session);
      const csrf = (session.json() as { csrf_token: string }).csrf_token;
      const withoutCsrf = await t.app.inject({
        method: 'DELETE',
        url: '/admin/session',
        headers: { cookie },
      });
      assert.equal(withoutCsrf.statusCode, 403);
      const out = await t.app.inject({
        method: 'DELETE',
        url: '/admin/session',
        headers: { cookie, 'x-csrf-token': csrf },
      });
      assert.equal(out.statusCode, 204);
      assert.match(out.headers['set-cookie'] as string, /Max-Age=0/);
      const after = await t.app.inject({
        method: 'GET',
        url: '/admin/orders',
        headers: { cookie },
      });
      assert.equal(after.statusCode, 401);
      assert.equal(errorCode(after), 'auth.session_invalid');
    });

    it('leaves bearer-token clients alone: no CSRF needed, a cookie is ignored', async () => {
      const r = await createOrder({
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        cookie: 'unwind_session=unwind_session_forged',
      });
      assert.equal(r.statusCode, 201);
      const wrongBearer = await createOrder({ authorization: 'Bearer nope' });
      assert.equal(wrongBearer.statusCode, 401);
      assert.equal(errorCode(wrongBearer), 'auth.invalid');
      const session = await t.app.inject({
        method: 'GET',
        url: '/admin/session',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      assert.equal(session.statusCode, 401);
      assert.equal(errorCode(session), 'auth.session_invalid');
    });
  });
}

sessionSuite(sqliteFactory);
sessionSuite(postgresFactory, await postgresSkipReason());

describe('dashboard sign-in throttle', () => {
  let t: TestApp;
  before(async () => {
    // The general limiter is off (0): the sign-in limit holds regardless.
    t = await startTestApp(sqliteFactory, { rateLimitPerMinute: 0 });
  });
  after(async () => t?.close());

  const attempt = (token: string, ip = '203.0.113.7') =>
    t.app.inject({
      method: 'POST',
      url: '/admin/session',
      payload: { token },
      remoteAddress: ip,
    });

  it('admits 20 attempts a minute per address, then 429 with Retry-After until the window ends', async () => {
    for (let i = 0; i < 20; i += 1) {
      assert.equal((await attempt(`guess-${i}`)).statusCode, 401, `attempt ${i + 1}`);
    }
    const refused = await attempt(TEST_ADMIN_TOKEN);
    assert.equal(refused.statusCode, 429);
    assert.equal(errorCode(refused), 'http.rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    assert.equal(refused.headers['set-cookie'], undefined);
    // Another address is not held back by this one.
    assert.equal((await attempt(TEST_ADMIN_TOKEN, '198.51.100.9')).statusCode, 201);
    t.clock.advance(retryAfter * 1000);
    assert.equal((await attempt(TEST_ADMIN_TOKEN)).statusCode, 201);
  });
});

describe('dashboard static assets', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(sqliteFactory);
  });
  after(async () => t?.close());

  it('serves the app page with a strict Content-Security-Policy, on every app path', async () => {
    for (const url of ['/dashboard/', '/dashboard/orders/019a', '/dashboard/webhooks']) {
      const r = await t.app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.headers['content-type'] as string, /^text\/html/);
      assert.equal(r.headers['cache-control'], 'no-store');
      const csp = r.headers['content-security-policy'] as string;
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.match(r.body, /<div id="app"><\/div>/);
    }
    const bare = await t.app.inject({ method: 'GET', url: '/dashboard' });
    assert.equal(bare.statusCode, 308);
    assert.equal(bare.headers.location, '/dashboard/');
  });

  it('serves hashed assets as immutable, and 404 for an unknown one', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/dashboard/' });
    const script = /src="(assets\/app\.[0-9a-f]{12}\.js)"/.exec(page.body)?.[1];
    const style = /href="(assets\/app\.[0-9a-f]{12}\.css)"/.exec(page.body)?.[1];
    assert.ok(script && style, 'the page names its hashed assets');
    const js = await t.app.inject({ method: 'GET', url: `/dashboard/${script}` });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /^text\/javascript/);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const css = await t.app.inject({ method: 'GET', url: `/dashboard/${style}` });
    assert.match(css.headers['content-type'] as string, /^text\/css/);
    const missing = await t.app.inject({ method: 'GET', url: '/dashboard/assets/app.js' });
    assert.equal(missing.statusCode, 404);
    const traversal = await t.app.inject({
      method: 'GET',
      url: '/dashboard/assets/..%2Findex.html',
    });
    assert.equal(traversal.statusCode, 404);
  });

  it('answers 503 with how to build it when the assets are missing, not a blank page', async () => {
    const bare = Fastify();
    await bare.register(dashboardRoutes, { dir: '/nonexistent/unwind-dashboard/' });
    for (const url of ['/dashboard/', '/dashboard/orders', '/dashboard/assets/app.js']) {
      const r = await bare.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 503, url);
      assert.match(r.body, /npm run build/);
    }
    await bare.close();
  });

  it('answers 405 to a write on the dashboard', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/dashboard/', payload: {} });
    assert.equal(r.statusCode, 405);
  });
});
