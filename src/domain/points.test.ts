// Proves the Points rules that are pure: phone normalisation, exact points for a price, the
// Points state-machine table against docs/decisions/points.md#state-machine, shipping label
// fallbacks, the wallet deltas, and (with fast-check) that earned points equal floor(price × rate)
// computed in bigint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CaptureMethod, OrderKind, OrderStatus } from './order.js';
import {
  applyShippingUpdate,
  customerPointsDelta,
  earnedPoints,
  maxRedeemablePoints,
  normalisePhone,
  pointsLeft,
  pointsOfOrder,
  pointsPaymentStatus,
  pointsReferenceNumber,
  pointsStatusOf,
  pointsTransitionError,
  pointsWebhookEvent,
  redeemedValueMinor,
} from './points.js';

const order = (
  status: OrderStatus,
  captureMethod: CaptureMethod | null = null,
  kind: OrderKind = 'replacing',
  amountMinor = 10_000,
) => ({ status, captureMethod, kind, amountMinor });

describe('normalisePhone', () => {
  it('accepts every documented form and strips spaces and dashes', () => {
    for (const input of [
      '+966500000001',
      '00966500000001',
      '966500000001',
      '0500000001',
      '500000001',
      '050-000 0001',
    ]) {
      assert.equal(normalisePhone(input), '500000001', input);
    }
  });
  it('refuses numbers that are not Saudi mobiles', () => {
    for (const input of [
      '',
      '400000001',
      '50000000',
      '5000000011',
      '+96650000000x',
      '+1500000001',
    ]) {
      assert.equal(normalisePhone(input), null, input);
    }
  });
});

describe('earnedPoints', () => {
  it('is floor(total_price × points_per_sar), exactly', () => {
    assert.equal(earnedPoints(15_075, 'SAR', 10), 1507);
    assert.equal(earnedPoints(15_075, 'SAR', 20), 3015);
    assert.equal(earnedPoints(11_500, 'SAR', 10), 1150);
    assert.equal(earnedPoints(9, 'SAR', 10), 0);
    assert.equal(earnedPoints(15_075, 'SAR', 2.5), 376); // 376.875
    assert.equal(earnedPoints(0, 'SAR', 10), 0);
  });
  it('is null past the points bound, which only a rate stored before its bound reaches', () => {
    assert.equal(earnedPoints(1_000_000_000_000, 'SAR', 1000), 10_000_000_000_000);
    assert.equal(earnedPoints(1_000_000_000_000, 'SAR', 1000.0001), null);
    assert.equal(earnedPoints(1_000_000_000_000, 'SAR', 1_000_000), null);
    assert.equal(earnedPoints(9_007_199_254_740_991, 'SAR', 10), null);
  });
  it('matches bigint arithmetic for any price and integer rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (minor, rate) => {
          assert.equal(
            earnedPoints(minor, 'SAR', rate),
            Number((BigInt(minor) * BigInt(rate)) / 100n),
          );
        },
      ),
    );
  });
});

describe('redeeming', () => {
  it('values points at minor per point and caps them at the price', () => {
    assert.equal(redeemedValueMinor(300, 10), 3000);
    assert.equal(maxRedeemablePoints(10_000, 10), 1000);
    assert.equal(maxRedeemablePoints(10_005, 10), 1000);
  });
});

describe('pointsTransitionError: docs/decisions/points.md#state-machine', () => {
  const statuses: [string, ReturnType<typeof order>][] = [
    ['new', order('pending')],
    ['authorized', order('authorized')],
    ['approved', order('captured', 'purchase')],
    ['captured', order('captured', 'capture')],
    ['partially_refunded', order('partially_refunded', 'purchase')],
    ['fully_refunded', order('refunded', 'purchase')],
    ['cancelled', order('cancelled')],
  ];
  const expected: Record<string, Record<string, string | null>> = {
    cancel: {
      new: null,
      authorized: null,
      approved: 'order.already_captured',
      captured: 'order.already_captured',
      partially_refunded: 'order.already_refunded',
      fully_refunded: 'order.already_refunded',
      cancelled: 'order.already_cancelled',
    },
    refund: {
      new: 'order.not_captured',
      authorized: 'order.not_captured',
      approved: null,
      captured: null,
      partially_refunded: null,
      fully_refunded: 'order.already_fully_refunded',
      cancelled: 'order.cancelled',
    },
    complete: {
      new: null,
      authorized: 'order.already_authorized',
      approved: 'points.already_completed',
      captured: 'order.already_captured',
      partially_refunded: 'order.already_refunded',
      fully_refunded: 'order.already_refunded',
      cancelled: 'order.cancelled',
    },
    capture: {
      new: 'order.not_authorized',
      authorized: null,
      approved: 'order.already_captured',
      captured: 'order.already_captured',
      partially_refunded: 'order.already_refunded',
      fully_refunded: 'order.already_refunded',
      cancelled: 'order.cancelled',
    },
    authorize: {
      new: null,
      authorized: 'order.already_authorized',
      approved: 'order.already_captured',
      captured: 'order.already_captured',
      partially_refunded: 'order.already_refunded',
      fully_refunded: 'order.already_refunded',
      cancelled: 'order.cancelled',
    },
  };
  for (const [operation, row] of Object.entries(expected)) {
    it(`${operation} from every status`, () => {
      for (const [name, o] of statuses) {
        assert.equal(pointsStatusOf(o), name);
        assert.equal(
          pointsTransitionError(operation as 'cancel', o),
          row[name],
          `${operation} from ${name}`,
        );
      }
    });
  }
  it('completes only replacing orders, and refunds nothing of a flat award', () => {
    assert.equal(
      pointsTransitionError('complete', order('captured', 'purchase', 'earning')),
      'points.not_replacing_order',
    );
    const award = order('pending', null, 'earning', 0);
    assert.equal(pointsStatusOf(award), 'approved');
    assert.equal(pointsTransitionError('refund', award), 'refund.exceeds_refundable');
    assert.equal(pointsTransitionError('cancel', award), 'order.already_captured');
  });
});

describe('webhook event names', () => {
  it('announces a flat award as approved and a pending replacing order not at all', () => {
    const facts = { type: 'order.created', statusAfter: 'pending', captureMethod: null };
    assert.equal(pointsWebhookEvent({ ...facts, kind: 'earning', amountMinor: 0 }), 'approved');
    assert.equal(pointsWebhookEvent({ ...facts, kind: 'replacing', amountMinor: 100 }), null);
    assert.equal(
      pointsWebhookEvent({
        type: 'order.completed',
        statusAfter: 'captured',
        captureMethod: 'purchase',
      }),
      'completed',
    );
    assert.equal(
      pointsWebhookEvent({
        type: 'order.auto_refunded',
        statusAfter: 'refunded',
        captureMethod: 'purchase',
      }),
      'auto_refunded',
    );
  });
});

describe('applyShippingUpdate', () => {
  const empty = { status: null, labelAr: null, labelEn: null };
  it('uses the status labels when no names are given', () => {
    assert.deepEqual(applyShippingUpdate(empty, { status: 'delivered' }), {
      status: 'delivered',
      labelAr: 'تم التوصيل',
      labelEn: 'Delivered',
    });
  });
  it('copies a missing name from the other (no translation service)', () => {
    assert.deepEqual(applyShippingUpdate(empty, { status: 'ready_shipping', nameAr: 'بالطريق' }), {
      status: 'ready_shipping',
      labelAr: 'بالطريق',
      labelEn: 'بالطريق',
    });
    assert.deepEqual(
      applyShippingUpdate({ status: 'new', labelAr: 'a', labelEn: 'b' }, { nameEn: 'On its way' }),
      {
        status: 'new',
        labelAr: 'On its way',
        labelEn: 'On its way',
      },
    );
  });
});

describe('wallet deltas and references', () => {
  it('awards and returns add; redeems and reversals take', () => {
    assert.equal(customerPointsDelta('points_award', 5), 5);
    assert.equal(customerPointsDelta('points_return', 5), 5);
    assert.equal(customerPointsDelta('points_redeem', 5), -5);
    assert.equal(customerPointsDelta('points_reversal', 5), -5);
    assert.equal(customerPointsDelta('refund', 5), 0);
  });
  it('formats reference numbers', () => {
    assert.equal(pointsReferenceNumber(2024, 1234), 'REF-2024-001234');
  });
});

describe("an order's points figures for Points", () => {
  const points = { totalPoints: 40, pointsReversed: 15, redeemedPoints: 500, pointsReturned: 120 };
  it('a replacing order counts the points spent on it, an earning order those it earns', () => {
    assert.equal(pointsOfOrder({ ...points, kind: 'replacing' }), 500);
    assert.equal(pointsOfOrder({ ...points, kind: 'earning' }), 40);
  });
  it('left: spent points not returned, or earned points not reversed', () => {
    assert.equal(pointsLeft({ ...points, kind: 'replacing' }), 380);
    assert.equal(pointsLeft({ ...points, kind: 'earning' }), 25);
  });
  it('partially_paid only while a pending replacing order waits for cash beyond its points', () => {
    const paid = (kind: OrderKind, status: OrderStatus, redeemedMinor: number) =>
      pointsPaymentStatus({ kind, status, amountMinor: 10_000, redeemedMinor });
    assert.equal(paid('replacing', 'pending', 9_999), 'partially_paid');
    // Boundary: points that cover the whole price leave no cash to wait for.
    assert.equal(paid('replacing', 'pending', 10_000), 'fully_paid');
    assert.equal(paid('replacing', 'captured', 0), 'fully_paid');
    assert.equal(paid('earning', 'pending', 0), 'fully_paid');
  });
});
