// Proves the MPG face refuses bad input with the seed's 422 shape and messages, field by field
// and at each bound, writing nothing, and answers framework errors (unknown route, wrong method,
// malformed JSON, oversized body) in the MPG shape; on SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LIMITS } from '../../../src/app/limits.js';
import { createBody, mpgFaceSuite, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call } = face;

  it('validates every field with the seed shape and messages', async () => {
    const r = await call('POST', '/v1/orders/purchase', {
      amount: 99.5,
      currency: 'sar',
      transaction_type: 'phone',
      source: {
        type: 'card',
        number: '4111111111111112',
        month: 13,
        year: 1999,
        security_code: '12',
        pin: '1',
      },
      device: { user_agent: 'x', ip_address: 'not-an-ip' },
      extra: true,
    });
    assert.equal(r.statusCode, 422);
    const { message, errors } = r.json();
    assert.equal(message, 'Data validation failed');
    assert.deepEqual(errors.amount, ['The value must be an integer.']);
    assert.deepEqual(errors.description, ['The value is missing.']);
    assert.deepEqual(errors.transaction_type, [
      'The value must be one of: internet, merchant, moto.',
    ]);
    assert.deepEqual(errors['source.number'], ['The value is not a valid card number.']);
    assert.deepEqual(errors['source.month'], ['The value must be less than or equal to 12.']);
    assert.deepEqual(errors['source.year'], ['The value must be greater than or equal to 2000.']);
    assert.deepEqual(errors['source.security_code'], ['The value must be 3 or 4 digits.']);
    assert.deepEqual(errors['source.pin'], ['The value is not allowed.']);
    assert.deepEqual(errors.extra, ['The value is not allowed.']);
    assert.ok(errors.currency && errors['device.ip_address']);
    const small = await call('POST', '/v1/orders/purchase', createBody({ amount: 99 }));
    assert.deepEqual(small.json().errors, {
      amount: ['The value must be greater than or equal to 100.'],
    });
    const big = await call('POST', '/v1/orders/purchase', createBody({ amount: 100000001 }));
    assert.deepEqual(big.json().errors, {
      amount: ['The value must be less than or equal to 100000000.'],
    });
    const usd = await call('POST', '/v1/orders/purchase', createBody({ currency: 'USD' }));
    assert.deepEqual(usd.json().errors, { currency: ['The value must be one of: SAR.'] });
    const expired = await call(
      'POST',
      '/v1/orders/purchase',
      createBody({ source: { ...createBody().source, month: 10, year: 2026 } }),
    );
    assert.deepEqual(expired.json().errors, { 'source.year': ['The card has expired.'] });
    const badAuth = await call(
      'POST',
      '/v1/orders/purchase',
      createBody({
        source: { ...createBody().source, auth: { status: 'X', eci: '05', version: '2.2.0' } },
      }),
    );
    assert.deepEqual(badAuth.json().errors, {
      'source.auth.status': ['The value must be one of: Y, N, U, A, R.'],
    });
    const negative = await call('POST', `/v1/orders/${uuid4()}/void`, { amount: -5 });
    assert.deepEqual(negative.json().errors, {
      amount: ['The value must be greater than or equal to 1.'],
    });
    const badId = await call('POST', `/v1/orders/${uuid4()}/refund`, {
      amount: 5,
      transaction_id: 'x',
    });
    assert.deepEqual(badId.json().errors, {
      transaction_id: ['The value must be a valid UUID.'],
    });
    const nothingWritten = (await face.t.testStore.rawRows('orders')).filter(
      (o) => o['amount_minor'] === 99,
    );
    assert.equal(nothingWritten.length, 0);
  });

  it('answers framework errors in the MPG shape', async () => {
    const route = await call('GET', '/v1/nowhere');
    assert.deepEqual([route.statusCode, route.json()], [404, { message: 'Not found' }]);
    const method = await call('POST', `/v1/orders/${uuid4()}`, {});
    assert.equal(method.statusCode, 405);
    assert.ok(method.headers['allow']);
    const json = await face.t.app.inject({
      method: 'POST',
      url: '/mpg/v1/orders/purchase',
      headers: { authorization: `Bearer ${face.key}`, 'content-type': 'application/json' },
      payload: '{"amount":',
    });
    assert.equal(json.statusCode, 400);
    assert.deepEqual(Object.keys(json.json()), ['message']);
    const huge = await face.t.app.inject({
      method: 'POST',
      url: '/mpg/v1/orders/purchase',
      headers: { authorization: `Bearer ${face.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ description: 'x'.repeat(LIMITS.bodyBytesMax) }),
    });
    assert.equal(huge.statusCode, 413);
    assert.deepEqual(Object.keys(huge.json()), ['message']);
  });
});
