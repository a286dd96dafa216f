// Proves merchants' secrets never outlive their creation answer, over HTTP on SQLite and on
// PostgreSQL: reads show only prefixes, the database holds only SHA-256 hashes and prefixes, and a
// creation replayed through an Idempotency-Key stores no plaintext secret either.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashSecret } from '../../../src/app/secrets.js';
import { MPG_PERMISSIONS } from '../../../src/domain/merchant.js';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  type CreatedMerchantJson,
  createMerchant,
  type MerchantJson,
  prefixOf,
  secretsOf,
  START,
  tagOf,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('merchants and credentials', () => {
    const app = appPerSuite(factory);

    it('GET /admin/merchants/:id shows credential prefixes and no secret or hash', async () => {
      const m = await createMerchant(app());
      const res = await app().admin({ method: 'GET', url: `/admin/merchants/${m.id}` });
      assert.equal(res.statusCode, 200);
      const got = res.json() as MerchantJson;
      assert.equal(got.id, m.id);
      assert.equal(got.name, m.name);
      const credentials = got.credentials ?? [];
      assert.equal(credentials.length, 5);

      const expected: [string, string, string][] = [
        ['points', 'api_key', m.credentials.points.api_key],
        ['points', 'public_key', m.credentials.points.public_key],
        ['backd', 'public_key', m.credentials.backd.public_key],
        ['backd', 'secret_key', m.credentials.backd.secret_key],
        ['mpg', 'api_key', m.credentials.mpg.api_key],
      ];
      for (const [dialect, kind, secret] of expected) {
        const found = credentials.filter((c) => c.dialect === dialect && c.kind === kind);
        assert.equal(found.length, 1, `${dialect}/${kind}`);
        const c = found[0]!;
        assert.deepEqual(Object.keys(c).sort(), [
          'created_at',
          'dialect',
          'id',
          'ip_whitelist',
          'kind',
          'permissions',
          'prefix',
          'revoked_at',
        ]);
        assert.equal(c.prefix, prefixOf(secret, tagOf(secret)));
        assert.ok(c.prefix.length < secret.length);
        assert.deepEqual(c.permissions, dialect === 'mpg' ? [...MPG_PERMISSIONS] : []);
        assert.equal(c.revoked_at, null);
        assert.equal(c.created_at, START);
      }
      for (const secret of secretsOf(m.credentials)) {
        assert.ok(!res.body.includes(secret), 'a plaintext secret is in the response');
        assert.ok(!res.body.includes(hashSecret(secret)), 'a secret hash is in the response');
      }
    });

    it('the database holds only hashes and prefixes of the secrets', async () => {
      const m = await createMerchant(app(), { name: 'Stored Shop' });
      const credentialRows = await app().testStore.rawRows('credentials');
      const merchantRows = await app().testStore.rawRows('merchants');
      const raw = JSON.stringify([credentialRows, merchantRows]);
      const mine = credentialRows.filter((r) => r['merchant_id'] === m.id);
      assert.equal(mine.length, 5);
      for (const secret of secretsOf(m.credentials)) {
        assert.ok(!raw.includes(secret), 'a plaintext secret is stored');
        const rows = mine.filter((r) => r['secret_hash'] === hashSecret(secret));
        assert.equal(rows.length, 1, 'the secret is stored as its SHA-256 hash');
        assert.equal(rows[0]!['prefix'], prefixOf(secret, tagOf(secret)));
      }
    });
  });

  describe('fixed defects', () => {
    const app = appPerSuite(factory);

    it('a merchant created with an Idempotency-Key leaves no plaintext secret in the database', async () => {
      const t = app();
      const res = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        headers: { 'idempotency-key': 'merchant-1' },
        payload: { name: 'Keyed Shop' },
      });
      assert.equal(res.statusCode, 201);
      const raw = JSON.stringify(await t.testStore.rawRows('claims'));
      for (const secret of secretsOf((res.json() as CreatedMerchantJson).credentials)) {
        assert.ok(!raw.includes(secret), 'a plaintext secret is stored');
      }
    });
  });
});
