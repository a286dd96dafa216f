// Proves the order planners: status is derived from amounts, each refusal has its typed code,
// and random sequences of operations never break an invariant or over-refund; points reversal
// is cumulative, so any sequence of refunds that empties an order reverses exactly its points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyTransactions,
  type Change,
  deriveStatus,
  type Order,
  planAuthorize,
  planCancel,
  planCapture,
  planCreation,
  planNoMoney,
  planPurchase,
  planRefund,
  planVoid,
  totalsViolations,
  ZERO_TOTALS,
} from './order.js';
import type { Result } from './result.js';
import type { DomainError } from './errors.js';

const NOW = 1_790_000_000_000;
const DAY = 86_400_000;
const noWindow = { refundWindowDays: 0 };

function newOrder(amountMinor: number, extra: Partial<Order> = {}): Order {
  return {
    id: 'o',
    merchantId: 'm',
    dialect: 'admin',
    kind: 'standard',
    currency: 'SAR',
    amountMinor,
    redeemedMinor: 0,
    ...ZERO_TOTALS,
    status: 'pending',
    orderNumber: null,
    merchantOrderId: null,
    backdOrderId: null,
    customerRef: null,
    details: {},
    capturedAt: null,
    captureMethod: null,
    cancelledAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    version: 0,
    ...extra,
  };
}

/** What the app layer does with a change: the order afterwards. */
function apply(order: Order, change: Change): Order {
  return {
    ...order,
    ...change.totals,
    status: deriveStatus(change.totals, change.cancelled),
    capturedAt: change.capturedAt,
    captureMethod: change.captureMethod,
    cancelledAt: change.cancelled ? (order.cancelledAt ?? NOW) : null,
    version: order.version + 1,
  };
}

const code = (r: Result<unknown, DomainError>) => (r.ok ? 'ok' : r.error.code);

describe('planners', () => {
  it('walks authorize → capture part → void rest → refund, with the statuses of the design', () => {
    let o = apply(
      newOrder(10000),
      planCreation(newOrder(10000), { capture: 'none', totalPoints: 0, redeemedPoints: 0 }, NOW),
    );
    assert.equal(o.status, 'pending');
    const auth = planAuthorize(o, NOW);
    assert.ok(auth.ok);
    o = apply(o, auth.value);
    assert.equal(o.status, 'authorized');
    const cap = planCapture(o, 6000, NOW);
    assert.ok(cap.ok);
    o = apply(o, cap.value);
    assert.equal(o.captureMethod, 'capture');
    const voided = planVoid(o, undefined, NOW);
    assert.ok(voided.ok);
    o = apply(o, voided.value);
    assert.deepEqual([o.status, o.voidedMinor], ['captured', 4000]);
    assert.equal(code(planVoid(o, 1, NOW)), 'order.nothing_to_void');
    assert.equal(code(planCapture(o, 1, NOW)), 'order.already_captured');
    assert.equal(code(planCancel(o, NOW)), 'order.already_captured');
    const refund = planRefund(o, 6000, noWindow, NOW);
    assert.ok(refund.ok);
    o = apply(o, refund.value.change);
    assert.equal(o.status, 'refunded');
    assert.equal(code(planRefund(o, 1, noWindow, NOW)), 'order.already_fully_refunded');
  });

  it('refuses refunds before capture, after cancel, of nothing, and beyond the rest', () => {
    const pending = newOrder(1000);
    assert.equal(code(planRefund(pending, 10, noWindow, NOW)), 'order.not_captured');
    const cancelled = apply(pending, (planCancel(pending, NOW) as { value: Change }).value);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(code(planRefund(cancelled, 10, noWindow, NOW)), 'order.cancelled');
    assert.equal(code(planCancel(cancelled, NOW)), 'order.already_cancelled');
    const bought = apply(pending, (planPurchase(pending, NOW) as { value: Change }).value);
    assert.equal(bought.captureMethod, 'purchase');
    assert.equal(code(planRefund(bought, 0, noWindow, NOW)), 'refund.amount_not_positive');
    assert.equal(code(planRefund(bought, -5, noWindow, NOW)), 'refund.amount_not_positive');
    const over = planRefund(bought, 1001, noWindow, NOW);
    assert.deepEqual(over, {
      ok: false,
      error: { code: 'refund.exceeds_refundable', details: { refundableMinor: 1000 } },
    });
  });

  it('closes the refund window exactly at capture + window days', () => {
    const o = apply(
      newOrder(1000),
      planCreation(newOrder(1000), { capture: 'purchase', totalPoints: 0, redeemedPoints: 0 }, NOW),
    );
    const policy = { refundWindowDays: 30 };
    assert.equal(code(planRefund(o, 10, policy, NOW + 30 * DAY - 1)), 'ok');
    assert.equal(code(planRefund(o, 10, policy, NOW + 30 * DAY)), 'refund.window_expired');
    assert.equal(code(planRefund(o, 10, noWindow, NOW + 3650 * DAY)), 'ok');
  });

  it('cancel from authorized voids the reservation and returns redeemed points', () => {
    const base = newOrder(15075, { kind: 'replacing', redeemedMinor: 5000 });
    let o = apply(
      base,
      planCreation(base, { capture: 'authorize', totalPoints: 0, redeemedPoints: 500 }, NOW),
    );
    const c = planCancel(o, NOW);
    assert.ok(c.ok);
    o = apply(o, c.value);
    assert.deepEqual([o.status, o.voidedMinor, o.pointsReturned], ['cancelled', 15075, 500]);
  });
});

type Op =
  | { kind: 'authorize' }
  | { kind: 'purchase' }
  | { kind: 'capture'; amount?: number }
  | { kind: 'void'; amount?: number }
  | { kind: 'cancel' }
  | { kind: 'refund'; amount?: number };

const amountArb = fc.option(fc.integer({ min: -5, max: 12000 }), { nil: undefined });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: 'authorize' as const }),
  fc.constant({ kind: 'purchase' as const }),
  fc.record({ kind: fc.constant('capture' as const), amount: amountArb }),
  fc.record({ kind: fc.constant('void' as const), amount: amountArb }),
  fc.constant({ kind: 'cancel' as const }),
  fc.record({ kind: fc.constant('refund' as const), amount: amountArb }),
);

function plan(o: Order, op: Op): Result<Change, DomainError> {
  switch (op.kind) {
    case 'authorize':
      return planAuthorize(o, NOW);
    case 'purchase':
      return planPurchase(o, NOW);
    case 'capture':
      return planCapture(o, op.amount, NOW);
    case 'void':
      return planVoid(o, op.amount, NOW);
    case 'cancel':
      return planCancel(o, NOW);
    case 'refund': {
      const r = planRefund(o, op.amount, noWindow, NOW);
      return r.ok ? { ok: true, value: r.value.change } : r;
    }
  }
}

describe('planNoMoney', () => {
  it('keeps totals, cancel flag and capture facts; records rows that move nothing', () => {
    const captured = {
      ...newOrder(1000, { authorizedMinor: 1000, capturedMinor: 1000 }),
      capturedAt: NOW - DAY,
      captureMethod: 'purchase' as const,
    };
    const reversal = [{ type: 'reversal' as const, amountMinor: 400, points: 0 }];
    assert.deepEqual(planNoMoney(captured, reversal), {
      transactions: reversal,
      totals: applyTransactions(captured, []),
      cancelled: false,
      capturedAt: NOW - DAY,
      captureMethod: 'purchase',
    });
    assert.deepEqual(planNoMoney(newOrder(0)).transactions, []);
  });
  it('refuses a row that moves money', () => {
    assert.throws(
      () => planNoMoney(newOrder(1000), [{ type: 'authorize', amountMinor: 1, points: 0 }]),
      /moved authorizedMinor/,
    );
  });
});

describe('properties', () => {
  it('no sequence of operations breaks an invariant or over-refunds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }),
        fc.array(opArb, { maxLength: 25 }),
        (amount, ops) => {
          let o = newOrder(amount);
          let ledger = ZERO_TOTALS;
          for (const op of ops) {
            const r = plan(o, op);
            if (!r.ok) continue;
            o = apply(o, r.value);
            ledger = applyTransactions(ledger, r.value.transactions);
            assert.deepEqual(totalsViolations(o.amountMinor, o), []);
            assert.ok(o.refundedMinor <= o.capturedMinor);
            assert.equal(o.status, deriveStatus(o, o.cancelledAt !== null));
          }
          // The totals are exactly the sums of the ledger rows.
          assert.equal(o.capturedMinor, ledger.capturedMinor);
          assert.equal(o.refundedMinor, ledger.refundedMinor);
          assert.equal(o.voidedMinor, ledger.voidedMinor);
        },
      ),
    );
  });

  it('any refunds that empty an order reverse exactly its earned and redeemed points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 10 }),
        (amount, points, redeemedPercent, parts) => {
          const redeemedMinor = Math.floor((amount * redeemedPercent) / 100);
          const base = newOrder(amount, { kind: 'replacing', redeemedMinor });
          let o = apply(
            base,
            planCreation(
              base,
              { capture: 'purchase', totalPoints: points, redeemedPoints: redeemedMinor },
              NOW,
            ),
          );
          let reversed = 0;
          let returned = 0;
          let pointsValue = 0;
          for (const part of parts) {
            const r = planRefund(
              o,
              Math.min(part, amount - o.refundedMinor) || undefined,
              noWindow,
              NOW,
            );
            if (!r.ok) break;
            reversed += r.value.split.pointsReversed;
            returned += r.value.split.pointsReturned;
            pointsValue += r.value.split.pointsValueMinor;
            assert.equal(
              r.value.split.cashMinor + r.value.split.pointsValueMinor,
              r.value.split.amountMinor,
            );
            o = apply(o, r.value.change);
          }
          const rest = planRefund(o, undefined, noWindow, NOW);
          if (rest.ok) {
            reversed += rest.value.split.pointsReversed;
            returned += rest.value.split.pointsReturned;
            pointsValue += rest.value.split.pointsValueMinor;
          }
          assert.equal(reversed, points);
          assert.equal(returned, redeemedMinor);
          assert.equal(pointsValue, redeemedMinor);
        },
      ),
    );
  });
});
