// Proves GET /admin/orders/:id/history on both stores: an order's ledger rows, events (with actor,
// reason and the status before and after) and webhook deliveries with their attempts come back
// in time order, each change attributed to who made it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

function historySuite(factory: StoreFactory, skip?: string) {
  describe(`order history: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver({ answers: [500], status: 200 });
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('tells the whole story of an order in time order', async () => {
      const merchant = (
        await t.admin({ method: 'POST', url: '/admin/merchants', payload: { name: 'H' } })
      ).json();
      await t.admin({
        method: 'POST',
        url: `/admin/merchants/${merchant.id}/webhooks`,
        payload: { url: `${receiver.url}/h` },
      });
      t.clock.advance(1000);
      const order = (
        await t.admin({
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: merchant.id, amount_minor: 5000 },
        })
      ).json();
      t.clock.advance(1000);
      await t.admin({
        method: 'POST',
        url: `/admin/orders/${order.id}/refund`,
        payload: { amount_minor: 1500, reason: 'One item back' },
      });
      await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      t.clock.advance(10_000);
      await t.admin({ method: 'POST', url: '/admin/jobs/run' });

      const res = await t.admin({ method: 'GET', url: `/admin/orders/${order.id}/history` });
      assert.equal(res.statusCode, 200);
      const { order: o, entries } = res.json() as {
        order: { refunded_minor: number };
        entries: {
          kind: string;
          at: string;
          transaction?: { type: string; actor: string };
          event?: {
            type: string;
            actor: string;
            reason: string | null;
            status_before: string | null;
            status_after: string;
          };
          delivery?: { status: string; attempt_log: { status_code: number }[] };
        }[];
      };
      assert.equal(o.refunded_minor, 1500);
      assert.deepEqual(
        entries.map(
          (e) => `${e.kind}:${e.transaction?.type ?? e.event?.type ?? e.delivery?.status ?? ''}`,
        ),
        [
          'transaction:purchase',
          'event:order.created',
          'delivery:delivered',
          'transaction:refund',
          'event:order.refunded',
          'delivery:delivered',
        ],
      );
      const times = entries.map((e) => Date.parse(e.at));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
      );
      const refunded = entries.find((e) => e.event?.type === 'order.refunded')!.event!;
      assert.deepEqual(
        [refunded.actor, refunded.reason, refunded.status_before, refunded.status_after],
        ['admin', 'One item back', 'captured', 'partially_refunded'],
      );
      const first = entries.find((e) => e.kind === 'delivery')!.delivery!;
      assert.deepEqual(
        first.attempt_log.map((a) => a.status_code),
        [500, 200],
      );
    });

    it('answers 404 for an unknown order', async () => {
      const res = await t.admin({
        method: 'GET',
        url: '/admin/orders/01a20000-0000-7000-8000-000000000000/history',
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'order.not_found');
    });
  });
}

historySuite(sqliteFactory);
historySuite(postgresFactory, await postgresSkipReason());
