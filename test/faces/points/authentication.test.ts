// Proves who may call the Points face, over HTTP on SQLite and on PostgreSQL: a missing, wrong,
// public or rotated key is refused with Points' messages, the IP allow-list applies after the key
// (the hosted checkout is exempt), and another merchant's key finds none of this merchant's
// orders on any endpoint, exactly as if they did not exist.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { inject, merchant, api, data, assertError, redeemOrder } = face;

  describe('authentication', () => {
    it('answers 400 with Points messages for a missing, wrong or rotated key', async () => {
      const m = await merchant();
      const missing = await inject({ method: 'GET', url: '/points/api/v1/webhooks' });
      assertError(missing, 400, 'API key is required');
      const wrong = await inject({
        method: 'GET',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': 'pts_sk_nope' },
      });
      assertError(wrong, 400, 'Invalid or inactive API key');
      // The public key is not a private key.
      const publicAsPrivate = await inject({
        method: 'GET',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': m.publicKey },
      });
      assertError(publicAsPrivate, 400, 'Invalid or inactive API key');
      assert.equal((await api(m, 'GET', '/webhooks')).statusCode, 200);
      const rotated = await face.t.admin({
        method: 'POST',
        url: `/admin/merchants/${m.id}/credentials`,
        payload: { dialect: 'points' },
      });
      assert.equal(rotated.statusCode, 201, rotated.body);
      assertError(await api(m, 'GET', '/webhooks'), 400, 'Invalid or inactive API key');
    });

    it('applies the IP allow-list after the key with 403; checkout is exempt', async () => {
      const m = await merchant({ ip_allow_list: ['203.0.113.7'] });
      const blocked = await inject({
        method: 'GET',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': m.apiKey },
        remoteAddress: '198.51.100.1',
      });
      assertError(blocked, 403, 'Your IP address is not allowed to access this API.');
      const allowed = await inject({
        method: 'GET',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': m.apiKey },
        remoteAddress: '203.0.113.7',
      });
      assert.equal(allowed.statusCode, 200, allowed.body);
      // A wrong key from a blocked address is an auth failure first.
      const wrongKey = await inject({
        method: 'GET',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': 'pts_sk_nope' },
        remoteAddress: '198.51.100.1',
      });
      assertError(wrongKey, 400, 'Invalid or inactive API key');
      const checkout = await inject({
        method: 'POST',
        url: `/points/api/v1/orders/checkout/${m.publicKey}`,
        payload: { total_price: 10, order_number: 'IP-1' },
        remoteAddress: '198.51.100.1',
      });
      assert.equal(checkout.statusCode, 200, checkout.body);
      const empty = await merchant({ ip_allow_list: [] });
      const none = await inject({
        method: 'GET',
        url: '/points/api/v1/webhooks',
        headers: { 'x-api-key': empty.apiKey },
        remoteAddress: '203.0.113.7',
      });
      assertError(none, 403, 'Your IP address is not allowed to access this API.');
    });
  });

  describe('ownership', () => {
    it("another merchant's key gets 404 on every order endpoint; nothing changes", async () => {
      const owner = await merchant();
      const stranger = await merchant();
      const { uuid } = await redeemOrder(owner, 50, 0);
      const paths: [string, string, unknown][] = [
        ['GET', `/orders/${uuid}`, undefined],
        ['POST', `/orders/${uuid}/complete`, {}],
        ['POST', `/orders/${uuid}/authorize`, {}],
        ['POST', `/orders/${uuid}/capture`, {}],
        ['POST', `/orders/${uuid}/cancel`, {}],
        ['POST', `/orders/${uuid}/refund`, {}],
        ['POST', `/orders/${uuid}/status`, { status: 'delivered' }],
      ];
      for (const [method, path, payload] of paths) {
        const res = await api(stranger, method as 'GET', path, payload);
        assertError(res, 404, 'Order not found.');
        const missing = await api(
          owner,
          method as 'GET',
          path.replace(uuid, '0190aaaa-0000-7000-8000-000000000000'),
          payload,
        );
        assertError(missing, 404, 'Order not found.');
      }
      assert.equal(data(await api(owner, 'GET', `/orders/${uuid}`)).order_status, 'new');
    });
  });
});
