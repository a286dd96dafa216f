// Proves the MPG card source's aliases over HTTP on SQLite and on PostgreSQL: `cvc` and `name`
// (another generation's names) are accepted for `security_code` and `holder`, make the same order
// (a retry under the same order_id with the other spelling is a replay), must agree with the G1
// name when both are sent, one of the two security code names is required, and any other unknown
// field is still refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBody, mpgFaceSuite, uuid4 } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const card = (fields: Record<string, unknown>) => ({
    type: 'card',
    number: '5555555555554444',
    month: 12,
    year: 2030,
    ...fields,
  });
  const purchase = (source: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    face.call('POST', '/v1/orders/purchase', createBody({ source: card(source), ...extra }));

  describe('card source aliases', () => {
    it('accepts cvc and name for security_code and holder', async () => {
      const order = await face.ok(await purchase({ cvc: '123', name: 'John Doe' }));
      assert.equal(order.transactions[0].status, 'approved');
      assert.equal(order.source.last_digits, '4444');
      const both = await purchase({ cvc: '123', security_code: '123', name: 'A', holder: 'A' });
      assert.equal(both.statusCode, 200, both.body);
    });

    it('a retry spelled the other way is the same request', async () => {
      const orderId = uuid4();
      const first = await face.ok(
        await purchase({ security_code: '123', holder: 'J' }, { order_id: orderId }),
      );
      const again = await face.ok(await purchase({ cvc: '123', name: 'J' }, { order_id: orderId }));
      assert.equal(again.id, first.id);
      assert.equal(again.transactions.length, 1);
      assert.equal((await face.rows(first.id)).length, 1);
    });

    it('refuses an alias that disagrees, a missing code, and other unknown fields', async () => {
      const cases: [Record<string, unknown>, Record<string, string[]>][] = [
        [
          { cvc: '123', security_code: '124' },
          { 'source.cvc': ['The value must be the same as security_code.'] },
        ],
        [
          { security_code: '123', holder: 'A', name: 'B' },
          { 'source.name': ['The value must be the same as holder.'] },
        ],
        [{ name: 'A' }, { 'source.security_code': ['The value is missing.'] }],
        [{ cvc: '12' }, { 'source.cvc': ['The value must be 3 or 4 digits.'] }],
        [{ cvc: '123', pin: '0000' }, { 'source.pin': ['The value is not allowed.'] }],
      ];
      for (const [source, errors] of cases) {
        const r = await purchase(source);
        assert.equal(r.statusCode, 422, JSON.stringify(source));
        assert.deepEqual(
          r.json(),
          { message: 'Data validation failed', errors },
          JSON.stringify(source),
        );
      }
    });
  });
});
