// Proves the pure ledger checks behind `unwind verify`: a sound order passes, and each broken
// invariant (totals vs ledger sums, sums past the bounds, derived status, events per version,
// refund-request steps, settings past their bounds) is named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type LedgerSum,
  orderViolations,
  refundRequestViolations,
  settingsViolations,
} from './ledger-checks.js';
import { DEFAULT_MERCHANT_SETTINGS } from './merchant.js';
import { type Order, ZERO_TOTALS } from './order.js';
import type { RefundRequest } from './refund-request.js';

const order = (o: Partial<Order> = {}): Order => ({
  id: 'o',
  merchantId: 'm',
  dialect: 'backd',
  kind: 'bnpl',
  currency: 'USD',
  amountMinor: 1000,
  redeemedMinor: 0,
  ...ZERO_TOTALS,
  authorizedMinor: 1000,
  capturedMinor: 1000,
  refundedMinor: 300,
  status: 'partially_refunded',
  orderNumber: null,
  merchantOrderId: null,
  backdOrderId: null,
  customerRef: null,
  details: {},
  capturedAt: 1,
  captureMethod: 'purchase',
  cancelledAt: null,
  createdAt: 0,
  updatedAt: 1,
  version: 1,
  ...o,
});
const sums: LedgerSum[] = [
  { type: 'purchase', status: 'approved', amountMinor: 1000n, points: 0n, count: 1 },
  { type: 'refund', status: 'approved', amountMinor: 300n, points: 0n, count: 1 },
  { type: 'refund', status: 'failed', amountMinor: 999n, points: 0n, count: 1 },
];

describe('orderViolations', () => {
  it('passes a sound order; failed rows do not count', () => {
    assert.deepEqual(orderViolations(order(), sums, 2), []);
  });
  it('names totals that disagree, a wrong status and a missing event', () => {
    assert.deepEqual(orderViolations(order({ refundedMinor: 400, status: 'captured' }), sums, 1), [
      'refundedMinor is 400 but the ledger sums to 300',
      'status is captured but the amounts say partially_refunded',
      '1 state-change events for version 1',
    ]);
  });
  it('reports approved rows that add up past the bounds exactly, failed ones not at all', () => {
    const past = 2n ** 64n + 1n;
    const forged: LedgerSum[] = [
      ...sums,
      { type: 'refund', status: 'failed', amountMinor: past, points: 0n, count: 9 },
    ];
    assert.deepEqual(orderViolations(order(), forged, 2), []);
    const approved: LedgerSum[] = [
      sums[0]!,
      { type: 'refund', status: 'approved', amountMinor: past, points: 0n, count: 9 },
      {
        type: 'points_award',
        status: 'approved',
        amountMinor: 0n,
        points: 10n ** 13n + 1n,
        count: 1,
      },
    ];
    assert.deepEqual(orderViolations(order(), approved, 2), [
      'approved refund rows sum to 18446744073709551617 minor units and 0 points, past the bounds',
      'approved points_award rows sum to 0 minor units and 10000000000001 points, past the bounds',
    ]);
  });
});

describe('settingsViolations', () => {
  it('names a points_per_unit or minor_per_point outside its bounds', () => {
    assert.deepEqual(settingsViolations(DEFAULT_MERCHANT_SETTINGS), []);
    const legacy = { ...DEFAULT_MERCHANT_SETTINGS, pointsPerUnit: 1e-7, minorPerPoint: 2_000_000 };
    assert.deepEqual(settingsViolations(legacy), [
      'points_per_unit 1e-7: Expected a plain non-negative decimal such as 2.5.',
      'minor_per_point 2000000 is outside 1..1000000',
    ]);
    assert.deepEqual(settingsViolations({ ...DEFAULT_MERCHANT_SETTINGS, pointsPerUnit: 1000.5 }), [
      'points_per_unit 1000.5: At most 1000.',
    ]);
  });
});

const request = (r: Partial<RefundRequest>): RefundRequest => ({
  id: 'r',
  orderId: 'o',
  merchantId: 'm',
  amountMinor: 100,
  currency: 'USD',
  baseRefundedMinor: 0,
  status: 'draft',
  lockedAt: 50,
  settleAt: null,
  declineReason: null,
  replacedBy: null,
  createdAt: 10,
  approvedAt: null,
  refundedAt: null,
  declinedAt: null,
  updatedAt: 10,
  ...r,
});

describe('refundRequestViolations', () => {
  it('passes requests whose steps fit their status', () => {
    const ok = [
      request({ id: 'a', status: 'declined', declinedAt: 20 }),
      request({ id: 'b', status: 'refunded', approvedAt: 50, refundedAt: 60, amountMinor: 300 }),
      request({ id: 'c', status: 'draft' }),
    ];
    assert.deepEqual(refundRequestViolations(order(), ok), []);
  });
  it('names refunded money that no settled request accounts for (refunded outside them)', () => {
    const settled = [
      request({ id: 'b', status: 'refunded', approvedAt: 50, refundedAt: 60, amountMinor: 299 }),
    ];
    assert.deepEqual(refundRequestViolations(order(), settled), [
      {
        id: 'o',
        problem:
          'refunded 300 but settled requests sum to 299: money left outside its refund requests',
      },
    ]);
  });
  it('names out-of-order steps, two active requests and over-settlement', () => {
    const bad = [
      request({ id: 'a', status: 'approved', approvedAt: 49 }),
      request({ id: 'b', status: 'refunded', approvedAt: null, refundedAt: 60, amountMinor: 400 }),
      request({ id: 'c', status: 'draft' }),
    ];
    assert.deepEqual(refundRequestViolations(order(), bad), [
      { id: 'a', problem: 'approved before its lock time, or marked refunded' },
      { id: 'b', problem: 'refunded without being approved first' },
      { id: 'o', problem: '2 active refund requests' },
      { id: 'o', problem: 'settled requests 400 exceed refunded 300' },
    ]);
  });
});
