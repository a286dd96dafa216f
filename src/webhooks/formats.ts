/**
 * The request a delivery sends: body and headers in the endpoint's format, signed.
 *
 * - standard: `{"type", "timestamp", "data"}` where `data` is the event payload and its id.
 * - points:   the Points envelope `{"event", "order", "timestamp"}` with the webhook `order`
 *             fields of the Points docs (UUID `id`, string `type`, SAR numbers), plus the
 *             headers `X-Webhook-Secret` (the raw shared secret, as Points sends it) and
 *             `X-Webhook-Event`.
 * Both carry the Standard Webhooks headers `webhook-id` (the delivery id, stable across retries),
 * `webhook-timestamp` and `webhook-signature`.
 */
import { eventFacts } from '../app/events.js';
import type { EventRecord } from '../app/ports/store.js';
import { pointsOrderStatus, pointsOrderType, pointsWebhookEvent } from '../domain/points.js';
import { minorToMajorNumber } from '../domain/money.js';
import type { CaptureMethod, OrderKind, OrderStatus } from '../domain/order.js';
import { type Delivery, signingSecrets, type WebhookEndpoint } from '../domain/webhooks.js';
import { signatureHeader } from './signing.js';

export interface WebhookRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Snapshot {
  id: string;
  kind: OrderKind;
  status: OrderStatus;
  currency: string;
  amount: { minor: number };
  refunded: { minor: number };
  total_points: number;
  points_reversed: number;
  redeemed_points: number;
  points_returned: number;
  order_number: string | null;
  capture_method: CaptureMethod | null;
  details?: Record<string, unknown>;
  created_at: number;
  updated_at: number;
}

interface RefundSplitJson {
  amount_minor: number;
  points_reversed: number;
  points_returned: number;
}

/** The Points webhook `order` object, with the extras of its event. */
export function pointsOrderPayload(event: EventRecord): Record<string, unknown> {
  const order = event.payload['order'] as Snapshot;
  const name = pointsWebhookEvent(eventFacts(event));
  const money = (minor: number) => minorToMajorNumber(minor, order.currency);
  const details = order.details ?? {};
  const base: Record<string, unknown> = {
    id: order.id,
    reference_number: (details['reference_number'] as string | undefined) ?? null,
    order_number: order.order_number,
    type: pointsOrderType(order.kind),
    total_price: money(order.amount.minor),
    total_points: order.total_points,
    payment_status: 'fully_paid',
    order_status: pointsOrderStatus(order.status, order.capture_method),
    metadata: (details['metadata'] as Record<string, unknown> | undefined) ?? null,
    created_at: isoSeconds(order.created_at),
    updated_at: isoSeconds(order.updated_at),
  };
  const reason = event.reason ?? undefined;
  if (name === 'cancelled') return { ...base, reason };
  if (name === 'refunded' || name === 'auto_refunded') {
    const refund = event.payload['refund'] as RefundSplitJson | null | undefined;
    return {
      ...base,
      refund_amount: money(refund?.amount_minor ?? 0),
      refund_points:
        order.kind === 'replacing'
          ? (refund?.points_returned ?? 0)
          : (refund?.points_reversed ?? 0),
      left_points:
        order.kind === 'replacing'
          ? order.redeemed_points - order.points_returned
          : order.total_points - order.points_reversed,
      left_amount: money(order.amount.minor - order.refunded.minor),
      reason,
      type: pointsOrderType(order.kind),
    };
  }
  return base;
}

export function buildWebhookRequest(
  endpoint: WebhookEndpoint,
  delivery: Delivery,
  event: EventRecord,
  nowMs: number,
): WebhookRequest {
  const timestamp = isoSeconds(nowMs);
  let body: string;
  const extra: Record<string, string> = {};
  if (endpoint.format === 'points') {
    const name = pointsWebhookEvent(eventFacts(event)) ?? event.type;
    body = JSON.stringify({ event: name, order: pointsOrderPayload(event), timestamp });
    extra['x-webhook-secret'] = endpoint.secret;
    extra['x-webhook-event'] = name;
  } else {
    body = JSON.stringify({
      type: event.type,
      timestamp,
      data: { event_id: event.id, ...event.payload },
    });
  }
  const seconds = Math.floor(nowMs / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Unwind-Webhooks/1',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(seconds),
      'webhook-signature': signatureHeader(
        signingSecrets(endpoint, nowMs),
        delivery.id,
        seconds,
        body,
      ),
      ...extra,
    },
  };
}
