// Proves that body keys named like Object.prototype members (`toString`, `__proto__`,
// `constructor`) come back as plain fields in the faces' 422 bodies instead of a 500: the route
// fuzzer's counterexample `{"toString": false}` to MPG's purchase, replayed over HTTP on both
// stores, and `messagesByField` with the MPG and Points renderers by direct calls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../../test/support/stores.js';
import { validationBody } from './dialects/mpg/errors.js';
import { validationError } from './dialects/points/errors.js';
import { messagesByField } from './faces.js';

const issues = [
  { path: 'toString', message: 'a' },
  { path: '__proto__', message: 'b' },
  { path: 'constructor', message: 'c' },
  { path: 'toString', message: 'd' },
];

describe('messagesByField', () => {
  it('groups by field as own properties, prototype names included', () => {
    const grouped = messagesByField(issues);
    assert.deepEqual(Object.keys(grouped), ['toString', '__proto__', 'constructor']);
    assert.deepEqual(grouped['toString'], ['a', 'd']);
    assert.equal(Object.getPrototypeOf(grouped), Object.prototype, 'the prototype is untouched');
    assert.equal(
      JSON.stringify(grouped),
      '{"toString":["a","d"],"__proto__":["b"],"constructor":["c"]}',
    );
  });
  it('is what the MPG and Points 422 bodies carry', () => {
    assert.deepEqual(validationBody(issues).errors, messagesByField(issues));
    const points = validationError(issues).body as { errors: Record<string, string[]> };
    assert.deepEqual(points.errors, messagesByField(issues));
  });
});

function suite(factory: StoreFactory, skip?: string) {
  describe(`a body key named toString, over HTTP: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(factory);
    });
    after(async () => t?.close());

    it('MPG answers 422 with the key as a field', async () => {
      const m = await t.call<{ credentials: { mpg: { api_key: string } } }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Shop' } },
        201,
      );
      const res = await t.app.inject({
        method: 'POST',
        url: '/mpg/v1/orders/purchase',
        headers: { authorization: `Bearer ${m!.credentials.mpg.api_key}` },
        payload: { toString: false },
      });
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json() as { message: string; errors: Record<string, string[]> };
      assert.equal(body.message, 'Data validation failed');
      assert.ok(Array.isArray(body.errors['toString']), res.body);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
