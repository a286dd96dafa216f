// Proves "one return is refunded once" on Backd orders against a compiled `unwind serve` child
// over real HTTP, on both stores, with the test clock: the operator's refund of an order whose
// return has a draft refund request is refused (409 order.refund_via_request naming the request)
// and the request settles once; an operator refunds through a request of their own (submitted,
// replaced only by name, withdrawn, settled once, `admin` as the actor); a refund that reaches the
// ledger between submission and settlement another way (posted here with the core refund use case
// on the shared database, as the old admin route did) makes the settlement decline the request;
// and after each, Backd's find_order agrees with the ledger.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../src/app/clocks.js';
import { type AppDeps, execute } from '../../src/app/context.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { refundOrder } from '../../src/app/order-operations.js';
import { basic, createBody } from '../support/backd.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const WEDNESDAY = '2026-03-04T10:00:00-06:00';
/** Wednesday 17:00 in Chicago (CST): the lock of a request submitted that morning. */
const LOCK = '2026-03-04T23:00:00.000Z';

interface Refund {
  amount: number;
  status: string;
}
interface BackdOrder {
  backdOrderId: string;
  orderId: string;
  ref: { backd_order_id: string; merchant_order_id: string };
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`one return is refunded once, over real HTTP: ${factory.engine}`, { skip }, () => {
    let store: TestStore | undefined;
    let server: ServerProcess;
    let auth: { token: null; headers: Record<string, string> };
    before(async () => {
      if (skip) return;
      store = await factory.create();
      server = await startServer({
        env: { ...store.env, UNWIND_TEST_CLOCK: '1', UNWIND_WORKERS: '0' },
        logLevel: 'warn',
      });
      const merchant = await server.call(
        'POST',
        '/admin/merchants',
        { name: 'Shop', currency: 'USD' },
        201,
      );
      const keys = merchant.credentials.backd as { public_key: string; secret_key: string };
      auth = { token: null, headers: { authorization: basic(keys.public_key, keys.secret_key) } };
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    const setClock = (iso: string) => server.call('POST', '/admin/clock', { now: iso }, 200);
    const runJobs = () => server.call('POST', '/admin/jobs/run', undefined, 200);
    const backd = (method: string, path: string, body?: unknown) =>
      server.call(method, `/backd${path}`, body, 200, auth);
    const findOrder = async (o: BackdOrder) =>
      (await backd('GET', `/find_order/${o.backdOrderId}`)).data;
    const coreOrder = (o: BackdOrder) =>
      server.call('GET', `/admin/orders/${o.orderId}`, undefined, 200);
    const activeRequest = async (o: BackdOrder) =>
      (await server.call('GET', `/admin/orders/${o.orderId}/history`, undefined, 200)).backd
        .active_refund_request;

    /** Created, terms selected, and as far as `until` (placed or confirmed). */
    async function backdOrder(until: 'created' | 'placed' | 'confirmed'): Promise<BackdOrder> {
      const created = await backd('POST', '/create_order', createBody());
      const backdOrderId = created.data.backd_order_id as string;
      const ref = { backd_order_id: backdOrderId, merchant_order_id: 'JKLMO4321' };
      const found = await server.call('GET', `/admin/orders?q=${backdOrderId}`, undefined, 200);
      const order = { backdOrderId, orderId: found.data[0].id as string, ref };
      if (until === 'created') return order;
      const token = String(created.data.customer_url).split('/').pop()!;
      await server.call('POST', `/backd/checkout/${token}`, { terms: 'net30' }, 200, {
        token: null,
        headers: { accept: 'application/json' },
      });
      await backd('POST', '/order_placed', ref);
      if (until === 'confirmed') await backd('POST', '/confirm_order', ref);
      return order;
    }

    /** find_order agrees with the ledger: the settled requests sum to the refunded money. */
    async function assertAgrees(o: BackdOrder, expected: [string, number][]) {
      const refunds = (await findOrder(o)).refunds as Refund[];
      assert.deepEqual(
        refunds.map((r) => [r.status, r.amount]),
        expected,
      );
      const settledMinor = refunds
        .filter((r) => r.status === 'refunded')
        .reduce((sum, r) => sum + Math.round(r.amount * 100), 0);
      assert.equal((await coreOrder(o)).refunded_minor, settledMinor);
    }

    it("refuses the operator's refund while the merchant's request is a draft, and settles it once", async () => {
      await setClock(WEDNESDAY);
      const o = await backdOrder('confirmed');
      await backd('POST', '/refund', { ...o.ref, refund_amount: 25 });
      const draft = await activeRequest(o);

      const refused = await server.http('POST', `/admin/orders/${o.orderId}/refund`, {
        amount_minor: 2500,
        reason: 'Customer returned the widget',
      });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'order.refund_via_request');
      assert.deepEqual(refused.body.error.details, {
        order_id: o.orderId,
        backd_order_id: o.backdOrderId,
        active_refund_request: {
          id: draft.id,
          status: 'draft',
          amount: '25.00',
          amount_minor: 2500,
          currency: 'USD',
          locked_at: LOCK,
        },
      });
      assert.match(refused.body.error.message, new RegExp(`${draft.id} \\(draft, 25.00 USD`));
      assert.equal((await coreOrder(o)).refunded_minor, 0, 'nothing was refunded');

      await setClock(LOCK);
      await runJobs();
      await runJobs();
      await assertAgrees(o, [['refunded', 25]]);
      assert.equal((await findOrder(o)).status, 'refund');

      const after = await server.http('POST', `/admin/orders/${o.orderId}/refund`, {});
      assert.equal(after.status, 409);
      assert.equal(after.body.error.details.active_refund_request, null);
      assert.match(after.body.error.message, /POST \/admin\/orders\/.+\/refund-requests/);
    });

    it('lets an operator refund through a request: replaced only by name, withdrawn, settled once', async () => {
      await setClock(WEDNESDAY);
      const o = await backdOrder('confirmed');
      const path = `/admin/orders/${o.orderId}/refund-requests`;
      const first = await server.call(
        'POST',
        path,
        { amount_minor: 3000, reason: 'Two returned' },
        201,
      );
      assert.equal(first.refund_request.status, 'draft');
      assert.equal(first.backd.active_refund_request.id, first.refund_request.id);

      // The merchant replaces it (Backd's own rule); the operator's stale screen cannot.
      await backd('POST', '/refund', { ...o.ref, refund_amount: 10 });
      const merchants = await activeRequest(o);
      const stale = await server.http('POST', path, {
        amount_minor: 3500,
        replaces: first.refund_request.id,
      });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'refund_request.active_changed');
      assert.equal(stale.body.error.details.active_refund_request.id, merchants.id);
      const blind = await server.http('POST', path, { amount_minor: 3500 });
      assert.equal(blind.body.error.code, 'refund_request.active_changed');
      const named = await server.call(
        'POST',
        path,
        { amount_minor: 3500, replaces: merchants.id },
        201,
      );

      const withdrawn = await server.call(
        'POST',
        `${path}/${named.refund_request.id}/withdraw`,
        { reason: 'Wrong amount' },
        200,
      );
      assert.equal(withdrawn.refund_request.status, 'declined');
      assert.equal(withdrawn.refund_request.decline_reason, 'deleted');
      assert.equal(withdrawn.backd.active_refund_request, null);
      const again = await server.http('POST', `${path}/${named.refund_request.id}/withdraw`, {});
      assert.equal(again.body.error.code, 'refund_request.none_active');

      await server.call('POST', path, { amount_minor: 3000, reason: 'Two returned' }, 201);
      await setClock(LOCK);
      await runJobs();
      await runJobs();
      await assertAgrees(o, [
        ['declined', 30],
        ['declined', 10],
        ['declined', 35],
        ['refunded', 30],
      ]);
      const events = await server.call(
        'GET',
        `/admin/events?order_id=${o.orderId}`,
        undefined,
        200,
      );
      const byAdmin = (events.data as { type: string; actor: string; reason: string | null }[])
        .filter((e) => e.actor === 'admin')
        .map((e) => [e.type, e.reason]);
      assert.deepEqual(byAdmin, [
        ['refund_request.submitted', 'Two returned'],
        ['refund_request.declined', null],
        ['refund_request.submitted', null],
        ['refund_request.declined', 'Wrong amount'],
        ['refund_request.submitted', 'Two returned'],
      ]);
    });

    it('declines at settlement a request whose return was refunded another way meanwhile', async () => {
      await setClock(WEDNESDAY);
      const o = await backdOrder('confirmed');
      await backd('POST', '/refund', { ...o.ref, refund_amount: 25 });
      // No route refunds a Backd order outside its requests any more; the core use case on the
      // same database stands in for the old admin route (or data written before the rule).
      const clock = new TestClock(Date.parse(WEDNESDAY));
      const deps: AppDeps = { store: store!.store, clock, newId: uuidV7Generator(clock) };
      const outside = await execute(
        deps,
        refundOrder({
          merchantId: null,
          orderId: o.orderId,
          actor: { kind: 'admin' },
          amountMinor: 2500,
        }),
      );
      assert.ok(outside.ok, JSON.stringify(outside));

      await setClock(LOCK);
      await runJobs();
      await runJobs();
      const refunds = (await findOrder(o)).refunds as Refund[];
      assert.deepEqual(
        refunds.map((r) => [r.status, r.amount]),
        [['declined', 25]],
      );
      assert.equal((await coreOrder(o)).refunded_minor, 2500, 'refunded once, not twice');
    });

    it("follows Backd's lifecycle for an operator's cancel, and refuses what Backd has no place for", async () => {
      await setClock(WEDNESDAY);
      const created = await backdOrder('created');
      const early = await server.http('POST', `/admin/orders/${created.orderId}/cancel`, {});
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'backd_order.invalid_state');
      assert.equal((await findOrder(created)).status, 'created');
      for (const op of ['authorize', 'capture', 'void']) {
        const refused = await server.http('POST', `/admin/orders/${created.orderId}/${op}`, {});
        assert.equal(refused.status, 409);
        assert.deepEqual(refused.body.error.details, { dialect: 'backd', operation: op });
      }
      assert.equal((await coreOrder(created)).status, 'pending');

      const placed = await backdOrder('placed');
      const cancelled = await server.call(
        'POST',
        `/admin/orders/${placed.orderId}/cancel`,
        { reason: 'Buyer asked support' },
        200,
      );
      assert.equal(cancelled.status, 'cancelled');
      assert.equal((await findOrder(placed)).status, 'order_canceled');
      const confirm = await server.http('POST', '/backd/confirm_order', placed.ref, auth);
      assert.equal(confirm.status, 400, 'Backd sees the cancel');
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
