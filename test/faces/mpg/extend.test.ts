// Proves MPG's extend with a non-zero amount over HTTP on SQLite and on PostgreSQL: the delta is
// the part of the held authorization whose hold is extended, recorded on the extension
// transaction; it is bounded by what is still held (at the bound and one above), moves no money
// (the order's amount, totals and capturable amount stay as they were), and is idempotent by
// transaction_id with the delta part of the request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mpgFaceSuite, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok } = face;
  const extend = (id: string, body: Record<string, unknown>) =>
    call('POST', `/v1/orders/${id}/extend`, body);

  describe('extend with a delta', () => {
    it('extends up to the held amount and refuses one more, moving no money', async () => {
      const order = await face.authorize(3000);
      await ok(await call('POST', `/v1/orders/${order.id}/capture`, { amount: 1000 }));
      const above = await extend(order.id, { amount: 2001 });
      assert.deepEqual(
        [above.statusCode, above.json()],
        [
          422,
          {
            message: 'Data validation failed',
            errors: { amount: ['The value must be less than or equal to 2000.'] },
          },
        ],
      );
      const extended = await ok(await extend(order.id, { amount: 2000 }));
      const last = extended.transactions.at(-1);
      assert.deepEqual(
        [last.type, last.status, last.amount, last.response_code],
        ['extension', 'approved', 2000, '00'],
      );
      assert.deepEqual(
        [
          extended.amount,
          extended.captured_amount,
          extended.voided_amount,
          extended.refunded_amount,
        ],
        [3000, 1000, 0, 0],
      );
      assert.equal(extended.transactions.length, 3);
      // The extension does not add to what can be captured.
      const capture = await call('POST', `/v1/orders/${order.id}/capture`, { amount: 2001 });
      assert.deepEqual(capture.json().errors, {
        amount: ['The value must be less than or equal to 2000.'],
      });
      await ok(await call('POST', `/v1/orders/${order.id}/capture`, { amount: 2000 }));
      const nothingHeld = await extend(order.id, { amount: 1 });
      assert.equal(nothingHeld.statusCode, 422);
    });

    it('refuses a delta above the documented maximum or negative', async () => {
      const order = await face.authorize(1000);
      for (const [amount, message] of [
        [100000001, 'The value must be less than or equal to 100000000.'],
        [-1, 'The value must be greater than or equal to 0.'],
        [1.5, 'The value must be an integer.'],
      ] as const) {
        const r = await extend(order.id, { amount });
        assert.deepEqual(r.json().errors, { amount: [message] }, String(amount));
      }
      assert.equal((await face.rows(order.id)).length, 1);
    });

    it('is idempotent by transaction_id, the delta included', async () => {
      const order = await face.authorize(1000);
      const transactionId = uuid4();
      const first = await ok(
        await extend(order.id, { amount: 400, transaction_id: transactionId }),
      );
      const again = await ok(
        await extend(order.id, { amount: 400, transaction_id: transactionId }),
      );
      assert.equal(again.transactions.length, first.transactions.length);
      const other = await extend(order.id, { amount: 500, transaction_id: transactionId });
      assert.equal(other.statusCode, 422);
      assert.deepEqual(Object.keys(other.json().errors), ['transaction_id']);
      assert.equal((await face.rows(order.id)).length, 2);
    });
  });
});
