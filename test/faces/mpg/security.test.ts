// Proves the MPG face's walls over HTTP on SQLite and on PostgreSQL: another merchant's orders
// and transaction ids are exactly like missing ones, a key answers only for its permissions, the
// full card number is never stored (nor its hash), and body ids are kept for their retention only.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LIMITS } from '../../../src/app/limits.js';
import { hashSecret } from '../../../src/app/secrets.js';
import { createBody, mpgFaceSuite, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok, authorize } = face;

  it("treats another merchant's order and transactions exactly like missing ones", async () => {
    const order = await authorize(2000);
    const other = await face.t.admin({
      method: 'POST',
      url: '/admin/merchants',
      payload: { name: 'Other' },
    });
    const otherKey = other.json().credentials.mpg.api_key;
    for (const [method, url, payload] of [
      ['GET', `/v1/orders/${order.id}`, undefined],
      ['POST', `/v1/orders/${order.id}/capture`, { amount: 1 }],
      ['POST', `/v1/orders/${order.id}/void`, { amount: 1 }],
      [
        'POST',
        `/v1/transactions/${order.transactions[0].id}/reverse`,
        { reason: 'request_timeout' },
      ],
    ] as const) {
      const r = await call(method, url, payload, {}, otherKey);
      assert.deepEqual([r.statusCode, r.json()], [404, { message: 'Not found' }], url);
    }
    const list = await call('GET', '/v1/orders', undefined, {}, otherKey);
    assert.deepEqual(list.json().orders, []);
    // Another merchant may not take this merchant's transaction id as its own.
    const theirs = await ok(
      await call('POST', '/v1/orders/authorize', createBody({ amount: 1000 }), {}, otherKey),
    );
    const taken = await call(
      'POST',
      `/v1/orders/${theirs.id}/capture`,
      { amount: 1, transaction_id: order.transactions[0].id },
      {},
      otherKey,
    );
    assert.deepEqual(taken.json().errors, {
      transaction_id: ['The value has already been taken.'],
    });
  });

  it('refuses a key lacking the permission with 403', async () => {
    const secret = `merchant_key_readonly_${uuid4()}`;
    await face.t.deps.store.transaction((tx) =>
      tx.insertCredential({
        id: uuid4(),
        merchantId: face.merchantId,
        dialect: 'mpg',
        kind: 'api_key',
        prefix: secret.slice(0, 19),
        secretHash: hashSecret(secret),
        permissions: ['orders_read'],
        ipWhitelist: null,
        createdAt: face.t.clock.now(),
        revokedAt: null,
      }),
    );
    const order = await authorize(1000);
    assert.equal(
      (await call('GET', `/v1/orders/${order.id}`, undefined, {}, secret)).statusCode,
      200,
    );
    const refund = await call('POST', `/v1/orders/${order.id}/capture`, { amount: 1 }, {}, secret);
    assert.deepEqual([refund.statusCode, refund.json()], [403, { message: 'Unauthorized' }]);
    const create = await call('POST', '/v1/orders/purchase', createBody(), {}, secret);
    assert.equal(create.statusCode, 403);
  });

  it('never stores the full card number, and keeps body ids for their retention only', async () => {
    const number = '4242424242424242';
    const order = await ok(
      await call(
        'POST',
        '/v1/orders/purchase',
        createBody({ order_id: uuid4(), source: { ...createBody().source, number } }),
      ),
    );
    for (const table of [
      'orders',
      'transactions',
      'events',
      'mpg_orders',
      'mpg_transactions',
      'claims',
      'deliveries',
    ]) {
      const raw = JSON.stringify(await face.t.testStore.rawRows(table));
      assert.ok(!raw.includes(number), `card number found in ${table}`);
      assert.ok(!raw.includes(hashSecret(number)), `card number hash found in ${table}`);
    }
    assert.equal(order.source.first_digits, '42424242');
    const ids = async () =>
      (await face.t.testStore.rawRows('claims')).filter((r) => r['result'] === order.id);
    assert.equal((await ids()).length, 1);
    face.t.clock.advance(LIMITS.mpgIdRetentionDaysDefault * 86_400_000 - 1000);
    await face.t.admin({ method: 'POST', url: '/admin/jobs/run' });
    assert.equal((await ids()).length, 1);
    face.t.clock.advance(1000);
    const run = await face.t.admin({ method: 'POST', url: '/admin/jobs/run' });
    assert.ok(run.json().jobs['mpg-request-id-reaper'] >= 1, run.body);
    assert.equal((await ids()).length, 0);
  });
});
