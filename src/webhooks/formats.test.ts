// Proves what a delivery sends. Its body is the event, byte for byte the same on every attempt,
// in every format: its `timestamp` is when the event occurred (Standard Webhooks: ISO 8601 to the
// millisecond; Points: to the second, as Points documents it), while `webhook-timestamp` and the
// signature follow the attempt, and the reference implementation (`standardwebhooks` on npm)
// accepts each attempt at its own time. And the Points payload builder on events the HTTP suites
// cannot produce: `auto_refunded` carries the documented reason, `fully_refunded`, the whole
// amount and all points, with the UUID id and string type.
import { HEALTHY } from '../domain/delivery-schedule.js';
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { EventRecord } from '../app/ports/outbox.js';
import { type Delivery, WEBHOOK_FORMATS, type WebhookEndpoint } from '../domain/webhooks.js';
import { buildWebhookRequest, webhookBody } from './formats.js';
import { pointsOrderPayload } from './points-format.js';

/** When the events below occurred: a time with milliseconds. */
const OCCURRED_AT = Date.UTC(2026, 3, 18, 15, 0, 0, 250);

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
  created_at: '2026-04-18T10:00:00.000Z',
  updated_at: '2026-04-18T15:00:00.250Z',
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
  createdAt: OCCURRED_AT,
});

/** A partial refund of the replacing order. */
const refunded = event('order.refunded', 'One line item returned');

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

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

const endpoint = (format: WebhookEndpoint['format']): WebhookEndpoint => ({
  id: 'w1',
  merchantId: 'm1',
  url: 'https://shop.example/hooks',
  name: null,
  format,
  retryPolicy: 'standard',
  enabled: true,
  secret: SECRET,
  previousSecret: null,
  previousSecretExpiresAt: null,
  disabledReason: null,
  disabledAt: null,
  health: HEALTHY,
  createdAt: 0,
  updatedAt: 0,
  deletedAt: null,
});

const delivery = { id: 'msg_01' } as Delivery;

/** The reference implementation's verdict, with its clock (Date.now) set to `nowMs`. */
function referenceVerify(body: string, headers: Record<string, string>, nowMs: number): unknown {
  const clock = mock.method(Date, 'now', () => nowMs);
  try {
    return new Webhook(SECRET).verify(body, headers);
  } finally {
    clock.mock.restore();
  }
}

describe('webhook bodies', () => {
  for (const format of WEBHOOK_FORMATS) {
    it(`${format}: the same bytes on every attempt, signed at each attempt's time`, () => {
      const first = buildWebhookRequest(endpoint(format), delivery, refunded, OCCURRED_AT + 1);
      const retry = buildWebhookRequest(
        endpoint(format),
        delivery,
        refunded,
        OCCURRED_AT + 86_400_000,
      );
      assert.equal(first.body, retry.body);
      assert.equal(first.body, webhookBody(format, refunded));
      assert.equal(first.headers['webhook-timestamp'], String(Math.floor(OCCURRED_AT / 1000)));
      assert.equal(
        retry.headers['webhook-timestamp'],
        String(Math.floor(OCCURRED_AT / 1000) + 86_400),
      );
      assert.notEqual(first.headers['webhook-signature'], retry.headers['webhook-signature']);
      assert.deepEqual(
        referenceVerify(first.body, first.headers, OCCURRED_AT + 1),
        JSON.parse(first.body),
      );
      assert.deepEqual(
        referenceVerify(retry.body, retry.headers, OCCURRED_AT + 86_400_000),
        JSON.parse(retry.body),
      );
      // The reference refuses an attempt's headers once they are older than its tolerance.
      assert.throws(() => referenceVerify(first.body, first.headers, OCCURRED_AT + 86_400_000));
    });
  }

  it('standard: timestamp is when the event occurred, to the millisecond', () => {
    const body = JSON.parse(webhookBody('standard', refunded)) as Record<string, unknown>;
    assert.equal(body['timestamp'], '2026-04-18T15:00:00.250Z');
    assert.deepEqual(body['data'], { event_id: 'e1', ...refunded.payload });
  });

  it("points: timestamp and order times are Points' ISO 8601 to the second", () => {
    const body = JSON.parse(webhookBody('points', refunded)) as {
      event: string;
      timestamp: string;
      order: Record<string, unknown>;
    };
    assert.equal(body.event, 'refunded');
    assert.equal(body.timestamp, '2026-04-18T15:00:00Z');
    assert.equal(body.order['created_at'], '2026-04-18T10:00:00Z');
    assert.equal(body.order['updated_at'], '2026-04-18T15:00:00Z');
  });
});
