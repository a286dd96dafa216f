// Proves MPG keys issued through the admin API over HTTP on SQLite and on PostgreSQL: a key with a
// subset of the permissions is served on its routes and gets the documented 403 on the others;
// a key with an IP whitelist (addresses and CIDR blocks of both families) is used only from its
// addresses, 401 "IP is not in the IP whitelist" elsewhere, with X-Forwarded-For from an
// untrusted client ignored; the key is shown once, a replay shows its prefix; bad input is 422.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBody, mpgFaceSuite, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const issue = (payload: unknown, headers: Record<string, string> = {}) =>
    face.t.admin({
      method: 'POST',
      url: `/admin/merchants/${face.merchantId}/mpg-keys`,
      payload: payload as object,
      headers,
    });

  const issued = async (payload: unknown): Promise<string> => {
    const r = await issue(payload);
    assert.equal(r.statusCode, 201, r.body);
    return r.json().api_key as string;
  };

  /** A request to the MPG face from `remoteAddress` with `key`. */
  const from = (
    remoteAddress: string,
    key: string,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    face.t.app.inject({
      method,
      url: `/mpg${url}`,
      remoteAddress,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${key}`, ...headers },
    });

  describe('keys with a subset of the permissions', () => {
    it('serves the granted routes and answers the documented 403 elsewhere', async () => {
      const key = await issued({ permissions: ['orders_read', 'orders_create'] });
      const created = await face.call('POST', '/v1/orders/authorize', createBody(), {}, key);
      assert.equal(created.statusCode, 200, created.body);
      const id = created.json().id as string;
      assert.equal(
        (await face.call('GET', `/v1/orders/${id}`, undefined, {}, key)).statusCode,
        200,
      );
      assert.equal((await face.call('GET', '/v1/orders', undefined, {}, key)).statusCode, 200);
      for (const [op, body] of [
        ['capture', { amount: 100 }],
        ['void', { amount: 100 }],
        ['refund', { amount: 100 }],
        ['extend', { amount: 0 }],
      ] as const) {
        const refused = await face.call('POST', `/v1/orders/${id}/${op}`, body, {}, key);
        assert.deepEqual([refused.statusCode, refused.json()], [403, { message: 'Unauthorized' }]);
      }
      const reverse = await face.call(
        'POST',
        `/v1/transactions/${uuid4()}/reverse`,
        { reason: 'gateway_timeout' },
        {},
        key,
      );
      assert.equal(reverse.statusCode, 403);
      // Nothing was written by the refusals: the order still has its one transaction.
      assert.equal((await face.rows(id)).length, 1);
    });

    it('a read-only key cannot create', async () => {
      const key = await issued({ permissions: ['orders_read'] });
      const r = await face.call('POST', '/v1/orders/purchase', createBody(), {}, key);
      assert.deepEqual([r.statusCode, r.json()], [403, { message: 'Unauthorized' }]);
    });

    it('shows the key once; a replay shows its prefix; the merchant lists it', async () => {
      const headers = { 'idempotency-key': uuid4() };
      const first = await issue({ permissions: ['orders_refund'] }, headers);
      assert.equal(first.statusCode, 201, first.body);
      const body = first.json();
      assert.match(body.api_key, /^merchant_key_/);
      assert.deepEqual(body.permissions, ['orders_refund']);
      assert.equal(body.ip_whitelist, null);
      const replay = await issue({ permissions: ['orders_refund'] }, headers);
      assert.equal(replay.statusCode, 201);
      assert.equal(replay.json().api_key, `${body.prefix}…`);
      assert.ok(!replay.body.includes(body.api_key));
      const merchant = await face.t.admin({
        method: 'GET',
        url: `/admin/merchants/${face.merchantId}`,
      });
      const listed = merchant.json().credentials.find((c: { id: string }) => c.id === body.id);
      assert.deepEqual(listed.permissions, ['orders_refund']);
      assert.equal(listed.ip_whitelist, null);
      // The merchant's first key keeps working beside it.
      assert.equal((await face.call('GET', '/v1/orders')).statusCode, 200);
    });

    it('refuses bad input with 422 and an unknown merchant with 404', async () => {
      for (const payload of [
        {},
        { permissions: [] },
        { permissions: ['orders_delete'] },
        { permissions: ['orders_read', 'orders_read'] },
        { permissions: ['orders_read'], ip_whitelist: [] },
        { permissions: ['orders_read'], ip_whitelist: ['192.0.2.300'] },
        { permissions: ['orders_read'], ip_whitelist: ['192.0.2.0/33'] },
        { permissions: ['orders_read'], ip_whitelist: ['2001:db8::/129'] },
        { permissions: ['orders_read'], ip_whitelist: ['example.com'] },
        { permissions: ['orders_read'], ip_whitelist: Array(101).fill('192.0.2.1') },
        { permissions: ['orders_read'], extra: true },
      ]) {
        const r = await issue(payload);
        assert.equal(r.statusCode, 422, `${JSON.stringify(payload)} → ${r.body}`);
      }
      const missing = await face.t.admin({
        method: 'POST',
        url: `/admin/merchants/${uuid4()}/mpg-keys`,
        payload: { permissions: ['orders_read'] },
      });
      assert.equal(missing.statusCode, 404);
    });
  });

  describe('the IP whitelist', () => {
    it('admits listed addresses and blocks, and answers 401 to any other address', async () => {
      const key = await issued({
        permissions: ['orders_read'],
        ip_whitelist: ['192.0.2.10', '198.51.100.0/24', '2001:db8::/32'],
      });
      for (const ip of [
        '192.0.2.10',
        '198.51.100.0',
        '198.51.100.255',
        '2001:db8::1',
        '::ffff:192.0.2.10',
      ]) {
        assert.equal((await from(ip, key, 'GET', '/v1/orders')).statusCode, 200, ip);
      }
      for (const ip of ['192.0.2.11', '198.51.101.0', '2001:db9::1', '127.0.0.1']) {
        const r = await from(ip, key, 'GET', '/v1/orders');
        assert.deepEqual(
          [r.statusCode, r.json()],
          [401, { message: 'IP is not in the IP whitelist' }],
          ip,
        );
      }
    });

    it('is checked before the permission and before the body, and writes nothing', async () => {
      const key = await issued({ permissions: ['orders_read'], ip_whitelist: ['192.0.2.10'] });
      const r = await from('203.0.113.5', key, 'POST', '/v1/orders/purchase', createBody());
      assert.equal(r.statusCode, 401);
      assert.deepEqual(r.json(), { message: 'IP is not in the IP whitelist' });
      const before = (await face.t.testStore.rawRows('orders')).length;
      const order = createBody({ order_id: uuid4() });
      const blocked = await from('203.0.113.5', key, 'POST', '/v1/orders/purchase', order);
      assert.equal(blocked.statusCode, 401);
      assert.equal((await face.t.testStore.rawRows('orders')).length, before);
    });

    it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
      const key = await issued({ permissions: ['orders_read'], ip_whitelist: ['192.0.2.10'] });
      const spoofed = await from('203.0.113.5', key, 'GET', '/v1/orders', undefined, {
        'x-forwarded-for': '192.0.2.10',
      });
      assert.equal(spoofed.statusCode, 401);
    });

    it('an unknown key is still 403 and no key 401 Missing authentication', async () => {
      const unknown = await from('192.0.2.10', 'merchant_key_nope', 'GET', '/v1/orders');
      assert.deepEqual([unknown.statusCode, unknown.json()], [403, { message: 'Unauthorized' }]);
      const none = await face.t.app.inject({ method: 'GET', url: '/mpg/v1/orders' });
      assert.deepEqual(
        [none.statusCode, none.json()],
        [401, { message: 'Missing authentication information' }],
      );
    });
  });
});
