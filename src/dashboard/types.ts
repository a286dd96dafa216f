/**
 * The admin API's JSON shapes as the dashboard reads them (src/http/admin/render.ts and the
 * handlers are the source of truth). Only the fields the dashboard shows are listed.
 */
import type { BackdOrderStatus } from '../domain/backd-order.js';
import type { CaptureMethod, Dialect, OrderKind, OrderStatus } from '../domain/order.js';
import type { RefundRequestStatus } from '../domain/refund-request.js';
import type { DeliveryStatus } from '../domain/webhooks.js';
import type { AdminActionType } from '../domain/admin-actions.js';

export type { Dialect, OrderStatus, DeliveryStatus };
export { DIALECTS, ORDER_STATUSES } from '../domain/order.js';
export { DELIVERY_STATUSES } from '../domain/webhooks.js';

export interface Page<T> {
  readonly data: readonly T[];
  readonly next_cursor: string | null;
}

export interface OrderJson {
  readonly id: string;
  readonly merchant_id: string;
  readonly dialect: Dialect;
  readonly kind: OrderKind;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly amount_minor: number;
  readonly authorized_minor: number;
  readonly captured_minor: number;
  readonly voided_minor: number;
  readonly refunded_minor: number;
  readonly capturable_minor: number;
  readonly refundable_minor: number;
  readonly total_points: number;
  readonly points_reversed: number;
  readonly redeemed_points: number;
  readonly points_returned: number;
  readonly order_number: string | null;
  readonly merchant_order_id: string | null;
  readonly backd_order_id: string | null;
  /** The customer's phone on a Points order; null elsewhere. */
  readonly customer_phone: string | null;
  readonly captured_at: string | null;
  readonly capture_method: CaptureMethod | null;
  readonly cancelled_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface TransactionJson {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly amount_minor: number;
  readonly points: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly actor: string;
  /** The issuer's answer on a card row (MPG), else null. */
  readonly response_code: string | null;
  readonly response_message: string | null;
  readonly created_at: string;
}

export interface RefundRequestJson {
  readonly id: string;
  readonly amount_minor: number;
  readonly currency: string;
  readonly status: RefundRequestStatus;
  readonly locked_at: string | null;
  readonly settle_at: string | null;
  readonly decline_reason: string | null;
  readonly created_at: string;
}

export interface EventJson {
  readonly id: string;
  readonly type: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly status_before: string | null;
  readonly status_after: string | null;
  readonly created_at: string;
}

export interface AttemptJson {
  readonly attempt: number;
  readonly started_at: string;
  readonly duration_ms: number | null;
  readonly status_code: number | null;
  readonly error: string | null;
  /** The start of the receiver's answer body, as stored. */
  readonly response_excerpt: string | null;
}

export interface DeliveryJson {
  readonly id: string;
  readonly event_id: string;
  readonly endpoint_id: string;
  readonly merchant_id: string;
  readonly order_id: string | null;
  readonly event_type: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly next_attempt_at: string | null;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly delivered_at: string | null;
  readonly attempt_log?: readonly AttemptJson[];
}

/** An operator's action outside the ledger (GET /admin/actions, and in an order's history). */
export interface AdminActionJson {
  readonly id: string;
  readonly action: AdminActionType;
  readonly actor: string;
  readonly reason: string | null;
  readonly merchant_id: string;
  readonly order_id: string | null;
  readonly subject_id: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly created_at: string;
}

export type HistoryEntryJson =
  | { readonly kind: 'transaction'; readonly at: string; readonly transaction: TransactionJson }
  | {
      readonly kind: 'refund_request';
      readonly at: string;
      readonly refund_request: RefundRequestJson;
    }
  | { readonly kind: 'event'; readonly at: string; readonly event: EventJson }
  | { readonly kind: 'delivery'; readonly at: string; readonly delivery: DeliveryJson }
  | { readonly kind: 'admin_action'; readonly at: string; readonly admin_action: AdminActionJson };

/** A Backd order's own state: its status and the active refund request as clients see it. */
export interface BackdJson {
  readonly backd_order_id: string;
  readonly merchant_order_id: string;
  readonly status: BackdOrderStatus;
  /** The buyer's phone from the billing contact. */
  readonly customer_phone: string;
  readonly active_refund_request: RefundRequestJson | null;
  /** Every refund request, newest first. */
  readonly refund_requests: readonly RefundRequestJson[];
}

export interface HistoryJson {
  readonly order: OrderJson;
  /** Null unless the order is a Backd order. */
  readonly backd: BackdJson | null;
  readonly entries: readonly HistoryEntryJson[];
}

/** What submitting or withdrawing a refund request answers. */
export interface RefundRequestResultJson {
  readonly order: OrderJson;
  readonly backd: BackdJson;
  readonly refund_request: RefundRequestJson | null;
}

export interface MerchantJson {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
}

export interface WebhookHealthJson {
  readonly window_hours: number;
  readonly attempts: number;
  readonly succeeded: number;
  readonly failed: number;
  /** 0..1, null when there were no attempts in the window. */
  readonly success_rate: number | null;
  readonly pending: number;
  readonly dead: number;
  readonly last_failure: {
    readonly at: string;
    readonly delivery_id: string;
    readonly status_code: number | null;
    readonly error: string | null;
  } | null;
}

export interface WebhookJson {
  readonly id: string;
  readonly merchant_id: string;
  readonly url: string;
  readonly name: string | null;
  readonly format: string;
  readonly enabled: boolean;
  readonly disabled_reason: string | null;
  readonly secret_prefix?: string;
  /** Only in the answer that created or rotated it: shown once. */
  readonly secret?: string;
  readonly health?: WebhookHealthJson;
}

export interface ClockJson {
  readonly now: string;
  readonly test_clock?: boolean;
}

export interface StatsDayJson {
  readonly date: string;
  readonly refunds: {
    readonly count: number;
    /** Sums over any number of refunds: decimal strings, exact at any size. */
    readonly amounts: readonly { currency: string; amount_minor: string; amount: string }[];
  };
  readonly cancels: { readonly count: number };
  readonly voids: { readonly count: number };
  readonly webhooks: {
    readonly attempts: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly success_rate: number | null;
  };
}

export interface StatsJson {
  readonly tz: string;
  readonly days: readonly StatsDayJson[];
}

export interface RunJson {
  readonly id: string;
  readonly status: string;
  readonly source?: string;
  /** The run's scope; null on runs from before runs had one. */
  readonly merchant_id?: string | null;
  readonly dialect?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly summary: Readonly<Record<string, number>>;
  readonly error?: string | null;
  readonly created_at?: string | null;
  readonly completed_at?: string | null;
  readonly applied_at?: string | null;
}

export interface FindingJson {
  readonly seq: number;
  readonly kind: string;
  readonly line: number | null;
  readonly order_reference: string | null;
  readonly order_id: string | null;
  readonly type: string | null;
  readonly expected_minor: number | null;
  readonly reported_minor: number | null;
  readonly expected_currency: string | null;
  readonly reported_currency: string | null;
  readonly message: string;
  readonly action: string;
  readonly action_detail: string | null;
}

export interface RunWithFindingsJson extends RunJson {
  readonly findings: readonly FindingJson[];
  readonly findings_truncated: boolean;
}
