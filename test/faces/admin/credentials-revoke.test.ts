// Proves, over HTTP on SQLite and on PostgreSQL, the admin API's credentials one by one: an MPG
// key issued is an admin action (`mpg_key.issued`, its prefix and permissions, never the secret);
// `POST /admin/merchants/:id/credentials/:cid/revoke` revokes that one key at once (the MPG face
// refuses it with its documented 403) while the merchant's other keys keep working, records
// `credential.revoked` with the reason once, answers a second revocation unchanged, and refuses
// another merchant's credential, an unknown one, bad input, and an operator who is not an admin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asSession, createOperator, errorCodeOf, signedIn } from '../../support/operators.js';
import { createBody, mpgFaceSuite, uuid4 } from '../mpg/mpg-face.js';
import { expectError } from './admin-face.js';

interface CredentialJson {
  id: string;
  dialect: string;
  kind: string;
  prefix: string;
  permissions: string[];
  ip_whitelist: string[] | null;
  created_at: string;
  revoked_at: string | null;
}

interface ActionJson {
  action: string;
  actor: string;
  reason: string | null;
  subject_id: string;
  details: Record<string, unknown>;
}

await mpgFaceSuite((face) => {
  const issue = async (payload: object) => {
    const r = await face.t.admin({
      method: 'POST',
      url: `/admin/merchants/${face.merchantId}/mpg-keys`,
      payload,
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as CredentialJson & { api_key: string };
  };
  const revoke = (credentialId: string, payload: object = {}, merchantId = face.merchantId) =>
    face.t.admin({
      method: 'POST',
      url: `/admin/merchants/${merchantId}/credentials/${credentialId}/revoke`,
      payload,
    });
  const get = <T>(url: string) => face.t.call<T>({ method: 'GET', url }, 200);
  const actions = async (action: string) =>
    (
      await get<{ data: ActionJson[] }>(
        `/admin/actions?merchant_id=${face.merchantId}&action=${action}`,
      )
    ).data;
  const credentialsOf = async (merchantId: string) =>
    (await get<{ credentials: CredentialJson[] }>(`/admin/merchants/${merchantId}`)).credentials;
  const listed = () => credentialsOf(face.merchantId);

  describe('credentials issued and revoked one by one', () => {
    it('records an MPG key issued as mpg_key.issued, without its secret', async () => {
      const key = await issue({ permissions: ['orders_read'], ip_whitelist: ['192.0.2.0/24'] });
      const [recorded] = (await actions('mpg_key.issued')).filter((a) => a.subject_id === key.id);
      assert.ok(recorded, 'the issue is recorded');
      assert.equal(recorded.actor, 'admin');
      assert.deepEqual(recorded.details, {
        dialect: 'mpg',
        kind: 'api_key',
        prefix: key.prefix,
        permissions: ['orders_read'],
        ip_whitelist: ['192.0.2.0/24'],
      });
      assert.ok(!JSON.stringify(recorded).includes(key.api_key));
    });

    it('revokes one key at once; the other keys keep working; recorded once', async () => {
      const key = await issue({ permissions: ['orders_read', 'orders_create'] });
      const read = () => face.call('GET', '/v1/orders', undefined, {}, key.api_key);
      assert.equal((await read()).statusCode, 200);

      const r = await revoke(key.id, { reason: 'Leaked in a support ticket' });
      assert.equal(r.statusCode, 200, r.body);
      const revoked = r.json() as CredentialJson;
      assert.equal(revoked.id, key.id);
      assert.equal(revoked.prefix, key.prefix);
      assert.equal(typeof revoked.revoked_at, 'string');
      assert.ok(!r.body.includes(key.api_key) && !r.body.includes('hash'));

      const refused = await read();
      assert.deepEqual([refused.statusCode, refused.json()], [403, { message: 'Unauthorized' }]);
      const created = await face.call('POST', '/v1/orders/purchase', createBody(), {}, key.api_key);
      assert.equal(created.statusCode, 403);
      // The merchant's own key is untouched.
      assert.equal((await face.call('GET', '/v1/orders')).statusCode, 200);
      const row = (await listed()).find((c) => c.id === key.id);
      assert.equal(row?.revoked_at, revoked.revoked_at);
      assert.equal((await listed()).filter((c) => c.revoked_at === null).length >= 1, true);

      const again = await revoke(key.id, { reason: 'Twice' });
      assert.equal(again.statusCode, 200);
      assert.equal((again.json() as CredentialJson).revoked_at, revoked.revoked_at);
      const recorded = (await actions('credential.revoked')).filter((a) => a.subject_id === key.id);
      assert.deepEqual(
        recorded.map((a) => [a.actor, a.reason, a.details['prefix']]),
        [['admin', 'Leaked in a support ticket', key.prefix]],
      );
    });

    it('refuses another merchant’s credential, an unknown one and an unknown merchant (404)', async () => {
      const other = await face.t.call<{ id: string }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Another shop' } },
        201,
      );
      const theirs = (await credentialsOf(other.id))[0]!;
      expectError(await revoke(theirs.id), 404, 'credential.not_found');
      expectError(await revoke(uuid4()), 404, 'credential.not_found');
      expectError(await revoke(theirs.id, {}, uuid4()), 404, 'merchant.not_found');
      const stillLive = (await credentialsOf(other.id)).find((c) => c.id === theirs.id);
      assert.equal(stillLive?.revoked_at, null);
    });

    it('refuses bad input (422) and an operator who is not an admin (403)', async () => {
      const key = await issue({ permissions: ['orders_read'] });
      expectError(await revoke(key.id, { reason: 'x'.repeat(501) }), 422, 'validation.failed');
      expectError(await revoke(key.id, { reason: 'ok', extra: 1 }), 422, 'validation.failed');
      await createOperator(face.t, 'vera', 'support', 1000);
      const vera = await signedIn(face.t, 'vera');
      const url = `/admin/merchants/${face.merchantId}/credentials/${key.id}/revoke`;
      const refused = await asSession(face.t, vera, { method: 'POST', url, payload: {} });
      assert.deepEqual([refused.statusCode, errorCodeOf(refused)], [403, 'auth.role_forbidden']);
      const issueRefused = await asSession(face.t, vera, {
        method: 'POST',
        url: `/admin/merchants/${face.merchantId}/mpg-keys`,
        payload: { permissions: ['orders_read'] },
      });
      assert.equal(issueRefused.statusCode, 403);
      // She may still read the list (the dashboard shows it to her without its buttons).
      const read = await asSession(face.t, vera, {
        method: 'GET',
        url: `/admin/merchants/${face.merchantId}`,
      });
      assert.equal(read.statusCode, 200);
      assert.equal((await listed()).find((c) => c.id === key.id)?.revoked_at, null);
    });
  });
});
