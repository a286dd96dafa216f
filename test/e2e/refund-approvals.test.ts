// Proves four-eyes refunds over HTTP on both stores: a refund above the threshold (the service's,
// or the merchant's own, which wins) answers 202 with a pending approval and moves no money; the
// requester cannot approve it; another operator approves (the refund runs then, as the approver)
// or declines; each step is an admin action naming its operator, in the order's timeline and in
// GET /admin/actions; an undecided request expires on the service's clock (one millisecond
// before, it can still be approved).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPerSuite, type TestApp } from '../support/app.js';
import { asSession, createOperator, errorCodeOf, signedIn } from '../support/operators.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

const TTL_MS = 3_600_000;

interface ApprovalJson {
  id: string;
  state: string;
  amount_minor: number;
  requested_by: string;
  decided_by: string | null;
}

function approvalSuite(factory: StoreFactory, skip?: string) {
  describe(`four-eyes refunds over HTTP: ${factory.engine}`, { skip }, () => {
    const app = appPerSuite(factory, {
      operatorPolicy: { approvalAboveMinor: 1_000, approvalTtlMs: TTL_MS },
    });

    const capturedOrder = async (t: TestApp, settings: Record<string, unknown> = {}) => {
      const merchant = await t.call<{ id: string }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Four eyes', settings } },
        201,
      );
      return t.call<{ id: string; refunded_minor: number }>(
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchant.id, amount_minor: 10_000 },
        },
        201,
      );
    };

    it('asks, refuses the asker, approves as another operator, and records both names', async () => {
      const t = app();
      await createOperator(t, 'sara', 'support', 10_000);
      await createOperator(t, 'omar', 'support', 10_000);
      const sara = await signedIn(t, 'sara');
      const omar = await signedIn(t, 'omar');
      const order = await capturedOrder(t);

      const atThreshold = await asSession(t, sara, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 1_000, reason: 'at the threshold' },
      });
      assert.equal(
        atThreshold.statusCode,
        200,
        'exactly at the threshold needs no second operator',
      );

      const asked = await asSession(t, sara, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 1_001, reason: 'damaged on arrival' },
      });
      assert.equal(asked.statusCode, 202, asked.body);
      const approval = (asked.json() as { approval: ApprovalJson }).approval;
      assert.deepEqual(
        [approval.state, approval.amount_minor, approval.requested_by],
        ['pending', 1_001, 'operator:sara'],
      );
      const after = await t.call<{ refunded_minor: number }>(
        { method: 'GET', url: `/admin/orders/${order.id}` },
        200,
      );
      assert.equal(after.refunded_minor, 1_000, 'no money moved yet');
      const pending = await t.call<{ data: ApprovalJson[] }>(
        { method: 'GET', url: '/admin/approvals' },
        200,
      );
      assert.deepEqual(
        pending.data.map((a) => a.id),
        [approval.id],
      );

      const self = await asSession(t, sara, {
        method: 'POST',
        url: `/admin/approvals/${approval.id}/approve`,
      });
      assert.equal(self.statusCode, 403);
      assert.equal(errorCodeOf(self), 'approval.same_operator');

      const approved = await asSession(t, omar, {
        method: 'POST',
        url: `/admin/approvals/${approval.id}/approve`,
        payload: { reason: 'photos checked' },
      });
      assert.equal(approved.statusCode, 200, approved.body);
      const body = approved.json() as {
        approval: ApprovalJson;
        order: { refunded_minor: number; transactions: { actor: string; type: string }[] };
      };
      assert.deepEqual(
        [body.approval.state, body.approval.decided_by, body.order.refunded_minor],
        ['approved', 'operator:omar', 2_001],
      );
      const again = await asSession(t, omar, {
        method: 'POST',
        url: `/admin/approvals/${approval.id}/decline`,
      });
      assert.equal(errorCodeOf(again), 'approval.not_pending');

      const history = await t.call<{
        entries: { kind: string; admin_action?: { action: string; actor: string } }[];
      }>({ method: 'GET', url: `/admin/orders/${order.id}/history` }, 200);
      const timeline = history.entries.flatMap((e) =>
        e.admin_action ? [`${e.admin_action.action} ${e.admin_action.actor}`] : [],
      );
      assert.deepEqual(timeline, [
        'refund.approval_requested operator:sara',
        'refund.approved operator:omar',
      ]);
      const actions = await t.call<{ data: { action: string; actor: string }[] }>(
        { method: 'GET', url: `/admin/actions?order_id=${order.id}` },
        200,
      );
      assert.deepEqual(
        actions.data.map((a) => `${a.action} ${a.actor}`),
        timeline,
      );
    });

    it('a declined request moves nothing; a merchant threshold wins over the service one', async () => {
      const t = app();
      await createOperator(t, 'dina', 'support', 100_000);
      await createOperator(t, 'ziad', 'admin');
      const dina = await signedIn(t, 'dina');
      const ziad = await signedIn(t, 'ziad');
      const order = await capturedOrder(t, { refund_approval_above_minor: 5_000 });
      const alone = await asSession(t, dina, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 5_000 },
      });
      assert.equal(alone.statusCode, 200, 'the merchant allows 5000 alone');
      const asked = await asSession(t, dina, {
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 5_000, reason: 'the rest' },
      });
      assert.equal(asked.statusCode, 200, 'still within the merchant threshold');
      const fresh = await capturedOrder(t, { refund_approval_above_minor: 5_000 });
      const big = await asSession(t, dina, {
        method: 'POST',
        url: `/admin/orders/${fresh.id}/refund`,
        payload: {},
      });
      assert.equal(big.statusCode, 202, 'the whole 10000 when left out');
      const id = (big.json() as { approval: ApprovalJson }).approval.id;
      const declined = await asSession(t, ziad, {
        method: 'POST',
        url: `/admin/approvals/${id}/decline`,
        payload: { reason: 'not eligible' },
      });
      assert.equal(declined.statusCode, 200);
      assert.equal((declined.json() as { approval: ApprovalJson }).approval.state, 'declined');
      const order2 = await t.call<{ refunded_minor: number }>(
        { method: 'GET', url: `/admin/orders/${fresh.id}` },
        200,
      );
      assert.equal(order2.refunded_minor, 0);
    });

    it('expires at its time: one millisecond before it can be approved, at it not', async () => {
      const t = app();
      await createOperator(t, 'early', 'support', 10_000);
      await createOperator(t, 'late2', 'support', 10_000);
      const early = await signedIn(t, 'early');
      const late = await signedIn(t, 'late2');
      const ask = async () => {
        const order = await capturedOrder(t);
        const r = await asSession(t, early, {
          method: 'POST',
          url: `/admin/orders/${order.id}/refund`,
          payload: { amount_minor: 2_000 },
        });
        assert.equal(r.statusCode, 202);
        return (r.json() as { approval: ApprovalJson }).approval.id;
      };
      const first = await ask();
      t.clock.advance(TTL_MS - 1);
      const inTime = await asSession(t, late, {
        method: 'POST',
        url: `/admin/approvals/${first}/approve`,
      });
      assert.equal(inTime.statusCode, 200, inTime.body);

      const second = await ask();
      t.clock.advance(TTL_MS);
      const tooLate = await asSession(t, late, {
        method: 'POST',
        url: `/admin/approvals/${second}/approve`,
      });
      assert.equal(tooLate.statusCode, 410);
      assert.equal(errorCodeOf(tooLate), 'approval.expired');
      const pending = await t.call<{ data: ApprovalJson[] }>(
        { method: 'GET', url: '/admin/approvals' },
        200,
      );
      assert.ok(!pending.data.some((a) => a.id === second), 'gone from the pending list');
      const all = await t.call<{ data: ApprovalJson[] }>(
        { method: 'GET', url: '/admin/approvals?state=all' },
        200,
      );
      assert.equal(all.data.find((a) => a.id === second)?.state, 'expired');
    });
  });
}

await onEveryStore(approvalSuite);
