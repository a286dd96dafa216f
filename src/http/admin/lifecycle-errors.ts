/**
 * The admin face's words for the refusals that keep operators inside each provider's lifecycle
 * (docs/dialects/backd.md "Refunds by operators"): their messages name what the operator needs
 * to act (the active refund request, or the way the provider does it), and their `details` carry
 * the same facts as JSON, in the admin API's snake_case with ISO times and minor units.
 */
import type { DomainError, ErrorCode } from '../../domain/errors.js';
import { formatMinor } from '../../domain/money.js';
import type { Dialect } from '../../domain/order.js';
import type { RefundRequestSummary } from '../../domain/refund-request.js';

type Details = Readonly<Record<string, unknown>> | undefined;

export interface SpecificError {
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

const summaryOf = (details: Details, key: string): RefundRequestSummary | null =>
  (details?.[key] as RefundRequestSummary | null | undefined) ?? null;

const requestJson = (r: RefundRequestSummary) => ({
  id: r.id,
  status: r.status,
  amount: formatMinor(r.amountMinor, r.currency),
  amount_minor: r.amountMinor,
  currency: r.currency,
  locked_at: new Date(r.lockedAt).toISOString(),
});

/** "request 0192… (draft, 25.00 USD, locks at 2026-03-04T23:00:00.000Z)" */
function describe(r: RefundRequestSummary): string {
  const lock = r.status === 'draft' ? 'locks at' : 'locked at';
  const when = new Date(r.lockedAt).toISOString();
  return `request ${r.id} (${r.status}, ${formatMinor(r.amountMinor, r.currency)} ${r.currency}, ${lock} ${when})`;
}

function refundViaRequest(details: Details): SpecificError {
  const orderId = String(details?.['orderId'] ?? ':id');
  const active = summaryOf(details, 'activeRefundRequest');
  const path = `/admin/orders/${orderId}/refund-requests`;
  const rule = "A Backd order's money leaves only through refund requests, which Backd shows";
  const message =
    active === null
      ? `${rule}: submit one with POST ${path} {"amount_minor", "reason"}; it locks and settles like the merchant's own.`
      : active.status === 'draft'
        ? `${rule}. Refund ${describe(active)} is already active: let it settle, or replace or withdraw it through ${path}.`
        : `${rule}. Refund ${describe(active)} is already active and will settle; it can no longer be changed.`;
  return {
    message,
    details: {
      order_id: details?.['orderId'] ?? null,
      backd_order_id: details?.['backdOrderId'] ?? null,
      active_refund_request: active && requestJson(active),
    },
  };
}

/** What to do instead, per provider and refused operation. */
const INSTEAD: Readonly<Record<string, string>> = {
  'backd:authorize': 'Backd captures the whole total when the merchant confirms the order',
  'backd:capture': 'Backd captures the whole total when the merchant confirms the order',
  'backd:void': 'nothing is reserved on a Backd order; cancel it while it is placed',
  'points:void':
    "cancel it instead (Points' cancel releases the reservation and returns redeemed points)",
  'points:partial_capture': 'Points captures the whole authorization; leave amount_minor out',
  'mpg:authorize': 'an MPG order is authorized when it is created',
  'mpg:cancel': 'void its authorization instead',
};

/** Each face's name in a sentence: a new dialect fails the typecheck until it is named here. */
const FACE_NAMES: Readonly<Record<Dialect, string>> = {
  admin: 'Admin',
  backd: 'Backd',
  points: 'Points',
  mpg: 'MPG',
};

function notInLifecycle(details: Details): SpecificError {
  const dialect = String(details?.['dialect'] ?? '');
  const operation = String(details?.['operation'] ?? '');
  const face = (FACE_NAMES as Readonly<Record<string, string>>)[dialect] ?? dialect;
  const message =
    operation === 'refund_request'
      ? `Refund requests belong to Backd orders; this is a ${face} order.`
      : `${face} orders have no ${operation.replace('_', ' ')}: ${
          INSTEAD[`${dialect}:${operation}`] ?? "use the provider's own API"
        }.`;
  return { message, details: { dialect, operation } };
}

function activeChanged(details: Details): SpecificError {
  const active = summaryOf(details, 'activeRefundRequest');
  const now = active === null ? 'the order has none now' : `it is now ${describe(active)}`;
  return {
    message: `The order's active refund request is not the one this request names: ${now}. Reload and decide again.`,
    details: { active_refund_request: active && requestJson(active) },
  };
}

const SPECIFIC: Partial<Record<ErrorCode, (details: Details) => SpecificError>> = {
  'order.refund_via_request': refundViaRequest,
  'order.not_in_lifecycle': notInLifecycle,
  'refund_request.active_changed': activeChanged,
};

/** The message and details of a refusal that names its facts, or null for the table's words. */
export const specificAdminError = (error: DomainError): SpecificError | null =>
  SPECIFIC[error.code]?.(error.details) ?? null;
