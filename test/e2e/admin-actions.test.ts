// Proves, over HTTP on SQLite and PostgreSQL, that the operators' actions outside the ledger are
// recorded with the admin as the actor and the reason given: replaying one delivery, replaying an
// endpoint since a time, and disabling, enabling, rotating or changing an endpoint. Each writes
// exactly one admin action with the action itself (an Idempotency-Key replay writes none, a
// refused request none); GET /admin/actions lists them with filters and a cursor in either
// direction; an order's history shows the replays of its deliveries; GET /admin/deliveries pages
// in either direction too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { LIMITS } from '../../src/app/limits.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

interface ActionJson {
  id: string;
  action: string;
  actor: string;
  reason: string | null;
  merchant_id: string;
  order_id: string | null;
  subject_id: string;
  details: Record<string, unknown>;
  created_at: string;
}

interface DeliveryJson {
  id: string;
  event_id: string;
  endpoint_id: string;
  order_id: string | null;
  event_type: string;
  status: string;
  attempts: number;
  created_at: string;
}

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

interface ErrorJson {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** Never contacted: no job runs in this suite, so deliveries stay pending. */
const NOWHERE = 'http://127.0.0.1:9';

function defineAdminActionsSuite(factory: StoreFactory, skip?: string): void {
  describe(`admin actions over HTTP: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(factory);
    });
    after(async () => {
      await t?.close();
    });

    const call = <T>(options: InjectOptions, expected: number): Promise<T> =>
      t.call<T>(options, expected);

    /** A 422 in the admin shape with an issue at `path`; returns the error. */
    function expectIssue(res: LightMyRequestResponse, path: string): ErrorJson {
      assert.equal(res.statusCode, 422, res.body);
      const { error } = res.json() as { error: ErrorJson };
      assert.equal(error.code, 'validation.failed');
      const paths = (error.issues ?? []).map((i) => i.path);
      assert.ok(paths.includes(path), `expected an issue at "${path}", got ${res.body}`);
      return error;
    }

    /** The fixture's own creation of its merchant and endpoint, recorded too (issue 17). */
    const SETUP_ACTIONS = new Set(['merchant.created', 'webhook.created']);
    const allActions = (query: string) =>
      call<Page<ActionJson>>({ method: 'GET', url: `/admin/actions?${query}` }, 200);
    /** The page without the fixture's setup actions, which these tests are not about. */
    const actions = async (query: string) => {
      const page = await allActions(query);
      return { ...page, data: page.data.filter((a) => !SETUP_ACTIONS.has(a.action)) };
    };

    /** A merchant with one endpoint and one captured order, whose delivery is pending. */
    async function fixture(name: string) {
      const merchant = await call<{ id: string }>(
        { method: 'POST', url: '/admin/merchants', payload: { name } },
        201,
      );
      const endpoint = await call<{ id: string; secret: string }>(
        {
          method: 'POST',
          url: `/admin/merchants/${merchant.id}/webhooks`,
          payload: { url: `${NOWHERE}/${encodeURIComponent(name)}`, name: 'CRM' },
        },
        201,
      );
      const order = await call<{ id: string }>(
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchant.id, amount_minor: 5_000 },
        },
        201,
      );
      const deliveries = await call<Page<DeliveryJson>>(
        { method: 'GET', url: `/admin/deliveries?order_id=${order.id}` },
        200,
      );
      assert.equal(deliveries.data.length, 1);
      return {
        merchantId: merchant.id,
        endpointId: endpoint.id,
        orderId: order.id,
        delivery: deliveries.data[0]!,
      };
    }

    it('replays a delivery with no body, {} or a reason, recording each with the admin as the actor', async () => {
      const f = await fixture('Replays');
      const replay = (payload?: unknown, headers: Record<string, string> = {}) =>
        t.admin({
          method: 'POST',
          url: `/admin/deliveries/${f.delivery.id}/replay`,
          headers,
          ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
        });

      const bare = await replay();
      assert.equal(bare.statusCode, 202, bare.body);
      assert.equal((bare.json() as DeliveryJson).status, 'pending');
      t.clock.advance(1000);
      assert.equal((await replay({})).statusCode, 202);
      t.clock.advance(1000);
      const withReason = await replay({ reason: 'CRM is back up' });
      assert.equal(withReason.statusCode, 202, withReason.body);

      const listed = await actions(`merchant_id=${f.merchantId}`);
      assert.deepEqual(
        listed.data.map((a) => [a.action, a.actor, a.reason]),
        [
          ['delivery.replayed', 'admin', null],
          ['delivery.replayed', 'admin', null],
          ['delivery.replayed', 'admin', 'CRM is back up'],
        ],
      );
      const last = listed.data[2]!;
      assert.deepEqual(last, {
        id: last.id,
        action: 'delivery.replayed',
        actor: 'admin',
        reason: 'CRM is back up',
        merchant_id: f.merchantId,
        order_id: f.orderId,
        subject_id: f.delivery.id,
        details: {
          event_id: f.delivery.event_id,
          event_type: 'order.created',
          endpoint_id: f.endpointId,
          status_before: 'pending',
          attempts_before: 0,
        },
        created_at: new Date(t.clock.now()).toISOString(),
      });
      assert.equal(listed.next_cursor, null);

      // Refused: unknown fields, a reason too long by one, a delivery that does not exist. None
      // of them records anything.
      expectIssue(await replay({ reason: 'x', note: 'y' }), '');
      expectIssue(await replay({ reason: 'x'.repeat(LIMITS.reasonLengthMax + 1) }), 'reason');
      expectIssue(await replay({ reason: 42 }), 'reason');
      const missing = await t.admin({
        method: 'POST',
        url: '/admin/deliveries/no-such-delivery/replay',
        payload: { reason: 'nothing to replay' },
      });
      assert.equal(missing.statusCode, 404);
      assert.equal((missing.json() as { error: ErrorJson }).error.code, 'delivery.not_found');
      assert.equal((await actions(`merchant_id=${f.merchantId}`)).data.length, 3);

      // The longest reason allowed is kept whole.
      const longest = 'r'.repeat(LIMITS.reasonLengthMax);
      assert.equal((await replay({ reason: longest })).statusCode, 202);
      assert.equal((await actions(`merchant_id=${f.merchantId}`)).data[3]!.reason, longest);
    });

    it('keeps Idempotency-Key semantics: a retry writes no second action, another body is refused', async () => {
      const f = await fixture('Idempotent replays');
      const replay = (reason: string) =>
        t.admin({
          method: 'POST',
          url: `/admin/deliveries/${f.delivery.id}/replay`,
          headers: { 'idempotency-key': 'replay-once' },
          payload: { reason },
        });
      const first = await replay('Lost in transit');
      assert.equal(first.statusCode, 202);
      t.clock.advance(1000);
      const again = await replay('Lost in transit');
      assert.equal(again.statusCode, 202);
      assert.equal(again.headers['idempotency-replayed'], 'true');
      assert.equal(again.body, first.body);
      const other = await replay('Another reason');
      assert.equal(other.statusCode, 422);
      assert.equal((other.json() as { error: ErrorJson }).error.code, 'idempotency.key_reused');

      const patch = (payload: Record<string, unknown>) =>
        t.admin({
          method: 'PATCH',
          url: `/admin/merchants/${f.merchantId}/webhooks/${f.endpointId}`,
          headers: { 'idempotency-key': 'disable-once' },
          payload,
        });
      assert.equal((await patch({ enabled: false, reason: 'Down' })).statusCode, 200);
      const patchedAgain = await patch({ enabled: false, reason: 'Down' });
      assert.equal(patchedAgain.headers['idempotency-replayed'], 'true');

      const since = t.clock.now() - 60_000;
      const replaySince = () =>
        t.admin({
          method: 'POST',
          url: `/admin/webhooks/${f.endpointId}/replay`,
          headers: { 'idempotency-key': 'since-once' },
          payload: { since: new Date(since).toISOString(), reason: 'Restored' },
        });
      assert.equal((await replaySince()).statusCode, 202);
      assert.equal((await replaySince()).headers['idempotency-replayed'], 'true');

      assert.deepEqual(
        (await actions(`merchant_id=${f.merchantId}`)).data.map((a) => [a.action, a.reason]),
        [
          ['delivery.replayed', 'Lost in transit'],
          ['webhook.disabled', 'Down'],
          ['webhook.replayed_since', 'Restored'],
        ],
      );
    });

    it('records a replay since a time once per call, with its counts', async () => {
      const f = await fixture('Replay since');
      const since = new Date(t.clock.now() - 60_000).toISOString();
      const url = `/admin/webhooks/${f.endpointId}/replay`;
      const result = await call<{ reset: number; created: number; next_cursor: string | null }>(
        { method: 'POST', url, payload: { since, reason: 'Receiver restored from a backup' } },
        202,
      );
      assert.deepEqual(result, { reset: 1, created: 0, next_cursor: null });
      const [recorded, ...rest] = (await actions(`merchant_id=${f.merchantId}`)).data;
      assert.equal(rest.length, 0);
      assert.equal(recorded!.action, 'webhook.replayed_since');
      assert.equal(recorded!.reason, 'Receiver restored from a backup');
      assert.equal(recorded!.subject_id, f.endpointId);
      assert.equal(recorded!.order_id, null);
      assert.deepEqual(recorded!.details, {
        since: new Date(Date.parse(since)).toISOString(),
        continued: false,
        reset: 1,
        created: 0,
        complete: true,
      });
      // Without a reason it is still recorded.
      await call({ method: 'POST', url, payload: { since } }, 202);
      assert.equal((await actions(`merchant_id=${f.merchantId}`)).data[1]!.reason, null);

      expectIssue(await t.admin({ method: 'POST', url, payload: { since, why: 'x' } }), '');
      expectIssue(
        await t.admin({ method: 'POST', url, payload: { since, reason: 'x'.repeat(501) } }),
        'reason',
      );
      expectIssue(await t.admin({ method: 'POST', url, payload: { reason: 'no since' } }), 'since');
      const missing = await t.admin({
        method: 'POST',
        url: '/admin/webhooks/no-such-endpoint/replay',
        payload: { since, reason: 'x' },
      });
      assert.equal(missing.statusCode, 404);
      assert.equal((await actions(`merchant_id=${f.merchantId}`)).data.length, 2);
    });

    it('names an endpoint change by what was asked and lists what changed', async () => {
      const f = await fixture('Endpoint changes');
      const url = `/admin/merchants/${f.merchantId}/webhooks/${f.endpointId}`;
      const patch = (payload: Record<string, unknown>) =>
        t.admin({ method: 'PATCH', url, payload });
      const ok = async (payload: Record<string, unknown>) => {
        const res = await patch(payload);
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { enabled: boolean; secret?: string };
      };

      assert.equal((await ok({ enabled: false, reason: 'Receiver down' })).enabled, false);
      // Disabling a disabled endpoint is still the operator's act; nothing changed.
      await ok({ enabled: false, reason: 'Still down' });
      assert.equal((await ok({ enabled: true })).enabled, true);
      const rotated = await ok({ rotate_secret: true, reason: 'Secret leaked' });
      assert.match(rotated.secret ?? '', /^whsec_/);
      await ok({ name: 'Billing CRM', retry_policy: 'points', reason: 'Renamed' });
      // Enabling wins the name, whatever else came along.
      await ok({ enabled: false, url: `${NOWHERE}/moved`, reason: 'Moved and paused' });

      const listed = (await actions(`merchant_id=${f.merchantId}`)).data;
      assert.deepEqual(
        listed.map((a) => [a.action, a.reason, a.details]),
        [
          [
            'webhook.disabled',
            'Receiver down',
            { changes: { enabled: { from: true, to: false } }, secret_rotated: false },
          ],
          ['webhook.disabled', 'Still down', { changes: {}, secret_rotated: false }],
          [
            'webhook.enabled',
            null,
            { changes: { enabled: { from: false, to: true } }, secret_rotated: false },
          ],
          ['webhook.secret_rotated', 'Secret leaked', { changes: {}, secret_rotated: true }],
          [
            'webhook.updated',
            'Renamed',
            {
              changes: {
                name: { from: 'CRM', to: 'Billing CRM' },
                retry_policy: { from: 'standard', to: 'points' },
              },
              secret_rotated: false,
            },
          ],
          [
            'webhook.disabled',
            'Moved and paused',
            {
              changes: {
                url: { from: `${NOWHERE}/Endpoint%20changes`, to: `${NOWHERE}/moved` },
                enabled: { from: true, to: false },
              },
              secret_rotated: false,
            },
          ],
        ],
      );
      assert.ok(
        listed.every((a) => a.subject_id === f.endpointId && a.order_id === null),
        'endpoint actions name the endpoint and no order',
      );
      assert.ok(!JSON.stringify(listed).includes('whsec_'), 'no secret in the audit trail');

      // A reason alone changes nothing: refused, like an empty body, and nothing is recorded.
      const alone = expectIssue(await patch({ reason: 'Just because' }), '');
      const empty = expectIssue(await patch({}), '');
      assert.deepEqual(alone.issues, empty.issues, 'a reason alone is refused as an empty body is');
      expectIssue(await patch({ enabled: true, reason: 'x'.repeat(501) }), 'reason');
      const elsewhere = await t.admin({
        method: 'PATCH',
        url: `/admin/merchants/${f.merchantId}/webhooks/no-such-endpoint`,
        payload: { enabled: false, reason: 'x' },
      });
      assert.equal(elsewhere.statusCode, 404);
      assert.equal((await actions(`merchant_id=${f.merchantId}`)).data.length, listed.length);
    });

    it('records the creation of a merchant and of its endpoint as admin actions', async () => {
      const f = await fixture('Audited setup');
      const setup = (await allActions(`merchant_id=${f.merchantId}`)).data;
      assert.deepEqual(
        setup.map((a) => [a.action, a.actor, a.subject_id]),
        [
          ['merchant.created', 'admin', f.merchantId],
          ['webhook.created', 'admin', f.endpointId],
        ],
      );
      assert.ok(!JSON.stringify(setup).includes('whsec_'), 'no secret in the audit trail');
    });

    it('lists actions by merchant, order and action, oldest or newest first, with cursors', async () => {
      const a = await fixture('Listing A');
      const b = await fixture('Listing B');
      const replay = (deliveryId: string, reason: string) =>
        call(
          { method: 'POST', url: `/admin/deliveries/${deliveryId}/replay`, payload: { reason } },
          202,
        );
      await replay(a.delivery.id, 'a1');
      await replay(a.delivery.id, 'a2');
      t.clock.advance(1000);
      await call(
        {
          method: 'PATCH',
          url: `/admin/merchants/${a.merchantId}/webhooks/${a.endpointId}`,
          payload: { enabled: false, reason: 'a3' },
        },
        200,
      );
      await replay(b.delivery.id, 'b1');
      t.clock.advance(1000);
      await replay(a.delivery.id, 'a4');

      const reasons = (page: Page<ActionJson>) => page.data.map((x) => x.reason);
      assert.deepEqual(reasons(await actions(`merchant_id=${a.merchantId}`)), [
        'a1',
        'a2',
        'a3',
        'a4',
      ]);
      assert.deepEqual(reasons(await actions(`merchant_id=${a.merchantId}&order=desc`)), [
        'a4',
        'a3',
        'a2',
        'a1',
      ]);
      assert.deepEqual(reasons(await actions(`order_id=${a.orderId}`)), ['a1', 'a2', 'a4']);
      assert.deepEqual(
        reasons(await actions(`merchant_id=${a.merchantId}&action=webhook.disabled`)),
        ['a3'],
      );
      assert.deepEqual(reasons(await actions(`order_id=${b.orderId}`)), ['b1']);

      for (const order of ['asc', 'desc'] as const) {
        const walked: (string | null)[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 10; page++) {
          const query: string = `merchant_id=${a.merchantId}&order=${order}&limit=3${
            cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
          }`;
          const got = await actions(query);
          walked.push(...reasons(got));
          cursor = got.next_cursor;
          if (!cursor) break;
        }
        const expected = ['a1', 'a2', 'a3', 'a4'];
        assert.deepEqual(walked, order === 'asc' ? expected : expected.reverse(), order);
      }

      // A cursor pages the direction it was made in only.
      const firstAsc = await actions(`merchant_id=${a.merchantId}&limit=2`);
      assert.ok(firstAsc.next_cursor);
      const mixed = expectIssue(
        await t.admin({
          method: 'GET',
          url: `/admin/actions?merchant_id=${a.merchantId}&order=desc&cursor=${firstAsc.next_cursor}`,
        }),
        'cursor',
      );
      assert.match(JSON.stringify(mixed.issues), /order=asc/);
      for (const query of [
        'cursor=not-a-cursor',
        'action=order.refunded',
        'order=newest',
        'limit=0',
        'limit=501',
        'actor=admin',
      ]) {
        const res = await t.admin({ method: 'GET', url: `/admin/actions?${query}` });
        expectIssue(res, query.startsWith('actor') ? '' : query.split('=')[0]!);
      }
    });

    it("shows a replay of an order's delivery in the order's history, after the delivery", async () => {
      const f = await fixture('History');
      t.clock.advance(1000);
      await call(
        {
          method: 'POST',
          url: `/admin/deliveries/${f.delivery.id}/replay`,
          payload: { reason: 'Customer says no email came' },
        },
        202,
      );
      // Endpoint actions concern no order: they stay out of its history.
      await call(
        {
          method: 'PATCH',
          url: `/admin/merchants/${f.merchantId}/webhooks/${f.endpointId}`,
          payload: { enabled: false, reason: 'Not about the order' },
        },
        200,
      );
      const history = await call<{ entries: { kind: string; at: string }[] }>(
        { method: 'GET', url: `/admin/orders/${f.orderId}/history` },
        200,
      );
      const kinds = history.entries.map((e) => e.kind);
      assert.deepEqual(kinds, ['transaction', 'event', 'delivery', 'admin_action']);
      const entry = history.entries.at(-1) as {
        kind: string;
        at: string;
        admin_action: ActionJson;
      };
      const [recorded] = (await actions(`order_id=${f.orderId}`)).data;
      assert.deepEqual(entry, {
        kind: 'admin_action',
        at: recorded!.created_at,
        admin_action: recorded,
      });
      assert.equal(entry.admin_action.reason, 'Customer says no email came');
      assert.equal(entry.admin_action.actor, 'admin');
    });

    it('lists deliveries newest first with a cursor that keeps its direction', async () => {
      const f = await fixture('Delivery log');
      for (let i = 0; i < 4; i++) {
        t.clock.advance(1000);
        await call(
          {
            method: 'POST',
            url: `/admin/orders/${f.orderId}/refund`,
            payload: { amount_minor: 100 },
          },
          200,
        );
      }
      const ids = async (query: string) =>
        (
          await call<Page<DeliveryJson>>(
            { method: 'GET', url: `/admin/deliveries?merchant_id=${f.merchantId}&${query}` },
            200,
          )
        ).data.map((d) => d.id);
      const oldestFirst = await ids('limit=10');
      assert.equal(oldestFirst.length, 5);
      assert.deepEqual(await ids('order=asc&limit=10'), oldestFirst);
      assert.deepEqual(await ids('order=desc&limit=10'), [...oldestFirst].reverse());

      const walked: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const got: Page<DeliveryJson> = await call<Page<DeliveryJson>>(
          {
            method: 'GET',
            url: `/admin/deliveries?merchant_id=${f.merchantId}&order=desc&limit=2${
              cursor ? `&cursor=${cursor}` : ''
            }`,
          },
          200,
        );
        walked.push(...got.data.map((d) => d.id));
        cursor = got.next_cursor;
        if (!cursor) break;
      }
      assert.deepEqual(walked, [...oldestFirst].reverse());

      const descPage = await call<Page<DeliveryJson>>(
        { method: 'GET', url: `/admin/deliveries?merchant_id=${f.merchantId}&order=desc&limit=2` },
        200,
      );
      expectIssue(
        await t.admin({
          method: 'GET',
          url: `/admin/deliveries?merchant_id=${f.merchantId}&cursor=${descPage.next_cursor}`,
        }),
        'cursor',
      );
      expectIssue(await t.admin({ method: 'GET', url: '/admin/deliveries?order=up' }), 'order');
      // A cursor made before deliveries had a direction (created_at:id) still pages oldest first.
      const second = await call<DeliveryJson>(
        { method: 'GET', url: `/admin/deliveries/${oldestFirst[1]}` },
        200,
      );
      const legacy = Buffer.from(`${Date.parse(second.created_at)}:${second.id}`).toString(
        'base64url',
      );
      assert.deepEqual(await ids(`cursor=${legacy}&limit=10`), oldestFirst.slice(2));
    });
  });
}

defineAdminActionsSuite(sqliteFactory);
defineAdminActionsSuite(postgresFactory, await postgresSkipReason());
