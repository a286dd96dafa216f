/**
 * Mappers from database rows to the port's plain records
 * (docs/decisions/engineering.md#explicit-wiring). Both adapters hand BIGINT columns over as JS
 * numbers (PostgreSQL's int8 through a parser that refuses what it cannot carry exactly); `int`
 * checks each one again, because better-sqlite3 rounds an int64 beyond 2^53 to the nearest double
 * without a word.
 */
import type { AdminActionRecord, AdminSession, AdminToken } from '../../app/ports/operators.js';
import type { EventRecord } from '../../app/ports/outbox.js';
import type { LedgerTransaction } from '../../app/ports/ledger.js';
import {
  type Credential,
  type CredentialDialect,
  type CredentialKind,
  DEFAULT_MERCHANT_SETTINGS,
  type Merchant,
  type MerchantSettings,
} from '../../domain/merchant.js';
import type {
  CaptureMethod,
  Dialect,
  Order,
  OrderKind,
  OrderStatus,
  TransactionStatus,
  TransactionType,
} from '../../domain/order.js';
import { withIsoOrderTimes } from '../../domain/events.js';
import { assert, AssertionFailure } from '../../domain/result.js';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  RetryPolicy,
  WebhookEndpoint,
  WebhookFormat,
} from '../../domain/webhooks.js';
import type { AdminActionType } from '../../domain/admin-actions.js';

export type Row = Record<string, unknown>;

// Column readers shared by every mapper: each asserts the type it reads, so a schema drift
// fails loudly instead of handing a wrong value to the domain.
export const str = (row: Row, column: string): string => {
  const v = row[column];
  assert(typeof v === 'string', `column ${column} is not text`);
  return v;
};
export const strOrNull = (row: Row, column: string): string | null =>
  row[column] === null || row[column] === undefined ? null : str(row, column);
/**
 * An integer column. A value outside ±(2^53 − 1) (or not an integer at all) is an assertion
 * failure naming the column and what it holds, never a wrong number handed on: the bounds
 * (src/domain/bounds.ts) keep every stored figure far inside that range, so only corruption or a
 * bug gets here, and the request fails with a logged 500.
 */
export const int = (row: Row, column: string): number => {
  const v = row[column];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw new AssertionFailure(
    typeof v === 'number'
      ? `column ${column} holds ${v}, outside the safe integer range ±${Number.MAX_SAFE_INTEGER} (the driver may have rounded it): refusing a number that would be wrong`
      : `column ${column} is not an integer: ${typeof v} ${String(v).slice(0, 40)}`,
  );
};
export const intOrNull = (row: Row, column: string): number | null =>
  row[column] === null || row[column] === undefined ? null : int(row, column);
/** A SUM over no rows (or only NULLs) is NULL; the total of nothing is 0. */
export const sum = (row: Row, column: string): number =>
  row[column] === null ? 0 : int(row, column);
export const parsed = <T>(row: Row, column: string): T => JSON.parse(str(row, column)) as T;

export const rowToMerchant = (r: Row): Merchant => ({
  id: str(r, 'id'),
  name: str(r, 'name'),
  currency: str(r, 'currency'),
  // Settings added by later versions get their defaults on read.
  settings: { ...DEFAULT_MERCHANT_SETTINGS, ...parsed<Partial<MerchantSettings>>(r, 'settings') },
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
});

export const rowToCredential = (r: Row): Credential => ({
  id: str(r, 'id'),
  merchantId: str(r, 'merchant_id'),
  dialect: str(r, 'dialect') as CredentialDialect,
  kind: str(r, 'kind') as CredentialKind,
  prefix: str(r, 'prefix'),
  secretHash: str(r, 'secret_hash'),
  permissions: parsed<string[]>(r, 'permissions'),
  ipWhitelist: strOrNull(r, 'ip_whitelist') === null ? null : parsed<string[]>(r, 'ip_whitelist'),
  createdAt: int(r, 'created_at'),
  revokedAt: intOrNull(r, 'revoked_at'),
});

export const rowToAdminToken = (r: Row): AdminToken => ({
  id: str(r, 'id'),
  prefix: str(r, 'prefix'),
  secretHash: str(r, 'secret_hash'),
  createdAt: int(r, 'created_at'),
  revokedAt: intOrNull(r, 'revoked_at'),
});

export const rowToAdminSession = (r: Row): AdminSession => ({
  id: str(r, 'id'),
  secretHash: str(r, 'secret_hash'),
  tokenHash: str(r, 'token_hash'),
  userAgent: strOrNull(r, 'user_agent'),
  createdAt: int(r, 'created_at'),
  expiresAt: int(r, 'expires_at'),
  revokedAt: intOrNull(r, 'revoked_at'),
  operatorId: strOrNull(r, 'operator_id'),
});

export const rowToOrder = (r: Row): Order => ({
  id: str(r, 'id'),
  merchantId: str(r, 'merchant_id'),
  dialect: str(r, 'dialect') as Dialect,
  kind: str(r, 'kind') as OrderKind,
  currency: str(r, 'currency'),
  amountMinor: int(r, 'amount_minor'),
  redeemedMinor: int(r, 'redeemed_minor'),
  authorizedMinor: int(r, 'authorized_minor'),
  capturedMinor: int(r, 'captured_minor'),
  voidedMinor: int(r, 'voided_minor'),
  refundedMinor: int(r, 'refunded_minor'),
  totalPoints: int(r, 'total_points'),
  pointsReversed: int(r, 'points_reversed'),
  redeemedPoints: int(r, 'redeemed_points'),
  pointsReturned: int(r, 'points_returned'),
  status: str(r, 'status') as OrderStatus,
  orderNumber: strOrNull(r, 'order_number'),
  merchantOrderId: strOrNull(r, 'merchant_order_id'),
  backdOrderId: strOrNull(r, 'backd_order_id'),
  customerRef: strOrNull(r, 'customer_ref'),
  details: parsed<Record<string, unknown>>(r, 'details'),
  capturedAt: intOrNull(r, 'captured_at'),
  captureMethod: strOrNull(r, 'capture_method') as CaptureMethod | null,
  cancelledAt: intOrNull(r, 'cancelled_at'),
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
  version: int(r, 'version'),
});

export const rowToTransaction = (r: Row): LedgerTransaction => ({
  id: str(r, 'id'),
  orderId: str(r, 'order_id'),
  merchantId: str(r, 'merchant_id'),
  type: str(r, 'type') as TransactionType,
  status: str(r, 'status') as TransactionStatus,
  amountMinor: int(r, 'amount_minor'),
  points: int(r, 'points'),
  currency: str(r, 'currency'),
  reason: strOrNull(r, 'reason'),
  actor: str(r, 'actor'),
  eventId: str(r, 'event_id'),
  details: parsed<Record<string, unknown>>(r, 'details'),
  createdAt: int(r, 'created_at'),
});

export const rowToEvent = (r: Row): EventRecord => ({
  id: str(r, 'id'),
  merchantId: str(r, 'merchant_id'),
  orderId: strOrNull(r, 'order_id'),
  type: str(r, 'type'),
  actor: str(r, 'actor'),
  reason: strOrNull(r, 'reason'),
  statusBefore: strOrNull(r, 'status_before'),
  statusAfter: strOrNull(r, 'status_after'),
  idempotencyKey: strOrNull(r, 'idempotency_key'),
  requestFingerprint: strOrNull(r, 'request_fingerprint'),
  payload: withIsoOrderTimes(parsed<Record<string, unknown>>(r, 'payload')),
  createdAt: int(r, 'created_at'),
});

export const rowToAdminAction = (r: Row): AdminActionRecord => ({
  id: str(r, 'id'),
  action: str(r, 'action') as AdminActionType,
  actor: str(r, 'actor'),
  reason: strOrNull(r, 'reason'),
  merchantId: strOrNull(r, 'merchant_id'),
  orderId: strOrNull(r, 'order_id'),
  subjectId: str(r, 'subject_id'),
  details: parsed<Record<string, unknown>>(r, 'details'),
  createdAt: int(r, 'created_at'),
});

export const rowToWebhookEndpoint = (r: Row): WebhookEndpoint => ({
  id: str(r, 'id'),
  merchantId: str(r, 'merchant_id'),
  url: str(r, 'url'),
  name: strOrNull(r, 'name'),
  format: str(r, 'format') as WebhookFormat,
  retryPolicy: str(r, 'retry_policy') as RetryPolicy,
  enabled: int(r, 'enabled') === 1,
  secret: str(r, 'secret'),
  previousSecret: strOrNull(r, 'previous_secret'),
  previousSecretExpiresAt: intOrNull(r, 'previous_secret_expires_at'),
  disabledReason: strOrNull(r, 'disabled_reason'),
  disabledAt: intOrNull(r, 'disabled_at'),
  health: {
    consecutiveFailures: int(r, 'consecutive_failures'),
    failingSince: intOrNull(r, 'failing_since'),
    pausedUntil: intOrNull(r, 'paused_until'),
  },
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
  deletedAt: intOrNull(r, 'deleted_at'),
});

export const rowToDelivery = (r: Row): Delivery => ({
  id: str(r, 'id'),
  eventId: str(r, 'event_id'),
  endpointId: str(r, 'endpoint_id'),
  merchantId: str(r, 'merchant_id'),
  orderId: strOrNull(r, 'order_id'),
  eventType: str(r, 'event_type'),
  status: str(r, 'status') as DeliveryStatus,
  attemptCount: int(r, 'attempt_count'),
  policyAttempts: int(r, 'policy_attempts'),
  nextAttemptAt: intOrNull(r, 'next_attempt_at'),
  lastStatusCode: intOrNull(r, 'last_status_code'),
  lastError: strOrNull(r, 'last_error'),
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
  deliveredAt: intOrNull(r, 'delivered_at'),
});

export const rowToDeliveryAttempt = (r: Row): DeliveryAttempt => ({
  id: str(r, 'id'),
  deliveryId: str(r, 'delivery_id'),
  attemptNumber: int(r, 'attempt_number'),
  startedAt: int(r, 'started_at'),
  durationMs: int(r, 'duration_ms'),
  statusCode: intOrNull(r, 'status_code'),
  error: strOrNull(r, 'error'),
  responseExcerpt: strOrNull(r, 'response_excerpt'),
});
