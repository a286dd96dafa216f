/**
 * The race drill: three `unwind serve` processes on ONE PostgreSQL schema take, at the same
 * moment and on the same orders, partial refunds (admin, Points, MPG), cancels (admin), Backd
 * refund-request replacements (while every process's locker job settles them) and MPG refunds
 * whose `transaction_id` is sent to all three processes at once. At the end:
 *  - `verifyLedger` finds no violation;
 *  - the over-refund count is zero: for every order the approved refunds sum to at most the
 *    approved captures, and the database's own totals (`refunded_minor`, `captured_minor`) agree;
 *  - every acknowledged (200) admin refund is in the ledger;
 *  - every MPG `transaction_id` produced at most one ledger row, whatever the number of sends.
 *
 *   npm run drill:race -- [--rounds 20]
 * `test/e2e/race-drill.test.ts` runs it in a bounded mode (skipped loudly without PostgreSQL).
 */
import crypto from 'node:crypto';
import { systemClock } from '../../src/app/clocks.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { verifyLedger, type Violation } from '../../src/app/verify.js';
import { basic, createBody } from '../support/backd.js';
import { cardOrder } from '../support/mpg.js';
import {
  type HttpOptions,
  type HttpResponse,
  killAllServers,
  type ServerProcess,
  startServer,
} from '../support/server-process.js';
import { postgresFactory, postgresUnavailable, type StoreFactory } from '../support/stores.js';

export interface RaceDrillOptions {
  readonly rounds: number;
  /** The store; PostgreSQL unless a test says otherwise (the drill is about one shared DB). */
  readonly factory?: StoreFactory;
  readonly log?: (line: string) => void;
}

export interface RaceDrillReport {
  readonly rounds: number;
  readonly orders: number;
  /** Requests sent, by outcome class: `2xx`, `4xx`, `5xx`, `network`. */
  readonly answers: Readonly<Record<string, number>>;
  readonly acknowledgedRefunds: number;
  readonly missingRefunds: readonly string[];
  /** Orders whose refunds exceed their captures, or whose stored totals disagree. */
  readonly overRefunds: readonly string[];
  /** MPG transaction_ids that produced more than one ledger row. */
  readonly duplicatedTransactionIds: readonly string[];
  readonly backdRequests: number;
  /** Backd requests still `approved` at the end: locked, but their settlement cannot run. */
  readonly unsettledBackdRequests: number;
  /** `POST /admin/jobs/run` calls that did not drain the jobs within 5 s. */
  readonly undrainedJobRuns: number;
  readonly violations: readonly Violation[];
  /** The first 5xx answers (request and body) and network failures (request and error). */
  readonly serverErrors: readonly string[];
  /** The error message the servers logged for every 5xx they answered. */
  readonly failureLogs: readonly string[];
}

const SERVERS = 3;
/** Minor units of every order: 100.00. */
const ORDER_MINOR = 10_000;

const num = (v: unknown): number => Number(v ?? 0);

export async function runRaceDrill(o: RaceDrillOptions): Promise<RaceDrillReport> {
  const log = o.log ?? (() => undefined);
  const testStore = await (o.factory ?? postgresFactory).create();
  const answers: Record<string, number> = { '2xx': 0, '4xx': 0, '5xx': 0, network: 0 };
  const ackRefunds = new Map<string, string>(); // transaction id → order id
  const sentTransactionIds: string[] = [];
  const serverErrors: string[] = [];
  let undrainedJobRuns = 0;
  let orders = 0;
  try {
    // Workers on: each process's refund-request locker settles Backd requests while they race.
    // Test clocks (one per process, moved together) take Backd requests past their lock
    // deadline without waiting for the next business day.
    const servers: ServerProcess[] = await Promise.all(
      Array.from({ length: SERVERS }, () =>
        startServer({ env: { ...testStore.env, UNWIND_TEST_CLOCK: '1' }, logLevel: 'warn' }),
      ),
    );
    const first = servers[0]!;
    const any = () => servers[crypto.randomInt(SERVERS)]!;

    /** Sends one request and counts its outcome; a network error is counted, not thrown. */
    const call = async (
      server: ServerProcess,
      method: string,
      path: string,
      body: unknown,
      options: HttpOptions = {},
    ): Promise<HttpResponse | null> => {
      try {
        const r = await server.http(method, path, body, options);
        answers[`${Math.floor(r.status / 100)}xx`] =
          (answers[`${Math.floor(r.status / 100)}xx`] ?? 0) + 1;
        if (r.status >= 500 && serverErrors.length < 20) {
          serverErrors.push(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
        }
        return r;
      } catch (error) {
        answers['network'] = (answers['network'] ?? 0) + 1;
        if (serverErrors.length < 20) {
          serverErrors.push(
            `${method} ${path} → ${(error as Error).name}: ${(error as Error).message}`,
          );
        }
        return null;
      }
    };
    const must = async (r: Promise<HttpResponse | null>, status: number, what: string) => {
      const res = await r;
      if (!res || res.status !== status) {
        throw new Error(`${what}: ${res?.status ?? 'network'} ${JSON.stringify(res?.body)}`);
      }
      return res;
    };
    // One time for all three processes: each has its own test clock, and a request approved by
    // one and settled by another must see the two instants in order.
    let clockMs = Date.now();
    const setClocks = () =>
      Promise.all(
        servers.map((s) =>
          must(
            call(s, 'POST', '/admin/clock', { now: new Date(clockMs).toISOString() }),
            200,
            'clock',
          ),
        ),
      );
    await setClocks();

    const sar = (
      await must(call(first, 'POST', '/admin/merchants', { name: 'Race SAR' }), 201, 'merchant')
    ).body;
    const usd = (
      await must(
        call(first, 'POST', '/admin/merchants', { name: 'Race USD', currency: 'USD' }),
        201,
        'merchant',
      )
    ).body;
    const merchantId = sar.id as string;
    const pointsAuth: HttpOptions = {
      token: null,
      headers: { 'x-api-key': sar.credentials.points.api_key },
    };
    const mpgAuth: HttpOptions = { token: sar.credentials.mpg.api_key };
    const backdAuth: HttpOptions = {
      token: null,
      headers: {
        authorization: basic(usd.credentials.backd.public_key, usd.credentials.backd.secret_key),
      },
    };

    const adminRefund = async (orderId: string, amountMinor: number) => {
      const r = await call(any(), 'POST', `/admin/orders/${orderId}/refund`, {
        amount_minor: amountMinor,
      });
      if (r?.status === 200) {
        const txs = (r.body as { transactions: { id: string; type: string }[] }).transactions;
        for (const t of txs) if (t.type === 'refund') ackRefunds.set(t.id, orderId);
      }
    };
    const adminCancel = (orderId: string) =>
      call(any(), 'POST', `/admin/orders/${orderId}/cancel`, { reason: 'race drill' });

    for (let round = 0; round < o.rounds; round++) {
      // The orders of this round, one per face, all captured for 100.00.
      const adminOrders = await Promise.all(
        [0, 1].map(async () => {
          const r = await must(
            call(any(), 'POST', '/admin/orders', {
              merchant_id: merchantId,
              amount_minor: ORDER_MINOR,
            }),
            201,
            'admin order',
          );
          return r.body.id as string;
        }),
      );
      const mpgOrder = (
        await must(
          call(
            any(),
            'POST',
            '/mpg/v1/orders/purchase',
            cardOrder('Race drill', ORDER_MINOR),
            mpgAuth,
          ),
          200,
          'mpg purchase',
        )
      ).body.id as string;
      const phone = `5${String(round).padStart(8, '0')}`;
      // The customer's account is activated, so the earning is awarded (not queued).
      await must(
        call(any(), 'POST', '/admin/points/customers', { phone_number: phone, balance: 0 }),
        201,
        'points customer',
      );
      const points = await must(
        call(
          any(),
          'POST',
          '/points/api/v1/orders/earning',
          {
            phone_number: `0${phone}`,
            total_price: 100,
            order_number: `RACE-${round}-${crypto.randomUUID()}`,
            products: [{ product_name: 'Oud', product_price: 100, quantity: 1 }],
          },
          pointsAuth,
        ),
        200,
        'points earning',
      );
      const pointsOrder = points.body.data.uuid as string;
      const backdCreated = await must(
        call(any(), 'POST', '/backd/create_order', createBody(), backdAuth),
        200,
        'backd create',
      );
      const ref = {
        backd_order_id: backdCreated.body.data.backd_order_id as string,
        merchant_order_id: 'JKLMO4321',
      };
      const token = String(backdCreated.body.data.customer_url).split('/').pop()!;
      await must(
        call(
          any(),
          'POST',
          `/backd/checkout/${token}`,
          { terms: 'net30' },
          { token: null, headers: { accept: 'application/json' } },
        ),
        200,
        'backd terms',
      );
      await must(call(any(), 'POST', '/backd/order_placed', ref, backdAuth), 200, 'placed');
      await must(call(any(), 'POST', '/backd/confirm_order', ref, backdAuth), 200, 'confirmed');
      orders += 5;

      // Everything at once, spread over the three processes.
      const work: Promise<unknown>[] = [];
      for (const [i, orderId] of [...adminOrders, mpgOrder].entries()) {
        // Twelve refunds of up to 20.00 each: together they ask for more than was captured.
        for (let k = 0; k < 12; k++) work.push(adminRefund(orderId, 1 + crypto.randomInt(2_000)));
        // One order of each pair is cancelled in the middle of its refunds.
        if (i === 0) work.push(adminCancel(orderId));
      }
      // MPG: three transaction_ids, each sent once to every process at the same moment.
      for (let k = 0; k < 3; k++) {
        const transactionId = crypto.randomUUID();
        sentTransactionIds.push(transactionId);
        for (const server of servers) {
          work.push(
            call(
              server,
              'POST',
              `/mpg/v1/orders/${mpgOrder}/refund`,
              { amount: 2_500, transaction_id: transactionId },
              mpgAuth,
            ),
          );
        }
      }
      // Points: partial refunds of 15.00 (more than the order in total) and an admin cancel.
      for (let k = 0; k < 8; k++) {
        work.push(
          call(
            any(),
            'POST',
            `/points/api/v1/orders/${pointsOrder}/refund`,
            { amount: 15, reason: 'race drill' },
            pointsAuth,
          ),
        );
      }
      // Backd: replacements race each other and the lockers; amounts up to 90.00 of 91.50.
      for (let k = 0; k < 9; k++) {
        work.push(
          call(
            servers[k % SERVERS]!,
            'POST',
            '/backd/refund',
            {
              ...ref,
              refund_amount: 10 * (k + 1),
            },
            backdAuth,
          ),
        );
      }
      await Promise.all(work);

      // Backd settlement races refunds: every process's clock moves past the lock deadline,
      // then all three run their jobs (locking and settling the one active request into a
      // refund) while admin refunds hit the same core order.
      const backdOrderId = (await testStore.rawRows('backd_orders')).find(
        (r) => r['backd_order_id'] === ref.backd_order_id,
      )?.['order_id'] as string;
      clockMs += 4 * 86_400_000;
      await setClocks();
      // The jobs run is the drill's nudge, not a client's request: it is not counted among the
      // answers. It may not drain within its budget (see `undrainedJobRuns`).
      const settle: Promise<unknown>[] = servers.map((s) =>
        s.http('POST', '/admin/jobs/run', {}, { timeoutMs: 5_000 }).then(
          (r) => {
            if (r.status !== 200) undrainedJobRuns++;
          },
          () => {
            undrainedJobRuns++;
          },
        ),
      );
      for (let k = 0; k < 6; k++)
        settle.push(adminRefund(backdOrderId, 1 + crypto.randomInt(2_000)));
      await Promise.all(settle);
      log(`round ${round + 1}/${o.rounds}: ${JSON.stringify(answers)}`);
    }

    // Let the lockers settle what is due (the default settlement delay is 0).
    const deadline = Date.now() + 5_000;
    for (;;) {
      const open = (await testStore.rawRows('backd_refund_requests')).filter(
        (r) => r['status'] === 'draft' || r['status'] === 'approved',
      );
      if (open.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // The servers' own account of each 5xx: the message of every `request failed` log line.
    const failureLogs = servers.flatMap((server) =>
      server.lines
        .filter((line) => line.json?.['msg'] === 'request failed')
        .map((line) => {
          const error = line.json?.['err'] as { message?: unknown } | undefined;
          return String(error?.message ?? line.text.slice(0, 500));
        }),
    );
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.waitForExit().catch(() => undefined)));

    const transactions = await testStore.rawRows('transactions');
    const approved = transactions.filter((t) => t['status'] === 'approved');
    const byOrder = new Map<string, { captured: number; refunded: number }>();
    for (const t of approved) {
      const id = String(t['order_id']);
      const sums = byOrder.get(id) ?? { captured: 0, refunded: 0 };
      if (t['type'] === 'capture' || t['type'] === 'purchase')
        sums.captured += num(t['amount_minor']);
      if (t['type'] === 'refund') sums.refunded += num(t['amount_minor']);
      byOrder.set(id, sums);
    }
    const overRefunds: string[] = [];
    for (const row of await testStore.rawRows('orders')) {
      const id = String(row['id']);
      const sums = byOrder.get(id) ?? { captured: 0, refunded: 0 };
      const storedRefunded = num(row['refunded_minor']);
      const storedCaptured = num(row['captured_minor']);
      if (
        sums.refunded > sums.captured ||
        storedRefunded > storedCaptured ||
        storedRefunded !== sums.refunded ||
        storedCaptured !== sums.captured
      ) {
        overRefunds.push(
          `${id}: refunds ${sums.refunded} of captured ${sums.captured}; stored ${storedRefunded} of ${storedCaptured}`,
        );
      }
    }
    const ids = new Set(transactions.map((t) => String(t['id'])));
    const missingRefunds = [...ackRefunds.keys()].filter((id) => !ids.has(id));
    const mpgRows = await testStore.rawRows('mpg_transactions');
    const duplicatedTransactionIds = sentTransactionIds.filter(
      (id) =>
        transactions.filter((t) => t['id'] === id).length > 1 ||
        mpgRows.filter((t) => t['transaction_id'] === id).length > 1,
    );
    const backdRows = await testStore.rawRows('backd_refund_requests');
    const report = await verifyLedger({
      store: testStore.store,
      clock: systemClock,
      newId: uuidV7Generator(systemClock),
    });
    return {
      rounds: o.rounds,
      orders,
      answers,
      acknowledgedRefunds: ackRefunds.size,
      missingRefunds,
      overRefunds,
      duplicatedTransactionIds,
      backdRequests: backdRows.length,
      unsettledBackdRequests: backdRows.filter((r) => r['status'] === 'approved').length,
      undrainedJobRuns,
      violations: report.violations,
      serverErrors,
      failureLogs,
    };
  } finally {
    await killAllServers();
    await testStore.cleanup();
  }
}

const isMain = process.argv[1]?.endsWith('race-drill.js') ?? false;
if (isMain) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--rounds');
  const rounds = Number(i >= 0 ? argv[i + 1] : '20');
  const unavailable = await postgresUnavailable();
  if (unavailable !== null) {
    console.error(`race drill needs PostgreSQL: ${unavailable}`);
    process.exit(2);
  }
  const started = Date.now();
  const report = await runRaceDrill({ rounds, log: (l) => console.log(l) });
  const ok =
    report.violations.length === 0 &&
    report.overRefunds.length === 0 &&
    report.missingRefunds.length === 0 &&
    report.duplicatedTransactionIds.length === 0 &&
    (report.answers['5xx'] ?? 0) === 0;
  console.log(
    `${ok ? 'PASS' : 'FAIL'} rounds=${report.rounds} orders=${report.orders} answers=${JSON.stringify(report.answers)} acknowledged refunds=${report.acknowledgedRefunds} missing=${report.missingRefunds.length} over-refunds=${report.overRefunds.length} duplicated transaction_ids=${report.duplicatedTransactionIds.length} backd requests=${report.backdRequests} (unsettled ${report.unsettledBackdRequests}) undrained job runs=${report.undrainedJobRuns} violations=${report.violations.length} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  for (const line of report.serverErrors) console.log(`  ${line}`);
  for (const line of report.failureLogs) console.log(`  logged: ${line}`);
  for (const line of report.overRefunds.slice(0, 20)) console.log(`  over-refund ${line}`);
  for (const v of report.violations.slice(0, 20))
    console.log(`  ${v.subject} ${v.id}: ${v.problem}`);
  process.exit(ok ? 0 : 1);
}
