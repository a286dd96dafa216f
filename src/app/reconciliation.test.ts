// Proves the second wall of a scoped reconciliation, on SQLite and PostgreSQL: applying re-checks
// each candidate's merchant and face under its row lock. A run of merchant A's Points orders is
// given (around the scoped reads, which never produce one) a candidate naming merchant B's Points
// order and one naming A's MPG order; applying marks both skipped and refunds neither, while A's
// own candidate is refunded. An unknown merchant stores no run at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../../test/support/stores.js';
import { TestClock } from './clocks.js';
import { type AppDeps, execute } from './context.js';
import { createOrder } from './create-order.js';
import { uuidV7Generator } from './ids.js';
import { createMerchant } from './merchants.js';
import { reconcile } from './reconciliation.js';
import { applyReconciliation } from './reconciliation-apply.js';
import { EMPTY_SUMMARY, type Finding } from '../domain/reconciliation.js';
import type { Dialect, OrderKind } from '../domain/order.js';

const HOUR_MS = 3_600_000;

function suite(factory: StoreFactory, skip?: string) {
  describe(`applying a reconciliation keeps to its scope: ${factory.engine}`, { skip }, () => {
    let t: TestStore;
    let deps: AppDeps;
    const clock = new TestClock(Date.UTC(2026, 10, 23, 12));

    before(async () => {
      t = await factory.create();
      deps = { store: t.store, clock, newId: uuidV7Generator(clock) };
    });
    after(async () => t?.cleanup());

    const merchant = async (name: string) => {
      const made = await execute(deps, createMerchant({ name, currency: 'SAR' }));
      assert.ok(made.ok);
      return made.value.merchant.id;
    };
    const captured = async (merchantId: string, dialect: Dialect, kind: OrderKind) => {
      const made = await execute(
        deps,
        createOrder({
          merchantId,
          actor: { kind: 'admin' },
          dialect,
          kind,
          amountMinor: 5000,
          capture: 'purchase',
        }),
      );
      assert.ok(made.ok, JSON.stringify(made));
      return made.value.order.id;
    };

    it('skips candidates outside the scope and refunds only its own', async () => {
      const a = await merchant('Scope A');
      const b = await merchant('Scope B');
      const mine = await captured(a, 'points', 'replacing');
      const otherMerchant = await captured(b, 'points', 'replacing');
      const otherFace = await captured(a, 'mpg', 'card');
      clock.advance(49 * HOUR_MS);
      const runId = deps.newId();
      const candidate = (seq: number, orderId: string, merchantId: string): Finding => ({
        runId,
        seq,
        kind: 'missing_in_report',
        line: null,
        orderReference: orderId,
        orderId,
        merchantId,
        transactionReference: null,
        type: 'payment',
        expectedMinor: 5000,
        reportedMinor: null,
        expectedCurrency: 'SAR',
        reportedCurrency: null,
        message: 'candidate',
        action: 'auto_refund',
        actionDetail: null,
        updatedAt: clock.now(),
      });
      await t.store.transaction(async (tx) => {
        await tx.insertReconciliationRun({
          id: runId,
          status: 'completed',
          source: 'api',
          scope: { merchantId: a, dialect: 'points' },
          fromAt: 0,
          toAt: clock.now(),
          summary: EMPTY_SUMMARY,
          error: null,
          createdAt: clock.now(),
          completedAt: clock.now(),
          appliedAt: null,
        });
        await tx.insertFindings([
          candidate(1, mine, a),
          candidate(2, otherMerchant, b),
          candidate(3, otherFace, a),
        ]);
      });

      const applied = await applyReconciliation(deps, runId);
      assert.ok(applied.ok, JSON.stringify(applied));
      const findings = await t.store.read((tx) => tx.listFindings(runId, 0, 10));
      assert.deepEqual(
        findings.map((f) => [f.seq, f.action, f.action === 'skipped' ? f.actionDetail : null]),
        [
          [1, 'auto_refunded', null],
          [2, 'skipped', "not the run's merchant and face"],
          [3, 'skipped', "not the run's merchant and face"],
        ],
      );
      const orders = await t.store.read((tx) =>
        Promise.all([mine, otherMerchant, otherFace].map((id) => tx.findOrder(id))),
      );
      assert.deepEqual(
        orders.map((o) => o?.refundedMinor),
        [5000, 0, 0],
      );
    });

    it('an unknown merchant is merchant.not_found and stores no run', async () => {
      const before = (await t.rawRows('reconciliation_runs')).length;
      const result = await reconcile(deps, {
        scope: { merchantId: 'no-such-merchant', dialect: 'points' },
        fromAt: 0,
        toAt: 1,
        source: 'api',
        format: 'csv',
        report: (async function* () {
          yield 'order_reference,transaction_reference,type,amount,currency,settled_at\n';
        })(),
        apply: false,
      });
      assert.deepEqual(result, { ok: false, error: { code: 'merchant.not_found' } });
      assert.equal((await t.rawRows('reconciliation_runs')).length, before);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
