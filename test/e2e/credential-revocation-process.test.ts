// Proves, with two compiled `unwind serve` processes over one PostgreSQL, that a rotation made
// through one process revokes the old key on the other at once: every request reads its
// credential and merchant from the database (one statement), so no process holds a copy that
// could outlive a revocation. Each face's key is used on the second process before the
// rotation, so a cache filled by that use would be caught.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basic } from '../support/backd.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import { postgresFactory, postgresSkipReason, type TestStore } from '../support/stores.js';

interface Credentials {
  points?: { api_key: string };
  backd?: { public_key: string; secret_key: string };
  mpg?: { api_key: string };
}

/** A read on each face with that face's credentials, as its clients send them. */
const READS = {
  mpg: (c: Credentials) => ({
    path: '/mpg/v1/orders',
    options: { token: c.mpg!.api_key },
  }),
  points: (c: Credentials) => ({
    path: '/points/api/v1/orders/00000000-0000-4000-8000-000000000000',
    options: { token: null, headers: { 'x-api-key': c.points!.api_key } },
  }),
  backd: (c: Credentials) => ({
    path: '/backd/find_order/unknown',
    options: {
      token: null,
      headers: { authorization: basic(c.backd!.public_key, c.backd!.secret_key) },
    },
  }),
} as const;

/** How each face refuses a key it does not take (Points: 400, as its provider documents). */
const REFUSED: Record<keyof typeof READS, readonly number[]> = {
  mpg: [401, 403],
  points: [400],
  backd: [401, 403],
};

/** Whether the server took the credentials (any answer but the face's refusal). */
async function accepted(
  server: ServerProcess,
  face: keyof typeof READS,
  c: Credentials,
): Promise<boolean> {
  const { path, options } = READS[face](c);
  const res = await server.http('GET', path, undefined, options);
  return !REFUSED[face].includes(res.status);
}

describe(
  'a rotation on one process revokes the old key on another at once: postgres',
  {
    skip: await postgresSkipReason(),
  },
  () => {
    let store: TestStore;
    let a: ServerProcess;
    let b: ServerProcess;
    let merchantId: string;
    let original: Credentials;

    before(async () => {
      store = await postgresFactory.create();
      [a, b] = await Promise.all([
        startServer({ env: store.env }),
        startServer({ env: store.env }),
      ]);
      const merchant = await a.http('POST', '/admin/merchants', { name: 'Rotating Shop' });
      assert.equal(merchant.status, 201);
      merchantId = merchant.body.id;
      original = merchant.body.credentials;
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    for (const face of ['mpg', 'points', 'backd'] as const) {
      it(`${face}: the old key stops on the second process, the new one works there`, async () => {
        assert.equal(await accepted(b, face, original), true, 'the key works before the rotation');
        const rotated = await a.http('POST', `/admin/merchants/${merchantId}/credentials`, {
          dialect: face,
        });
        assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
        const fresh = rotated.body.credentials as Credentials;
        assert.equal(await accepted(b, face, original), false, 'the revoked key still works');
        assert.equal(await accepted(b, face, fresh), true);
        assert.equal(await accepted(a, face, original), false);
      });
    }
  },
);
