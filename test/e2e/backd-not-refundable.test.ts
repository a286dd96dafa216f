// Proves on both stores the settlement re-check of Backd refund requests: when a refund reaches
// the ledger outside the request lifecycle between a request's submission and its settlement (no
// route allows that any more, so the test posts it with the core refund use case itself, as the
// admin route did before, or as data written before the rule would have), the settlement job
// declines the request (reason not_refundable) instead of refunding the same return twice or more
// than is left, in one run, with its declined event, and `unwind verify` names the refund that
// Backd's records cannot see.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { refundOrder } from '../../src/app/order-operations.js';
import { verifyLedger } from '../../src/app/verify.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  backdCall,
  type BackdMerchant,
  createBackdMerchant,
  type CreatedOrder,
  expectSuccess,
  findOrder,
  orderIn,
  refundBody,
} from '../support/backd.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const WEDNESDAY = '2026-03-04T10:00:00-06:00';
const WEDNESDAY_LOCK = '2026-03-04T17:00:00-06:00';

function suite(factory: StoreFactory, skip?: string) {
  describe(`Backd settlement re-check: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let m: BackdMerchant;
    before(async () => {
      // This suite leaves refunds Backd cannot see on purpose; it checks the verifier itself.
      t = await startTestApp(factory, { verifyOnClose: false });
      m = await createBackdMerchant(t);
    });
    after(async () => t?.close());

    const coreOrderOf = async (order: CreatedOrder) =>
      (await t.call<{ data: { id: string; refundable_minor: number }[] }>(
        { method: 'GET', url: `/admin/orders?q=${order.backdOrderId}` },
        200,
      ))!.data[0]!;
    /** A refund that reaches the ledger without a refund request. */
    const refundOutside = async (orderId: string, amountMinor: number) => {
      const done = await execute(
        t.deps,
        refundOrder({ merchantId: null, orderId, actor: { kind: 'admin' }, amountMinor }),
      );
      assert.ok(done.ok, JSON.stringify(done));
    };
    const runJobs = async () =>
      (await t.call<{ jobs: Record<string, number> }>(
        { method: 'POST', url: '/admin/jobs/run' },
        200,
      ))!.jobs['refund-request-locker'];
    const declinedEvents = async (orderId: string) =>
      (await t.call<{ data: { reason: string; payload: Record<string, unknown> }[] }>(
        { method: 'GET', url: `/admin/events?order_id=${orderId}&type=refund_request.declined` },
        200,
      ))!.data;

    it('declines a request whose money was refunded another way, once, moving nothing', async () => {
      t.clock.set(Date.parse(WEDNESDAY));
      const order = await orderIn(t, m, 'order_confirmed');
      expectSuccess(await backdCall(t, m, 'POST', '/refund', refundBody(order, 60)));
      t.clock.set(Date.parse(WEDNESDAY_LOCK));
      const core = await coreOrderOf(order);
      await refundOutside(core.id, core.refundable_minor - 100);

      assert.ok((await runJobs())! >= 1);
      const refunds = (await findOrder(t, m, order)).refunds as { status: string }[];
      assert.deepEqual(
        refunds.map((r) => r.status),
        ['declined'],
      );
      assert.equal((await coreOrderOf(order)).refundable_minor, 100, 'the request moved no money');
      assert.equal(await runJobs(), 0, 'nothing left to retry');
      const declined = await declinedEvents(core.id);
      assert.equal(declined.length, 1);
      const request = declined[0]!.payload['refund_request'] as { decline_reason: string };
      assert.equal(request.decline_reason, 'not_refundable');
    });

    it('declines a request the rest still covers when a refund landed after its submission', async () => {
      t.clock.set(Date.parse(WEDNESDAY));
      const order = await orderIn(t, m, 'order_confirmed');
      expectSuccess(await backdCall(t, m, 'POST', '/refund', refundBody(order, 25)));
      const core = await coreOrderOf(order);
      // The same return refunded a second way while the request is a draft: 91.50 covers both,
      // so only the re-check against the refunded total at submission can tell.
      await refundOutside(core.id, 2500);
      t.clock.set(Date.parse(WEDNESDAY_LOCK));
      await runJobs();
      await runJobs();

      const found = await findOrder(t, m, order);
      assert.deepEqual(
        (found.refunds as { status: string; amount: number }[]).map((r) => [r.status, r.amount]),
        [['declined', 25]],
      );
      assert.equal((await coreOrderOf(order)).refundable_minor, 9150 - 2500, 'refunded once');
      const declined = await declinedEvents(core.id);
      assert.equal(declined.length, 1);
      assert.equal(declined[0]!.payload['obstacle'], 'refunded_since_submission');
      assert.match(declined[0]!.reason, /refund the same return twice/);

      // The verifier names the refund Backd's records do not show.
      const report = await verifyLedger(t.deps);
      assert.ok(
        report.violations.some(
          (v) =>
            v.subject === 'refund_request' &&
            v.id === core.id &&
            v.problem ===
              'refunded 2500 but settled requests sum to 0: money left outside its refund requests',
        ),
        JSON.stringify(report.violations),
      );
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
