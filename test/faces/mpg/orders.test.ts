// Proves the MPG order lifecycle on the core ledger over HTTP, on SQLite and on PostgreSQL:
// authorize, capture, void and refund step by step with exact totals, replays by body id that
// change nothing, concurrent requests that never create a second transaction or order nor refund
// more than was captured, declined and timed-out cards, reversals, extensions and verify.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createBody, mpgFaceSuite, SEED_TRANSACTION_KEYS, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok, authorize, rows } = face;

  it('authorize 10000, capture 6000, void 4000, refund 2500 twice, refund 1001 refused; replays change nothing', async () => {
    const orderId = uuid4();
    const create = createBody({ amount: 10000, order_id: orderId });
    const steps: [string, Record<string, unknown>, [number, number, number]][] = [
      ['capture', { amount: 6000, transaction_id: uuid4() }, [6000, 0, 0]],
      ['void', { amount: 4000, transaction_id: uuid4() }, [6000, 0, 4000]],
      ['refund', { amount: 2500, transaction_id: uuid4() }, [6000, 2500, 4000]],
      ['refund', { amount: 2500, transaction_id: uuid4() }, [6000, 5000, 4000]],
    ];
    const created = await ok(await call('POST', '/v1/orders/authorize', create));
    assert.equal(created.id, orderId);
    assert.deepEqual(
      [created.amount, created.captured_amount, created.refunded_amount, created.voided_amount],
      [10000, 0, 0, 0],
    );
    const totals = (o: {
      captured_amount: number;
      refunded_amount: number;
      voided_amount: number;
    }) => [o.captured_amount, o.refunded_amount, o.voided_amount];
    for (const [op, body, expected] of steps) {
      const after = await ok(await call('POST', `/v1/orders/${orderId}/${op}`, body));
      assert.deepEqual(totals(after), expected, `${op} ${JSON.stringify(body)}`);
      assert.equal(after.transactions.at(-1).id, body['transaction_id']);
      assert.equal(after.transactions.at(-1).type, op);
    }
    const refused = await call('POST', `/v1/orders/${orderId}/refund`, {
      amount: 1001,
      transaction_id: uuid4(),
    });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(refused.json(), {
      message: 'Data validation failed',
      errors: { amount: ['The value must be less than or equal to 1000.'] },
    });
    const ledgerBefore = (await rows(orderId)).length;
    assert.equal(ledgerBefore, 5);
    // Every step replayed with its id: the order as it is now, nothing new.
    const replayCreate = await ok(await call('POST', '/v1/orders/authorize', create));
    assert.deepEqual(totals(replayCreate), [6000, 5000, 4000]);
    for (const [op, body] of steps) {
      const again = await ok(await call('POST', `/v1/orders/${orderId}/${op}`, body));
      assert.deepEqual(totals(again), [6000, 5000, 4000]);
    }
    assert.equal((await rows(orderId)).length, ledgerBefore);
    // The same id with other parameters is refused on its field.
    const changed = await call('POST', `/v1/orders/${orderId}/refund`, {
      ...steps[2]![1],
      amount: 1,
    });
    assert.equal(changed.statusCode, 422);
    assert.deepEqual(Object.keys(changed.json().errors), ['transaction_id']);
    const otherCreate = await call('POST', '/v1/orders/authorize', { ...create, amount: 10001 });
    assert.equal(otherCreate.statusCode, 422);
    assert.deepEqual(Object.keys(otherCreate.json().errors), ['order_id']);
    assert.equal((await rows(orderId)).length, ledgerBefore);
    // Business rules: a capture and a void of nothing left, with errors.amount.
    for (const op of ['capture', 'void']) {
      const r = await call('POST', `/v1/orders/${orderId}/${op}`, { amount: 1 });
      assert.equal(r.statusCode, 422);
      assert.deepEqual(Object.keys(r.json().errors), ['amount']);
    }
  });

  it('ten concurrent requests with one transaction_id create one transaction', async () => {
    const order = await authorize(10000);
    const body = { amount: 700, transaction_id: uuid4() };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', `/v1/orders/${order.id}/capture`, body)),
    );
    for (const a of answers) {
      if (a.statusCode === 200) assert.equal(a.json().captured_amount, 700);
      else
        assert.deepEqual(
          [a.statusCode, a.json()],
          [400, { message: 'Initial request is still processing.' }],
        );
    }
    assert.ok(answers.some((a) => a.statusCode === 200));
    const ledger = await rows(order.id);
    assert.equal(ledger.filter((r) => r['id'] === body.transaction_id).length, 1);
    assert.equal(ledger.length, 2);
  });

  it('ten concurrent creations with one order_id create one order', async () => {
    const body = createBody({ amount: 5000, order_id: uuid4() });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/v1/orders/purchase', body)),
    );
    for (const a of answers) {
      if (a.statusCode !== 200)
        assert.deepEqual(a.json(), { message: 'Initial request is still processing.' });
    }
    const orders = (await face.t.testStore.rawRows('orders')).filter(
      (o) => o['id'] === body.order_id,
    );
    assert.equal(orders.length, 1);
    assert.equal((await rows(body.order_id)).length, 1);
  });

  it('twenty concurrent refunds with distinct ids never exceed the captured amount', async () => {
    const order = await ok(await call('POST', '/v1/orders/purchase', createBody({ amount: 1000 })));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', `/v1/orders/${order.id}/refund`, { amount: 300, transaction_id: uuid4() }),
      ),
    );
    const accepted = answers.filter((a) => a.statusCode === 200).length;
    assert.equal(accepted, 3);
    for (const a of answers.filter((x) => x.statusCode !== 200)) {
      assert.equal(a.statusCode, 422);
      assert.deepEqual(Object.keys(a.json().errors), ['amount']);
    }
    const final = await ok(await call('GET', `/v1/orders/${order.id}`));
    assert.equal(final.refunded_amount, 900);
    const refunds = (await rows(order.id)).filter((r) => r['type'] === 'refund');
    assert.equal(
      refunds.reduce((s, r) => s + Number(r['amount_minor']), 0),
      900,
    );
  });

  it('a declined test card gives 200 with a failed transaction and unchanged totals', async () => {
    const declined = await ok(
      await call(
        'POST',
        '/v1/orders/purchase',
        createBody({
          amount: 5000,
          source: { ...createBody().source, number: '4000000000009995' },
        }),
      ),
    );
    assert.deepEqual(
      [declined.captured_amount, declined.refunded_amount, declined.voided_amount],
      [0, 0, 0],
    );
    assert.equal(declined.transactions.length, 1);
    const [tx] = declined.transactions;
    assert.deepEqual(
      [tx.type, tx.status, tx.response_code, tx.message, tx.auth_code],
      ['purchase', 'failed', '51', 'INSUFFICIENT FUNDS', null],
    );
    const refund = await call('POST', `/v1/orders/${declined.id}/refund`, { amount: 1 });
    assert.equal(refund.statusCode, 422);
    const events = await face.t.admin({
      method: 'GET',
      url: `/admin/events?order_id=${declined.id}`,
    });
    assert.equal(events.json().data.length, 1);
    assert.equal(events.json().data[0].payload.transactions[0].status, 'failed');
  });

  it('a timed-out authorization is reversed once; known outcomes are not reversible', async () => {
    const timedOut = await ok(
      await call(
        'POST',
        '/v1/orders/authorize',
        createBody({
          amount: 5000,
          source: { ...createBody().source, number: '4000000000000341' },
        }),
      ),
    );
    const target = timedOut.transactions[0];
    assert.equal(target.status, 'timeout');
    const reversalId = uuid4();
    const reversed = await call('POST', `/v1/transactions/${target.id}/reverse`, {
      reason: 'gateway_timeout',
      transaction_id: reversalId,
    });
    assert.equal(reversed.statusCode, 200, reversed.body);
    assert.deepEqual(Object.keys(reversed.json()), SEED_TRANSACTION_KEYS);
    assert.deepEqual(
      [reversed.json().id, reversed.json().type, reversed.json().reverse_reason],
      [reversalId, 'reversal', 'gateway_timeout'],
    );
    assert.equal(reversed.json().reversed_transaction_id, target.id);
    const again = await call('POST', `/v1/transactions/${target.id}/reverse`, {
      reason: 'gateway_timeout',
      transaction_id: reversalId,
    });
    assert.deepEqual(again.json(), reversed.json());
    const twice = await call('POST', `/v1/transactions/${target.id}/reverse`, {
      reason: 'gateway_timeout',
    });
    assert.equal(twice.statusCode, 422);
    assert.deepEqual(Object.keys(twice.json().errors), ['id']);
    const approved = await authorize(1000);
    const known = await call('POST', `/v1/transactions/${approved.transactions[0].id}/reverse`, {
      reason: 'request_timeout',
    });
    assert.equal(known.statusCode, 422);
    const unknown = await call('POST', `/v1/transactions/${uuid4()}/reverse`, {
      reason: 'request_timeout',
    });
    assert.deepEqual([unknown.statusCode, unknown.json()], [404, { message: 'Not found' }]);
    const order = await ok(await call('GET', `/v1/orders/${timedOut.id}`));
    assert.deepEqual([order.captured_amount, order.voided_amount], [0, 0]);
  });

  it('extends an authorization hold; verify moves no money', async () => {
    const order = await authorize(3000);
    const extended = await ok(await call('POST', `/v1/orders/${order.id}/extend`, {}));
    assert.equal(extended.transactions.at(-1).type, 'extension');
    assert.equal(extended.transactions.at(-1).amount, 0);
    const purchase = await ok(
      await call('POST', '/v1/orders/purchase', createBody({ amount: 100 })),
    );
    const refused = await call('POST', `/v1/orders/${purchase.id}/extend`, { amount: 0 });
    assert.equal(refused.statusCode, 422);
    const verified = await ok(await call('POST', '/v1/orders/verify', createBody({ amount: 0 })));
    assert.deepEqual(
      [verified.amount, verified.captured_amount, verified.transactions[0].type],
      [0, 0, 'verify'],
    );
  });
});
