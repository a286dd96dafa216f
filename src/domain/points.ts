/**
 * How Points names what happened to an order: its order statuses and webhook events
 * (reference/provider-apis.md §1.6 and §1.8).
 */
import type { CaptureMethod, OrderKind, OrderStatus } from './order.js';

export const POINTS_ORDER_STATUSES = [
  'new',
  'approved',
  'authorized',
  'captured',
  'cancelled',
  'fully_refunded',
  'partially_refunded',
] as const;
export type PointsOrderStatus = (typeof POINTS_ORDER_STATUSES)[number];

/** Points' `order_status`: a one-step capture is `approved`, a capture after authorize `captured`. */
export function pointsOrderStatus(
  status: OrderStatus,
  captureMethod: CaptureMethod | null,
): PointsOrderStatus {
  switch (status) {
    case 'pending':
      return 'new';
    case 'authorized':
      return 'authorized';
    case 'captured':
      return captureMethod === 'purchase' ? 'approved' : 'captured';
    case 'partially_refunded':
      return 'partially_refunded';
    case 'refunded':
      return 'fully_refunded';
    case 'cancelled':
    case 'voided':
      return 'cancelled';
  }
}

/** Webhooks use strings for the order type; the API uses 1 (earning) and 2 (replacing). */
export const pointsOrderType = (kind: OrderKind): 'earning' | 'replacing' =>
  kind === 'replacing' ? 'replacing' : 'earning';

export const POINTS_WEBHOOK_EVENTS = [
  'approved',
  'authorized',
  'captured',
  'cancelled',
  'completed',
  'refunded',
  'auto_refunded',
  'shipping_status_updated',
] as const;
export type PointsWebhookEvent = (typeof POINTS_WEBHOOK_EVENTS)[number];

/** The core event as the mapping needs it. */
export interface EventFacts {
  readonly type: string;
  readonly statusAfter: string | null;
  /** `order.capture_method` of the event's snapshot. */
  readonly captureMethod: CaptureMethod | null;
}

/**
 * The Points webhook event for a core event, or null when Points has no such event (a void, or
 * an order created without capture, which Points announces only when it is approved).
 */
export function pointsWebhookEvent(e: EventFacts): PointsWebhookEvent | null {
  switch (e.type) {
    case 'order.created':
      if (e.statusAfter === 'authorized') return 'authorized';
      return e.statusAfter === 'captured' ? 'approved' : null;
    case 'order.authorized':
      return 'authorized';
    case 'order.captured':
      return e.captureMethod === 'purchase' ? 'approved' : 'captured';
    case 'order.cancelled':
      return 'cancelled';
    case 'order.completed':
      return 'completed';
    case 'order.refunded':
      return 'refunded';
    case 'order.auto_refunded':
      return 'auto_refunded';
    case 'order.shipping_status_updated':
      return 'shipping_status_updated';
    default:
      return null;
  }
}
