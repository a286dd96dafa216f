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
import { pointsOrderType, pointsStatusOf, pointsWebhookEvent } from '../domain/points.js';
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
  redeemed_value?: { minor: number };
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

interface ShippingJson {
  status: string | null;
  label_ar: string | null;
  label_en: string | null;
}

interface RefundSplitJson {
  amount_minor: number;
  points_reversed: number;
  points_returned: number;
}

/** The Points webhook `order` object, with the extras of its event (provider-apis.md §1.8). */
export function pointsOrderPayload(event: EventRecord): Record<string, unknown> {
  const order = event.payload['order'] as Snapshot;
  const name = pointsWebhookEvent(eventFacts(event));
  const money = (minor: number) => minorToMajorNumber(minor, order.currency);
  const details = order.details ?? {};
  const replacing = order.kind === 'replacing';
  const status = pointsStatusOf({
    kind: order.kind,
    amountMinor: order.amount.minor,
    status: order.status,
    captureMethod: order.capture_method,
  });
  // A replacing order's points are the points the customer spent on it.
  const totalPoints = replacing ? order.redeemed_points : order.total_points;
  const base: Record<string, unknown> = {
    id: order.id,
    reference_number: (details['reference_number'] as string | undefined) ?? null,
    order_number: order.order_number ?? (details['review_reference'] as string | undefined) ?? null,
    type: pointsOrderType(order.kind),
    total_price: money(order.amount.minor),
    total_points: totalPoints,
    payment_status: pointsPaymentStatus(order),
    order_status: status,
    metadata: (details['metadata'] as Record<string, unknown> | undefined) ?? null,
    created_at: isoSeconds(order.created_at),
    updated_at: isoSeconds(order.updated_at),
  };
  const reason = event.reason ?? undefined;
  if (name === 'cancelled') return { ...base, reason };
  if (name === 'shipping_status_updated') {
    const shipping = event.payload['shipping'] as ShippingJson | undefined;
    return { ...base, status: shipping?.status ?? null, status_label: shipping?.label_ar ?? null };
  }
  if (name === 'refunded' || name === 'auto_refunded') {
    const refund = event.payload['refund'] as RefundSplitJson | null | undefined;
    // An automatic refund without a split reverses the whole order.
    const whole = name === 'auto_refunded' && !refund;
    return {
      ...base,
      refund_amount: money(whole ? order.amount.minor : (refund?.amount_minor ?? 0)),
      refund_points: whole
        ? totalPoints
        : replacing
          ? (refund?.points_returned ?? 0)
          : (refund?.points_reversed ?? 0),
      left_points: replacing
        ? order.redeemed_points - order.points_returned
        : order.total_points - order.points_reversed,
      left_amount: money(order.amount.minor - order.refunded.minor),
      reason: name === 'auto_refunded' ? (reason ?? AUTO_REFUND_REASON) : reason,
      type: pointsOrderType(order.kind),
    };
  }
  return base;
}

/** The reason Points gives an automatic refund of an order whose transaction was missing. */
export const AUTO_REFUND_REASON = 'auto_refund_missing_transaction';

/**
 * `fully_paid`, except a replacing order still waiting for its cash part: `partially_paid`
 * (the customer paid with points, the merchant has not completed or captured it yet).
 */
function pointsPaymentStatus(order: Snapshot): 'fully_paid' | 'partially_paid' {
  const waitingForCash =
    order.kind === 'replacing' &&
    order.status === 'pending' &&
    (order.redeemed_value?.minor ?? 0) < order.amount.minor;
  return waitingForCash ? 'partially_paid' : 'fully_paid';
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
