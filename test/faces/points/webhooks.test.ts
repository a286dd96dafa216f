// Proves the Points webhooks API over HTTP on SQLite and on PostgreSQL: create, list with
// per_page, show, update and delete, with the secret on every read, a duplicate URL refused, and
// another merchant's endpoint not found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { merchant, api, assertError, assertInvalid } = face;

  describe('webhooks API', () => {
    it('creates, lists with per_page, shows, updates, deletes; secrets on every read', async () => {
      const m = await merchant();
      const other = await merchant();
      const created = await api(m, 'POST', '/webhooks', {
        name: 'orders',
        url: 'https://hooks.example/a',
      });
      assert.equal(created.statusCode, 200, created.body);
      const hook = (created.json() as { data: Record<string, unknown> }).data;
      assert.deepEqual(Object.keys(hook).sort(), [
        'created_at',
        'merchant_id',
        'name',
        'secret',
        'updated_at',
        'url',
        'uuid',
      ]);
      // An integer, the same on every read, distinct per merchant (the OpenAPI's WebhookBase).
      assert.ok(Number.isSafeInteger(hook['merchant_id']) && (hook['merchant_id'] as number) > 0);
      const otherHook = await api(other, 'POST', '/webhooks', {
        name: 'theirs',
        url: 'https://hooks.example/theirs',
      });
      const otherNumber = (otherHook.json() as { data: { merchant_id: number } }).data.merchant_id;
      assert.ok(Number.isSafeInteger(otherNumber));
      assert.notEqual(otherNumber, hook['merchant_id']);
      assertError(
        await api(m, 'POST', '/webhooks', { name: 'again', url: 'https://hooks.example/a' }),
        400,
        'Webhook already exists for this URL.',
      );
      assertInvalid(await api(m, 'POST', '/webhooks', { url: 'ftp://x' }), {
        name: ['The name field is required.'],
        url: ['The url must be a valid URL.'],
      });
      await api(m, 'POST', '/webhooks', { name: 'b', url: 'https://hooks.example/b' });
      const page2 = await api(m, 'GET', '/webhooks?per_page=1&page=2');
      const list = page2.json() as {
        data: { url: string; secret: string }[];
        meta: Record<string, unknown>;
        links: Record<string, unknown>;
      };
      assert.equal(list.data.length, 1);
      assert.equal(list.data[0]?.url, 'https://hooks.example/b');
      assert.ok(list.data[0]?.secret.length);
      assert.deepEqual(list.meta, {
        current_page: 2,
        from: 2,
        last_page: 2,
        per_page: 1,
        to: 2,
        total: 2,
      });
      assert.equal(list.links['next'], null);
      assertInvalid(await api(m, 'GET', '/webhooks?per_page=0'), {
        per_page: ['The per page must be between 1 and 100.'],
      });
      assert.deepEqual(
        list.data.map((d) => (d as unknown as { merchant_id: number }).merchant_id),
        [hook['merchant_id']],
      );
      const shown = await api(m, 'GET', `/webhooks/${hook['uuid']}`);
      assert.equal((shown.json() as { data: { secret: string } }).data.secret, hook['secret']);
      assert.equal(
        (shown.json() as { data: { merchant_id: number } }).data.merchant_id,
        hook['merchant_id'],
      );
      assertError(await api(other, 'GET', `/webhooks/${hook['uuid']}`), 404, 'Webhook not found.');
      const renamed = await api(m, 'PATCH', `/webhooks/${hook['uuid']}`, { name: 'renamed' });
      assert.equal((renamed.json() as { data: { name: string } }).data.name, 'renamed');
      assert.equal(
        (renamed.json() as { data: { merchant_id: number } }).data.merchant_id,
        hook['merchant_id'],
      );
      const moved = await api(m, 'PUT', `/webhooks/${hook['uuid']}`, {
        url: 'https://hooks.example/c',
      });
      assert.equal((moved.json() as { data: { url: string } }).data.url, 'https://hooks.example/c');
      assertInvalid(await api(m, 'PATCH', `/webhooks/${hook['uuid']}`, {}), {
        name: ['The name field is required when url is not present.'],
      });
      const deleted = await api(m, 'DELETE', `/webhooks/${hook['uuid']}`);
      assert.deepEqual(deleted.json(), {
        status: true,
        message: 'Webhook deleted successfully.',
        appended_data: {},
      });
      assertError(await api(m, 'GET', `/webhooks/${hook['uuid']}`), 404, 'Webhook not found.');
    });
  });
});
