// Proves that a write Unwind acknowledged survives the process dying: the real server is SIGKILLed
// at a random moment during a stream of refunds and order creations, restarted on the same data,
// and the ledger must hold every acknowledged write, consistent totals, and at most the one write
// per loop that was in flight when the process died; plus a plain SIGTERM restart keeps data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LedgerTransaction } from '../../src/app/ports/ledger.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const BIG_ORDER_MINOR = 10_000_000;
const CYCLES = 3;
const MIN_ACKED_BEFORE_KILL = 30;

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

interface TransactionJson {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly amount_minor: number;
}

interface CycleOutcome {
  /** Refunds with a 200: transaction id → amount. */
  readonly ackedRefunds: Map<string, number>;
  /** The amount of a refund whose answer never came (it may or may not have committed). */
  readonly unknownRefund: number | null;
  /** Orders with a 201: id → amount. */
  readonly ackedOrders: Map<string, number>;
  /** Order creations whose answer never came. */
  readonly unknownOrders: number;
}

/**
 * Runs the two write loops against `server` and SIGKILLs it once at least `killAfter` writes were
 * acknowledged, after a further random 0-15 ms. `knownTx` holds the big order's transaction ids
 * known before this cycle, so each acknowledged refund's new row can be identified.
 */
async function writeUntilKilled(
  server: ServerProcess,
  merchantId: string,
  bigOrderId: string,
  knownTx: Set<string>,
): Promise<CycleOutcome> {
  const killAfter = MIN_ACKED_BEFORE_KILL + randomInt(0, 30);
  const ackedRefunds = new Map<string, number>();
  const ackedOrders = new Map<string, number>();
  let unknownRefund: number | null = null;
  let unknownOrders = 0;
  let killScheduled = false;
  const seen = new Set(knownTx);

  const acknowledged = () => {
    if (killScheduled || ackedRefunds.size + ackedOrders.size < killAfter) return;
    killScheduled = true;
    setTimeout(() => server.kill('SIGKILL'), randomInt(0, 15));
  };

  const refundLoop = async () => {
    for (;;) {
      const amount = randomInt(1, 500);
      let response;
      try {
        response = await server.http('POST', `/admin/orders/${bigOrderId}/refund`, {
          amount_minor: amount,
        });
      } catch {
        unknownRefund = amount;
        return;
      }
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const rows = response.body.transactions as TransactionJson[];
      const fresh = rows.filter((t) => !seen.has(t.id));
      for (const row of fresh) seen.add(row.id);
      // The big order has one writer, so the answer shows exactly this refund's money row as new
      // (beside the points rows that go with it).
      const money = fresh.filter((t) => t.type === 'refund');
      assert.equal(money.length, 1, `new rows after one refund: ${JSON.stringify(fresh)}`);
      assert.equal(money[0]!.amount_minor, amount);
      ackedRefunds.set(money[0]!.id, amount);
      acknowledged();
    }
  };

  const orderLoop = async () => {
    for (;;) {
      const amount = randomInt(100, 100_000);
      let response;
      try {
        response = await server.http('POST', '/admin/orders', {
          merchant_id: merchantId,
          amount_minor: amount,
          capture: 'purchase',
        });
      } catch {
        unknownOrders += 1;
        return;
      }
      assert.equal(response.status, 201, JSON.stringify(response.body));
      ackedOrders.set(response.body.id as string, amount);
      acknowledged();
    }
  };

  // A loop that fails an assertion must not leave the server running forever.
  const deadline = setTimeout(() => server.kill('SIGKILL'), 30_000);
  try {
    await Promise.all([refundLoop(), orderLoop()]);
  } finally {
    clearTimeout(deadline);
    server.kill('SIGKILL');
  }
  const status = await server.waitForExit();
  assert.equal(status.signal, 'SIGKILL', `the server died of SIGKILL${server.tail()}`);
  assert.ok(
    ackedRefunds.size + ackedOrders.size >= MIN_ACKED_BEFORE_KILL,
    `only ${ackedRefunds.size + ackedOrders.size} writes acknowledged before the kill`,
  );
  return { ackedRefunds, unknownRefund, ackedOrders, unknownOrders };
}

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

function defineCrashSuite(factory: StoreFactory, skip: string | undefined): void {
  describe(`crash recovery: ${factory.engine}`, () => {
    let t: TestStore;
    // Skipped per test rather than per suite, so both engines report the same test count.
    before(async () => {
      if (!skip) t = await factory.create();
    });
    after(async () => {
      await killAllServers();
      await t?.cleanup();
    });

    it(
      `keeps every acknowledged refund and order across ${CYCLES} SIGKILLs`,
      { skip },
      async (test) => {
        let server = await startServer({ env: t.env, logLevel: 'warn' });
        const merchant = await server.http('POST', '/admin/merchants', { name: 'Crash Co' });
        assert.equal(merchant.status, 201, JSON.stringify(merchant.body));
        const merchantId = merchant.body.id as string;
        const big = await server.http('POST', '/admin/orders', {
          merchant_id: merchantId,
          amount_minor: BIG_ORDER_MINOR,
          capture: 'purchase',
        });
        assert.equal(big.status, 201, JSON.stringify(big.body));
        const bigId = big.body.id as string;

        // Everything acknowledged so far, and what may additionally exist (in flight at a kill).
        const ackedRefunds = new Map<string, number>();
        const ackedOrders = new Map<string, number>([[bigId, BIG_ORDER_MINOR]]);
        let maybeOrders = 0;
        const knownTx = new Set<string>(
          (big.body.transactions as TransactionJson[]).map((row) => row.id),
        );

        for (let cycle = 1; cycle <= CYCLES; cycle++) {
          const outcome = await writeUntilKilled(server, merchantId, bigId, knownTx);
          for (const [id, amount] of outcome.ackedRefunds) ackedRefunds.set(id, amount);
          for (const [id, amount] of outcome.ackedOrders) ackedOrders.set(id, amount);
          maybeOrders += outcome.unknownOrders;

          server = await startServer({ env: t.env, logLevel: 'warn' });
          const context = `cycle ${cycle}: ${outcome.ackedRefunds.size} refunds and ${outcome.ackedOrders.size} orders acknowledged`;

          // The big order, through the restarted server.
          const got = await server.http('GET', `/admin/orders/${bigId}`);
          assert.equal(got.status, 200, context);
          const rows = got.body.transactions as TransactionJson[];
          const refunds = rows.filter((row) => row.type === 'refund');
          const byId = new Map(refunds.map((row) => [row.id, row]));
          for (const [id, amount] of ackedRefunds) {
            assert.equal(byId.get(id)?.amount_minor, amount, `${context}: refund ${id} is lost`);
          }
          // Only the refund in flight at this kill may exist without an acknowledgement.
          const unacked = refunds.filter(
            (row) => !knownTx.has(row.id) && !ackedRefunds.has(row.id),
          );
          assert.ok(unacked.length <= 1, `${context}: unacknowledged refunds ${unacked.length}`);
          if (unacked.length === 1) {
            assert.equal(unacked[0]!.amount_minor, outcome.unknownRefund, context);
          }
          const refundSum = sum(refunds.map((row) => row.amount_minor));
          assert.equal(got.body.refunded_minor, refundSum, `${context}: refunded_minor vs ledger`);
          assert.equal(got.body.captured_minor, BIG_ORDER_MINOR, context);
          assert.ok(got.body.refunded_minor <= got.body.captured_minor, context);
          for (const row of rows) knownTx.add(row.id);
          test.diagnostic(
            `${context}; in flight at the kill: refund ${outcome.unknownRefund === null ? 'none' : unacked.length ? 'committed' : 'not committed'}, orders ${outcome.unknownOrders}`,
          );

          // The same, read from the database around the server.
          const stored = await t.store.read(async (tx) => ({
            order: await tx.findOrder(bigId),
            rows: await tx.listTransactions(bigId),
          }));
          const storedRefunds = stored.rows.filter((r: LedgerTransaction) => r.type === 'refund');
          assert.equal(storedRefunds.length, refunds.length, context);
          assert.equal(stored.order?.refundedMinor, sum(storedRefunds.map((r) => r.amountMinor)));
          assert.ok(stored.order!.refundedMinor <= stored.order!.capturedMinor, context);

          // Every acknowledged order, with its purchase row; at most the in-flight ones beside.
          const orders = await t.store.read(async (tx) => {
            const all = await tx.listOrders({ merchantId, limit: 1_000_000 });
            const purchases = new Map<string, number>();
            for (const id of ackedOrders.keys()) {
              const txs = await tx.listTransactions(id);
              purchases.set(
                id,
                sum(txs.filter((r) => r.type === 'purchase').map((r) => r.amountMinor)),
              );
            }
            return { all, purchases };
          });
          const present = new Map(orders.all.map((o) => [o.id, o]));
          for (const [id, amount] of ackedOrders) {
            const order = present.get(id);
            assert.ok(order, `${context}: acknowledged order ${id} is lost`);
            assert.equal(order.amountMinor, amount, context);
            assert.equal(order.capturedMinor, amount, context);
            assert.equal(orders.purchases.get(id), amount, `${context}: purchase row of ${id}`);
          }
          const extra = orders.all.length - ackedOrders.size;
          assert.ok(
            extra >= 0 && extra <= maybeOrders,
            `${context}: ${extra} unacknowledged orders, at most ${maybeOrders} were in flight`,
          );
          // An order that committed without an answer is adopted, so later cycles count it known.
          for (const order of orders.all) {
            if (!ackedOrders.has(order.id)) {
              ackedOrders.set(order.id, order.amountMinor);
              maybeOrders -= 1;
            }
          }
          const ready = await server.http('GET', '/readyz', undefined, { token: null });
          assert.equal(ready.status, 200, `${context}: ${JSON.stringify(ready.body)}`);
        }
        const status = await server.stop('SIGTERM');
        assert.deepEqual(status, { code: 0, signal: null }, server.tail());
      },
    );

    it('keeps data written before a SIGTERM restart', { skip }, async () => {
      const first = await startServer({ env: t.env, logLevel: 'warn' });
      const merchant = await first.http('POST', '/admin/merchants', { name: 'Restart Co' });
      assert.equal(merchant.status, 201);
      const order = await first.http('POST', '/admin/orders', {
        merchant_id: merchant.body.id,
        amount_minor: 5_000,
        capture: 'purchase',
      });
      assert.equal(order.status, 201);
      const refund = await first.http('POST', `/admin/orders/${order.body.id}/refund`, {
        amount_minor: 1_200,
      });
      assert.equal(refund.status, 200);
      const over = await first.http('POST', `/admin/orders/${order.body.id}/refund`, {
        amount_minor: 3_801,
      });
      assert.equal(over.status, 409);
      assert.equal(over.body.error.code, 'refund.exceeds_refundable');
      assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null }, first.tail());

      const second = await startServer({ env: t.env, logLevel: 'warn' });
      try {
        const got = await second.http('GET', `/admin/orders/${order.body.id}`);
        assert.equal(got.status, 200);
        assert.equal(got.body.merchant_id, merchant.body.id);
        assert.equal(got.body.captured_minor, 5_000);
        assert.equal(got.body.refunded_minor, 1_200);
        const money = (got.body.transactions as TransactionJson[]).filter(
          (r) => r.type === 'purchase' || r.type === 'refund',
        );
        assert.deepEqual(
          money.map((r) => [r.type, r.amount_minor]),
          [
            ['purchase', 5_000],
            ['refund', 1_200],
          ],
        );
        const m = await second.http('GET', `/admin/merchants/${merchant.body.id}`);
        assert.equal(m.status, 200);
        assert.equal(m.body.name, 'Restart Co');
      } finally {
        assert.deepEqual(await second.stop('SIGTERM'), { code: 0, signal: null }, second.tail());
      }
    });
  });
}

defineCrashSuite(sqliteFactory, undefined);
defineCrashSuite(postgresFactory, await postgresSkipReason());
