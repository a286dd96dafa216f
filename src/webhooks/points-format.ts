/**
 * The Points webhook format (docs/decisions/points.md#webhooks): the envelope
 * `{"event", "order", "timestamp"}` with the webhook `order` fields of the Points docs (UUID `id`,
 * string `type`, SAR numbers), and the headers `X-Webhook-Secret` (the raw shared secret, as
 * Points sends it) and `X-Webhook-Event`. Which events it carries and their names are
 * `WEBHOOK_EVENT_NAMES.points` (src/domain/webhooks.ts).
 */
import { eventFacts } from '../app/events.js';
import type { EventRecord } from '../app/ports/outbox.js';
import { eventTime, type OrderSnapshot, type RefundSplitJson } from '../domain/events.js';
import {
  pointsLeft,
  pointsOfOrder,
  pointsOrderType,
  pointsPaymentStatus,
  pointsStatusOf,
  pointsWebhookEvent,
} from '../domain/points.js';
import { AUTO_REFUND_REASON } from '../domain/reconciliation.js';
import { minorToMajorNumber } from '../domain/money.js';
import type { FormatRenderer } from './formats.js';

/** Points' documented webhook times are ISO 8601 to the second (`2026-04-18T10:05:12Z`). */
const pointsTime = (iso: string): string => iso.replace(/\.\d{3}Z$/, 'Z');

interface ShippingJson {
  status: string | null;
  label_ar: string | null;
  label_en: string | null;
}

/**
 * The Points webhook `order` object, with the extras of its event
 * (docs/decisions/points.md#webhooks).
 */
export function pointsOrderPayload(event: EventRecord): Record<string, unknown> {
  const order = event.payload['order'] as OrderSnapshot;
  const name = pointsWebhookEvent(eventFacts(event));
  const money = (minor: number) => minorToMajorNumber(minor, order.currency);
  const details = order.details;
  const replacing = order.kind === 'replacing';
  const figures = {
    kind: order.kind,
    status: order.status,
    captureMethod: order.capture_method,
    amountMinor: order.amount.minor,
    redeemedMinor: order.redeemed_value.minor,
    totalPoints: order.total_points,
    pointsReversed: order.points_reversed,
    redeemedPoints: order.redeemed_points,
    pointsReturned: order.points_returned,
  };
  const totalPoints = pointsOfOrder(figures);
  const base: Record<string, unknown> = {
    id: order.id,
    reference_number: (details['reference_number'] as string | undefined) ?? null,
    order_number: order.order_number ?? (details['review_reference'] as string | undefined) ?? null,
    type: pointsOrderType(order.kind),
    total_price: money(order.amount.minor),
    total_points: totalPoints,
    payment_status: pointsPaymentStatus(figures),
    order_status: pointsStatusOf(figures),
    metadata: (details['metadata'] as Record<string, unknown> | undefined) ?? null,
    created_at: pointsTime(order.created_at),
    updated_at: pointsTime(order.updated_at),
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
      left_points: pointsLeft(figures),
      left_amount: money(order.amount.minor - order.refunded.minor),
      reason: name === 'auto_refunded' ? (reason ?? AUTO_REFUND_REASON) : reason,
      type: pointsOrderType(order.kind),
    };
  }
  return base;
}

const pointsEventName = (event: EventRecord): string =>
  pointsWebhookEvent(eventFacts(event)) ?? event.type;

export const POINTS_FORMAT: FormatRenderer = {
  body: (event) =>
    JSON.stringify({
      event: pointsEventName(event),
      order: pointsOrderPayload(event),
      timestamp: pointsTime(eventTime(event.createdAt)),
    }),
  headers: (endpoint, event) => ({
    'x-webhook-secret': endpoint.secret,
    'x-webhook-event': pointsEventName(event),
  }),
};
