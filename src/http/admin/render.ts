/** JSON shapes of the admin face. Amounts are integer minor units beside their currency. */
import type { AdminActionRecord } from '../../app/admin-actions.js';
import type { EventRecord } from '../../app/events.js';
import type { LedgerTransaction } from '../../app/ledger.js';
import type { ListDirection } from '../../app/order-queries.js';
import type { EndpointHealth } from '../../app/webhook-health.js';
import type { Credential, Merchant } from '../../domain/merchant.js';
import type { Delivery, DeliveryAttempt, WebhookEndpoint } from '../../domain/webhooks.js';
import { formatMinor } from '../../domain/money.js';
import { HttpProblem } from '../faces.js';
import { capturableMinor, type Order, refundableMinor } from '../../domain/order.js';
import type { BackdOrder } from '../../domain/backd-order.js';
import { isActiveStatus, type RefundRequest, visibleStatus } from '../../domain/refund-request.js';
import { refundRequestJson } from '../../app/backd-refund-requests.js';

export const iso = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();

/** A credential as the admin API lists it: its visible prefix, never its secret or hash. */
export const credentialJson = (c: Credential) => ({
  id: c.id,
  dialect: c.dialect,
  kind: c.kind,
  prefix: c.prefix,
  permissions: c.permissions,
  ip_whitelist: c.ipWhitelist,
  created_at: iso(c.createdAt),
  revoked_at: iso(c.revokedAt),
});

export const merchantJson = (m: Merchant, credentials?: readonly Credential[]) => ({
  id: m.id,
  name: m.name,
  currency: m.currency,
  settings: {
    points_per_unit: m.settings.pointsPerUnit,
    minor_per_point: m.settings.minorPerPoint,
    refund_window_days: m.settings.refundWindowDays,
    holidays: m.settings.holidays,
    ip_allow_list: m.settings.ipAllowList,
    order_total_increase_limit_percent: m.settings.orderTotalIncreaseLimitPercent,
    refund_settlement_delay_seconds: m.settings.refundSettlementDelaySeconds,
    auto_refund_grace_hours: m.settings.autoRefundGraceHours,
    sandbox: m.settings.sandbox,
    store_rating_points: m.settings.storeRatingPoints,
    product_rating_points: m.settings.productRatingPoints,
    refund_approval_above_minor: m.settings.refundApprovalAboveMinor,
    checkout_capture: m.settings.checkoutCapture,
  },
  ...(credentials
    ? {
        credentials: credentials.map(credentialJson),
      }
    : {}),
  created_at: iso(m.createdAt),
  updated_at: iso(m.updatedAt),
});

export const transactionJson = (t: LedgerTransaction) => ({
  id: t.id,
  type: t.type,
  status: t.status,
  amount_minor: t.amountMinor,
  points: t.points,
  currency: t.currency,
  reason: t.reason,
  actor: t.actor,
  event_id: t.eventId,
  // The issuer's answer to a card row (MPG), so a declined payment is shown with its code.
  response_code: textDetail(t.details, 'response_code'),
  response_message: textDetail(t.details, 'message'),
  created_at: iso(t.createdAt),
});

const textDetail = (details: Readonly<Record<string, unknown>>, key: string): string | null => {
  const value = details[key];
  return typeof value === 'string' ? value : null;
};

export const orderJson = (o: Order, transactions?: readonly LedgerTransaction[]) => ({
  id: o.id,
  merchant_id: o.merchantId,
  dialect: o.dialect,
  kind: o.kind,
  status: o.status,
  currency: o.currency,
  amount: formatMinor(o.amountMinor, o.currency),
  amount_minor: o.amountMinor,
  authorized_minor: o.authorizedMinor,
  captured_minor: o.capturedMinor,
  voided_minor: o.voidedMinor,
  refunded_minor: o.refundedMinor,
  capturable_minor: capturableMinor(o),
  refundable_minor: refundableMinor(o),
  redeemed_minor: o.redeemedMinor,
  total_points: o.totalPoints,
  points_reversed: o.pointsReversed,
  redeemed_points: o.redeemedPoints,
  points_returned: o.pointsReturned,
  order_number: o.orderNumber,
  merchant_order_id: o.merchantOrderId,
  backd_order_id: o.backdOrderId,
  customer_phone: o.customerRef,
  captured_at: iso(o.capturedAt),
  capture_method: o.captureMethod,
  cancelled_at: iso(o.cancelledAt),
  created_at: iso(o.createdAt),
  updated_at: iso(o.updatedAt),
  version: o.version,
  ...(transactions ? { transactions: transactions.map(transactionJson) } : {}),
});

export const eventJson = (e: EventRecord) => ({
  id: e.id,
  type: e.type,
  merchant_id: e.merchantId,
  order_id: e.orderId,
  actor: e.actor,
  reason: e.reason,
  status_before: e.statusBefore,
  status_after: e.statusAfter,
  payload: e.payload,
  created_at: iso(e.createdAt),
});

export const adminActionJson = (a: AdminActionRecord) => ({
  id: a.id,
  action: a.action,
  actor: a.actor,
  reason: a.reason,
  merchant_id: a.merchantId,
  order_id: a.orderId,
  subject_id: a.subjectId,
  details: a.details,
  created_at: iso(a.createdAt),
});

/** Opaque keyset cursor over (created_at, id). */
export const encodeCursor = (row: { createdAt: number; id: string }): string =>
  Buffer.from(`${row.createdAt}:${row.id}`).toString('base64url');

export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  return cursorKey(ms, id);
}

function cursorKey(ms: string | undefined, id: string | undefined) {
  // Digits only: Number() alone would read "", "0x10" and "1e3" as times too.
  const createdAt = ms !== undefined && /^\d{1,16}$/.test(ms) ? Number(ms) : NaN;
  return Number.isSafeInteger(createdAt) && id ? { createdAt, id } : null;
}

/**
 * Keyset cursor of a list read in either direction (orders, deliveries, admin actions):
 * (created_at, id) and the direction it was read in, so a cursor sent with the other direction is
 * refused instead of paging from the wrong end. A cursor without a direction (`encodeCursor`,
 * before `order` existed) pages oldest first.
 */
export const encodeDirectedCursor = (
  direction: ListDirection,
  row: { createdAt: number; id: string },
): string => Buffer.from(`${direction}:${row.createdAt}:${row.id}`).toString('base64url');

export function decodeDirectedCursor(
  cursor: string,
): { direction: ListDirection; after: { createdAt: number; id: string } } | null {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const direction = parts[0] === 'asc' || parts[0] === 'desc' ? parts.shift() : 'asc';
  const after = parts.length === 2 ? cursorKey(parts[0], parts[1]) : null;
  return after && { direction: direction as ListDirection, after };
}

/**
 * Where a page of a list read in `direction` starts: the directed cursor's key, undefined when
 * none was sent; 422 at `cursor` when it cannot be read or pages the other direction.
 */
export function directedAfter(
  cursor: string | undefined,
  direction: ListDirection,
): { createdAt: number; id: string } | undefined {
  const decoded = parseCursor(cursor, decodeDirectedCursor);
  if (decoded && decoded.direction !== direction) {
    throw new HttpProblem('validation_failed', [
      {
        path: 'cursor',
        message: `This cursor pages order=${decoded.direction}; send that order or no cursor.`,
      },
    ]);
  }
  return decoded?.after;
}

/** The cursor decoded, undefined when none was sent; 422 at `cursor` when it cannot be read. */
export function parseCursor<T>(
  cursor: string | undefined,
  decode: (cursor: string) => T | null,
): T | undefined {
  if (cursor === undefined) return undefined;
  const value = decode(cursor);
  if (value === null) {
    throw new HttpProblem('validation_failed', [{ path: 'cursor', message: 'Invalid cursor.' }]);
  }
  return value;
}

/** A list answer: the rows as JSON and, when the page is full, the cursor to the next page. */
export function pageJson<T, J>(
  rows: readonly T[],
  limit: number,
  json: (row: T) => J,
  cursorOf: (last: T) => string,
): { data: J[]; next_cursor: string | null } {
  const last = rows.at(-1);
  return {
    data: rows.map(json),
    next_cursor: last !== undefined && rows.length === limit ? cursorOf(last) : null,
  };
}

/** Keyset cursor of the merchant list: (name, id). */
export const encodeNameCursor = (row: { name: string; id: string }): string =>
  Buffer.from(JSON.stringify([row.name, row.id])).toString('base64url');

export function decodeNameCursor(cursor: string): { name: string; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      value[1] !== ''
      ? { name: value[0], id: value[1] }
      : null;
  } catch {
    return null;
  }
}

/** succeeded / attempts to four decimals; null when there was no attempt to judge by. */
export const successRate = (succeeded: number, attempts: number): number | null =>
  attempts === 0 ? null : Math.round((succeeded / attempts) * 10_000) / 10_000;

export const healthJson = (h: EndpointHealth, windowHours: number) => ({
  window_hours: windowHours,
  attempts: h.attempts,
  succeeded: h.succeeded,
  failed: h.attempts - h.succeeded,
  success_rate: successRate(h.succeeded, h.attempts),
  pending: h.pending,
  dead: h.dead,
  last_failure: h.lastFailure && {
    at: iso(h.lastFailure.at),
    delivery_id: h.lastFailure.deliveryId,
    status_code: h.lastFailure.statusCode,
    error: h.lastFailure.error,
  },
});

/** An endpoint; its secret only when just created or rotated. */
export const webhookJson = (e: WebhookEndpoint, withSecret = false) => ({
  id: e.id,
  merchant_id: e.merchantId,
  url: e.url,
  name: e.name,
  format: e.format,
  retry_policy: e.retryPolicy,
  enabled: e.enabled,
  disabled_reason: e.disabledReason,
  disabled_at: iso(e.disabledAt),
  // Its current run of failed attempts; `circuit_open_until`: no attempt before then.
  failing_since: iso(e.health.failingSince),
  consecutive_failures: e.health.consecutiveFailures,
  circuit_open_until: iso(e.health.pausedUntil),
  secret_prefix: e.secret.slice(0, 12),
  ...(withSecret ? { secret: e.secret } : {}),
  previous_secret_expires_at: iso(e.previousSecretExpiresAt),
  created_at: iso(e.createdAt),
  updated_at: iso(e.updatedAt),
});

export const attemptJson = (a: DeliveryAttempt) => ({
  attempt: a.attemptNumber,
  started_at: iso(a.startedAt),
  duration_ms: a.durationMs,
  status_code: a.statusCode,
  error: a.error,
  response_excerpt: a.responseExcerpt,
});

export const deliveryJson = (d: Delivery, attempts?: readonly DeliveryAttempt[]) => ({
  id: d.id,
  event_id: d.eventId,
  endpoint_id: d.endpointId,
  merchant_id: d.merchantId,
  order_id: d.orderId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attemptCount,
  next_attempt_at: iso(d.nextAttemptAt),
  last_status_code: d.lastStatusCode,
  last_error: d.lastError,
  created_at: iso(d.createdAt),
  updated_at: iso(d.updatedAt),
  delivered_at: iso(d.deliveredAt),
  ...(attempts ? { attempt_log: attempts.map(attemptJson) } : {}),
});

/**
 * A Backd order's own state for operators: Backd's status and the active refund request as a
 * client sees it now (a draft past its deadline is already `approved`), or null.
 */
export function backdJson(backd: BackdOrder, refunds: readonly RefundRequest[], now: number) {
  const active = refunds.find((r) => isActiveStatus(r.status));
  return {
    backd_order_id: backd.backdOrderId,
    merchant_order_id: backd.merchantOrderId,
    status: backd.status,
    active_refund_request: active
      ? refundRequestJson({ ...active, status: visibleStatus(active, now) })
      : null,
    customer_phone: backd.billing.phone_number,
    // Every request, newest first, each as clients see it now.
    refund_requests: [...refunds]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((r) => refundRequestJson({ ...r, status: visibleStatus(r, now) })),
  };
}
