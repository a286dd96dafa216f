// Proves that a real server process at LOG_LEVEL=trace (everything debug logs and more) writes no
// secret carried in a URL or a header to stdout or stderr, on both stores: it hits every route
// whose path carries a secret (the Backd buyer token, the Points checkout session, the Points
// public key: the list src/http/log-redaction.test.ts pins), also with a longer unknown path and
// a query string, signs in to the dashboard and uses the session cookie and CSRF token, creates
// webhook endpoints, and sends a malformed request whose raw bytes carry the admin token. The
// route's shape stays visible (`/backd/checkout/[redacted]`).
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { basic, createBody } from '../support/backd.js';
import { requestFrom } from '../support/raw-http.js';
import { E2E_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { merchantsOnEveryFace, serverPerSuite } from '../support/server-suite.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const PHONE = '0500000042';
const JSON_ACCEPT = { token: null, headers: { accept: 'application/json' } };
const lastSegment = (url: string) => new URL(url).pathname.split('/').at(-1)!;

/** A request the HTTP parser refuses (a header line without a colon), with the admin token. */
function malformedRequest(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    socket.write(
      `GET /admin/merchants HTTP/1.1\r\nHost: unwind\r\nAuthorization: Bearer ${E2E_ADMIN_TOKEN}\r\nno colon here\r\n\r\n`,
    );
  });
}

/** Dashboard sign-in, a read and a write with the cookie and CSRF token, and sign-out. */
async function dashboardSession(server: ServerProcess): Promise<Record<string, string>> {
  const signIn = await requestFrom(server.port, '127.0.0.1', {
    method: 'POST',
    path: '/admin/session',
    body: { token: E2E_ADMIN_TOKEN },
  });
  assert.equal(signIn.status, 201, signIn.text);
  const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
  const csrf = signIn.json.csrf_token as string;
  const withCookie = { cookie, 'x-csrf-token': csrf };
  const asDashboard = (method: string, path: string, body?: unknown) =>
    requestFrom(server.port, '127.0.0.1', { method, path, headers: withCookie, body });
  assert.equal((await asDashboard('GET', '/admin/session')).status, 200);
  assert.equal((await asDashboard('POST', '/admin/merchants', { name: 'Via cookie' })).status, 201);
  assert.equal((await asDashboard('DELETE', '/admin/session')).status, 204);
  return { 'session cookie': cookie.split('=')[1]!, 'csrf token': csrf };
}

function redactionSuite(factory: StoreFactory, skip?: string): void {
  describe(`logs carry no secrets in paths or headers: ${factory.engine}`, { skip }, () => {
    const running = serverPerSuite(factory, { logLevel: 'trace' });

    it('redacts every secret-bearing path, query values, cookies and raw request bytes', async () => {
      const server = running.server;
      const { sar, usd } = await merchantsOnEveryFace(server, 'Logged');
      const points = sar.credentials.points;
      const backdAuth = {
        token: null,
        headers: {
          authorization: basic(usd.credentials.backd.public_key, usd.credentials.backd.secret_key),
        },
      };

      // The Backd buyer's terms page: HTML, JSON, the JSON POST, a longer path, a query.
      const order = await server.call('POST', '/backd/create_order', createBody(), 200, backdAuth);
      const token = lastSegment(order.data.customer_url);
      const page = `/backd/checkout/${token}`;
      assert.equal((await server.http('GET', page, undefined, { token: null })).status, 200);
      await server.call('GET', `${page}?from=${token}`, undefined, 200, JSON_ACCEPT);
      await server.call('POST', page, { terms: 'net30' }, 200, JSON_ACCEPT);
      await server.call('GET', `${page}/more`, undefined, 404, JSON_ACCEPT);

      // The Points checkout: begun with the public key (and a wrong one), the hosted page.
      const begun = await server.call(
        'POST',
        `/points/api/v1/orders/checkout/${points.public_key}`,
        { total_price: 10, order_number: 'LOG-1' },
        200,
        { token: null },
      );
      await server.call(
        'POST',
        `/points/api/v1/orders/checkout/${points.public_key}x`,
        { total_price: 10, order_number: 'LOG-2' },
        400,
        { token: null },
      );
      const session = lastSegment(begun.data.checkout_url);
      const pay = `/points/pay/${session}`;
      await server.call('GET', `${pay}?phone_number=${PHONE}`, undefined, 200, JSON_ACCEPT);
      assert.equal((await server.http('GET', pay, undefined, { token: null })).status, 200);
      await server.call('POST', pay, { phone_number: 'bad', redeem_points: 0 }, 422, JSON_ACCEPT);
      await server.call('GET', `${pay}/more`, undefined, 404, JSON_ACCEPT);

      const sessionSecrets = await dashboardSession(server);
      const endpoint = await server.call(
        'POST',
        `/admin/merchants/${sar.id}/webhooks`,
        { url: 'https://hooks.example/unwind' },
        201,
      );
      const hook = await server.call(
        'POST',
        '/points/api/v1/webhooks',
        { name: 'hook', url: 'https://hooks.example/points' },
        200,
        { token: null, headers: { 'x-api-key': points.api_key } },
      );
      assert.match(await malformedRequest(server.port), /^HTTP\/1\.1 400 /);
      server.kill('SIGTERM');
      await server.waitForExit();

      const secrets: Record<string, string> = {
        'Backd buyer token': token,
        'Points checkout session': session,
        'Points public key': points.public_key,
        'Points api key': points.api_key,
        'Backd secret key': usd.credentials.backd.secret_key,
        'MPG api key': sar.credentials.mpg.api_key,
        'admin token': E2E_ADMIN_TOKEN,
        'phone number in a query': PHONE,
        'admin webhook secret': endpoint.secret,
        'Points webhook secret': JSON.stringify(hook).match(/"secret":"([^"]+)"/)![1]!,
        ...sessionSecrets,
      };
      const output = `${server.stdout}\n${server.stderr}`;
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(secret.length >= 8, `${name} is a real value: ${secret}`);
        assert.ok(!output.includes(secret), `${name} appears in the server's output`);
      }
      assert.ok(!output.includes('rawPacket'), 'raw request bytes were logged');
      for (const shape of [
        '"/backd/checkout/[redacted]"',
        '"/backd/checkout/[redacted]?from=[redacted]"',
        '"/backd/checkout/[redacted]/more"',
        '"/points/pay/[redacted]?phone_number=[redacted]"',
        '"/points/api/v1/orders/checkout/[redacted]"',
      ]) {
        assert.ok(output.includes(shape), `the logs show ${shape}`);
      }
    });
  });
}

const pgSkip = await postgresSkipReason();
redactionSuite(sqliteFactory);
redactionSuite(postgresFactory, pgSkip);
