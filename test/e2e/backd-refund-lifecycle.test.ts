// Proves the Backd refund lifecycle end to end with the test clock on both stores: a request
// submitted Friday 18:00 Chicago time is replaced on Saturday (the first becomes declined), a
// DELETE after Monday 17:00 is refused as locked, the jobs lock and settle the request (refunded,
// the ledger debited exactly once, the order in `refund`), and a real receiver gets every event
// as a signed standard-format webhook.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../src/webhooks/verify.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  backdCall,
  type BackdMerchant,
  createBackdMerchant,
  expectFailure,
  expectSuccess,
  findOrder,
  orderIn,
  refundBody,
} from '../support/backd.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const FRIDAY_MORNING = '2026-03-06T09:00:00-06:00';
const FRIDAY_EVENING = '2026-03-06T18:00:00-06:00';
const SATURDAY = '2026-03-07T10:00:00-06:00';
/** Daylight saving began on Sunday 2026-03-08: Monday 17:00 is CDT, 22:00Z. */
const MONDAY_LOCK = '2026-03-09T22:00:00.000Z';
const LOCKED = 'Refund request is locked and can no longer be replaced or deleted.';

interface StandardWebhook {
  type: string;
  timestamp: string;
  data: {
    event_id: string;
    order: { id: string; status: string; refunded: { minor: number } };
    backd_order?: { backd_order_id: string; status: string };
    refund_request?: {
      id: string;
      amount_minor: number;
      status: string;
      decline_reason: string | null;
    };
    transactions?: { type: string; amount_minor: number }[];
  };
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`Backd refund lifecycle on ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let m: BackdMerchant;
    let secret: string;
    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver();
      m = await createBackdMerchant(t);
      const hook = await t.admin({
        method: 'POST',
        url: `/admin/merchants/${m.id}/webhooks`,
        payload: { url: `${receiver.url}/backd-hooks`, format: 'standard' },
      });
      assert.equal(hook.statusCode, 201, hook.body);
      secret = (hook.json() as { secret: string }).secret;
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('submit Friday evening, replace Saturday, locked Monday 17:00, settled by the jobs', async () => {
      const at = (iso: string) => t.clock.set(Date.parse(iso));
      at(FRIDAY_MORNING);
      const order = await orderIn(t, m, 'order_confirmed');

      at(FRIDAY_EVENING);
      const first = expectSuccess(await backdCall(t, m, 'POST', '/refund', refundBody(order, 40)));
      assert.deepEqual(first.data.refunds, [
        {
          amount: 40,
          create_date: '2026-03-07 00:00:00',
          status: 'draft',
          locked_at: '2026-03-09 22:00:00',
        },
      ]);

      at(SATURDAY);
      const second = expectSuccess(await backdCall(t, m, 'POST', '/refund', refundBody(order, 25)));
      assert.deepEqual(second.data.refunds, [
        {
          amount: 40,
          create_date: '2026-03-07 00:00:00',
          status: 'declined',
          locked_at: '2026-03-09 22:00:00',
        },
        {
          amount: 25,
          create_date: '2026-03-07 16:00:00',
          status: 'draft',
          locked_at: '2026-03-09 22:00:00',
        },
      ]);

      // Monday 16:59:59.999 CDT it may still be deleted; from 17:00 on it is locked, job or not.
      t.clock.set(Date.parse(MONDAY_LOCK) + 1000);
      expectFailure(
        await backdCall(t, m, 'DELETE', '/refund', { backd_order_id: order.backdOrderId }),
        400,
        LOCKED,
      );
      expectFailure(await backdCall(t, m, 'POST', '/refund', refundBody(order, 5)), 400, LOCKED);

      const run = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(run.statusCode, 200, run.body);
      const jobs = (run.json() as { jobs: Record<string, number> }).jobs;
      assert.equal(jobs['refund-request-locker'], 2); // approved, then settled

      const data = await findOrder(t, m, order);
      assert.equal(data.status, 'refund');
      assert.deepEqual(
        data.refunds.map((r: { amount: number; status: string }) => [r.amount, r.status]),
        [
          [40, 'declined'],
          [25, 'refunded'],
        ],
      );

      // The ledger: one refund row of 25.00, posted by the job, and totals that agree.
      const core = (
        await t.admin({ method: 'GET', url: `/admin/orders?merchant_id=${m.id}&dialect=backd` })
      ).json() as { data: { id: string }[] };
      const ledger = (
        await t.admin({ method: 'GET', url: `/admin/orders/${core.data[0]!.id}` })
      ).json() as {
        status: string;
        captured_minor: number;
        refunded_minor: number;
        transactions: { type: string; amount_minor: number; actor: string }[];
      };
      assert.equal(ledger.captured_minor, 9150);
      assert.equal(ledger.refunded_minor, 2500);
      assert.equal(ledger.status, 'partially_refunded');
      assert.deepEqual(
        ledger.transactions.map((x) => [x.type, x.amount_minor, x.actor]),
        [
          ['purchase', 9150, `credential:${m.secretKey.slice(0, 9)}`],
          ['refund', 2500, 'job:refund-request-locker'],
        ],
      );
      const again = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(
        (again.json() as { jobs: Record<string, number> }).jobs['refund-request-locker'],
        0,
      );

      // Every event reached the receiver, signed, in the standard format.
      const expected = [
        'order.created',
        'order.terms_selected',
        'order.placed',
        'order.confirmed',
        'refund_request.submitted',
        'refund_request.declined',
        'refund_request.submitted',
        'refund_request.locked',
        'order.refunded',
      ];
      await receiver.waitForRequests(expected.length);
      const hooks = receiver.requestsTo('/backd-hooks').map((r) => {
        const nowSeconds = Number(r.headers['webhook-timestamp']);
        verifyWebhook(secret, r.headers, r.body, { nowSeconds });
        return JSON.parse(r.body) as StandardWebhook;
      });
      const byTime = [...hooks].sort((a, b) => (a.data.event_id < b.data.event_id ? -1 : 1));
      assert.deepEqual(
        byTime.map((h) => h.type),
        expected,
      );
      const declined = byTime.find((h) => h.type === 'refund_request.declined')!;
      assert.equal(declined.data.refund_request?.amount_minor, 4000);
      assert.equal(declined.data.refund_request?.decline_reason, 'replaced');
      const locked = byTime.find((h) => h.type === 'refund_request.locked')!;
      assert.equal(locked.data.refund_request?.status, 'approved');
      const settled = byTime.find((h) => h.type === 'order.refunded')!;
      assert.equal(settled.data.refund_request?.status, 'refunded');
      assert.equal(settled.data.refund_request?.amount_minor, 2500);
      assert.equal(settled.data.backd_order?.status, 'refund');
      assert.equal(settled.data.order.refunded.minor, 2500);
      assert.deepEqual(
        settled.data.transactions?.map((x) => [x.type, x.amount_minor]),
        [['refund', 2500]],
      );
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
