// Proves Idempotency-Key on admin writes over HTTP on SQLite and on PostgreSQL: the same key and
// body replays the stored answer (refusals included) and writes once, even when requests race;
// the same key for another request is 422 idempotency.key_reused and changes nothing; a request
// failing validation does not consume its key; the key's length is bounded.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { appPerSuite } from '../../support/app.js';
import {
  adminApiSuite,
  createMerchant,
  createOrder,
  expectError,
  expectIssue,
  getOrder,
  operate,
  type OrderJson,
  type Page,
} from './admin-face.js';

await adminApiSuite((factory) => {
  describe('Idempotency-Key on admin writes', () => {
    const app = appPerSuite(factory);
    let merchantId = '';
    before(async () => {
      merchantId = (await createMerchant(app(), { name: 'Idempotent Shop' })).id;
    });

    const refundWithKey = (orderId: string, key: string, body: Record<string, unknown>) =>
      operate(app(), orderId, 'refund', body, { 'idempotency-key': key });

    it('the same key and body replays the stored response and refunds once', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      const first = await refundWithKey(o.id, 'refund-once', { amount_minor: 300 });
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.headers['idempotency-replayed'], undefined);

      const again = await refundWithKey(o.id, 'refund-once', { amount_minor: 300 });
      assert.equal(again.statusCode, first.statusCode);
      assert.equal(again.headers['idempotency-replayed'], 'true');
      assert.deepEqual(again.json(), first.json());
      assert.equal(again.body, first.body);

      const got = await getOrder(t, o.id);
      assert.equal(got.refunded_minor, 300);
      assert.equal(got.transactions?.filter((r) => r.type === 'refund').length, 1);
      const rows = await t.testStore.rawRows('claims');
      const row = rows.find((r) => r['claim_key'] === 'refund-once');
      assert.equal(row?.['scope'], 'admin');
      assert.equal(row?.['state'], 'completed');
      assert.equal(Number(row?.['result_status']), 200);
    });

    it('the same key with a different body is 422 idempotency.key_reused and changes nothing', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      await refundWithKey(o.id, 'reused', { amount_minor: 100 });
      const before = await getOrder(t, o.id);
      expectError(
        await refundWithKey(o.id, 'reused', { amount_minor: 101 }),
        422,
        'idempotency.key_reused',
      );
      expectError(
        await refundWithKey(o.id, 'reused', { amount_minor: 100, reason: 'x' }),
        422,
        'idempotency.key_reused',
      );
      assert.deepEqual(await getOrder(t, o.id), before);
    });

    it('the same key on another order or path is 422 idempotency.key_reused', async () => {
      const t = app();
      const a = await createOrder(t, merchantId, 1000);
      const b = await createOrder(t, merchantId, 1000, 'authorize');
      await refundWithKey(a.id, 'per-request', { amount_minor: 100 });
      expectError(
        await refundWithKey(b.id, 'per-request', { amount_minor: 100 }),
        422,
        'idempotency.key_reused',
      );
      expectError(
        await operate(
          t,
          b.id,
          'capture',
          { amount_minor: 100 },
          { 'idempotency-key': 'per-request' },
        ),
        422,
        'idempotency.key_reused',
      );
      assert.equal((await getOrder(t, b.id)).captured_minor, 0);
    });

    it('different keys with the same body are two refunds', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      assert.equal((await refundWithKey(o.id, 'k-a', { amount_minor: 100 })).statusCode, 200);
      assert.equal((await refundWithKey(o.id, 'k-b', { amount_minor: 100 })).statusCode, 200);
      assert.equal((await getOrder(t, o.id)).refunded_minor, 200);
    });

    it('a refused request is stored and replayed too', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      const first = await refundWithKey(o.id, 'too-much', { amount_minor: 5000 });
      const error = expectError(first, 409, 'refund.exceeds_refundable');
      assert.deepEqual(error.details, { refundableMinor: 1000 });
      const again = await refundWithKey(o.id, 'too-much', { amount_minor: 5000 });
      assert.equal(again.statusCode, 409);
      assert.equal(again.headers['idempotency-replayed'], 'true');
      assert.equal(again.body, first.body);
    });

    it('a request failing validation does not consume its key', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      expectIssue(await refundWithKey(o.id, 'after-422', { amount_minor: -1 }), 'amount_minor');
      const res = await refundWithKey(o.id, 'after-422', { amount_minor: 10 });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['idempotency-replayed'], undefined);
    });

    it('a key of 256 characters is 422 at Idempotency-Key; 255 is accepted', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      expectIssue(
        await refundWithKey(o.id, 'k'.repeat(256), { amount_minor: 10 }),
        'Idempotency-Key',
      );
      expectIssue(await refundWithKey(o.id, '', { amount_minor: 10 }), 'Idempotency-Key');
      assert.equal((await getOrder(t, o.id)).refunded_minor, 0);
      const ok = await refundWithKey(o.id, 'k'.repeat(255), { amount_minor: 10 });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('concurrent requests with one key refund once; the others replay or are in progress', async () => {
      const t = app();
      const o = await createOrder(t, merchantId, 1000);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => refundWithKey(o.id, 'racing', { amount_minor: 100 })),
      );
      const fresh = results.filter(
        (r) => r.statusCode === 200 && r.headers['idempotency-replayed'] === undefined,
      );
      assert.equal(fresh.length, 1);
      for (const r of results) {
        if (r.statusCode === 200) assert.equal(r.body, fresh[0]?.body);
        else expectError(r, 409, 'idempotency.in_progress');
      }
      const got = await getOrder(t, o.id);
      assert.equal(got.refunded_minor, 100);
      assert.equal(got.transactions?.filter((r) => r.type === 'refund').length, 1);
    });

    it('POST /admin/orders with a key creates one order', async () => {
      const t = app();
      const m = await createMerchant(t, { name: 'Keyed Orders' });
      const create = () =>
        t.admin({
          method: 'POST',
          url: '/admin/orders',
          headers: { 'idempotency-key': 'create-1' },
          payload: { merchant_id: m.id, amount_minor: 900 },
        });
      const first = await create();
      assert.equal(first.statusCode, 201, first.body);
      const again = await create();
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotency-replayed'], 'true');
      assert.equal((again.json() as OrderJson).id, (first.json() as OrderJson).id);
      const list = await t.admin({ method: 'GET', url: `/admin/orders?merchant_id=${m.id}` });
      assert.equal((list.json() as Page<OrderJson>).data.length, 1);
    });
  });
});
