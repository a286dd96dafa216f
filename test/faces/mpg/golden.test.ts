// Proves the MPG face answers in the seed's golden shapes, field for field and in key order: a
// refunded purchase, the 401, 403, 404 and 422 bodies, and the 400 a duplicate gets while the
// first request with its id is still in flight; requests are injected into the real server on
// SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LIMITS } from '../../../src/app/limits.js';
import {
  createBody,
  mpgFaceSuite,
  SEED_ORDER_KEYS,
  SEED_TRANSACTION_KEYS,
  uuid4,
} from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok, authorize, rows } = face;

  it('golden: a full refund after a purchase has the seed refund example shape', async () => {
    const order = await ok(await call('POST', '/v1/orders/purchase', createBody()));
    const refundId = 'f351a2a3-97c4-4f12-add3-80c1044091f5';
    const body = await ok(
      await call('POST', `/v1/orders/${order.id}/refund`, {
        amount: 262346,
        transaction_id: refundId,
      }),
    );
    assert.deepEqual(Object.keys(body), SEED_ORDER_KEYS);
    assert.deepEqual(Object.keys(body.merchant), [
      'id',
      'acquirer_id',
      'name',
      'arabic_name',
      'merchant_id',
      'rule_precedence',
    ]);
    assert.equal(body.merchant.id, face.merchantId);
    assert.equal(body.merchant.name, 'Merchant 52');
    assert.equal(body.currency, 'SAR');
    assert.equal(body.amount, 262346);
    assert.equal(body.captured_amount, 262346);
    assert.equal(body.refunded_amount, 262346);
    assert.equal(body.voided_amount, 0);
    assert.equal(body.description, 'Voluptatum at consequatur ullam.');
    assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(body.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(body.source, {
      type: 'card',
      issuer: null,
      card_type: null,
      category: null,
      country_alpha2: null,
      scheme: 'mastercard',
      first_digits: '55555555',
      last_digits: '4444',
      month: 12,
      year: 2030,
    });
    assert.equal(body.reauthorized_order_id, null);
    assert.deepEqual(body.airline, { reference: '576449881' });
    assert.deepEqual(body.sub_merchant, createBody().sub_merchant);
    assert.equal(body.agreement, null);
    assert.equal(body.transactions.length, 2);
    const [first, refund] = body.transactions;
    for (const tx of body.transactions) {
      assert.deepEqual(Object.keys(tx), SEED_TRANSACTION_KEYS);
      assert.equal(tx.status, 'approved');
      assert.equal(tx.source_type, 'merchant');
      assert.equal(tx.message, 'APPROVED');
      assert.equal(tx.response_code, '00');
      assert.match(tx.retrieval_reference, /^\d{12}$/);
      assert.match(tx.stan, /^\d{6}$/);
      assert.equal(tx.refunded_amount, 0);
      assert.equal(tx.reverse_reason, null);
      assert.equal(tx.justification, null);
      assert.equal(tx.reversed_transaction_id, null);
    }
    assert.equal(first.type, 'purchase');
    assert.equal(first.amount, 262346);
    assert.match(first.auth_code, /^\d{6}$/);
    assert.equal(refund.id, refundId);
    assert.equal(refund.type, 'refund');
    assert.equal(refund.amount, 262346);
    assert.equal(refund.auth_code, null);
    const shown = await ok(await call('GET', `/v1/orders/${order.id}`));
    assert.deepEqual(shown, body);
  });

  it('golden: the 401, 403, 404 and 422 bodies of the seed, field for field', async () => {
    const missing = await call('GET', `/v1/orders/${uuid4()}`, undefined, {}, null);
    assert.equal(missing.statusCode, 401);
    assert.deepEqual(missing.json(), { message: 'Missing authentication information' });
    const wrong = await call('GET', `/v1/orders/${uuid4()}`, undefined, {}, 'merchant_key_nope');
    assert.equal(wrong.statusCode, 403);
    assert.deepEqual(wrong.json(), { message: 'Unauthorized' });
    const unknown = await call('GET', `/v1/orders/${uuid4()}`);
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), { message: 'Not found' });
    const order = await authorize(1000);
    const zero = await call('POST', `/v1/orders/${order.id}/refund`, { amount: 0 });
    assert.equal(zero.statusCode, 422);
    assert.deepEqual(zero.json(), {
      message: 'Data validation failed',
      errors: { amount: ['The value must be greater than or equal to 1.'] },
    });
  });

  it('golden: the 400 "still processing" when a duplicate outwaits its bound', async () => {
    const order = await authorize(1000);
    const transactionId = uuid4();
    // A request with this id is in flight on another process: its claim holds a live lease.
    await face.t.deps.store.transaction((tx) =>
      tx.insertClaim({
        scope: `mpg-body-ids:${face.merchantId}`,
        key: `transaction_id:${transactionId}`,
        fingerprint: 'other-process',
        state: 'in_progress',
        leaseToken: 'lease',
        leaseExpiresAt: face.t.clock.now() + LIMITS.mpgRequestLeaseMs,
        resultStatus: null,
        result: null,
        createdAt: face.t.clock.now(),
        expiresAt: null,
      }),
    );
    // A different request under an id that is in flight is refused at once.
    const r1 = await call('POST', `/v1/orders/${order.id}/capture`, {
      amount: 500,
      transaction_id: transactionId,
    });
    assert.equal(r1.statusCode, 422);
    assert.deepEqual(r1.json(), {
      message: 'Data validation failed',
      errors: { transaction_id: ['The value was already used for a different request.'] },
    });
    const sameId = uuid4();
    const body = { amount: 500, transaction_id: sameId };
    const first = await call('POST', `/v1/orders/${order.id}/capture`, body);
    assert.equal(first.statusCode, 200);
    // Make the completed claim look in flight again, as if its process still held it.
    await face.t.testStore.rawExec(
      `UPDATE claims SET state = 'in_progress', lease_token = 'held',
         lease_expires_at = ${face.t.clock.now() + LIMITS.mpgRequestLeaseMs}, result = NULL
       WHERE claim_key = 'transaction_id:${sameId}'`,
    );
    const duplicate = await call('POST', `/v1/orders/${order.id}/capture`, body);
    assert.equal(duplicate.statusCode, 400);
    assert.deepEqual(duplicate.json(), { message: 'Initial request is still processing.' });
    // Once the holder's lease has expired, a retry takes the id over and replays.
    face.t.clock.advance(LIMITS.mpgRequestLeaseMs);
    const retried = await ok(await call('POST', `/v1/orders/${order.id}/capture`, body));
    assert.equal(retried.captured_amount, 500);
    assert.equal((await rows(order.id)).length, 2);
  });
});
