// Proves the Points webhook payload builder on events the HTTP suites cannot produce yet:
// `auto_refunded` (written by reconciliation, a later issue) carries the documented reason,
// `fully_refunded`, the whole amount and all points, with the UUID id and string type.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRecord } from '../app/ports/outbox.js';
import { pointsOrderPayload } from './formats.js';

const snapshot = {
  id: '0190aaaa-0000-7000-8000-000000000001',
  kind: 'replacing',
  status: 'refunded',
  currency: 'SAR',
  amount: { minor: 15_075 },
  refunded: { minor: 15_075 },
  redeemed_value: { minor: 5_000 },
  total_points: 0,
  points_reversed: 0,
  redeemed_points: 500,
  points_returned: 500,
  order_number: 'ORD-1',
  capture_method: 'purchase',
  details: { reference_number: 'REF-2026-000001' },
  created_at: Date.UTC(2026, 3, 18, 10),
  updated_at: Date.UTC(2026, 3, 18, 15),
};

const event = (type: string, reason: string | null): EventRecord => ({
  id: 'e1',
  merchantId: 'm1',
  orderId: snapshot.id,
  type,
  actor: 'job:reconciliation',
  reason,
  statusBefore: 'captured',
  statusAfter: 'refunded',
  idempotencyKey: null,
  requestFingerprint: null,
  payload: { order: snapshot, transactions: [], reason },
  createdAt: snapshot.updated_at,
});

describe('pointsOrderPayload', () => {
  it('auto_refunded: the documented reason, the whole amount and every point', () => {
    assert.deepEqual(pointsOrderPayload(event('order.auto_refunded', null)), {
      id: snapshot.id,
      reference_number: 'REF-2026-000001',
      order_number: 'ORD-1',
      type: 'replacing',
      total_price: 150.75,
      total_points: 500,
      payment_status: 'fully_paid',
      order_status: 'fully_refunded',
      metadata: null,
      created_at: '2026-04-18T10:00:00Z',
      updated_at: '2026-04-18T15:00:00Z',
      refund_amount: 150.75,
      refund_points: 500,
      left_points: 0,
      left_amount: 0,
      reason: 'auto_refund_missing_transaction',
    });
  });

  it('a replacing order waiting for its cash part is partially_paid', () => {
    const pending = {
      ...event('order.cancelled', 'Order cancelled via API'),
      payload: {
        order: { ...snapshot, status: 'pending', refunded: { minor: 0 }, points_returned: 0 },
      },
    };
    const order = pointsOrderPayload(pending);
    assert.equal(order['payment_status'], 'partially_paid');
    assert.equal(order['reason'], 'Order cancelled via API');
  });
});
