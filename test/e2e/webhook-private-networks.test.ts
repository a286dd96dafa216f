// Proves, with compiled `unwind serve` processes on both stores and a real receiver on
// 127.0.0.1, that webhooks cannot reach private networks unless UNWIND_WEBHOOK_ALLOW_PRIVATE=1:
// the admin API and Points' /v1/webhooks refuse, at create and at update, every notation of a
// local address and every local name in their own error shapes, writing nothing; endpoints that
// were registered while private delivery was allowed are refused at connection time once it is
// not (the receiver counts zero requests, each attempt log says why and holds no answer from the
// private service), and the same deliveries do arrive once it is allowed again, so each refusal
// is what kept them out; a 3xx pointing at a private address is a failed attempt that names the
// Location and is never followed. Also checks that docs/security.md lists the classifier's table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { IPV4_RANGES, IPV6_RANGES } from '../../src/domain/network-address.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

/** Local destinations in the notations a merchant could type, all reaching 127.0.0.1 here. */
const reachingUrls = (port: number): string[] => [
  `http://[::ffff:127.0.0.1]:${port}/mapped`,
  `http://[::ffff:0.0.0.0]:${port}/mapped-zero`,
  `http://0.0.0.0:${port}/zero`,
  `http://127.1:${port}/short`,
  `http://2130706433:${port}/decimal`,
  `http://0177.0.0.1:${port}/octal`,
  `http://0x7f.0.0.1:${port}/hex`,
  `http://0x7f000001:${port}/hex-number`,
  `http://localhost:${port}/name`,
];

/** Refused at registration as well, though not all of them reach the receiver. */
const otherLocalUrls = (port: number): string[] => [
  `http://[::]:${port}/unspecified`,
  `http://[::1]:${port}/loopback6`,
  `http://[64:ff9b::7f00:1]:${port}/nat64`,
  `http://[2002:7f00:1::]:${port}/6to4`,
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://printer.local/hook',
  'http://crm:8080/hook',
];

/** The start-up warnings about UNWIND_WEBHOOK_ALLOW_PRIVATE=1 in a server's log. */
const warnings = (server: ServerProcess): number =>
  server.logs().filter((l) => l['setting'] === 'UNWIND_WEBHOOK_ALLOW_PRIVATE').length;

function suite(factory: StoreFactory, skip?: string) {
  describe(`webhooks and private networks: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let receiver: Receiver;
    let merchantId: string;
    let pointsKey: string;
    /** Endpoints registered while private delivery was allowed, and their deliveries. */
    let deliveryIds: string[];

    const start = (allowPrivate: '0' | '1') =>
      startServer({
        env: { ...store.env, UNWIND_WORKERS: '0', UNWIND_WEBHOOK_ALLOW_PRIVATE: allowPrivate },
        logLevel: 'warn',
      });

    before(async () => {
      store = await factory.create();
      receiver = await startReceiver();
      // Registered while allowed; the order's event fans out one delivery to each, unsent.
      const allowed = await start('1');
      const merchant = await allowed.call('POST', '/admin/merchants', { name: 'SSRF' }, 201);
      merchantId = merchant.id;
      pointsKey = merchant.credentials.points.api_key;
      for (const url of reachingUrls(receiver.port)) {
        await allowed.call('POST', `/admin/merchants/${merchantId}/webhooks`, { url }, 201);
      }
      const order = { merchant_id: merchantId, amount_minor: 1000, capture: 'purchase' };
      await allowed.call('POST', '/admin/orders', order, 201);
      await allowed.stop();
      assert.equal(warnings(allowed), 1, 'a server allowing private delivery says so at start');
      const pending = await store.rawRows('deliveries');
      deliveryIds = pending.map((d) => String(d['id']));
      assert.equal(deliveryIds.length, reachingUrls(receiver.port).length);
    });
    after(async () => {
      await killAllServers();
      await receiver?.close();
      await store?.cleanup();
    });

    it('refuses private and local webhook URLs on the admin API and Points, writing nothing', async () => {
      const server = await start('0');
      // Not the URLs registered in before(), so no duplicate check can answer first.
      const urls = [...reachingUrls(receiver.port), ...otherLocalUrls(receiver.port)].map(
        (url) => `${url}?again`,
      );
      const hooks = `/admin/merchants/${merchantId}/webhooks`;
      const points = (method: string, p: string, body: unknown) =>
        server.http(method, `/points/api/v1/webhooks${p}`, body, {
          token: null,
          headers: { 'x-api-key': pointsKey },
        });
      const publicAdmin = await server.call(
        'POST',
        hooks,
        { url: 'https://hooks.example.com/a' },
        201,
      );
      const publicPoints = await points('POST', '', {
        name: 'p',
        url: 'https://hooks.example.com/p',
      });
      assert.equal(publicPoints.status, 200, JSON.stringify(publicPoints.body));
      const before = JSON.stringify(await store.rawRows('webhook_endpoints'));

      for (const url of urls) {
        for (const [method, p] of [
          ['POST', hooks],
          ['PATCH', `${hooks}/${publicAdmin.id}`],
        ] as const) {
          const refused = await server.http(method, p, { url });
          assert.equal(refused.status, 422, `${method} ${url}: ${JSON.stringify(refused.body)}`);
          assert.equal(refused.body.error.code, 'webhook.private_url', url);
          assert.equal(refused.body.error.details.field, 'url');
          assert.equal(refused.body.error.details.host, new URL(url).hostname);
        }
        for (const [method, p] of [
          ['POST', ''],
          ['PUT', `/${publicPoints.body.data.uuid}`],
          ['PATCH', `/${publicPoints.body.data.uuid}`],
        ] as const) {
          const refused = await points(method, p, { name: 'n', url });
          assert.equal(refused.status, 422, `${method} ${url}: ${JSON.stringify(refused.body)}`);
          assert.deepEqual(refused.body, {
            status: false,
            message: 'The given data was invalid.',
            appended_data: {},
            errors: { url: ['The url must not point to a private or local address.'] },
          });
        }
      }
      assert.equal(JSON.stringify(await store.rawRows('webhook_endpoints')), before);
      await server.stop(); // its output is complete once it has exited
      assert.equal(warnings(server), 0);
    });

    it('never delivers to endpoints registered while allowed once it is not', async () => {
      const server = await start('0');
      await server.call('POST', '/admin/jobs/run', undefined, 200);
      const reached = receiver.requests.map((r) => r.path);
      assert.deepEqual(reached, [], 'the receiver on 127.0.0.1 was never reached');
      for (const id of deliveryIds) {
        const delivery = await server.call('GET', `/admin/deliveries/${id}`, undefined, 200);
        assert.equal(delivery.attempt_log.length, 1, JSON.stringify(delivery));
        const [attempt] = delivery.attempt_log;
        assert.equal(attempt.status_code, null);
        assert.equal(attempt.response_excerpt, null, 'no answer of the private service is kept');
        assert.match(
          attempt.error,
          /^private address refused: .*\((.* )?(this-network|loopback), /,
          JSON.stringify(attempt),
        );
      }
      await server.stop();
    });

    it('delivers the same deliveries once private delivery is allowed again', async () => {
      const server = await start('1');
      for (const id of deliveryIds) {
        await server.call('POST', `/admin/deliveries/${id}/replay`, undefined, 202);
      }
      await server.call('POST', '/admin/jobs/run', undefined, 200);
      assert.deepEqual(
        new Set(receiver.requests.map((r) => r.headers['webhook-id'])),
        new Set(deliveryIds),
      );
      await server.stop();
    });

    it('records a 3xx as a failed attempt and never follows it to the private address', async () => {
      const location = `${receiver.url}/redirected`;
      const redirector = await startReceiver({ status: 302, headers: { location } });
      // Allowed, so that the redirector on 127.0.0.1 is reached at all.
      const server = await start('1');
      try {
        const other = await server.call('POST', '/admin/merchants', { name: 'Moved' }, 201);
        const hook = { url: `${redirector.url}/hook` };
        await server.call('POST', `/admin/merchants/${other.id}/webhooks`, hook, 201);
        const order = { merchant_id: other.id, amount_minor: 500, capture: 'purchase' };
        await server.call('POST', '/admin/orders', order, 201);
        await server.call('POST', '/admin/jobs/run', undefined, 200);
        const list = await server.call(
          'GET',
          `/admin/deliveries?merchant_id=${other.id}`,
          undefined,
          200,
        );
        assert.equal(list.data.length, 1);
        const delivery = await server.call(
          'GET',
          `/admin/deliveries/${list.data[0].id}`,
          undefined,
          200,
        );
        assert.equal(delivery.status, 'pending', 'a redirect is retried like any failure');
        assert.deepEqual(
          delivery.attempt_log.map((a: Record<string, unknown>) => [a['status_code'], a['error']]),
          [[302, `redirect not followed (302, Location: ${location})`]],
        );
        assert.equal(redirector.requests.length, 1);
        assert.deepEqual(receiver.requestsTo('/redirected'), [], 'the Location was not asked');
      } finally {
        await server.stop();
        await redirector.close();
      }
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());

describe('docs/security.md', () => {
  it('lists every range of the address classifier', () => {
    const docs = fs.readFileSync(
      path.resolve(fileURLToPath(import.meta.url), '../../../../docs/security.md'),
      'utf8',
    );
    const start = docs.indexOf('<!-- section: webhook-private-networks -->');
    assert.ok(start >= 0, 'the section marker is there');
    const section = docs.slice(start, docs.indexOf('<!-- section:', start + 1));
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const { cidr, kind, embeds } of [...IPV4_RANGES, ...IPV6_RANGES]) {
      const verdict = embeds ? `as the IPv4 it carries (${embeds})` : kind;
      const row = new RegExp(`\\| \`${escape(cidr)}\` +\\| ${escape(verdict)} +\\|`);
      assert.match(section, row, cidr);
    }
    const rows = section.match(/^\| `[0-9a-f:.]+\/\d+` /gm) ?? [];
    assert.equal(rows.length, IPV4_RANGES.length + IPV6_RANGES.length, 'no row beyond the code');
  });
});
