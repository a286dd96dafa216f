// Proves the pure ledger checks behind `unwind verify`: a sound order passes, and each broken
// invariant (totals vs ledger sums, derived status, events per version, refund-request steps) is
// named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LedgerSum, orderViolations, refundRequestViolations } from './ledger-checks.js';
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
  { type: 'purchase', status: 'approved', amountMinor: 1000, points: 0, count: 1 },
  { type: 'refund', status: 'approved', amountMinor: 300, points: 0, count: 1 },
  { type: 'refund', status: 'failed', amountMinor: 999, points: 0, count: 1 },
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
