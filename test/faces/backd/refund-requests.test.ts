// Proves Backd refund requests over HTTP on SQLite and on PostgreSQL: a POST makes a draft that
// locks at the business-day deadline (a holiday moves it), a second POST replaces it, DELETE
// declines it, at locked_at it can no longer change, and the job approves and settles it once,
// after the merchant's settlement delay, debiting the ledger once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockDeadline } from '../../../src/domain/business-days.js';
import {
  backdCall,
  createBackdMerchant,
  expectFailure,
  expectSuccess,
  findOrder,
  orderIn,
  refundBody,
} from '../../support/backd.js';
import { LOCKED, WED_MORNING, WED_LOCK, backdFaceSuite } from './backd-face.js';

await backdFaceSuite((face) => {
  const { call, ref, coreOrder, runJobs, requestRows } = face;

  describe('refund requests', () => {
    it('POST creates a draft locking at the deadline; a second POST declines and replaces it', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      const first = expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
      assert.deepEqual(first.data.refunds, [
        {
          amount: 10,
          create_date: '2026-03-04 16:00:00',
          status: 'draft',
          locked_at: '2026-03-04 23:00:00',
        },
      ]);
      assert.equal(lockDeadline(WED_MORNING), WED_LOCK);
      face.t.clock.advance(60_000);
      const second = expectSuccess(await call('POST', '/refund', refundBody(o, 25.5)));
      assert.deepEqual(
        second.data.refunds.map((r: { amount: number; status: string }) => [r.amount, r.status]),
        [
          [10, 'declined'],
          [25.5, 'draft'],
        ],
      );
      assert.equal(second.data.status, 'order_confirmed');
      const rows = await requestRows(o);
      assert.equal(
        rows.filter((r) => r['status'] === 'draft' || r['status'] === 'approved').length,
        1,
      );
      assert.equal(rows.find((r) => r['status'] === 'declined')?.['decline_reason'], 'replaced');
    });

    it('DELETE declines the active draft; with none active it is 400', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      expectFailure(
        await call('DELETE', '/refund', ref(o)),
        400,
        'There is no active refund request for this order.',
      );
      expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
      expectFailure(
        await call('DELETE', '/refund', { ...ref(o), merchant_order_id: 'X' }),
        400,
        'merchant_order_id does not match the order.',
      );
      expectFailure(
        await backdCall(face.t, face.other, 'DELETE', '/refund', ref(o)),
        404,
        'Order not found.',
      );
      const deleted = expectSuccess(
        await call('DELETE', '/refund', { backd_order_id: o.backdOrderId }),
      );
      assert.deepEqual(
        deleted.data.refunds.map((r: { status: string }) => r.status),
        ['declined'],
      );
      expectFailure(
        await call('DELETE', '/refund', ref(o)),
        400,
        'There is no active refund request for this order.',
      );
      const placed = await orderIn(face.t, face.m, 'order_placed');
      expectFailure(
        await call('DELETE', '/refund', ref(placed)),
        400,
        /confirmed \('order_confirmed'\) and there is an active/,
      );
      expectFailure(await call('DELETE', '/refund', {}), 422, /backd_order_id/);
    });

    it('at locked_at the request is locked by time, before the job runs: no replace, no delete', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
      face.t.clock.set(WED_LOCK - 1);
      assert.equal((await findOrder(face.t, face.m, o)).refunds[0].status, 'draft');
      face.t.clock.set(WED_LOCK);
      assert.equal((await findOrder(face.t, face.m, o)).refunds[0].status, 'approved');
      expectFailure(await call('DELETE', '/refund', ref(o)), 400, LOCKED);
      expectFailure(await call('POST', '/refund', refundBody(o, 5)), 400, LOCKED);
      assert.equal((await requestRows(o))[0]!['status'], 'draft');
    });

    it('the job approves at locked_at and settles: refunded, the ledger debited once, status refund', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      expectSuccess(await call('POST', '/refund', refundBody(o, 30)));
      face.t.clock.set(WED_LOCK - 1);
      await runJobs();
      assert.equal((await requestRows(o))[0]!['status'], 'draft');
      face.t.clock.set(WED_LOCK);
      const jobs = await runJobs();
      assert.ok((jobs['refund-request-locker'] ?? 0) >= 2);
      const data = await findOrder(face.t, face.m, o);
      assert.equal(data.status, 'refund');
      assert.deepEqual(
        data.refunds.map((r: { status: string }) => r.status),
        ['refunded'],
      );
      const core = await coreOrder(o);
      assert.equal(core.refunded_minor, 3000);
      assert.equal(core.status, 'partially_refunded');
      const refunds = core.transactions.filter((x) => x.type === 'refund');
      assert.deepEqual(
        refunds.map((x) => [x.amount_minor, x.actor]),
        [[3000, 'job:refund-request-locker']],
      );
      await runJobs();
      assert.equal((await coreOrder(o)).transactions.filter((x) => x.type === 'refund').length, 1);

      // The rest may be requested now; more than the rest may not.
      expectFailure(
        await call('POST', '/refund', refundBody(o, 61.51)),
        400,
        /exceeds the refundable/,
      );
      const rest = expectSuccess(await call('POST', '/refund', refundBody(o, 61.5)));
      assert.equal(rest.data.status, 'refund');
      assert.equal(rest.data.refunds.at(-1).locked_at, '2026-03-05 23:00:00');
      face.t.clock.set(Date.parse('2026-03-05T23:00:00Z'));
      await runJobs();
      const full = await coreOrder(o);
      assert.equal(full.status, 'refunded');
      assert.equal(full.refunded_minor, 9150);
      expectFailure(
        await call('POST', '/refund', refundBody(o, 0.01)),
        400,
        /exceeds the refundable/,
      );

      const types = (
        (
          await face.t.admin({
            method: 'GET',
            url: `/admin/events?type=refund_request.locked&limit=500`,
          })
        ).json() as {
          data: { order_id: string }[];
        }
      ).data;
      assert.ok(types.length >= 2);
    });

    it('the settlement delay is a merchant setting', async () => {
      const slow = await createBackdMerchant(face.t, { refund_settlement_delay_seconds: 3600 });
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, slow, 'order_confirmed');
      expectSuccess(await backdCall(face.t, slow, 'POST', '/refund', refundBody(o, 10)));
      face.t.clock.set(WED_LOCK);
      await runJobs();
      assert.equal((await requestRows(o))[0]!['status'], 'approved');
      assert.equal((await coreOrder(o)).refunded_minor, 0);
      face.t.clock.set(WED_LOCK + 3_600_000 - 1);
      await runJobs();
      assert.equal((await requestRows(o))[0]!['status'], 'approved');
      face.t.clock.set(WED_LOCK + 3_600_000);
      await runJobs();
      assert.equal((await requestRows(o))[0]!['status'], 'refunded');
      assert.equal((await coreOrder(o)).refunded_minor, 1000);
    });

    it('the holiday calendar moves the deadline past a holiday', async () => {
      const holiday = await createBackdMerchant(face.t, { holidays: ['2026-03-04'] });
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, holiday, 'order_confirmed');
      const res = expectSuccess(
        await backdCall(face.t, holiday, 'POST', '/refund', refundBody(o, 10)),
      );
      assert.equal(res.data.refunds[0].locked_at, '2026-03-05 23:00:00');
    });
  });
});
