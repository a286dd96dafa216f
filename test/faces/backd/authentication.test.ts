// Proves who may call the Backd face and how it refuses, over HTTP on SQLite and on PostgreSQL: a
// missing, wrong or mismatched key is 401 with a Basic challenge, before the body is read and
// writing nothing, and framework errors (unknown route, wrong method, malformed JSON, wrong
// content type, oversized body) come in the Backd envelope.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basic, createBody, expectFailure } from '../../support/backd.js';
import { backdFaceSuite } from './backd-face.js';

await backdFaceSuite((face) => {
  const { call } = face;

  describe('authentication', () => {
    it('no Authorization header: 401 in the envelope, with a Basic challenge', async () => {
      const res = await call('GET', '/find_order/BO-1', undefined, { auth: null });
      expectFailure(res, 401);
      assert.match(String(res.headers['www-authenticate']), /^Basic realm="Backd"/);
    });

    it('a wrong secret key, a bearer token, or keys of two merchants: 401', async () => {
      expectFailure(
        await call('GET', '/find_order/x', undefined, { auth: basic(face.m.publicKey, 'sk_nope') }),
        401,
      );
      expectFailure(
        await call('GET', '/find_order/x', undefined, { auth: `Bearer ${face.m.secretKey}` }),
        401,
      );
      expectFailure(
        await call('GET', '/find_order/x', undefined, {
          auth: basic(face.m.publicKey, face.other.secretKey),
        }),
        401,
      );
      expectFailure(
        await call('GET', '/find_order/x', undefined, {
          auth: basic(face.m.secretKey, face.m.publicKey),
        }),
        401,
      );
      expectFailure(await call('GET', '/find_order/x', undefined, { auth: 'Basic !!!' }), 401);
    });

    it('bad auth is refused before the body is read, and writes nothing', async () => {
      const before = (await face.t.testStore.rawRows('backd_orders')).length;
      const res = await call('POST', '/create_order', createBody(), {
        auth: basic('pk_x', 'sk_y'),
      });
      expectFailure(res, 401);
      assert.equal((await face.t.testStore.rawRows('backd_orders')).length, before);
    });
  });

  describe('framework errors in the Backd envelope', () => {
    it('unknown route 404, wrong method 405 with Allow, malformed JSON 422, text/plain 415', async () => {
      expectFailure(await call('POST', '/no_such_endpoint', {}), 404);
      const wrong = await call('PUT', '/refund', {});
      expectFailure(wrong, 405);
      assert.match(String(wrong.headers['allow']), /DELETE/);
      assert.match(String(wrong.headers['allow']), /POST/);
      const malformed = await face.t.app.inject({
        method: 'POST',
        url: '/backd/refund',
        headers: { authorization: face.m.auth, 'content-type': 'application/json' },
        payload: '{"backd_order_id": ',
      });
      expectFailure(malformed, 422);
      const plain = await face.t.app.inject({
        method: 'POST',
        url: '/backd/refund',
        headers: { authorization: face.m.auth, 'content-type': 'text/plain' },
        payload: 'refund please',
      });
      expectFailure(plain, 415);
    });

    it('a body over the limit is 413 in the envelope', async () => {
      const huge = { ...createBody(), merchant_order_status: 'x'.repeat(1_100_000) };
      expectFailure(await call('POST', '/create_order', huge), 413);
    });
  });
});
