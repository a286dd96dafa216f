/**
 * Proves reconciliation end to end over HTTP with a real webhook receiver: three redeem orders
 * through the Points API and hosted checkout, a report listing two payments, a dry run inside the
 * grace period (nothing reversed, the missing payment reported), the test clock moved past it,
 * the run applied (exactly one order auto-refunded, the wallet restored, one `auto_refunded`
 * Points webhook) and applied again (nothing changes); then every other discrepancy (reported,
 * never acted on), the exports, bad input in the admin shape, a report over the global body limit,
 * and the folder job; on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { redeemViaCheckout } from '../support/points.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { onEveryStore, type StoreFactory } from '../support/stores.js';

const HEADER = 'order_reference,transaction_reference,type,amount,currency,settled_at';
const FROM = '2026-11-23T00:00:00Z';
const TO = '2026-11-24T00:00:00Z';
const PHONE = '512345678';

interface RunBody {
  id: string;
  status: string;
  summary: Record<string, number>;
}
interface FindingBody {
  kind: string;
  line: number | null;
  order_id: string | null;
  order_reference: string | null;
  type: string | null;
  expected_minor: number | null;
  reported_minor: number | null;
  action: string;
  action_detail: string | null;
  message: string;
}

function defineReconciliationSuite(factory: StoreFactory, skip?: string): void {
  describe(`reconciliation end to end: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let apiKey: string;
    let publicKey: string;
    let merchantId: string;
    let folder: string;
    const uuids: string[] = [];
    let runId: string;
    let seen = 0;

    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({
        method,
        url: `/points/api/v1${url}`,
        headers: { 'x-api-key': apiKey },
        ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      });
    /** A run over this merchant's Points orders (the scope every run must name). */
    const reconcile = (query: string, body: string, type = 'text/csv') =>
      t.admin({
        method: 'POST',
        url: `/admin/reconciliations?merchant_id=${merchantId}&dialect=points&${query}`,
        headers: { 'content-type': type },
        payload: body,
      });
    const balance = async () =>
      (
        (await t.admin({ method: 'GET', url: `/admin/points/customers/${PHONE}` })).json() as {
          balance: number;
        }
      ).balance;
    const orderStatus = async (uuid: string) =>
      ((await api('GET', `/orders/${uuid}`)).json() as { data: { order_status: string } }).data
        .order_status;
    const readRun = async (id: string) =>
      (await t.admin({ method: 'GET', url: `/admin/reconciliations/${id}` })).json() as RunBody & {
        findings: FindingBody[];
      };
    const autoRefundEvents = async () =>
      (
        (
          await t.admin({ method: 'GET', url: '/admin/events?type=order.auto_refunded' })
        ).json() as { data: unknown[] }
      ).data.length;
    /** Runs due jobs (webhook delivery) and returns the Points events that arrived since. */
    async function hooks(count: number): Promise<string[]> {
      const run = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(run.statusCode, 200, run.body);
      const all = await receiver.waitForRequests(seen + count, 5000);
      const fresh = all.slice(seen);
      seen = all.length;
      assert.equal(fresh.length, count);
      return fresh.map((r) => (JSON.parse(r.body) as { event: string }).event);
    }
    const paymentRow = (uuid: string, ref: string, amount = '50.00', currency = 'SAR') =>
      `${uuid},${ref},payment,${amount},${currency},2026-11-23T18:00:00Z`;

    before(async () => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-reconcile-'));
      t = await startTestApp(factory, { reconcileDir: folder });
      receiver = await startReceiver();
      const res = await t.admin({
        method: 'POST',
        url: '/admin/merchants',
        // Its checkouts wait for the merchant's /complete (approved, then completed).
        payload: { name: 'Reconciled Perfumes', settings: { checkout_capture: 'manual' } },
      });
      const body = res.json() as {
        id: string;
        credentials: { points: { api_key: string; public_key: string } };
      };
      merchantId = body.id;
      apiKey = body.credentials.points.api_key;
      publicKey = body.credentials.points.public_key;
      const hook = await api('POST', '/webhooks', {
        name: 'orders',
        url: `${receiver.url}/points`,
      });
      assert.equal(hook.statusCode, 200, hook.body);
      await t.admin({
        method: 'POST',
        url: '/admin/points/customers',
        payload: { phone_number: PHONE, balance: 1000 },
      });
      // Three redeem orders: 100 points and the rest in cash each, completed (captured) at 12:00.
      for (const n of [1, 2, 3]) {
        const uuid = await redeemViaCheckout(
          t,
          publicKey,
          { total_price: 50, order_number: `REC-${n}` },
          { phoneNumber: PHONE, redeemPoints: 100 },
        );
        const done = await api('POST', `/orders/${uuid}/complete`, { payment_method: '2' });
        assert.equal(done.statusCode, 200, done.body);
        uuids.push(uuid);
      }
      assert.equal(await balance(), 700);
      assert.deepEqual((await hooks(6)).sort(), [
        'approved',
        'approved',
        'approved',
        'completed',
        'completed',
        'completed',
      ]);
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('a dry run inside the grace period reverses nothing and reports the missing payment', async () => {
      await t.admin({ method: 'POST', url: '/admin/clock/advance', payload: { seconds: 3600 } });
      const report = [HEADER, paymentRow(uuids[0]!, 'T-1'), paymentRow(uuids[1]!, 'T-2')].join(
        '\n',
      );
      const res = await reconcile(`from=${FROM}&to=${TO}&apply=false`, `${report}\n`);
      assert.equal(res.statusCode, 201, res.body);
      const run = res.json() as RunBody;
      runId = run.id;
      assert.equal(run.status, 'completed');
      assert.equal(run.summary['rows'], 2);
      assert.equal(run.summary['matched'], 2);
      assert.equal(run.summary['missing_in_report'], 1);
      assert.equal(run.summary['pending_grace'], 1);
      assert.equal(run.summary['auto_refund'], 0);
      const read = await readRun(runId);
      assert.equal(read.findings.length, 1);
      assert.equal(read.findings[0]?.kind, 'missing_in_report');
      assert.equal(read.findings[0]?.order_id, uuids[2]);
      assert.equal(read.findings[0]?.type, 'payment');
      assert.equal(read.findings[0]?.expected_minor, 5000);
      assert.equal(read.findings[0]?.action, 'pending_grace');
      // Applying inside the grace period re-checks and still reverses nothing.
      const early = await t.admin({ method: 'POST', url: `/admin/reconciliations/${runId}/apply` });
      assert.equal(early.statusCode, 200, early.body);
      assert.equal((early.json() as RunBody).summary['pending_grace'], 1);
      assert.equal((early.json() as RunBody).summary['auto_refunded'], 0);
      assert.equal(await orderStatus(uuids[2]!), 'approved');
      assert.equal(await balance(), 700);
      assert.equal(await autoRefundEvents(), 0);
      assert.deepEqual(await hooks(0), []);
    });

    it('past the grace period, applying reverses exactly the one order, once', async () => {
      await t.admin({
        method: 'POST',
        url: '/admin/clock/advance',
        payload: { seconds: 48 * 3600 },
      });
      const res = await t.admin({ method: 'POST', url: `/admin/reconciliations/${runId}/apply` });
      assert.equal(res.statusCode, 200, res.body);
      const run = res.json() as RunBody;
      assert.equal(run.status, 'applied');
      assert.equal(run.summary['auto_refunded'], 1);
      assert.equal(run.summary['pending_grace'], 0);
      assert.equal(await orderStatus(uuids[2]!), 'fully_refunded');
      assert.equal(await orderStatus(uuids[0]!), 'approved');
      assert.equal(await orderStatus(uuids[1]!), 'approved');
      assert.equal(await balance(), 800, 'the 100 redeemed points are back');
      assert.equal(await autoRefundEvents(), 1);
      const events = await t.admin({
        method: 'GET',
        url: `/admin/events?type=order.auto_refunded&order_id=${uuids[2]}`,
      });
      const event = (events.json() as { data: { actor: string; reason: string }[] }).data[0];
      assert.equal(event?.actor, 'job:reconciliation');
      assert.equal(event?.reason, 'auto_refund_missing_transaction');

      assert.deepEqual(await hooks(1), ['auto_refunded']);
      const hook = JSON.parse(receiver.requests.at(-1)!.body) as {
        event: string;
        order: Record<string, unknown>;
      };
      assert.equal(hook.order['id'], uuids[2]);
      assert.equal(hook.order['order_status'], 'fully_refunded');
      assert.equal(hook.order['reason'], 'auto_refund_missing_transaction');
      assert.equal(hook.order['type'], 'replacing');
      assert.equal(hook.order['refund_amount'], 50);
      assert.equal(hook.order['refund_points'], 100);

      // Applying again, and a new applied run over the same report, change nothing.
      const again = await t.admin({ method: 'POST', url: `/admin/reconciliations/${runId}/apply` });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((again.json() as RunBody).summary['auto_refunded'], 1);
      const report = [HEADER, paymentRow(uuids[0]!, 'T-1'), paymentRow(uuids[1]!, 'T-2')].join(
        '\n',
      );
      const second = await reconcile(`from=${FROM}&to=${TO}&apply=true`, report);
      assert.equal(second.statusCode, 201, second.body);
      const secondRun = second.json() as RunBody;
      assert.equal(secondRun.status, 'applied');
      assert.equal(secondRun.summary['auto_refunded'], 0);
      assert.equal(secondRun.summary['auto_refund'], 0);
      assert.equal(await balance(), 800);
      assert.equal(await autoRefundEvents(), 1);
      assert.deepEqual(await hooks(0), []);
    });

    it('every other discrepancy is reported with its line and never acted on', async () => {
      const report = [
        HEADER,
        paymentRow(uuids[0]!, 'T-1', '49.99'), // amount mismatch
        paymentRow(uuids[1]!, 'T-2', '50.00', 'USD'), // currency mismatch
        paymentRow('00000000-0000-7000-8000-000000000000', 'T-3'), // no such order
        `${uuids[0]},T-4,refund,10.00,SAR,2026-11-23T18:00:00Z`, // refund Unwind never made
        paymentRow(uuids[2]!, 'T-1'), // duplicate reference (and the payment of #3)
        `${uuids[0]},T-5,payment,1.234,SAR,2026-11-23T18:00:00Z`, // too many decimals
        `${uuids[0]},T-6,payment,-5.00,SAR,2026-11-23T18:00:00Z`, // negative
        `${uuids[0]},T-7,payment,5.00,SAR`, // a field short
        `${uuids[0]},T-8,charge,5.00,SAR,2026-11-23T18:00:00Z`, // unknown type
        `${uuids[0]},T-9,payment,5.00,SAR,23/11/2026`, // not ISO 8601
        '"unterminated,T-10,payment,5.00,SAR,2026-11-23T18:00:00Z',
      ].join('\r\n');
      const res = await reconcile(`from=${FROM}&to=${TO}&apply=true`, report);
      assert.equal(res.statusCode, 201, res.body);
      const run = res.json() as RunBody;
      assert.equal(run.summary['rows'], 11);
      assert.equal(run.summary['malformed_rows'], 6);
      assert.equal(run.summary['amount_mismatch'], 1);
      assert.equal(run.summary['currency_mismatch'], 1);
      assert.equal(run.summary['unknown_order'], 1);
      assert.equal(run.summary['missing_in_unwind'], 1);
      assert.equal(run.summary['duplicate'], 1);
      assert.equal(run.summary['auto_refunded'], 0);
      const findings = (await readRun(run.id)).findings;
      const malformed = findings.filter((f) => f.kind === 'malformed_row');
      assert.deepEqual(
        malformed.map((f) => f.line),
        [7, 8, 9, 10, 11, 12],
      );
      const byKind = (kind: string) => findings.filter((f) => f.kind === kind);
      assert.equal(byKind('amount_mismatch')[0]?.line, 2);
      assert.equal(byKind('amount_mismatch')[0]?.expected_minor, 5000);
      assert.equal(byKind('amount_mismatch')[0]?.reported_minor, 4999);
      assert.equal(byKind('currency_mismatch')[0]?.line, 3);
      assert.deepEqual(
        byKind('unknown_order').map((f) => [f.line, f.order_id]),
        [[4, null]],
      );
      assert.deepEqual(
        byKind('missing_in_unwind').map((f) => [f.line, f.order_id]),
        [[5, uuids[0]]],
      );
      assert.equal(byKind('duplicate')[0]?.line, 6);
      assert.ok(findings.every((f) => f.action === 'none'));
      // The auto-refunded order is paid per the report; no order changed.
      assert.equal(await orderStatus(uuids[0]!), 'approved');
      assert.equal(await balance(), 800);
      assert.equal(await autoRefundEvents(), 1);
    });

    it('JSON lines work like CSV, and exports list every finding as CSV and JSON', async () => {
      const rows = [
        {
          order_reference: uuids[0],
          transaction_reference: 'T-1',
          type: 'payment',
          amount: '50.00',
          currency: 'SAR',
          settled_at: '2026-11-23T18:00:00Z',
        },
        {
          order_reference: uuids[1],
          transaction_reference: 'T-2',
          type: 'payment',
          amount: 50,
          currency: 'SAR',
          settled_at: '2026-11-23T18:00:00+03:00',
        },
        {
          order_reference: uuids[2],
          transaction_reference: 'T-3',
          type: 'payment',
          amount: '50.00',
          currency: 'SAR',
          settled_at: '2026-11-23T18:00:00Z',
          extra: 1,
        },
      ];
      const body = `${rows.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`;
      const res = await reconcile(`from=${FROM}&to=${TO}`, body, 'application/x-ndjson');
      assert.equal(res.statusCode, 201, res.body);
      const run = res.json() as RunBody;
      assert.equal(run.summary['rows'], 4);
      assert.equal(run.summary['matched'], 2);
      assert.equal(run.summary['malformed_rows'], 2);
      // Order #3's payment row was malformed (its refund falls after the range).
      assert.equal(run.summary['missing_in_report'], 1);
      assert.equal(run.summary['auto_refund'], 0, 'a refunded order has nothing left to reverse');

      const csv = await t.admin({
        method: 'GET',
        url: `/admin/reconciliations/${run.id}?format=csv`,
      });
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const lines = csv.body.trim().split('\n');
      assert.equal(lines[0]?.split(',')[0], 'seq');
      assert.equal(lines.length, 1 + 3);
      const json = await t.admin({
        method: 'GET',
        url: `/admin/reconciliations/${run.id}?format=json`,
      });
      assert.equal(json.statusCode, 200);
      const exported = json.json() as { run: RunBody; findings: FindingBody[] };
      assert.equal(exported.run.id, run.id);
      assert.deepEqual(
        exported.findings.map((f) => [f.kind, f.line]),
        [
          ['malformed_row', 3],
          ['malformed_row', 4],
          ['missing_in_report', null],
        ],
      );
    });

    it('bad input answers in the admin shape with the right status, code and field', async () => {
      type ErrorBody = { error: { code: string; issues?: { path: string }[] } };
      /** The status, the admin error code and the paths of its field issues. */
      const shape = (r: { statusCode: number; json(): unknown }) => {
        const { error } = r.json() as ErrorBody;
        return [r.statusCode, error.code, (error.issues ?? []).map((i) => i.path)];
      };
      const unknownRun = await t.admin({ method: 'GET', url: '/admin/reconciliations/none' });
      assert.deepEqual(shape(unknownRun), [404, 'reconciliation.not_found', []]);
      const missing = await t.admin({
        method: 'POST',
        url: '/admin/reconciliations/0190aaaa-0000-7000-8000-000000000000/apply',
      });
      assert.deepEqual(shape(missing), [404, 'reconciliation.not_found', []]);
      const header = await reconcile(`from=${FROM}&to=${TO}`, 'order,amount\nx,1\n');
      assert.equal(header.statusCode, 422, header.body);
      assert.equal((header.json() as ErrorBody).error.code, 'validation.failed');
      const empty = await reconcile(`from=${FROM}&to=${TO}`, '');
      assert.equal(empty.statusCode, 422, empty.body);
      assert.equal((empty.json() as ErrorBody).error.code, 'validation.failed');
      const backwards = await reconcile(`from=${TO}&to=${FROM}`, HEADER);
      assert.deepEqual(shape(backwards), [422, 'validation.failed', ['to']]);
      const noRange = await reconcile('apply=true', HEADER);
      assert.deepEqual(shape(noRange), [422, 'validation.failed', ['from', 'to']]);
      const json = await t.admin({
        method: 'POST',
        url: `/admin/reconciliations?merchant_id=${merchantId}&dialect=points&from=${FROM}&to=${TO}`,
        payload: { rows: [] },
      });
      assert.deepEqual(shape(json), [415, 'http.unsupported_media_type', []]);
      const format = await t.admin({
        method: 'GET',
        url: `/admin/reconciliations/${runId}?format=xml`,
      });
      assert.deepEqual(shape(format), [422, 'validation.failed', ['format']]);
      const noAuth = await t.app.inject({
        method: 'POST',
        url: `/admin/reconciliations?from=${FROM}&to=${TO}`,
        headers: { 'content-type': 'text/csv' },
        payload: HEADER,
      });
      assert.deepEqual(shape(noAuth), [401, 'auth.missing', []]);
    });

    it('the grace period is a merchant setting, checked like the others', async () => {
      const url = `/admin/merchants/${merchantId}`;
      const bad = await t.admin({
        method: 'PATCH',
        url,
        payload: { settings: { auto_refund_grace_hours: -1 } },
      });
      assert.equal(bad.statusCode, 422, bad.body);
      const fraction = await t.admin({
        method: 'PATCH',
        url,
        payload: { settings: { auto_refund_grace_hours: 1.5 } },
      });
      assert.equal(fraction.statusCode, 422, fraction.body);
      const set = await t.admin({
        method: 'PATCH',
        url,
        payload: { settings: { auto_refund_grace_hours: 1000 } },
      });
      assert.equal(set.statusCode, 200, set.body);
      assert.equal(
        (set.json() as { settings: { auto_refund_grace_hours: number } }).settings
          .auto_refund_grace_hours,
        1000,
      );
      // A media type with parameters is still a report.
      const res = await reconcile(
        `from=${FROM}&to=${TO}`,
        `${HEADER}\n${paymentRow(uuids[0]!, 'T-1')}\n`,
        'text/csv; charset=utf-8',
      );
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as RunBody).summary['matched'], 1);
    });

    it('a report larger than the global body limit is read in full', async () => {
      // About 1.5 MiB of rows against a 1 MiB global limit; none of these orders exists.
      const row = (i: number) =>
        `ORDER-${String(i).padStart(12, '0')},TX-${i},payment,1.00,SAR,2026-11-23T18:00:00Z`;
      const rows = Array.from({ length: 20_000 }, (_, i) => row(i));
      const body = `${HEADER}\n${rows.join('\n')}\n`;
      assert.ok(body.length > 1_048_576);
      const res = await reconcile(`from=${FROM}&to=${TO}`, body);
      assert.equal(res.statusCode, 201, res.body);
      const run = res.json() as RunBody;
      assert.equal(run.summary['rows'], 20_000);
      assert.equal(run.summary['unknown_order'], 20_000);

      // Only the report streams past the global limit: a JSON body of the same size is refused
      // before it is buffered, not parsed first and refused for its type after.
      const json = await t.admin({
        method: 'POST',
        url: `/admin/reconciliations?merchant_id=${merchantId}&dialect=points&from=${FROM}&to=${TO}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ rows }),
      });
      assert.equal(json.statusCode, 413, json.body);
      assert.equal((json.json() as { error: { code: string } }).error.code, 'http.body_too_large');
    });

    it("one order's rows adding up past 2^53 are reported exactly, not summed into a 500", async () => {
      // Each row within the amount bound; together 9008 × 10^12 − 1 minor units, odd and past
      // 2^53, which no order may hold and no double carries; one row past the bound is malformed.
      const rows = Array.from({ length: 9008 }, (_, i) =>
        paymentRow(uuids[1]!, `BIG-${i}`, i === 0 ? '9999999999.99' : '10000000000.00'),
      );
      rows.push(paymentRow(uuids[1]!, 'BIG-OVER', '10000000000.01'));
      const res = await reconcile(`from=${FROM}&to=${TO}`, `${HEADER}\n${rows.join('\n')}\n`);
      assert.equal(res.statusCode, 201, res.body);
      const run = await readRun((res.json() as RunBody).id);
      assert.equal(run.status, 'completed');
      // The malformed row has no order; the group's finding keeps no amount past the bound.
      const mine = run.findings.filter((f) => f.order_reference === uuids[1]);
      assert.deepEqual(
        mine.map((f) => [f.kind, f.line, f.reported_minor, f.message]),
        [
          [
            'amount_mismatch',
            2,
            null,
            "the report's payments (9008 rows) add up to 9007999999999999 minor units, more than any order may hold",
          ],
        ],
      );
      const malformed = run.findings.filter((f) => f.kind === 'malformed_row');
      assert.deepEqual(
        malformed.map((f) => [f.line, f.message]),
        [[9010, 'amount must be greater than zero and at most 10000000000.00 SAR']],
      );
    });

    it('the folder job reconciles dropped reports and moves them aside', async () => {
      const report = [HEADER, paymentRow(uuids[0]!, 'T-1'), paymentRow(uuids[1]!, 'T-2')].join(
        '\n',
      );
      const named = `${merchantId}.points.2026-11-23--2026-11-24.csv`;
      fs.writeFileSync(path.join(folder, named), report);
      fs.writeFileSync(path.join(folder, `${merchantId}.points.report-without-range.csv`), report);
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'left alone');
      const run = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(run.statusCode, 200, run.body);
      assert.deepEqual(fs.readdirSync(folder).sort(), [
        'failed',
        'notes.txt',
        'processed',
        'processing',
      ]);
      assert.deepEqual(fs.readdirSync(path.join(folder, 'processed')).sort(), [
        named,
        `${named}.run.json`,
      ]);
      assert.deepEqual(fs.readdirSync(path.join(folder, 'failed')).sort(), [
        `${merchantId}.points.report-without-range.csv`,
        `${merchantId}.points.report-without-range.csv.error.txt`,
      ]);
      const note = JSON.parse(
        fs.readFileSync(path.join(folder, 'processed', `${named}.run.json`), 'utf8'),
      ) as RunBody & { merchant_id: string; dialect: string };
      assert.equal(note.status, 'completed');
      assert.equal(note.summary['matched'], 2);
      assert.deepEqual([note.merchant_id, note.dialect], [merchantId, 'points']);
      const stored = await readRun(note.id);
      assert.equal(stored.status, 'completed');
      assert.equal((stored as unknown as { source: string }).source, `folder:${named}`);
    });
  });
}

await onEveryStore(defineReconciliationSuite);
