// Proves that a reconciliation run touches only the merchant and face it names, against a real
// `unwind serve` process over HTTP (and the real CLI and folder job), on SQLite and PostgreSQL.
// Two merchants, two faces: merchant A has Points redeem orders and MPG orders, merchant B has
// Points redeem orders, all captured and past the grace period. A's Points report, applied over
// the admin API, the CLI and the folder job, auto-refunds only A's Points order it lacks; B's
// orders and A's MPG orders keep every ledger row, event and wallet entry, and appear in no
// finding. A report row naming them reads exactly like an order that does not exist. A run
// without a scope is refused everywhere (422, CLI exit 2, folder `failed/`), and stores nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cardOrder } from '../support/mpg.js';
import { redeemAndComplete } from '../support/points.js';
import {
  killAllServers,
  runCli,
  type ServerProcess,
  startServer,
} from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const START = '2026-11-23T12:00:00.000Z';
const RANGE = 'from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z';
const HEADER = 'order_reference,transaction_reference,type,amount,currency,settled_at';
const NO_SUCH_ORDER = '00000000-0000-7000-8000-000000000000';
const PHONE_A = '512345671';
const PHONE_B = '512345672';

interface Finding {
  kind: string;
  line: number | null;
  order_reference: string | null;
  order_id: string | null;
  merchant_id: string | null;
  expected_minor: number | null;
  expected_currency: string | null;
  message: string;
  action: string;
}

const row = (order: string, ref: string, amount = '50.00') =>
  `${order},${ref},payment,${amount},SAR,2026-11-23T18:00:00Z`;

function suite(factory: StoreFactory, skip?: string) {
  describe(`reconciliation scope over HTTP: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let server: ServerProcess;
    let folder: string;
    let merchantA: string;
    let merchantB: string;
    const pointsA: string[] = [];
    const pointsB: string[] = [];
    const mpgA: string[] = [];
    /** Everything about the orders outside A's Points scope, as the admin API shows it. */
    let untouched: unknown;

    /** The orders, their ledger rows and events, B's wallet and events, read now. */
    async function outsideScope() {
      const orders = [];
      for (const id of [...pointsB, ...mpgA]) {
        orders.push({
          order: await server.call('GET', `/admin/orders/${id}`, undefined, 200),
          events: await server.call('GET', `/admin/events?order_id=${id}`, undefined, 200),
        });
      }
      return {
        orders,
        walletB: await server.call('GET', `/admin/points/customers/${PHONE_B}`, undefined, 200),
        eventsB: await server.call('GET', `/admin/events?merchant_id=${merchantB}`, undefined, 200),
      };
    }

    /** A Points redeem order of 50 SAR, 100 points of it redeemed, completed (captured). */
    let orderNumber = 0;
    const redeem = (credentials: { api_key: string; public_key: string }, phone: string) =>
      redeemAndComplete(
        server,
        credentials,
        { total_price: 50, order_number: `SCOPE-${++orderNumber}` },
        { phoneNumber: phone, redeemPoints: 100 },
      );

    async function purchase(apiKey: string) {
      const body = await server.call(
        'POST',
        '/mpg/v1/orders/purchase',
        cardOrder('Scope test'),
        200,
        { token: apiKey },
      );
      return body.id as string;
    }

    const reconcile = (query: string, report: string) =>
      fetch(`${server.url}/admin/reconciliations?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
        body: report,
        signal: AbortSignal.timeout(15_000),
      });
    const findingsOf = async (runId: string): Promise<Finding[]> =>
      (await server.call('GET', `/admin/reconciliations/${runId}?format=json`, undefined, 200))
        .findings;
    const runCount = async () =>
      (await server.call('GET', '/admin/reconciliations?limit=100', undefined, 200)).data.length;
    /** No finding names an order outside the scope, by id or by merchant. */
    const assertOnlyScope = (findings: Finding[]) => {
      for (const f of findings) {
        assert.ok(![...pointsB, ...mpgA].includes(f.order_id ?? ''), JSON.stringify(f));
        assert.ok(f.merchant_id === null || f.merchant_id === merchantA, JSON.stringify(f));
      }
    };

    before(async () => {
      store = await factory.create();
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-scope-'));
      server = await startServer({
        env: {
          ...store.env,
          UNWIND_TEST_CLOCK: '1',
          UNWIND_WORKERS: '0',
          UNWIND_RECONCILE_DIR: folder,
        },
        logLevel: 'warn',
      });
      await server.call('POST', '/admin/clock', { now: START }, 200);
      const a = await server.call('POST', '/admin/merchants', { name: 'Shop A' }, 201);
      const b = await server.call('POST', '/admin/merchants', { name: 'Shop B' }, 201);
      merchantA = a.id;
      merchantB = b.id;
      for (const phone of [PHONE_A, PHONE_B]) {
        await server.call(
          'POST',
          '/admin/points/customers',
          { phone_number: phone, balance: 1000 },
          201,
        );
      }
      for (let n = 0; n < 2; n++) {
        pointsA.push(await redeem(a.credentials.points, PHONE_A));
        pointsB.push(await redeem(b.credentials.points, PHONE_B));
        mpgA.push(await purchase(a.credentials.mpg.api_key));
      }
      // Past every order's 48-hour grace period: each would be auto-refunded if it were reached.
      await server.call('POST', '/admin/clock/advance', { seconds: 49 * 3600 }, 200);
      untouched = await outsideScope();
    });

    after(async () => {
      await server?.stop().catch(() => undefined);
      await killAllServers();
      await store?.cleanup();
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });

    it("A's Points report, applied, refunds only A's missing Points order", async () => {
      const report = [
        HEADER,
        row(pointsA[0]!, 'T-1'),
        row(pointsB[0]!, 'T-2'), // another merchant's order
        row(mpgA[0]!, 'T-3', '100.00'), // the same merchant's order on another face
        row(NO_SUCH_ORDER, 'T-4'),
      ].join('\n');
      const res = await reconcile(
        `merchant_id=${merchantA}&dialect=points&${RANGE}&apply=true`,
        `${report}\n`,
      );
      assert.equal(res.status, 201, await res.clone().text());
      const run = (await res.json()) as {
        id: string;
        status: string;
        merchant_id: string;
        dialect: string;
        summary: Record<string, number>;
      };
      assert.equal(run.status, 'applied');
      assert.deepEqual([run.merchant_id, run.dialect], [merchantA, 'points']);
      assert.equal(run.summary['matched'], 1);
      assert.equal(run.summary['unknown_order'], 3);
      assert.equal(run.summary['missing_in_report'], 1);
      assert.equal(run.summary['auto_refunded'], 1);

      const findings = await findingsOf(run.id);
      assertOnlyScope(findings);
      const missing = findings.filter((f) => f.kind === 'missing_in_report');
      assert.deepEqual(
        missing.map((f) => [f.order_id, f.action]),
        [[pointsA[1], 'auto_refunded']],
      );
      // Another merchant's order, another face's and none at all read the same: nothing says
      // that the first two exist.
      const unknown = findings.filter((f) => f.kind === 'unknown_order');
      assert.deepEqual(
        unknown.map((f) => f.order_reference),
        [NO_SUCH_ORDER, pointsB[0], mpgA[0]].sort(),
      );
      const sameness = unknown.map((f) => [
        f.kind,
        f.message,
        f.order_id,
        f.merchant_id,
        f.expected_minor,
        f.expected_currency,
        f.action,
      ]);
      for (const f of sameness) assert.deepEqual(f, sameness[0]);
      assert.equal(unknown[0]?.order_id, null);
      assert.equal(unknown[0]?.merchant_id, null);
      assert.equal(unknown[0]?.expected_currency, null);
      assert.equal(unknown[0]?.action, 'none');

      const refunded = await server.call('GET', `/admin/orders/${pointsA[1]}`, undefined, 200);
      assert.equal(refunded.status, 'refunded');
      const walletA = await server.call(
        'GET',
        `/admin/points/customers/${PHONE_A}`,
        undefined,
        200,
      );
      assert.equal(walletA.balance, 1000 - 200 + 100, "A's redeemed points are back");
      assert.deepEqual(await outsideScope(), untouched);
      const autoRefunds = await server.call(
        'GET',
        '/admin/events?type=order.auto_refunded',
        undefined,
        200,
      );
      assert.deepEqual(
        autoRefunds.data.map((e: { order_id: string }) => e.order_id),
        [pointsA[1]],
      );

      // The runs list shows the scope.
      const listed = await server.call('GET', '/admin/reconciliations?limit=1', undefined, 200);
      assert.deepEqual(
        [listed.data[0].id, listed.data[0].merchant_id, listed.data[0].dialect],
        [run.id, merchantA, 'points'],
      );
    });

    it("A's MPG run reports only A's MPG orders and acts on none", async () => {
      const res = await reconcile(
        `merchant_id=${merchantA}&dialect=mpg&${RANGE}&apply=true`,
        `${HEADER}\n`,
      );
      assert.equal(res.status, 201, await res.clone().text());
      const run = (await res.json()) as { id: string; summary: Record<string, number> };
      const findings = await findingsOf(run.id);
      assert.deepEqual(findings.map((f) => [f.kind, f.order_id, f.action]).sort(), [
        ['missing_in_report', mpgA[0], 'none'],
        ['missing_in_report', mpgA[1], 'none'],
      ]);
      assert.deepEqual(await outsideScope(), untouched);
    });

    it('a run without a scope, with the admin face or an unknown merchant stores nothing', async () => {
      type ErrorBody = { error: { code: string; issues?: { path: string }[] } };
      const shape = async (res: Response) => {
        const { error } = (await res.json()) as ErrorBody;
        return [res.status, error.code, (error.issues ?? []).map((i) => i.path)];
      };
      const runs = await runCount();
      const report = `${HEADER}\n`;
      assert.deepEqual(await shape(await reconcile(`${RANGE}&apply=true`, report)), [
        422,
        'validation.failed',
        ['merchant_id', 'dialect'],
      ]);
      assert.deepEqual(
        await shape(await reconcile(`merchant_id=${merchantA}&${RANGE}&apply=true`, report)),
        [422, 'validation.failed', ['dialect']],
      );
      assert.deepEqual(
        await shape(await reconcile(`merchant_id=${merchantA}&dialect=admin&${RANGE}`, report)),
        [422, 'validation.failed', ['dialect']],
      );
      assert.deepEqual(
        await shape(await reconcile(`merchant_id=no-such-shop&dialect=points&${RANGE}`, report)),
        [404, 'merchant.not_found', []],
      );
      assert.equal(await runCount(), runs);
      assert.deepEqual(await outsideScope(), untouched);
    });

    it('the CLI refuses a run without --merchant and --dialect, and keeps to the scope', async () => {
      const file = path.join(folder, 'cli-report.txt');
      fs.writeFileSync(file, `${HEADER}\n`);
      const base = ['reconcile', '--report', file, '--format', 'csv'];
      const range = ['--from', '2026-11-23T00:00:00Z', '--to', '2026-11-24T00:00:00Z'];
      const runs = await runCount();
      const unscoped = await runCli([...base, ...range, '--apply'], store.env);
      assert.equal(unscoped.code, 2, unscoped.stdout);
      assert.match(
        unscoped.stderr,
        /missing --merchant <merchant id> and --dialect <points\|backd\|mpg>: a settlement report is one merchant's, from one face/,
      );
      assert.equal(await runCount(), runs);

      const scoped = await runCli(
        [...base, '--merchant', merchantA, '--dialect', 'points', ...range, '--apply', '--json'],
        store.env,
      );
      assert.equal(scoped.code, 0, scoped.stderr);
      const run = JSON.parse(scoped.stdout) as { id: string; merchant_id: string };
      assert.equal(run.merchant_id, merchantA);
      const findings = await findingsOf(run.id);
      assertOnlyScope(findings);
      assert.deepEqual(
        [...new Set(findings.map((f) => f.order_id))].sort(),
        [...pointsA].sort(),
        "only A's Points orders are missing from an empty report",
      );
      assert.deepEqual(await outsideScope(), untouched);
    });

    it('the folder job reconciles a named scope and refuses a file without one', async () => {
      const report = `${HEADER}\n`;
      const scoped = `${merchantA}.points.2026-11-23--2026-11-24.apply.csv`;
      const unscoped = '2026-11-23--2026-11-24.apply.csv';
      const stranger = 'no-such-shop.points.2026-11-23--2026-11-24.apply.csv';
      for (const name of [scoped, unscoped, stranger]) {
        fs.writeFileSync(path.join(folder, name), report);
      }
      const runs = await runCount();
      const jobs = await server.http('POST', '/admin/jobs/run').catch((e: unknown) => e);
      assert.equal((jobs as { status?: number }).status, 200, `${String(jobs)}${server.tail()}`);
      assert.deepEqual(fs.readdirSync(path.join(folder, 'processed')).sort(), [
        scoped,
        `${scoped}.run.json`,
      ]);
      assert.deepEqual(fs.readdirSync(path.join(folder, 'failed')).sort(), [
        unscoped,
        `${unscoped}.error.txt`,
        stranger,
        `${stranger}.error.txt`,
      ]);
      const refusal = fs.readFileSync(path.join(folder, 'failed', `${unscoped}.error.txt`), 'utf8');
      assert.match(
        refusal,
        /^Refused, not reconciled: the file name must be <merchant_id>\.<dialect>\./,
      );
      const unknown = fs.readFileSync(path.join(folder, 'failed', `${stranger}.error.txt`), 'utf8');
      assert.match(unknown, /^Refused: \{"code":"merchant\.not_found"\}/);
      assert.equal(await runCount(), runs + 1);
      const note = JSON.parse(
        fs.readFileSync(path.join(folder, 'processed', `${scoped}.run.json`), 'utf8'),
      ) as { id: string; status: string; merchant_id: string; dialect: string };
      assert.deepEqual(
        [note.status, note.merchant_id, note.dialect],
        ['applied', merchantA, 'points'],
      );
      assertOnlyScope(await findingsOf(note.id));
      assert.deepEqual(await outsideScope(), untouched);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
