/**
 * The event catalogue: one event per state change, written to the outbox in the same transaction
 * as the change. Webhook formats (standard, points) are built from these payloads at delivery.
 */
import { formatMinor } from './money.js';
import type { Order, OrderStatus, RefundSplit } from './order.js';

export const EVENT_TYPES = [
  'order.created',
  'order.authorized',
  'order.captured',
  'order.voided',
  'order.cancelled',
  'order.refunded',
  'order.completed', // a Points replacing order was completed (after its capture event)
  'order.shipping_status_updated', // Points shipping status or labels changed; no money moved
  'order.auto_refunded', // reconciliation refunded an order whose transaction was missing (Points)
  'order.extended', // a reservation's hold period was extended (MPG)
  'order.transaction_reversed', // a transaction of unknown outcome was reversed (MPG)
  'order.operation_failed', // an operation was attempted and not approved; totals unchanged
  'order.terms_selected', // a Backd buyer picked payment terms on the terms page; no money moved
  'order.placed', // a Backd merchant placed the order (order_placed); no money moved
  'order.updated', // a Backd merchant updated a placed order; its total may have changed
  'order.confirmed', // a Backd merchant confirmed the order: its whole total was captured
  'refund_request.submitted', // a Backd refund request was submitted (draft); no money moved yet
  'refund_request.declined', // a Backd refund request was replaced or deleted
  'refund_request.locked', // a Backd refund request reached its deadline (approved)
  'endpoint.disabled', // a webhook endpoint failed continuously too long; to the merchant's others
] as const;
/**
 * Every change of an order moves its version by one and writes one event, whatever its type
 * (Backd's lifecycle and refund-request steps included). These events only announce, without a
 * change of their own: Points sends `completed` after the `approved` of a replacing order that
 * hits /complete, where the capture event before it was the change. The
 * one-event-per-state-change check (version + 1 events per order) leaves them out.
 */
export const ANNOUNCEMENT_EVENT_TYPES: readonly string[] = ['order.completed'];

export type EventType = (typeof EVENT_TYPES)[number];

/** The order as events carry it: stable snake_case JSON, amounts as exact decimal strings too. */
export function orderSnapshot(order: Order) {
  const money = (minor: number) => ({ minor, decimal: formatMinor(minor, order.currency) });
  return {
    id: order.id,
    merchant_id: order.merchantId,
    dialect: order.dialect,
    kind: order.kind,
    status: order.status satisfies OrderStatus,
    currency: order.currency,
    amount: money(order.amountMinor),
    authorized: money(order.authorizedMinor),
    captured: money(order.capturedMinor),
    voided: money(order.voidedMinor),
    refunded: money(order.refundedMinor),
    redeemed_value: money(order.redeemedMinor),
    total_points: order.totalPoints,
    points_reversed: order.pointsReversed,
    redeemed_points: order.redeemedPoints,
    points_returned: order.pointsReturned,
    order_number: order.orderNumber,
    merchant_order_id: order.merchantOrderId,
    backd_order_id: order.backdOrderId,
    details: order.details,
    capture_method: order.captureMethod,
    captured_at: order.capturedAt,
    cancelled_at: order.cancelledAt,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    version: order.version,
  };
}

/** An `order` field of an event payload, as `orderSnapshot` writes it. */
export type OrderSnapshot = ReturnType<typeof orderSnapshot>;

/** The `refund` field of a refund event's payload: how the refund was split. */
export const refundSplitJson = (s: RefundSplit) => ({
  amount_minor: s.amountMinor,
  cash_minor: s.cashMinor,
  points_value_minor: s.pointsValueMinor,
  points_reversed: s.pointsReversed,
  points_returned: s.pointsReturned,
});

export type RefundSplitJson = ReturnType<typeof refundSplitJson>;
