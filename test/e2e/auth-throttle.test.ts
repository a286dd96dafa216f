// Proves, over real HTTP against a server process on both stores, that guessing secrets is
// throttled on every face: after UNWIND_AUTH_FAILURES_PER_MINUTE failed authentications from one
// client address (wrong Points key, Points public key, Points checkout session, Backd key pair,
// Backd buyer token, MPG key, admin token, dashboard session cookie), that face answers its own
// 429 with Retry-After, to a right credential too, while other addresses and other faces are
// served; guesses sent all at once get no more than the limit; the window's end lifts it (test
// clock). Behind a trusted proxy (UNWIND_TRUSTED_PROXIES) the forwarded client address is
// counted, not the proxy's; from an untrusted client, X-Forwarded-For is ignored.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe, it } from 'node:test';
import { basic, createBody } from '../support/backd.js';
import { type RawRequest, type RawResponse, requestFrom } from '../support/raw-http.js';
import { E2E_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { merchantsOnEveryFace, serverPerSuite } from '../support/server-suite.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const LIMIT = 3;
const ADMIN = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const JSON_ACCEPT = { accept: 'application/json' };

type Face = 'admin' | 'points' | 'backd' | 'mpg';

/** The face's own 429 body (docs/operations.md, "Rate limiting"). */
function assertFace429(face: Face, res: RawResponse, where: string): void {
  assert.equal(res.status, 429, `${where}: ${res.status} ${res.text}`);
  const seconds = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `Retry-After ${seconds}`);
  const body = res.json;
  if (face === 'admin') assert.equal(body.error.code, 'http.rate_limited', where);
  if (face === 'points') assert.equal(body.status, false, where);
  if (face === 'backd') assert.deepEqual([body.status.code, body.data], [429, null], where);
  if (face === 'mpg') assert.equal(body.message, 'Too many requests', where);
}

interface Secrets {
  pointsKey: string;
  pointsPublicKey: string;
  pointsSession: string;
  backdPublic: string;
  backdSecret: string;
  backdToken: string;
  mpgKey: string;
}

interface Case {
  readonly name: string;
  readonly face: Face;
  /** A request with a wrong credential, and the status the face gives it. */
  readonly wrong: () => RawRequest;
  readonly wrongStatus: number;
  /** A request with a right credential, and the status it gets when not throttled. */
  readonly right: () => RawRequest;
  readonly rightStatus: number;
}

const randomToken = () => crypto.randomBytes(32).toString('base64url');

function cases(s: Secrets): Case[] {
  const checkoutBody = { total_price: 10, order_number: `T-${crypto.randomUUID()}` };
  return [
    {
      name: 'admin bearer token',
      face: 'admin',
      wrong: () => ({
        method: 'GET',
        path: '/admin/merchants',
        headers: { authorization: 'Bearer guess' },
      }),
      wrongStatus: 401,
      right: () => ({ method: 'GET', path: '/admin/merchants', headers: ADMIN }),
      rightStatus: 200,
    },
    {
      name: 'admin session cookie',
      face: 'admin',
      wrong: () => ({
        method: 'GET',
        path: '/admin/session',
        headers: { cookie: `unwind_session=${randomToken()}` },
      }),
      wrongStatus: 401,
      right: () => ({ method: 'GET', path: '/admin/merchants', headers: ADMIN }),
      rightStatus: 200,
    },
    {
      name: 'Points x-api-key',
      face: 'points',
      wrong: () => ({
        method: 'GET',
        path: '/points/api/v1/webhooks',
        headers: { 'x-api-key': 'pts_sk_guess' },
      }),
      wrongStatus: 400,
      right: () => ({
        method: 'GET',
        path: '/points/api/v1/webhooks',
        headers: { 'x-api-key': s.pointsKey },
      }),
      rightStatus: 200,
    },
    {
      name: 'Points checkout public key',
      face: 'points',
      wrong: () => ({
        method: 'POST',
        path: '/points/api/v1/orders/checkout/pts_pk_guess',
        body: checkoutBody,
      }),
      wrongStatus: 400,
      right: () => ({
        method: 'POST',
        path: `/points/api/v1/orders/checkout/${s.pointsPublicKey}`,
        body: { ...checkoutBody, order_number: `T-${crypto.randomUUID()}` },
      }),
      rightStatus: 200,
    },
    {
      name: 'Points checkout session',
      face: 'points',
      wrong: () => ({
        method: 'GET',
        path: `/points/pay/${crypto.randomUUID()}`,
        headers: JSON_ACCEPT,
      }),
      wrongStatus: 404,
      right: () => ({
        method: 'GET',
        path: `/points/pay/${s.pointsSession}`,
        headers: JSON_ACCEPT,
      }),
      rightStatus: 200,
    },
    {
      name: 'Backd Basic key pair',
      face: 'backd',
      wrong: () => ({
        method: 'GET',
        path: '/backd/find_order/nope',
        headers: { authorization: basic(s.backdPublic, 'sk_guess') },
      }),
      wrongStatus: 401,
      right: () => ({
        method: 'GET',
        path: '/backd/find_order/nope',
        headers: { authorization: basic(s.backdPublic, s.backdSecret) },
      }),
      rightStatus: 404,
    },
    {
      name: 'Backd buyer token',
      face: 'backd',
      wrong: () => ({
        method: 'GET',
        path: `/backd/checkout/${randomToken()}`,
        headers: JSON_ACCEPT,
      }),
      wrongStatus: 404,
      right: () => ({
        method: 'GET',
        path: `/backd/checkout/${s.backdToken}`,
        headers: JSON_ACCEPT,
      }),
      rightStatus: 200,
    },
    {
      name: 'MPG bearer key',
      face: 'mpg',
      wrong: () => ({
        method: 'GET',
        path: '/mpg/v1/orders',
        headers: { authorization: 'Bearer sk_guess' },
      }),
      wrongStatus: 403,
      right: () => ({
        method: 'GET',
        path: '/mpg/v1/orders',
        headers: { authorization: `Bearer ${s.mpgKey}` },
      }),
      rightStatus: 200,
    },
  ];
}

/** Merchants with keys, a Backd order's buyer token and a Points checkout session. */
async function secretsOf(server: ServerProcess): Promise<Secrets> {
  const { sar, usd } = await merchantsOnEveryFace(server, 'Throttled');
  const backd = {
    public: usd.credentials.backd.public_key,
    secret: usd.credentials.backd.secret_key,
  };
  const order = await server.call('POST', '/backd/create_order', createBody(), 200, {
    token: null,
    headers: { authorization: basic(backd.public, backd.secret) },
  });
  const begun = await server.call(
    'POST',
    `/points/api/v1/orders/checkout/${sar.credentials.points.public_key}`,
    { total_price: 10, order_number: 'SESSION-1' },
    200,
    { token: null },
  );
  return {
    pointsKey: sar.credentials.points.api_key,
    pointsPublicKey: sar.credentials.points.public_key,
    pointsSession: new URL(begun.data.checkout_url as string).pathname.split('/').at(-1)!,
    backdPublic: backd.public,
    backdSecret: backd.secret,
    backdToken: new URL(order.data.customer_url as string).pathname.split('/').at(-1)!,
    mpgKey: sar.credentials.mpg.api_key,
  };
}

function throttleSuite(factory: StoreFactory, skip?: string): void {
  describe(`failed authentication is throttled per address: ${factory.engine}`, { skip }, () => {
    const running = serverPerSuite(factory, {
      env: { UNWIND_AUTH_FAILURES_PER_MINUTE: String(LIMIT), UNWIND_TEST_CLOCK: '1' },
      logLevel: 'warn',
    });
    let server: ServerProcess;
    let secrets: Secrets;
    before(async () => {
      server = running.server;
      secrets = await secretsOf(server);
    });

    const from = (address: string, request: RawRequest) =>
      requestFrom(server.port, address, request);

    it("answers each face's 429 after the limit, to a right credential too, and only to that address", async () => {
      for (const [i, c] of cases(secrets).entries()) {
        const guesser = `127.0.1.${i + 1}`;
        const bystander = `127.0.2.${i + 1}`;
        for (let n = 1; n <= LIMIT; n++) {
          const res = await from(guesser, c.wrong());
          assert.equal(res.status, c.wrongStatus, `${c.name}: wrong credential ${n}: ${res.text}`);
        }
        assertFace429(c.face, await from(guesser, c.wrong()), `${c.name}: a guess over the limit`);
        assertFace429(
          c.face,
          await from(guesser, c.right()),
          `${c.name}: a right credential from the guesser`,
        );
        const served = await from(bystander, c.right());
        assert.equal(served.status, c.rightStatus, `${c.name}: another address: ${served.text}`);
      }
    });

    it('leaves the other faces of an address that is over on one face alone', async () => {
      const guesser = '127.0.3.1';
      for (let n = 0; n <= LIMIT; n++) {
        await from(guesser, {
          method: 'GET',
          path: '/admin/merchants',
          headers: { authorization: 'Bearer guess' },
        });
      }
      assertFace429(
        'admin',
        await from(guesser, { method: 'GET', path: '/admin/merchants', headers: ADMIN }),
        'admin',
      );
      const mpg = await from(guesser, {
        method: 'GET',
        path: '/mpg/v1/orders',
        headers: { authorization: `Bearer ${secrets.mpgKey}` },
      });
      assert.equal(mpg.status, 200, mpg.text);
    });

    it('lets no more than the limit of guesses sent at once through', async () => {
      const guesser = '127.0.4.1';
      const all = await Promise.all(
        Array.from({ length: 20 }, () =>
          from(guesser, {
            method: 'GET',
            path: '/mpg/v1/orders',
            headers: { authorization: 'Bearer sk_guess' },
          }),
        ),
      );
      const statuses = all.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 403).length, LIMIT, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 20 - LIMIT, statuses.join(','));
    });

    it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
      const guesser = '127.0.5.1';
      for (let n = 0; n < LIMIT; n++) {
        const res = await from(guesser, {
          method: 'GET',
          path: '/admin/merchants',
          headers: { authorization: 'Bearer guess', 'x-forwarded-for': `198.51.100.${n}` },
        });
        assert.equal(res.status, 401);
      }
      assertFace429(
        'admin',
        await from(guesser, {
          method: 'GET',
          path: '/admin/merchants',
          headers: { ...ADMIN, 'x-forwarded-for': '198.51.100.99' },
        }),
        'a spoofed address',
      );
    });

    it('lifts the limit when the window ends', async () => {
      const guesser = '127.0.6.1';
      for (let n = 0; n <= LIMIT; n++) {
        await from(guesser, {
          method: 'GET',
          path: '/mpg/v1/orders',
          headers: { authorization: 'Bearer sk_guess' },
        });
      }
      const right = {
        method: 'GET',
        path: '/mpg/v1/orders',
        headers: { authorization: `Bearer ${secrets.mpgKey}` },
      };
      assertFace429('mpg', await from(guesser, right), 'before the window ends');
      await server.call('POST', '/admin/clock/advance', { seconds: 60 }, 200);
      assert.equal((await from(guesser, right)).status, 200);
    });
  });
}

describe('failed authentication behind a trusted proxy', () => {
  const running = serverPerSuite(sqliteFactory, {
    env: {
      UNWIND_AUTH_FAILURES_PER_MINUTE: String(LIMIT),
      UNWIND_TRUSTED_PROXIES: '127.0.7.1, 10.0.0.0/8',
      // A standing clock: no window ends in the middle of a test.
      UNWIND_TEST_CLOCK: '1',
    },
    logLevel: 'warn',
  });

  const viaProxy = (client: string, authorization: string) =>
    requestFrom(running.server.port, '127.0.7.1', {
      method: 'GET',
      path: '/admin/merchants',
      headers: { authorization, 'x-forwarded-for': client },
    });

  it("counts the forwarded client's address, so one proxy is not everyone's bucket", async () => {
    for (let n = 0; n < LIMIT; n++) {
      assert.equal((await viaProxy('203.0.113.5', 'Bearer guess')).status, 401);
    }
    assertFace429('admin', await viaProxy('203.0.113.5', ADMIN.authorization), 'the guesser');
    // Another client behind the same proxy, and one behind a second trusted hop.
    assert.equal((await viaProxy('203.0.113.6', ADMIN.authorization)).status, 200);
    assert.equal((await viaProxy('203.0.113.5, 10.1.2.3', ADMIN.authorization)).status, 429);
    assert.equal((await viaProxy('203.0.113.7, 10.1.2.3', ADMIN.authorization)).status, 200);
  });

  it('still ignores X-Forwarded-For from an address that is not a trusted proxy', async () => {
    const direct = (client: string, authorization: string) =>
      requestFrom(running.server.port, '127.0.7.2', {
        method: 'GET',
        path: '/admin/merchants',
        headers: { authorization, 'x-forwarded-for': client },
      });
    for (let n = 0; n < LIMIT; n++)
      assert.equal((await direct(`192.0.2.${n}`, 'Bearer guess')).status, 401);
    assertFace429('admin', await direct('192.0.2.50', ADMIN.authorization), 'spoofing client');
  });
});

const pgSkip = await postgresSkipReason();
throttleSuite(sqliteFactory);
throttleSuite(postgresFactory, pgSkip);
