// Proves on both stores that an approved (locked) Backd refund request whose money was refunded
// another way in the meantime is declined by the settlement job (reason not_refundable) in one
// run, moves no money, writes its declined event, and is not retried: it can never stay stuck.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  backdCall,
  type BackdMerchant,
  createBackdMerchant,
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

function suite(factory: StoreFactory, skip?: string) {
  describe(`Backd request that can no longer settle: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let m: BackdMerchant;
    before(async () => {
      t = await startTestApp(factory);
      m = await createBackdMerchant(t);
    });
    after(async () => t?.close());

    it('is declined once, with no money moved, when an admin refund took its money', async () => {
      await t.admin({
        method: 'POST',
        url: '/admin/clock',
        payload: { now: '2026-03-04T10:00:00-06:00' },
      });
      const order = await orderIn(t, m, 'order_confirmed');
      expectSuccess(await backdCall(t, m, 'POST', '/refund', refundBody(order, 60)));
      // Past Wednesday 17:00 Chicago: the request locks (approved) on the next job run.
      await t.admin({
        method: 'POST',
        url: '/admin/clock',
        payload: { now: '2026-03-04T17:00:00-06:00' },
      });
      // An operator refunds most of the order through the admin API before settlement.
      const core = (
        await t.admin({ method: 'GET', url: '/admin/orders?dialect=backd&limit=10' })
      ).json().data[0];
      const refundable = core.refundable_minor as number;
      const adminRefund = await t.admin({
        method: 'POST',
        url: `/admin/orders/${core.id}/refund`,
        payload: { amount_minor: refundable - 100 },
      });
      assert.equal(adminRefund.statusCode, 200, adminRefund.body);

      const first = (await t.admin({ method: 'POST', url: '/admin/jobs/run' })).json();
      assert.ok(first.jobs['refund-request-locker'] >= 1, JSON.stringify(first));
      const refunds = (await findOrder(t, m, order)).refunds as {
        status: string;
        amount: number;
      }[];
      assert.deepEqual(
        refunds.map((r) => r.status),
        ['declined'],
      );
      const after = (await t.admin({ method: 'GET', url: `/admin/orders/${core.id}` })).json();
      assert.equal(after.refundable_minor, 100, 'the request moved no money');

      const second = (await t.admin({ method: 'POST', url: '/admin/jobs/run' })).json();
      assert.equal(second.jobs['refund-request-locker'], 0, 'nothing left to retry');
      const declined = (
        await t.admin({
          method: 'GET',
          url: `/admin/events?order_id=${core.id}&type=refund_request.declined`,
        })
      ).json().data;
      assert.equal(declined.length, 1);
      assert.equal(declined[0].payload.refund_request.decline_reason, 'not_refundable');
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
