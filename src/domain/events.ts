/**
 * The event catalogue: one event per state change, written to the outbox in the same transaction
 * as the change. Webhook formats (standard, points) are built from these payloads at delivery.
 */
import { formatIsoUtc } from './business-days.js';
import { formatMinor } from './money.js';
import type {
  CaptureMethod,
  Dialect,
  Order,
  OrderKind,
  OrderStatus,
  RefundSplit,
} from './order.js';

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

/** What the webhook formats need to know of an event to name it (src/app/events.ts reads it). */
export interface EventFacts {
  readonly type: string;
  readonly statusAfter: string | null;
  /** `order.capture_method` of the event's snapshot. */
  readonly captureMethod: CaptureMethod | null;
  /** `order.kind` and `order.amount.minor` of the snapshot, when known. */
  readonly kind?: OrderKind;
  readonly amountMinor?: number;
  /** `order.dialect` of the snapshot: the face the order was made through, when known. */
  readonly dialect?: Dialect;
}

/**
 * A time as event payloads carry it: ISO 8601 in UTC with milliseconds and `Z`, as the admin API
 * writes every time. (Points-format webhooks narrow it to Points' seconds, src/webhooks/points-format.ts.)
 */
export function eventTime(ms: number): string;
export function eventTime(ms: number | null): string | null;
export function eventTime(ms: number | null): string | null {
  return ms === null ? null : formatIsoUtc(ms);
}

/** The time fields of an order snapshot. */
const ORDER_TIME_FIELDS = ['captured_at', 'cancelled_at', 'created_at', 'updated_at'] as const;

/**
 * A stored payload as it is read: events written before payload times were ISO strings carry
 * their order snapshot's times as epoch milliseconds, which this turns into `eventTime`s. Pure
 * and idempotent, keeping the order of keys, so a delivery's body is the same whenever the
 * event is read.
 */
export function withIsoOrderTimes(
  payload: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const order = payload['order'];
  if (typeof order !== 'object' || order === null) return payload;
  const snapshot = order as Record<string, unknown>;
  if (!ORDER_TIME_FIELDS.some((field) => typeof snapshot[field] === 'number')) return payload;
  const upgraded = Object.fromEntries(
    Object.entries(snapshot).map(([key, value]) =>
      typeof value === 'number' && (ORDER_TIME_FIELDS as readonly string[]).includes(key)
        ? [key, eventTime(value)]
        : [key, value],
    ),
  );
  return { ...payload, order: upgraded };
}

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
    captured_at: eventTime(order.capturedAt),
    cancelled_at: eventTime(order.cancelledAt),
    created_at: eventTime(order.createdAt),
    updated_at: eventTime(order.updatedAt),
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
