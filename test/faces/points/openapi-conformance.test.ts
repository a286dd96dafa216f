// Proves that every answer of the Points API validates against Points' official OpenAPI file, on
// SQLite and on PostgreSQL: a real HTTP client drives every route (orders, the rating channels,
// checkout, the operations, the webhooks API) through its successes and its documented refusals,
// each answer is recorded with the OpenAPI path it belongs to, and each is validated with ajv
// against the schema the file gives for that status (test/support/points-openapi.ts). An answer
// whose status the file does not document for its operation fails too. The file lies beside the
// checkout, not in it: when it is absent the suite says so and is skipped, and fails instead under
// UNWIND_REQUIRE_OPENAPI=1 (CI). The rating channels are not in the file; their answers are held
// to the earning operation's (docs/dialects/points.md "Where Points' documents disagree").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  loadPointsOpenApi,
  POINTS_OPENAPI_PATH,
  type Recorded,
} from '../../support/points-openapi.js';
import { type Merchant, pointsFaceSuite } from './points-face.js';

const validate = loadPointsOpenApi();
const required = process.env['UNWIND_REQUIRE_OPENAPI'] === '1';
const absent = `Points' OpenAPI file is absent at ${POINTS_OPENAPI_PATH}: the Points face's conformance is NOT checked`;
if (!validate) console.warn(`\n!!! ${absent}${required ? '' : ' (skipped)'}\n`);

const MISSING_UUID = '0190a3b4-0000-7000-8000-000000000000';

await pointsFaceSuite((face) => {
  const recorded: Recorded[] = [];
  let base: string | undefined;

  /** One request over HTTP; records the answer under the OpenAPI path `template`. */
  async function call(
    m: Merchant | null,
    method: Recorded['method'],
    template: string,
    actual: string,
    body?: unknown,
  ): Promise<{ status: number; body: { data?: Record<string, unknown> } }> {
    if (!base) {
      const address = await face.t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `${address}/points/api`;
    }
    const res = await fetch(`${base}${actual}`, {
      method: method.toUpperCase(),
      headers: {
        accept: 'application/json',
        ...(m ? { 'x-api-key': m.apiKey } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await res.json()) as { data?: Record<string, unknown> };
    recorded.push({ method, path: template, status: res.status, body: parsed });
    return { status: res.status, body: parsed };
  }
  const uuidOf = (r: { body: { data?: Record<string, unknown> } }) => String(r.body.data?.['uuid']);

  async function orders(m: Merchant): Promise<void> {
    const phone = face.newPhone();
    await face.seed(phone, 0);
    const earning = '/v1/orders/earning';
    const earned = await call(m, 'post', earning, earning, {
      phone_number: phone,
      total_price: 150.75,
      order_number: `OA-${phone}`,
      products: [{ product_name: 'Perfume', product_price: 150.75, quantity: 1 }],
      metadata: { channel: 'web' },
    });
    assert.equal(earned.status, 200);
    // A phone without an activated account: the PendingEarningResponse.
    const pending = await call(m, 'post', earning, earning, {
      phone_number: face.newPhone(),
      total_price: 115,
      order_number: `OP-${phone}`,
      products: [{ product_name: 'Soap', product_price: 115, quantity: 1 }],
    });
    assert.equal(pending.body.data?.['pending_client_activation'], true);
    await call(m, 'post', earning, earning, { total_price: 'x' });
    await call(null, 'post', earning, earning, {});
    for (const kind of ['store-rating', 'product-rating']) {
      const body = { phone_number: phone, review_reference: `r-${kind}`, product_id: 'sku-1' };
      await call(m, 'post', earning, `${earning}/${kind}`, body);
      await call(m, 'post', earning, `${earning}/${kind}`, { phone_number: 'x' });
    }
    const uuid = uuidOf(earned);
    const one = '/v1/orders/{orderUuid}';
    await call(m, 'get', one, `/v1/orders/${uuid}`);
    await call(m, 'get', one, `/v1/orders/${MISSING_UUID}`);
    await call(null, 'get', one, `/v1/orders/${uuid}`);
    const status = '/v1/orders/{orderUuid}/status';
    await call(m, 'post', status, `/v1/orders/${uuid}/status`, { status: 'delivered' });
    await call(m, 'post', status, `/v1/orders/${uuid}/status`, {});
    await call(m, 'post', status, `/v1/orders/${MISSING_UUID}/status`, { status: 'new' });
    const refund = '/v1/orders/{orderUuid}/refund';
    await call(m, 'post', refund, `/v1/orders/${uuid}/refund`, { amount: 25, reason: 'one item' });
    await call(m, 'post', refund, `/v1/orders/${uuid}/refund`, { amount: 0 });
    await call(m, 'post', refund, `/v1/orders/${uuid}/refund`, {});
    await call(m, 'post', refund, `/v1/orders/${uuid}/refund`, {});
    await call(m, 'post', refund, `/v1/orders/${MISSING_UUID}/refund`, {});
  }

  async function replacing(m: Merchant): Promise<void> {
    const ops = (op: string) => `/v1/orders/{orderUuid}/${op}`;
    const at = (uuid: string, op: string) => `/v1/orders/${uuid}/${op}`;
    const first = (await face.redeemOrder(m, 50, 100)).uuid;
    await call(m, 'post', ops('authorize'), at(first, 'authorize'));
    await call(m, 'post', ops('authorize'), at(first, 'authorize'));
    await call(m, 'post', ops('capture'), at(first, 'capture'));
    await call(m, 'post', ops('capture'), at(first, 'capture'));
    await call(m, 'post', ops('authorize'), at(MISSING_UUID, 'authorize'));
    await call(m, 'post', ops('capture'), at(MISSING_UUID, 'capture'));
    const second = (await face.redeemOrder(m, 40, 0)).uuid;
    await call(m, 'post', ops('complete'), at(second, 'complete'), { payment_method: '11' });
    await call(m, 'post', ops('complete'), at(second, 'complete'), { payment_method: '2' });
    await call(m, 'post', ops('complete'), at(second, 'complete'), {});
    await call(m, 'post', ops('complete'), at(MISSING_UUID, 'complete'), {});
    const third = (await face.redeemOrder(m, 30, 50)).uuid;
    await call(m, 'post', ops('cancel'), at(third, 'cancel'), { reason: 'x'.repeat(501) });
    await call(m, 'post', ops('cancel'), at(third, 'cancel'), {});
    await call(m, 'post', ops('cancel'), at(third, 'cancel'), {});
    await call(m, 'post', ops('cancel'), at(MISSING_UUID, 'cancel'), {});
    const checkout = '/v1/orders/checkout/{publicKey}';
    const begin = (key: string, body: unknown) =>
      call(null, 'post', checkout, `/v1/orders/checkout/${key}`, body);
    await begin(m.publicKey, { total_price: 10, order_number: `CK-${Date.now()}` });
    await begin(m.publicKey, { total_price: -1 });
    await begin('pts_pk_nope', { total_price: 10, order_number: 'CK-x' });
  }

  async function webhooks(m: Merchant): Promise<void> {
    const list = '/v1/webhooks';
    const one = '/v1/webhooks/{webhookUuid}';
    const made = await call(m, 'post', list, list, { name: 'orders', url: 'https://h.example/a' });
    await call(m, 'post', list, list, { name: 'again', url: 'https://h.example/a' });
    await call(m, 'post', list, list, { url: 'ftp://x' });
    await call(m, 'get', list, `${list}?per_page=1`);
    await call(null, 'get', list, list);
    const uuid = uuidOf(made);
    await call(m, 'get', one, `${list}/${uuid}`);
    await call(m, 'get', one, `${list}/${MISSING_UUID}`);
    await call(m, 'put', one, `${list}/${uuid}`, { url: 'https://h.example/b' });
    await call(m, 'patch', one, `${list}/${uuid}`, { name: 'renamed' });
    await call(m, 'patch', one, `${list}/${uuid}`, {});
    await call(m, 'put', one, `${list}/${MISSING_UUID}`, { name: 'x' });
    await call(m, 'delete', one, `${list}/${uuid}`);
    await call(m, 'delete', one, `${list}/${uuid}`);
  }

  describe("answers conform to Points' OpenAPI", () => {
    if (!validate) {
      it('validates every answer', { skip: required ? false : absent }, () => {
        assert.fail(absent);
      });
      return;
    }
    it('every route, successes and refusals', async () => {
      const m = await face.merchant({ store_rating_points: 30, product_rating_points: 10 });
      await orders(m);
      await replacing(m);
      await webhooks(m);
      const walled = await face.merchant({ ip_allow_list: [], store_rating_points: null });
      await call(walled, 'post', '/v1/orders/earning', '/v1/orders/earning', {});
      await call(walled, 'get', '/v1/webhooks', '/v1/webhooks');
      const problems = recorded.flatMap((r) =>
        validate(r).map(
          (p) =>
            `${r.method.toUpperCase()} ${r.path} ${r.status}: ${p}\n  ${JSON.stringify(r.body)}`,
        ),
      );
      assert.deepEqual(problems, [], problems.join('\n'));
      assert.ok(recorded.length >= 50, `only ${recorded.length} answers recorded`);
    });
  });
});
