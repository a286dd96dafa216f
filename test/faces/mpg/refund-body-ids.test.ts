// Proves, on SQLite and on PostgreSQL, that an MPG refund's transaction_id is claimed in the
// refund's own transaction and behaves as documented (docs/dialects/mpg.md "Idempotency"): a
// retry answers the order as it is with nothing new, a refusal leaves no claim and no row (so a
// retry runs afresh), concurrent duplicates make one refund and the others replay or wait, and
// duplicates that differ are refused on the id's field with one refund written.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createBody, mpgFaceSuite, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok, rows } = face;
  const purchase = async (amount: number) =>
    ok(await call('POST', '/v1/orders/purchase', createBody({ amount })));
  const claims = async (transactionId: string) =>
    (await face.t.testStore.rawRows('claims')).filter(
      (r) => r['claim_key'] === `transaction_id:${transactionId}`,
    );
  const STILL_PROCESSING = [400, { message: 'Initial request is still processing.' }];

  it('a retry answers the order as it is now and writes nothing; the claim names the order', async () => {
    const order = await purchase(1000);
    const body = { amount: 300, transaction_id: uuid4() };
    const first = await ok(await call('POST', `/v1/orders/${order.id}/refund`, body));
    const again = await ok(await call('POST', `/v1/orders/${order.id}/refund`, body));
    assert.equal(first.refunded_amount, 300);
    assert.deepEqual(again, first);
    assert.equal((await rows(order.id)).length, 2);
    const [claim, ...more] = await claims(body.transaction_id);
    assert.deepEqual(more, []);
    assert.equal(claim!['state'], 'completed');
    assert.equal(claim!['result'], order.id);
  });

  it('answers the order’s ledger as a read of it does, in the same order', async () => {
    // The answer is built from the ledger read with the lock and the rows written (no read
    // after the write): it must equal the order's own read, rows of one instant in the order of
    // their events, and a row from a clock set back first.
    const order = await purchase(1000);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      if (i === 2) face.t.clock.set(face.t.clock.now() - 60_000);
      const body = { amount: 10, transaction_id: uuid4() };
      answers.push(await ok(await call('POST', `/v1/orders/${order.id}/refund`, body)));
      const read = await ok(await call('GET', `/v1/orders/${order.id}`));
      assert.deepEqual(answers[i].transactions, read.transactions);
    }
    assert.equal(answers[3].transactions.length, 5);
  });

  it('a refusal leaves no claim and no row, so the id may be used afresh', async () => {
    const order = await purchase(1000);
    const transactionId = uuid4();
    const refused = await call('POST', `/v1/orders/${order.id}/refund`, {
      amount: 1001,
      transaction_id: transactionId,
    });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(Object.keys(refused.json().errors), ['amount']);
    assert.deepEqual(await claims(transactionId), []);
    assert.equal((await rows(order.id)).length, 1);
    const retried = await ok(
      await call('POST', `/v1/orders/${order.id}/refund`, {
        amount: 1000,
        transaction_id: transactionId,
      }),
    );
    assert.equal(retried.refunded_amount, 1000);
    assert.equal((await claims(transactionId)).length, 1);
  });

  it('ten concurrent duplicates refund once; every answer is the refund or the documented wait', async () => {
    const order = await purchase(1000);
    const body = { amount: 250, transaction_id: uuid4() };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', `/v1/orders/${order.id}/refund`, body)),
    );
    for (const a of answers) {
      if (a.statusCode === 200) assert.equal(a.json().refunded_amount, 250);
      else assert.deepEqual([a.statusCode, a.json()], STILL_PROCESSING);
    }
    assert.ok(answers.some((a) => a.statusCode === 200));
    const refunds = (await rows(order.id)).filter((r) => r['type'] === 'refund');
    assert.deepEqual(
      refunds.map((r) => r['id']),
      [body.transaction_id],
    );
    assert.equal((await claims(body.transaction_id)).length, 1);
  });

  it('concurrent requests that differ under one id: one refund, the others refused on the id', async () => {
    const order = await purchase(1000);
    const transactionId = uuid4();
    const answers = await Promise.all(
      [100, 200, 300, 400].map((amount) =>
        call('POST', `/v1/orders/${order.id}/refund`, { amount, transaction_id: transactionId }),
      ),
    );
    const accepted = answers.filter((a) => a.statusCode === 200);
    assert.equal(accepted.length, 1);
    for (const a of answers.filter((r) => r.statusCode !== 200)) {
      if (a.statusCode === 400) assert.deepEqual([a.statusCode, a.json()], STILL_PROCESSING);
      else
        assert.deepEqual([a.statusCode, Object.keys(a.json().errors)], [422, ['transaction_id']]);
    }
    const refunds = (await rows(order.id)).filter((r) => r['type'] === 'refund');
    assert.equal(refunds.length, 1);
    assert.equal(Number(refunds[0]!['amount_minor']), accepted[0]!.json().refunded_amount);
  });

  it("an id used on another of the merchant's orders is refused on its field, on both orders", async () => {
    const first = await purchase(1000);
    const second = await purchase(1000);
    const transactionId = uuid4();
    await ok(
      await call('POST', `/v1/orders/${first.id}/refund`, {
        amount: 100,
        transaction_id: transactionId,
      }),
    );
    const reused = await call('POST', `/v1/orders/${second.id}/refund`, {
      amount: 100,
      transaction_id: transactionId,
    });
    assert.deepEqual(
      [reused.statusCode, Object.keys(reused.json().errors)],
      [422, ['transaction_id']],
    );
    // Past the claim's retention the ledger still refuses it: the row's id is taken.
    await face.t.testStore.rawExec(
      `DELETE FROM claims WHERE claim_key = 'transaction_id:${transactionId}'`,
    );
    const taken = await call('POST', `/v1/orders/${second.id}/refund`, {
      amount: 100,
      transaction_id: transactionId,
    });
    assert.deepEqual(taken.json().errors, {
      transaction_id: ['The value has already been taken.'],
    });
    assert.equal((await rows(second.id)).length, 1);
  });

  it('one transaction_id sent at once for two orders refunds one of them; the other is refused', async () => {
    // Each request finds the id free under its own order's lock; the locks do not serialise
    // them. On PostgreSQL the loser's change, written behind, meets the primary key at COMMIT
    // and is retried into the documented refusal; nothing of it is kept. Five pairs at once.
    const pairs = await Promise.all(
      Array.from({ length: 5 }, async () => [await purchase(1000), await purchase(1000)]),
    );
    const results = await Promise.all(
      pairs.map(async ([a, b]) => {
        const body = { amount: 100, transaction_id: uuid4() };
        const answers = await Promise.all([
          call('POST', `/v1/orders/${a.id}/refund`, body),
          call('POST', `/v1/orders/${b.id}/refund`, body),
        ]);
        return { body, answers, orders: [a.id, b.id] };
      }),
    );
    for (const { body, answers, orders } of results) {
      const statuses = answers.map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [200, 422], answers.map((r) => r.body).join(' | '));
      const refused = answers.find((r) => r.statusCode === 422)!;
      assert.deepEqual(Object.keys(refused.json().errors), ['transaction_id']);
      const ledger = [...(await rows(orders[0]!)), ...(await rows(orders[1]!))];
      assert.equal(ledger.filter((r) => r['id'] === body.transaction_id).length, 1);
      // The refused order keeps only its purchase.
      const loser = orders[answers.indexOf(refused)]!;
      assert.equal((await rows(loser)).length, 1);
    }
  });
});
