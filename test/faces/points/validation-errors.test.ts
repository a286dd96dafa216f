// Proves the Points face refuses bad input with 422 and Laravel's messages per field (missing
// fields, wrong types, bad phones, three decimals, negative and zero amounts) and answers HTTP
// edges (unknown route, wrong method, malformed JSON, huge body, a replayed Idempotency-Key) in
// the Points shape; on SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsFaceSuite } from './points-face.js';

await pointsFaceSuite((face) => {
  const { inject, merchant, api, data, assertError, assertInvalid, earn } = face;

  describe('validation (422, Laravel messages)', () => {
    it('reports missing fields, wrong types and bad phones with field keys', async () => {
      const m = await merchant();
      assertInvalid(await api(m, 'POST', '/orders/earning', {}), {
        phone_number: ['The phone number field is required.'],
        total_price: ['The total price field is required.'],
        order_number: ['The order number field is required.'],
        products: ['The products field is required.'],
      });
      assertInvalid(
        await api(m, 'POST', '/orders/earning', {
          phone_number: '12345',
          total_price: 'ten',
          order_number: 'X',
          products: [{ product_name: 'a', product_price: 1, quantity: 0 }],
        }),
        {
          total_price: ['The total price must be a number.'],
          'products.0.quantity': ['The quantity must be at least 1.'],
          phone_number: ['The phone number format is invalid.'],
        },
      );
    });

    it('refuses three decimals, negative amounts and zero refunds; accepts numeric strings', async () => {
      const m = await merchant();
      assertInvalid(await earn(m, { total_price: 10.001 }), {
        total_price: ['The total price must not have more than 2 decimal places.'],
      });
      assertInvalid(await earn(m, { total_price: '10.000' }), {
        total_price: ['The total price must not have more than 2 decimal places.'],
      });
      assertInvalid(await earn(m, { total_price: -1 }), {
        total_price: ['The total price must be at least 0.'],
      });
      const order = data(await earn(m, { total_price: '10.00' }));
      assert.equal(order.total_price, 10);
      const refund = (amount: unknown) =>
        api(m, 'POST', `/orders/${order.uuid}/refund`, { amount });
      assertInvalid(await refund(0), { amount: ['The amount must be greater than 0.'] });
      assertInvalid(await refund(-5), { amount: ['The amount must be greater than 0.'] });
      assertInvalid(await refund('1.234'), {
        amount: ['The amount must not have more than 2 decimal places.'],
      });
      assertInvalid(await refund('abc'), { amount: ['The amount must be a number.'] });
      assertInvalid(await refund('1e2'), { amount: ['The amount must be a number.'] });
      assertInvalid(
        await api(m, 'POST', `/orders/${order.uuid}/cancel`, { reason: 'x'.repeat(501) }),
        { reason: ['The reason must not be greater than 500 characters.'] },
      );
      assert.equal(data(await refund('2.50')).order_status, 'partially_refunded');
    });
  });

  describe('HTTP edges in the Points shape', () => {
    it('unknown route 404, wrong method 405, malformed JSON 400, huge body 413', async () => {
      const m = await merchant();
      assertError(await api(m, 'GET', '/nothing'), 404, 'The route could not be found.');
      const wrong = await api(m, 'DELETE', '/orders/earning');
      assert.equal(wrong.statusCode, 405);
      assert.equal((wrong.json() as { status: boolean }).status, false);
      assert.match(String(wrong.headers['allow']), /POST/);
      const malformed = await inject({
        method: 'POST',
        url: '/points/api/v1/orders/earning',
        headers: { 'x-api-key': m.apiKey, 'content-type': 'application/json' },
        payload: '{"total_price": ',
      });
      assertError(malformed, 400, 'The request body is not valid JSON.');
      const huge = await inject({
        method: 'POST',
        url: '/points/api/v1/orders/earning',
        headers: { 'x-api-key': m.apiKey, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      });
      assertError(huge, 413, 'The request body is too large.');
    });

    it('an Idempotency-Key replays a refund instead of refunding twice', async () => {
      const m = await merchant();
      const order = data(await earn(m, { total_price: 100 }));
      const refund = () =>
        api(
          m,
          'POST',
          `/orders/${order.uuid}/refund`,
          { amount: 10 },
          { 'idempotency-key': 'k-1' },
        );
      const first = await refund();
      const second = await refund();
      assert.equal(second.headers['idempotency-replayed'], 'true');
      assert.equal(second.body, first.body);
      const o = (
        await face.t.admin({ method: 'GET', url: `/admin/orders/${order.uuid}` })
      ).json() as {
        refunded_minor: number;
      };
      assert.equal(o.refunded_minor, 1000);
    });
  });
});
