/** JSON shapes of the admin face. Amounts are integer minor units beside their currency. */
import type { EventRecord, LedgerTransaction } from '../../app/ports/store.js';
import type { Credential, Merchant } from '../../domain/merchant.js';
import type { Delivery, DeliveryAttempt, WebhookEndpoint } from '../../domain/webhooks.js';
import { formatMinor } from '../../domain/money.js';
import { capturableMinor, type Order, refundableMinor } from '../../domain/order.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

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
  },
  ...(credentials
    ? {
        credentials: credentials.map((c) => ({
          id: c.id,
          dialect: c.dialect,
          kind: c.kind,
          prefix: c.prefix,
          permissions: c.permissions,
          created_at: iso(c.createdAt),
          revoked_at: iso(c.revokedAt),
        })),
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
  created_at: iso(t.createdAt),
});

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
  capturable_minor: o.status === 'cancelled' ? 0 : capturableMinor(o),
  refundable_minor: refundableMinor(o),
  redeemed_minor: o.redeemedMinor,
  total_points: o.totalPoints,
  points_reversed: o.pointsReversed,
  redeemed_points: o.redeemedPoints,
  points_returned: o.pointsReturned,
  order_number: o.orderNumber,
  merchant_order_id: o.merchantOrderId,
  backd_order_id: o.backdOrderId,
  captured_at: iso(o.capturedAt),
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

/** Opaque keyset cursor over (created_at, id). */
export const encodeCursor = (row: { createdAt: number; id: string }): string =>
  Buffer.from(`${row.createdAt}:${row.id}`).toString('base64url');

export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const createdAt = Number(ms);
  return Number.isSafeInteger(createdAt) && id ? { createdAt, id } : null;
}

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
