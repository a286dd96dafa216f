/**
 * The one error catalogue. Use cases return these codes as values; each face maps every
 * code to its own status and message through an exhaustive `Record<ErrorCode, …>`
 * (docs/decisions/engineering.md#error-catalogue), so adding a code here fails the typecheck of
 * every face until it is mapped.
 */
export const ERROR_CODES = [
  // Input that passed the face's schema but breaks a core rule.
  'validation.failed',
  'merchant.not_found',
  'order.not_found',
  'order.duplicate_reference',
  'order.cancelled',
  'order.already_cancelled',
  'order.already_authorized',
  'order.already_captured',
  'order.already_refunded',
  'order.already_fully_refunded',
  'order.not_authorized',
  'order.not_captured',
  'order.nothing_to_void',
  // An operator's operation that the order's provider lifecycle has no place for (details:
  // dialect, operation): the face's own API, or the admin path that follows it, is the way.
  'order.not_in_lifecycle',
  // An operator's refund of a Backd order: its money leaves only through refund requests
  // (details: backdOrderId, activeRefundRequest or null). docs/dialects/backd.md.
  'order.refund_via_request',
  'capture.amount_not_positive',
  'capture.exceeds_capturable',
  'void.amount_not_positive',
  'void.exceeds_voidable',
  'refund.amount_not_positive',
  'refund.exceeds_refundable',
  'refund.window_expired',
  'idempotency.key_reused',
  'idempotency.in_progress',
  // A duplicate of a request (MPG body id) waited its bounded time; the first is still running.
  'idempotency.still_processing',
  // MPG: reversal and extension rules.
  'transaction.not_found',
  'transaction.not_reversible',
  'order.not_extendable',
  // Points: its own state-machine rules, the per-merchant earning lock, hosted checkout sessions
  // and customers' points wallets.
  'points.not_replacing_order',
  'points.already_completed',
  'points.merchant_busy',
  'points.checkout_session_not_found',
  'points.checkout_session_used',
  'points.checkout_session_expired',
  'points.insufficient_balance',
  'points.customer_not_found',
  // Points hosted checkout: the customer proves the phone with a one-time code first.
  'points.checkout_session_cancelled',
  'points.checkout_not_verified',
  'points.checkout_code_missing',
  'points.checkout_code_expired',
  // Every code this session may send has been sent.
  'points.checkout_code_limit',
  // The SMS gateway did not take the code (details.reason, never shown to the customer).
  'points.checkout_code_not_sent',
  // Too many codes sent to, or wrong codes entered for, one phone in the window
  // (details.retryAfterMs).
  'points.phone_limited',
  // A customer's wallet would leave ±BOUNDS.walletPointsMax (details: balance, change, limit).
  'points.balance_out_of_bounds',
  // A rating channel the merchant has not enabled (details.channel).
  'points.channel_disabled',
  // Backd: its order lifecycle, the update_order increase limit and refund requests.
  'backd_order.invalid_state',
  'backd_order.merchant_order_id_mismatch',
  'backd_order.increase_exceeds_limit',
  'refund_request.locked',
  'refund_request.none_active',
  'refund_request.invalid_transition',
  // The operator named another active request than the order has now (details:
  // activeRefundRequest or null): a stale screen never replaces or withdraws blindly.
  'refund_request.active_changed',
  'webhook.not_found',
  'webhook.duplicate_url',
  'webhook.invalid_url',
  // A webhook URL whose host can only be private or local (UNWIND_WEBHOOK_ALLOW_PRIVATE unset).
  'webhook.private_url',
  'delivery.not_found',
  // Reconciliation (admin only): an unknown run; a run that cannot be applied (failed or running).
  'reconciliation.not_found',
  'reconciliation.not_applicable',
  // Operators (admin only, issue 17): accounts, API tokens, limits and four-eyes approvals.
  'operator.not_found',
  'operator.name_taken',
  'operator.invite_invalid',
  'operator.totp_invalid',
  'operator.limit_exceeded',
  'token.not_found',
  // A merchant's credential named by id that is not that merchant's (issue 16, admin only).
  'credential.not_found',
  'approval.not_found',
  'approval.not_pending',
  'approval.expired',
  'approval.same_operator',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure: a code from the catalogue plus data a face may show (never prose). */
export interface DomainError {
  readonly code: ErrorCode;
  /** Machine-readable facts, e.g. `{ refundableMinor: 500 }`, for messages that need numbers. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = (
  code: ErrorCode,
  details?: Readonly<Record<string, unknown>>,
): DomainError => (details ? { code, details } : { code });
