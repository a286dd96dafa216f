// Proves `verifyLedger` (behind `unwind verify`) on both stores: a ledger built through the use
// cases is clean, and each kind of corruption written around the code is reported: totals that
// disagree with the rows, a lost state-change event, and an event that missed its endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyLedger } from '../../src/app/verify.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

function verifySuite(factory: StoreFactory, skip?: string) {
  describe(`unwind verify: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let merchantId: string;
    const orderIds: string[] = [];

    before(async () => {
      t = await startTestApp(factory, { verifyOnClose: false });
      merchantId = (
        await t.admin({ method: 'POST', url: '/admin/merchants', payload: { name: 'V' } })
      ).json().id;
      const endpoint = await t.admin({
        method: 'POST',
        url: `/admin/merchants/${merchantId}/webhooks`,
        payload: { url: 'http://127.0.0.1:9/hook' },
      });
      assert.equal(endpoint.statusCode, 201);
      t.clock.advance(1);
      for (const capture of ['purchase', 'authorize', 'none', 'purchase']) {
        const o = await t.admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchantId, amount_minor: 5000, capture },
        });
        orderIds.push(o.json().id);
      }
      await t.admin({
        method: 'POST',
        url: `/admin/orders/${orderIds[0]}/refund`,
        payload: { amount_minor: 1200 },
      });
      await t.admin({
        method: 'POST',
        url: `/admin/orders/${orderIds[1]}/capture`,
        payload: { amount_minor: 3000 },
      });
      await t.admin({ method: 'POST', url: `/admin/orders/${orderIds[2]}/cancel`, payload: {} });
    });
    after(async () => t?.close());

    it('finds a ledger built through the use cases consistent, with a small page size', async () => {
      const report = await verifyLedger(t.deps, { pageSize: 2 });
      assert.deepEqual(report.violations, []);
      assert.ok(report.orders >= 4);
    });

    it('reports totals that disagree with the ledger rows', async () => {
      const id = orderIds[3]!;
      await t.testStore.rawExec(
        `INSERT INTO transactions (id, order_id, merchant_id, type, status, amount_minor, points, currency, reason, actor, event_id, details, created_at)
         VALUES ('forged-row', '${id}', '${merchantId}', 'refund', 'approved', 700, 0, 'SAR', NULL, 'intruder', 'none', '{}', 0)`,
      );
      const report = await verifyLedger(t.deps);
      assert.deepEqual(
        report.violations.map((v) => [v.subject, v.id, v.problem]),
        [['order', id, 'refundedMinor is 0 but the ledger sums to 700']],
      );
    });

    it('reports a lost state-change event', async () => {
      const id = orderIds[1]!;
      await t.testStore.rawExec(
        `DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.order_id = '${id}' AND e.type = 'order.captured')`,
      );
      await t.testStore.rawExec(
        `DELETE FROM deliveries WHERE event_id IN (SELECT id FROM events WHERE order_id = '${id}' AND type = 'order.captured')`,
      );
      await t.testStore.rawExec(
        `DELETE FROM events WHERE order_id = '${id}' AND type = 'order.captured'`,
      );
      const problems = (await verifyLedger(t.deps)).violations
        .filter((v) => v.id === id)
        .map((v) => v.problem);
      assert.deepEqual(problems, ['1 state-change events for version 1']);
    });

    it('reports a points wallet whose balance is not the sum of its entries', async () => {
      const seeded = await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: '0500000009', balance: 120 },
      });
      assert.ok(seeded.statusCode < 300, seeded.body);
      assert.deepEqual(
        (await verifyLedger(t.deps)).violations.filter((v) => v.subject === 'wallet'),
        [],
      );
      await t.testStore.rawExec(
        `UPDATE points_customers SET balance = balance + 5 WHERE phone = '500000009'`,
      );
      const wallets = (await verifyLedger(t.deps)).violations.filter((v) => v.subject === 'wallet');
      assert.deepEqual(wallets, [
        { subject: 'wallet', id: '500000009', problem: 'balance 125 but the entries sum to 120' },
      ]);
      await t.testStore.rawExec(
        `UPDATE points_customers SET balance = balance - 5 WHERE phone = '500000009'`,
      );
    });

    it("reports a Backd order's refund request that skipped a step, and only a Backd order's", async () => {
      const created = async () =>
        (
          await t.admin({
            method: 'POST',
            url: '/admin/orders',
            payload: { merchant_id: merchantId, amount_minor: 5000, capture: 'purchase' },
          })
        ).json().id as string;
      const backdId = await created();
      const adminId = await created();
      await t.testStore.rawExec(`UPDATE orders SET dialect = 'backd' WHERE id = '${backdId}'`);
      // Approved at 5, before its lock time 10: the database allows it, the verifier does not.
      for (const id of [backdId, adminId]) {
        await t.testStore.rawExec(
          `INSERT INTO backd_refund_requests (id, order_id, merchant_id, amount_minor, currency, status, locked_at, settle_at, created_at, approved_at, updated_at)
           VALUES ('rr-${id}', '${id}', '${merchantId}', 100, 'SAR', 'approved', 10, 20, 1, 5, 5)`,
        );
      }
      const requests = (await verifyLedger(t.deps, { pageSize: 2 })).violations.filter(
        (v) => v.subject === 'refund_request',
      );
      assert.deepEqual(requests, [
        {
          subject: 'refund_request',
          id: `rr-${backdId}`,
          problem: 'approved before its lock time, or marked refunded',
        },
      ]);
    });

    it('reports an event that never reached an endpoint it should have', async () => {
      const event = (await t.testStore.rawRows('events')).find(
        (e) => e['order_id'] === orderIds[2] && e['type'] === 'order.cancelled',
      );
      assert.ok(event);
      await t.testStore.rawExec(`DELETE FROM deliveries WHERE event_id = '${String(event['id'])}'`);
      const webhook = (await verifyLedger(t.deps)).violations.filter(
        (v) => v.subject === 'webhook',
      );
      assert.equal(webhook.length, 1);
      assert.equal(webhook[0]!.id, event['id']);
    });
  });
}

verifySuite(sqliteFactory);
verifySuite(postgresFactory, await postgresSkipReason());
