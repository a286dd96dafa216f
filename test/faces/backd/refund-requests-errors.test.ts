// Proves what Backd refund requests refuse, over HTTP on SQLite and on PostgreSQL: every rejection
// of POST /refund in the envelope, writing nothing; concurrent submissions that leave one active
// request; two job runners that settle each request once; the database's own wall against a
// second active request; and an Idempotency-Key that submits nothing twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../../../src/app/ports/store.js';
import { advanceDueRefundRequests } from '../../../src/app/backd-refund-requests.js';
import {
  backdCall,
  expectFailure,
  expectSuccess,
  orderIn,
  refundBody,
} from '../../support/backd.js';
import { NOT_CONFIRMED, WED_MORNING, WED_LOCK, backdFaceSuite } from './backd-face.js';

await backdFaceSuite((face) => {
  const { call, ref, coreOrder, requestRows } = face;

  describe('refund requests', () => {
    it('every rejection of POST /refund, with status and envelope', async () => {
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      const placed = await orderIn(face.t, face.m, 'order_placed');
      expectFailure(await call('POST', '/refund', refundBody(placed, 10)), 400, NOT_CONFIRMED);
      expectFailure(
        await call('POST', '/refund', refundBody(o, 0)),
        400,
        'refund_amount must be greater than 0.',
      );
      expectFailure(
        await call('POST', '/refund', refundBody(o, -5)),
        400,
        'refund_amount must be greater than 0.',
      );
      expectFailure(
        await call('POST', '/refund', refundBody(o, 91.51)),
        400,
        /exceeds the refundable amount/,
      );
      expectFailure(
        await call('POST', '/refund', refundBody(o, 1.005)),
        422,
        /refund_amount: Too many decimal places/,
      );
      expectFailure(await call('POST', '/refund', refundBody(o, '10')), 422, /refund_amount/);
      expectFailure(
        await call('POST', '/refund', { ...refundBody(o, 10), merchant_order_id: 'X' }),
        400,
        'merchant_order_id does not match the order.',
      );
      expectFailure(
        await call('POST', '/refund', { ...refundBody(o, 10), backd_order_id: 'BO-unknown' }),
        404,
        'Order not found.',
      );
      expectFailure(
        await backdCall(face.t, face.other, 'POST', '/refund', refundBody(o, 10)),
        404,
        'Order not found.',
      );
      expectFailure(
        await call('POST', '/refund', { backd_order_id: o.backdOrderId }),
        422,
        /merchant_order_id.*refund_amount|refund_amount/,
      );
      assert.deepEqual(await requestRows(o), []);
    });

    it('two concurrent POST /refund on one order leave exactly one active request', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      const results = await Promise.all([
        call('POST', '/refund', refundBody(o, 10)),
        call('POST', '/refund', refundBody(o, 20)),
        call('POST', '/refund', refundBody(o, 30)),
        call('DELETE', '/refund', ref(o)),
      ]);
      for (const res of results.slice(0, 3)) expectSuccess(res);
      // The DELETE ran before, between or after the submissions: 200 or "none active".
      const del = results[3]!;
      assert.ok(del.statusCode === 200 || del.statusCode === 400, del.body);
      const rows = await requestRows(o);
      const active = rows.filter((r) => r['status'] === 'draft' || r['status'] === 'approved');
      assert.ok(active.length <= 1);
      assert.equal(rows.length, 3);
      if (del.statusCode === 400) assert.equal(active.length, 1);
      const pair = await orderIn(face.t, face.m, 'order_confirmed');
      await Promise.all([
        call('POST', '/refund', refundBody(pair, 1)),
        call('POST', '/refund', refundBody(pair, 2)),
      ]);
      const pairRows = await requestRows(pair);
      assert.equal(pairRows.filter((r) => r['status'] === 'draft').length, 1);
      assert.equal(pairRows.filter((r) => r['status'] === 'declined').length, 1);
    });

    it('two nodes running the job at once settle every request exactly once', async () => {
      face.t.clock.set(WED_MORNING);
      const orders = await Promise.all(
        Array.from({ length: 6 }, () => orderIn(face.t, face.m, 'order_confirmed')),
      );
      for (const o of orders) expectSuccess(await call('POST', '/refund', refundBody(o, 7)));
      face.t.clock.set(WED_LOCK);
      // The job's step, as two nodes run it (the job is a thin wrapper over this use case).
      const failures: unknown[] = [];
      const step = () =>
        advanceDueRefundRequests(face.t.deps, 100, (_id, failure) => failures.push(failure));
      let advanced = 0;
      for (let round = 0; round < 20; round++) {
        const [a, b] = await Promise.all([step(), step()]);
        advanced += a + b;
        if (a + b === 0) break;
      }
      assert.deepEqual(failures, []);
      // Six approvals and six settlements here (earlier tests may leave other due requests).
      assert.ok(advanced >= 12, `advanced ${advanced}`);
      for (const o of orders) {
        const core = await coreOrder(o);
        assert.deepEqual(
          core.transactions.filter((x) => x.type === 'refund').map((x) => x.amount_minor),
          [700],
        );
        assert.equal((await requestRows(o))[0]!['status'], 'refunded');
      }
    });

    it('the database refuses a second active request even if code would try', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      expectSuccess(await call('POST', '/refund', refundBody(o, 10)));
      const [row] = await requestRows(o);
      await assert.rejects(
        face.t.deps.store.transaction(async (tx) => {
          const active = await tx.findActiveBackdRefundRequest(String(row!['order_id']));
          assert.ok(active);
          await tx.insertBackdRefundRequest({
            ...active,
            id: `${active.id.slice(0, -4)}ffff`,
            amountMinor: 5,
          });
        }),
        (error: unknown) => error instanceof UniqueViolation,
      );
      assert.equal((await requestRows(o)).length, 1);
    });

    it('an Idempotency-Key replays the stored answer and submits nothing twice', async () => {
      face.t.clock.set(WED_MORNING);
      const o = await orderIn(face.t, face.m, 'order_confirmed');
      const headers = { 'idempotency-key': `refund-${o.backdOrderId}` };
      const first = await call('POST', '/refund', refundBody(o, 10), { headers });
      const again = await call('POST', '/refund', refundBody(o, 10), { headers });
      expectSuccess(first);
      expectSuccess(again);
      assert.equal(again.headers['idempotency-replayed'], 'true');
      assert.equal(again.body, first.body);
      assert.equal((await requestRows(o)).length, 1);
      const reused = await call('POST', '/refund', refundBody(o, 11), { headers });
      expectFailure(reused, 422, 'This Idempotency-Key was used for a different request.');
    });
  });
});
