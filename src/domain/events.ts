/**
 * The event catalogue: one event per state change, written to the outbox in the same transaction
 * as the change. Webhook formats (standard, points) are built from these payloads at delivery.
 */
import { formatMinor } from './money.js';
import type { Order, OrderStatus } from './order.js';

export const EVENT_TYPES = [
  'order.created',
  'order.authorized',
  'order.captured',
  'order.voided',
  'order.cancelled',
  'order.refunded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The order as events carry it: stable snake_case JSON, amounts as exact decimal strings too. */
export function orderSnapshot(order: Order): Record<string, unknown> {
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
