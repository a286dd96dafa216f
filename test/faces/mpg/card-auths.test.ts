// Proves MPG's 3-D Secure card authentications over HTTP on SQLite and on PostgreSQL: create
// (G2's object and key order), authenticate by test card (frictionless approval, a challenge, a
// failure), show; an authenticated one backs one purchase or authorization through
// `source.card_auth_id` (the order carries its values), and is refused when used twice, not
// authenticated, made for another card or amount, or another merchant's; ids are idempotent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBody, mpgFaceSuite, uuid4 } from './mpg-face.js';

const CARD_AUTH_KEYS = [
  'id',
  'merchant',
  'status',
  'amount',
  'currency',
  'return_url',
  'message',
  'failure_reason',
  'challenge_preference',
  'is_frictionless',
  'challenge',
  'auth',
  'created_at',
  'updated_at',
];

await mpgFaceSuite((face) => {
  const { call, ok } = face;
  const create = (number: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/3ds', {
      card_auth_id: uuid4(),
      amount: 10000,
      currency: 'SAR',
      number,
      month: 12,
      year: 2030,
      ...extra,
    });
  const created = async (number: string, extra: Record<string, unknown> = {}) => {
    const r = await create(number, extra);
    assert.equal(r.statusCode, 201, r.body);
    return r.json();
  };
  const authenticate = (id: string, body: Record<string, unknown> = {}) =>
    call('POST', `/v1/3ds/${id}/authenticate`, body);
  const purchaseWith = (cardAuthId: string, number: string, extra: Record<string, unknown> = {}) =>
    call(
      'POST',
      '/v1/orders/purchase',
      createBody({
        amount: 10000,
        source: {
          type: 'card',
          number,
          month: 12,
          year: 2030,
          cvc: '123',
          card_auth_id: cardAuthId,
        },
        ...extra,
      }),
    );

  describe('card authentications', () => {
    it('two orders racing for one authentication: exactly one uses it', async () => {
      const a = await created('4111111111111111');
      await ok(await authenticate(a.id));
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => purchaseWith(a.id, '4111111111111111')),
      );
      const codes = answers.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [200, 422, 422, 422], answers.map((r) => r.body).join('\n'));
      const used = await ok(await call('GET', `/v1/3ds/${a.id}`));
      assert.equal(used.status, 'authenticated');
    });

    it('creates an available authentication in the show page shape', async () => {
      const a = await created('4111111111111111', { return_url: 'https://shop.example/3ds' });
      assert.deepEqual(Object.keys(a), CARD_AUTH_KEYS);
      assert.deepEqual(
        [a.status, a.amount, a.currency, a.return_url, a.challenge_preference, a.auth],
        ['available', 10000, 'SAR', 'https://shop.example/3ds', 'no_preference', null],
      );
      assert.equal(a.merchant.rule_precedence, 'mixed');
      const shown = await ok(await call('GET', `/v1/3ds/${a.id}`));
      assert.deepEqual(shown, a);
      assert.ok(!JSON.stringify(shown).includes('4111111111111111'));
    });

    it('a frictionless card is authenticated and backs one purchase', async () => {
      const a = await created('4111111111111111');
      const done = await ok(await authenticate(a.id));
      assert.deepEqual(
        [done.status, done.is_frictionless, done.challenge],
        ['authenticated', true, null],
      );
      assert.deepEqual([done.auth.status, done.auth.eci, done.auth.version], ['Y', '05', '2.2.0']);
      assert.match(done.auth.value, /^[A-Za-z0-9+/]{27}=$/);
      const orderId = uuid4();
      const order = await ok(await purchaseWith(a.id, '4111111111111111', { order_id: orderId }));
      assert.equal(order.captured_amount, 10000);
      // A retry of the same order is a replay, not a second use.
      const again = await ok(await purchaseWith(a.id, '4111111111111111', { order_id: orderId }));
      assert.equal(again.id, order.id);
      const twice = await purchaseWith(a.id, '4111111111111111');
      assert.deepEqual(twice.json().errors, {
        'source.card_auth_id': ['The card authentication has already been used.'],
      });
      const back = await authenticate(a.id);
      assert.equal(back.statusCode, 422);
    });

    it('a challenge card stays in progress with a challenge, and cannot back an order', async () => {
      const a = await created('4000000000003220');
      const challenged = await ok(await authenticate(a.id));
      assert.deepEqual(
        [challenged.status, challenged.is_frictionless, challenged.auth],
        ['in_progress', false, null],
      );
      assert.match(challenged.challenge.url, new RegExp(`/mpg/v1/3ds/${a.id}/challenge$`));
      assert.ok(challenged.challenge.creq.length > 0);
      const refused = await purchaseWith(a.id, '4000000000003220');
      assert.deepEqual(refused.json().errors, {
        'source.card_auth_id': ['The card authentication is not authenticated.'],
      });
      // The cardholder passes the challenge (Unwind's stand-in for the ACS): then it backs an order.
      const passed = await ok(
        await call('POST', `/v1/3ds/${a.id}/challenge`, { result: 'authenticated' }),
      );
      assert.deepEqual(
        [passed.status, passed.is_frictionless, passed.auth.status],
        ['authenticated', false, 'Y'],
      );
      await ok(await purchaseWith(a.id, '4000000000003220'));
      const again = await call('POST', `/v1/3ds/${a.id}/challenge`, { result: 'failed' });
      assert.deepEqual(again.json().errors, {
        id: ['The card authentication has no challenge in progress.'],
      });
      const other = await created('5200000000001096');
      await ok(await authenticate(other.id));
      const denied = await ok(
        await call('POST', `/v1/3ds/${other.id}/challenge`, { result: 'failed' }),
      );
      assert.deepEqual([denied.status, denied.failure_reason], ['failed', 'denied']);
      // A mandated challenge on a frictionless card challenges too.
      const mandated = await created('4111111111111111', { challenge_preference: 'mandated' });
      assert.equal((await ok(await authenticate(mandated.id))).status, 'in_progress');
    });

    it('a failure card fails with its reason', async () => {
      const a = await created('4000008400001629');
      const failed = await ok(await authenticate(a.id));
      assert.deepEqual(
        [failed.status, failed.failure_reason, failed.auth, failed.is_frictionless],
        ['failed', 'denied', null, false],
      );
      assert.equal((await ok(await call('GET', `/v1/3ds/${a.id}`))).status, 'failed');
    });

    it('refuses an authentication made for another card, amount or currency', async () => {
      const a = await created('4111111111111111');
      await ok(await authenticate(a.id));
      for (const [number, extra] of [
        ['4242424242424242', {}],
        ['4111111111111111', { amount: 10001 }],
      ] as const) {
        const r = await purchaseWith(a.id, number, extra);
        assert.deepEqual(r.json().errors, {
          'source.card_auth_id': [
            'The card authentication was made for another card, amount or currency.',
          ],
        });
      }
      const unknown = await purchaseWith(uuid4(), '4111111111111111');
      assert.deepEqual(unknown.json().errors, {
        'source.card_auth_id': ['The card authentication was not found.'],
      });
      // authorize takes it too.
      const authorized = await ok(
        await call(
          'POST',
          '/v1/orders/authorize',
          createBody({
            amount: 10000,
            source: {
              type: 'card',
              number: '4111111111111111',
              month: 12,
              year: 2030,
              security_code: '123',
              card_auth_id: a.id,
            },
          }),
        ),
      );
      assert.equal(authorized.captured_amount, 0);
      const verify = await call(
        'POST',
        '/v1/orders/verify',
        createBody({
          amount: 0,
          source: {
            type: 'card',
            number: '4111111111111111',
            month: 12,
            year: 2030,
            cvc: '123',
            card_auth_id: a.id,
          },
        }),
      );
      assert.equal(verify.statusCode, 422);
    });

    it('ids are idempotent per request; other merchants see nothing; input is validated', async () => {
      const id = uuid4();
      const body = {
        card_auth_id: id,
        amount: 500,
        currency: 'SAR',
        number: '4111111111111111',
        month: 12,
        year: 2030,
      };
      const first = await call('POST', '/v1/3ds', body);
      assert.equal(first.statusCode, 201);
      const again = await call('POST', '/v1/3ds', body);
      assert.deepEqual(again.json(), first.json());
      const other = await call('POST', '/v1/3ds', { ...body, amount: 501 });
      assert.deepEqual(other.json().errors, {
        card_auth_id: ['The value has already been taken.'],
      });
      const merchant = await face.t.admin({
        method: 'POST',
        url: '/admin/merchants',
        payload: { name: 'Other', currency: 'SAR' },
      });
      const otherKey = merchant.json().credentials.mpg.api_key as string;
      assert.equal((await call('GET', `/v1/3ds/${id}`, undefined, {}, otherKey)).statusCode, 404);
      assert.equal(
        (await call('POST', `/v1/3ds/${id}/authenticate`, {}, {}, otherKey)).statusCode,
        404,
      );
      assert.equal((await call('GET', '/v1/3ds/not-a-uuid')).statusCode, 404);
      const bad = await call('POST', '/v1/3ds', {
        ...body,
        card_auth_id: uuid4(),
        amount: 0,
        number: '4111111111111112',
        currency: 'USD',
      });
      assert.deepEqual(Object.keys(bad.json().errors).sort(), ['amount', 'number']);
      const currency = await call('POST', '/v1/3ds', {
        ...body,
        card_auth_id: uuid4(),
        currency: 'USD',
      });
      assert.deepEqual(currency.json().errors, { currency: ['The value must be one of: SAR.'] });
      assert.equal((await call('GET', `/v1/3ds/${id}`, undefined, {}, null)).statusCode, 401);
    });
  });
});
