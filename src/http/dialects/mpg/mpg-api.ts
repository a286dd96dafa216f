/**
 * The MPG face's acceptance suite, run unchanged against SQLite and PostgreSQL: it drives the real
 * server in process (`app.inject`) and proves the seed's golden shapes and messages, the ledger
 * rules step by step and under concurrency, body-id idempotency, declines, listing and security.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { LIMITS } from '../../../app/limits.js';
import { hashSecret } from '../../../app/secrets.js';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import type { StoreFactory } from '../../../../test/support/stores.js';

const SEED_ORDER_KEYS = [
  'id',
  'merchant',
  'currency',
  'amount',
  'captured_amount',
  'refunded_amount',
  'voided_amount',
  'description',
  'created_at',
  'updated_at',
  'source',
  'reauthorized_order_id',
  'airline',
  'sub_merchant',
  'agreement',
  'transactions',
];
const SEED_TRANSACTION_KEYS = [
  'id',
  'status',
  'type',
  'source_type',
  'reverse_reason',
  'justification',
  'reversed_transaction_id',
  'message',
  'response_code',
  'retrieval_reference',
  'stan',
  'auth_code',
  'amount',
  'refunded_amount',
  'created_at',
];

const uuid4 = () => crypto.randomUUID();

export function defineMpgApiSuite(factory: StoreFactory, skip?: string): void {
  describe(`MPG face: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let key: string;
    let merchantId: string;

    before(async () => {
      t = await startTestApp(factory);
      const r = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { name: 'Merchant 52', currency: 'SAR' },
      });
      assert.equal(r.statusCode, 201);
      key = r.json().credentials.mpg.api_key;
      merchantId = r.json().id;
    });
    after(async () => t?.close());

    const call = (
      method: 'GET' | 'POST',
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
      apiKey: string | null = key,
    ): Promise<LightMyRequestResponse> =>
      t.app.inject({
        method,
        url: `/mpg${url}`,
        ...(payload === undefined ? {} : { payload: payload as object }),
        headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
      });

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are free-form JSON
    const createBody = (overrides: Record<string, unknown> = {}): Record<string, any> => ({
      amount: 262346,
      currency: 'SAR',
      description: 'Voluptatum at consequatur ullam.',
      transaction_type: 'merchant',
      source: {
        type: 'card',
        number: '5555555555554444',
        month: 12,
        year: 2030,
        security_code: '123',
      },
      device: { user_agent: 'Mozilla/5.0', ip_address: '192.0.2.10' },
      airline: { reference: '576449881' },
      sub_merchant: {
        id: 'ecb0e32fd3d95b41cbf2ca9a9513a3',
        registered_name: 'Rolfson-Legros',
        trading_name: 'Hane-Jerde',
        email: 'herschel@kilback-hamill.test',
      },
      ...overrides,
    });

    async function ok(r: LightMyRequestResponse) {
      assert.equal(r.statusCode, 200, r.body);
      return r.json();
    }

    const authorize = async (amount: number) =>
      ok(await call('POST', '/v1/orders/authorize', createBody({ amount })));

    const rows = async (orderId: string) =>
      (await t.testStore.rawRows('transactions')).filter((r) => r['order_id'] === orderId);

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
      assert.equal(body.merchant.id, merchantId);
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
      await t.deps.store.transaction((tx) =>
        tx.claimMpgRequestId({
          merchantId,
          kind: 'transaction_id',
          requestId: transactionId,
          fingerprint: 'other-process',
          state: 'in_progress',
          leaseToken: 'lease',
          leaseExpiresAt: t.clock.now() + LIMITS.mpgRequestLeaseMs,
          orderId: null,
          createdAt: t.clock.now(),
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
      await t.testStore.rawExec(
        `UPDATE mpg_request_ids SET state = 'in_progress', lease_token = 'held',
           lease_expires_at = ${t.clock.now() + LIMITS.mpgRequestLeaseMs}, order_id = NULL
         WHERE request_id = '${sameId}'`,
      );
      const duplicate = await call('POST', `/v1/orders/${order.id}/capture`, body);
      assert.equal(duplicate.statusCode, 400);
      assert.deepEqual(duplicate.json(), { message: 'Initial request is still processing.' });
      // Once the holder's lease has expired, a retry takes the id over and replays.
      t.clock.advance(LIMITS.mpgRequestLeaseMs);
      const retried = await ok(await call('POST', `/v1/orders/${order.id}/capture`, body));
      assert.equal(retried.captured_amount, 500);
      assert.equal((await rows(order.id)).length, 2);
    });

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
      const orders = (await t.testStore.rawRows('orders')).filter((o) => o['id'] === body.order_id);
      assert.equal(orders.length, 1);
      assert.equal((await rows(body.order_id)).length, 1);
    });

    it('twenty concurrent refunds with distinct ids never exceed the captured amount', async () => {
      const order = await ok(
        await call('POST', '/v1/orders/purchase', createBody({ amount: 1000 })),
      );
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
      const events = await t.admin({ method: 'GET', url: `/admin/events?order_id=${declined.id}` });
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
      const delta = await call('POST', `/v1/orders/${order.id}/extend`, { amount: 5 });
      assert.deepEqual(delta.json().errors, {
        amount: ['The value must be less than or equal to 0.'],
      });
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
      const nothingWritten = (await t.testStore.rawRows('orders')).filter(
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
      const json = await t.app.inject({
        method: 'POST',
        url: '/mpg/v1/orders/purchase',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: '{"amount":',
      });
      assert.equal(json.statusCode, 400);
      assert.deepEqual(Object.keys(json.json()), ['message']);
      const huge = await t.app.inject({
        method: 'POST',
        url: '/mpg/v1/orders/purchase',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ description: 'x'.repeat(LIMITS.bodyBytesMax) }),
      });
      assert.equal(huge.statusCode, 413);
      assert.deepEqual(Object.keys(huge.json()), ['message']);
    });

    it("treats another merchant's order and transactions exactly like missing ones", async () => {
      const order = await authorize(2000);
      const other = await t.admin({
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
      await t.deps.store.transaction((tx) =>
        tx.insertCredential({
          id: uuid4(),
          merchantId,
          dialect: 'mpg',
          kind: 'api_key',
          prefix: secret.slice(0, 19),
          secretHash: hashSecret(secret),
          permissions: ['orders_read'],
          createdAt: t.clock.now(),
          revokedAt: null,
        }),
      );
      const order = await authorize(1000);
      assert.equal(
        (await call('GET', `/v1/orders/${order.id}`, undefined, {}, secret)).statusCode,
        200,
      );
      const refund = await call(
        'POST',
        `/v1/orders/${order.id}/capture`,
        { amount: 1 },
        {},
        secret,
      );
      assert.deepEqual([refund.statusCode, refund.json()], [403, { message: 'Unauthorized' }]);
      const create = await call('POST', '/v1/orders/purchase', createBody(), {}, secret);
      assert.equal(create.statusCode, 403);
    });

    it('lists orders with filters, sorting and countless cursor pages', async () => {
      const fresh = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { name: 'Lister' },
      });
      const k = fresh.json().credentials.mpg.api_key;
      const amounts = [500, 300, 900, 100, 700];
      for (const amount of amounts) {
        await ok(await call('POST', '/v1/orders/purchase', createBody({ amount }), {}, k));
        t.clock.advance(1000);
      }
      await ok(
        await call(
          'POST',
          '/v1/orders/purchase',
          createBody({
            amount: 800,
            source: { ...createBody().source, number: '4111111111111111' },
          }),
          {},
          k,
        ),
      );
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/v1/orders?items=2&sort[field]=amount&sort[dir]=asc${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await ok(await call('GET', q, undefined, {}, k));
        assert.ok(page.orders.length <= 2);
        seen.push(...page.orders.map((o: { amount: number }) => o.amount));
        cursor = page.meta.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, [100, 300, 500, 700, 800, 900]);
      // A forged cursor whose value does not fit the sort column is a 422 at `cursor`, not a
      // query the database refuses (PostgreSQL cannot compare text or 1.5 with an int8).
      const someId = '01900000-0000-7000-8000-000000000000';
      for (const [value, field] of [
        ['x', 'amount'],
        [1.5, 'amount'],
        [1e300, 'created_at'],
        [500, 'currency'],
      ] as const) {
        const forged = Buffer.from(JSON.stringify([value, someId])).toString('base64url');
        const refused = await call(
          'GET',
          `/v1/orders?sort[field]=${field}&cursor=${forged}`,
          undefined,
          {},
          k,
        );
        assert.equal(refused.statusCode, 422, `${value} for ${field}: ${refused.body}`);
        assert.deepEqual(Object.keys(refused.json().errors), ['cursor']);
      }
      const newest = await ok(await call('GET', '/v1/orders?items=1', undefined, {}, k));
      assert.equal(newest.orders[0].amount, 800);
      const visa = await ok(await call('GET', '/v1/orders?scheme=visa', undefined, {}, k));
      assert.deepEqual(
        visa.orders.map((o: { amount: number }) => o.amount),
        [800],
      );
      const range = await ok(
        await call(
          'GET',
          '/v1/orders?amount[gte]=300&amount[lte]=700&sort[dir]=asc&sort[field]=amount',
          undefined,
          {},
          k,
        ),
      );
      assert.deepEqual(
        range.orders.map((o: { amount: number }) => o.amount),
        [300, 500, 700],
      );
      const rrn = visa.orders[0].transactions[0].retrieval_reference;
      const byRrn = await ok(
        await call('GET', `/v1/orders?retrieval_reference=${rrn}`, undefined, {}, k),
      );
      assert.deepEqual(
        byRrn.orders.map((o: { id: string }) => o.id),
        [visa.orders[0].id],
      );
      const bad = await call('GET', '/v1/orders?items=101', undefined, {}, k);
      assert.deepEqual(bad.json().errors, {
        items: ['The value must be less than or equal to 100.'],
      });
      // Decimal digits only: "0x10", "1e3" and an empty value are not integers (Number() would
      // read them as 16, 1000 and 0), and amounts stay within MPG's bound.
      for (const [query, field] of [
        ['items=0x10', 'items'],
        ['amount[gte]=1e3', 'amount[gte]'],
        ['amount[gte]=', 'amount[gte]'],
        ['amount[lte]=100000001', 'amount[lte]'],
      ] as const) {
        const refused = await call('GET', `/v1/orders?${query}`, undefined, {}, k);
        assert.equal(refused.statusCode, 422, query);
        assert.deepEqual(Object.keys(refused.json().errors), [field], query);
      }
      const top = await call('GET', '/v1/orders?amount[lte]=100000000', undefined, {}, k);
      assert.equal(top.statusCode, 200);
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
        'mpg_request_ids',
        'idempotency_keys',
        'deliveries',
      ]) {
        const raw = JSON.stringify(await t.testStore.rawRows(table));
        assert.ok(!raw.includes(number), `card number found in ${table}`);
        assert.ok(!raw.includes(hashSecret(number)), `card number hash found in ${table}`);
      }
      assert.equal(order.source.first_digits, '42424242');
      const ids = async () =>
        (await t.testStore.rawRows('mpg_request_ids')).filter((r) => r['order_id'] === order.id);
      assert.equal((await ids()).length, 1);
      t.clock.advance(LIMITS.mpgIdRetentionDaysDefault * 86_400_000 - 1000);
      await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal((await ids()).length, 1);
      t.clock.advance(1000);
      const run = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.ok(run.json().jobs['mpg-request-id-reaper'] >= 1, run.body);
      assert.equal((await ids()).length, 0);
    });
  });
}
