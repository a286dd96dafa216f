// Proves operator accounts over HTTP on both stores: invites (shown once, accepted once, expiring
// on the service's clock), roles and the one permission per route (403 auth.role_forbidden in
// the admin shape, nothing written), a support operator's limit, API tokens with scopes that
// stop at once when revoked, disabling one operator signs out that operator only, and every
// change is an admin action naming who did it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPerSuite } from '../support/app.js';
import {
  asSession,
  createOperator,
  errorCodeOf,
  OPERATOR_PASSWORD,
  signedIn,
  signIn,
  withToken,
} from '../support/operators.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

const HOUR = 3_600_000;

function operatorSuite(factory: StoreFactory, skip?: string) {
  describe(`operators over HTTP: ${factory.engine}`, { skip }, () => {
    const app = appPerSuite(factory);
    let merchantId: string;

    const newOrder = async (amountMinor: number) => {
      const t = app();
      merchantId ??= (
        await t.call<{ id: string }>(
          { method: 'POST', url: '/admin/merchants', payload: { name: 'Ops' } },
          201,
        )
      ).id;
      return t.call<{ id: string }>(
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchantId, amount_minor: amountMinor },
        },
        201,
      );
    };

    it('an invite is shown once, accepted once, and expires on the clock', async () => {
      const t = app();
      const invited = await t.call<{ invite_token: string; invite_pending: boolean }>(
        { method: 'POST', url: '/admin/operators', payload: { name: 'late', role: 'viewer' } },
        201,
      );
      assert.equal(invited.invite_pending, true);
      const list = await t.call<{ data: Record<string, unknown>[] }>(
        { method: 'GET', url: '/admin/operators' },
        200,
      );
      assert.ok(!JSON.stringify(list).includes(invited.invite_token), 'never listed');
      t.clock.advance(72 * HOUR);
      const expired = await t.app.inject({
        method: 'POST',
        url: '/admin/invites/accept',
        payload: { token: invited.invite_token, password: OPERATOR_PASSWORD },
      });
      assert.equal(expired.statusCode, 410);
      assert.equal(errorCodeOf(expired), 'operator.invite_invalid');

      const again = await t.call<{ invite_token: string }>(
        { method: 'POST', url: '/admin/operators', payload: { name: 'prompt', role: 'viewer' } },
        201,
      );
      t.clock.advance(72 * HOUR - 1);
      const accept = () =>
        t.app.inject({
          method: 'POST',
          url: '/admin/invites/accept',
          payload: { token: again.invite_token, password: OPERATOR_PASSWORD },
        });
      assert.equal((await accept()).statusCode, 200, 'one millisecond before expiry');
      assert.equal((await accept()).statusCode, 410, 'an invite works once');
      const short = await t.app.inject({
        method: 'POST',
        url: '/admin/invites/accept',
        payload: { token: again.invite_token, password: 'short' },
      });
      assert.equal(short.statusCode, 422, 'a password under 12 characters');
      const taken = await t.app.inject({
        method: 'POST',
        url: '/admin/operators',
        headers: { authorization: 'Bearer unwind_admin_test_token_0123456789' },
        payload: { name: 'prompt', role: 'admin' },
      });
      assert.equal(errorCodeOf(taken), 'operator.name_taken');
    });

    it('a viewer reads; a support operator refunds within its limit; neither does admin work', async () => {
      const t = app();
      await createOperator(t, 'vera', 'viewer');
      await createOperator(t, 'sam', 'support', 5_000);
      const vera = await signedIn(t, 'vera');
      const sam = await signedIn(t, 'sam');
      assert.deepEqual(
        [sam.operator.name, sam.operator.role],
        ['sam', 'support'],
        'the session says who signed in',
      );
      const order = await newOrder(10_000);

      const viewerRefund = await asSession(t, vera, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 100 },
      });
      assert.equal(viewerRefund.statusCode, 403);
      assert.equal(errorCodeOf(viewerRefund), 'auth.role_forbidden');
      assert.equal(
        (await asSession(t, vera, { method: 'GET', url: `/admin/orders/${order.id}` })).statusCode,
        200,
      );

      for (const [method, url, payload] of [
        ['POST', '/admin/merchants', { name: 'Not yours' }],
        ['POST', '/admin/operators', { name: 'mallory', role: 'admin' }],
        ['GET', '/admin/operators', undefined],
        ['POST', `/admin/merchants/${merchantId}/webhooks`, { url: 'https://example.com/h' }],
        ['POST', `/admin/merchants/${merchantId}/credentials`, { dialect: 'points' }],
      ] as const) {
        const r = await asSession(t, sam, { method, url, ...(payload ? { payload } : {}) });
        assert.equal(r.statusCode, 403, `${method} ${url}`);
        const body = r.json() as { error: { code: string; request_id: string; details: unknown } };
        assert.equal(body.error.code, 'auth.role_forbidden');
        assert.deepEqual(body.error.details, {
          permission: 'admin',
          role: 'support',
          scopes: null,
        });
        assert.ok(body.error.request_id);
      }
      const operators = await t.call<{ data: { name: string }[] }>(
        { method: 'GET', url: '/admin/operators' },
        200,
      );
      assert.ok(!operators.data.some((o) => o.name === 'mallory'), 'nothing written');

      const over = await asSession(t, sam, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 5_001, reason: 'too much' },
      });
      assert.equal(over.statusCode, 403);
      assert.equal(errorCodeOf(over), 'operator.limit_exceeded');
      const atLimit = await asSession(t, sam, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 5_000, reason: 'at the limit' },
      });
      assert.equal(atLimit.statusCode, 200, atLimit.body);
      const refundRow = (
        atLimit.json() as { transactions: { type: string; actor: string }[] }
      ).transactions.find((x) => x.type === 'refund');
      assert.equal(refundRow?.actor, 'operator:sam', 'the ledger row names the operator');

      const history = await t.call<{ entries: { kind: string; event?: { actor: string } }[] }>(
        { method: 'GET', url: `/admin/orders/${order.id}/history` },
        200,
      );
      assert.ok(
        history.entries.some((e) => e.event?.actor === 'operator:sam'),
        'in the timeline',
      );
    });

    it('disabling one operator signs out that operator only; its tokens stop too', async () => {
      const t = app();
      const annId = await createOperator(t, 'ann', 'support', 100);
      await createOperator(t, 'bob', 'support', 100);
      const ann = await signedIn(t, 'ann');
      const ann2 = await signedIn(t, 'ann');
      const bob = await signedIn(t, 'bob');
      const token = await t.call<{ token: string }>(
        {
          method: 'POST',
          url: '/admin/tokens',
          payload: { name: 'ann-cli', operator_id: annId, scopes: ['read'] },
        },
        201,
      );
      const me = (s: typeof ann) => asSession(t, s, { method: 'GET', url: '/admin/session' });

      const out = await asSession(t, ann, { method: 'DELETE', url: '/admin/session' });
      assert.equal(out.statusCode, 204);
      assert.equal((await me(ann)).statusCode, 401, 'signed out');
      assert.equal((await me(ann2)).statusCode, 200, 'her other session is untouched');
      assert.equal((await me(bob)).statusCode, 200, 'another operator is untouched');

      await t.call(
        { method: 'PATCH', url: `/admin/operators/${annId}`, payload: { disabled: true } },
        200,
      );
      assert.equal((await me(ann2)).statusCode, 401, 'disabled: every session ends');
      assert.equal((await me(bob)).statusCode, 200);
      const byToken = await withToken(t, token.token, { method: 'GET', url: '/admin/orders' });
      assert.equal(byToken.statusCode, 401, 'her token stops with her');
      assert.equal((await signIn(t, 'ann')).statusCode, 401, 'and she cannot sign in');
      await t.call(
        { method: 'PATCH', url: `/admin/operators/${annId}`, payload: { disabled: false } },
        200,
      );
      assert.equal((await signIn(t, 'ann')).statusCode, 201);
      assert.equal((await signIn(t, 'ann', { password: 'wrong password!' })).statusCode, 401);
      assert.equal((await signIn(t, 'nobody')).statusCode, 401);
    });

    it('API tokens: scopes narrow the role, shown once, hashed, revoked one by one at once', async () => {
      const t = app();
      const order = await newOrder(1_000);
      const readOnly = await t.call<{ id: string; token: string; prefix: string }>(
        {
          method: 'POST',
          url: '/admin/tokens',
          payload: { name: 'reporting', role: 'admin', scopes: ['read'] },
        },
        201,
      );
      const refunder = await t.call<{ id: string; token: string }>(
        {
          method: 'POST',
          url: '/admin/tokens',
          payload: {
            name: 'refunds-bot',
            role: 'support',
            scopes: ['read', 'orders'],
            limit_minor: 500,
          },
        },
        201,
      );
      const beyond = await t.app.inject({
        method: 'POST',
        url: '/admin/tokens',
        headers: { authorization: 'Bearer unwind_admin_test_token_0123456789' },
        payload: { name: 'greedy', role: 'viewer', scopes: ['admin'] },
      });
      assert.equal(beyond.statusCode, 422, 'scopes beyond the role');

      const list = await t.call<{ data: { prefix: string }[] }>(
        { method: 'GET', url: '/admin/tokens' },
        200,
      );
      assert.ok(!JSON.stringify(list).includes(readOnly.token), 'the secret is not listed');
      assert.ok(list.data.some((x) => x.prefix === readOnly.prefix));

      const get = (token: string) =>
        withToken(t, token, { method: 'GET', url: `/admin/orders/${order.id}` });
      assert.equal((await get(readOnly.token)).statusCode, 200);
      const denied = await withToken(t, readOnly.token, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 1 },
      });
      assert.equal(denied.statusCode, 403);
      assert.deepEqual((denied.json() as { error: { details: unknown } }).error.details, {
        permission: 'orders',
        role: 'admin',
        scopes: ['read'],
      });
      const refunded = await withToken(t, refunder.token, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 500 },
      });
      assert.equal(refunded.statusCode, 200, refunded.body);
      const refundActor = (
        refunded.json() as { transactions: { actor: string }[] }
      ).transactions.at(-1)?.actor;
      assert.equal(refundActor, 'service:refunds-bot');

      await t.call({ method: 'DELETE', url: `/admin/tokens/${readOnly.id}` }, 200);
      assert.equal((await get(readOnly.token)).statusCode, 401, 'revoked: refused at once');
      assert.equal((await get(refunder.token)).statusCode, 200, 'the other token still works');

      const actions = await t.call<{ data: { action: string; actor: string }[] }>(
        { method: 'GET', url: '/admin/actions?order=desc&limit=50' },
        200,
      );
      const names = actions.data.map((a) => `${a.action} ${a.actor}`);
      for (const expected of [
        'token.created admin',
        'token.revoked admin',
        'merchant.created admin',
      ]) {
        assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
      }
    });
  });
}

await onEveryStore(operatorSuite);
