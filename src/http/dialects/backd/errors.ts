/**
 * The Backd face's envelope, `{data, message, status: {type, code, error}}` on every response
 * (docs/decisions/backd.md#envelope), and the one exhaustive table mapping every core
 * error code to a Backd status and message (docs/decisions/engineering.md#error-catalogue). Errors
 * carry `data: null`, the HTTP status as `status.code`, `type: "error"` and `error: true`; the
 * messages are Unwind's, written for humans and listed in docs/dialects/backd.md, since Backd
 * documents none.
 */
import { OPERATOR_ERRORS } from '../../operator-errors.js';
import type { DomainError, ErrorCode } from '../../../domain/errors.js';
import {
  didYouMeanSentence,
  type ErrorContext,
  type Face,
  type FieldIssue,
  type HttpErrorKind,
  type RenderedError,
} from '../../faces.js';

export const BACKD_PREFIX = '/backd';

export interface BackdEnvelope {
  readonly data: unknown;
  readonly message: string;
  readonly status: {
    readonly type: 'success' | 'error';
    readonly code: number;
    readonly error: boolean;
  };
}

export const success = (data: unknown, message: string): BackdEnvelope => ({
  data,
  message,
  status: { type: 'success', code: 200, error: false },
});

export const failure = (code: number, message: string): BackdEnvelope => ({
  data: null,
  message,
  status: { type: 'error', code, error: true },
});

/** The exact message docs/decisions/backd.md#refund-requests gives for a locked request. */
export const LOCKED_MESSAGE = 'Refund request is locked and can no longer be replaced or deleted.';

// Codes other faces raise never reach Backd's routes; they still get a sensible Backd answer.
const DOMAIN_ERRORS = {
  'validation.failed': [422, 'The request is not valid.'],
  'merchant.not_found': [404, 'Merchant not found.'],
  'order.not_found': [404, 'Order not found.'],
  'order.duplicate_reference': [400, 'An order with this reference already exists.'],
  'order.cancelled': [400, 'The order is canceled.'],
  'order.already_cancelled': [400, 'The order is already canceled.'],
  'order.already_authorized': [400, 'The order is already authorized.'],
  'order.already_captured': [400, 'The order is already confirmed.'],
  'order.already_refunded': [400, 'The order is already refunded.'],
  'order.already_fully_refunded': [400, 'The order is already fully refunded.'],
  'order.not_authorized': [400, 'The order is not authorized.'],
  'order.not_captured': [400, 'The order has not been confirmed.'],
  'order.nothing_to_void': [400, 'The order has nothing left to release.'],
  'order.not_in_lifecycle': [400, "This is not part of the order's lifecycle."],
  'order.refund_via_request': [400, 'Refund the order with a refund request (POST /refund).'],
  'capture.amount_not_positive': [400, 'The amount must be greater than 0.'],
  'capture.exceeds_capturable': [400, 'The amount exceeds what can be captured.'],
  'void.amount_not_positive': [400, 'The amount must be greater than 0.'],
  'void.exceeds_voidable': [400, 'The amount exceeds what can be released.'],
  'refund.amount_not_positive': [400, 'refund_amount must be greater than 0.'],
  'refund.exceeds_refundable': [
    400,
    'refund_amount exceeds the refundable amount of the order (order_total minus refunds already settled).',
  ],
  'refund.window_expired': [400, 'The refund window has expired.'],
  'idempotency.key_reused': [422, 'This Idempotency-Key was used for a different request.'],
  'idempotency.in_progress': [409, 'A request with this Idempotency-Key is still in progress.'],
  'idempotency.still_processing': [409, 'The initial request is still processing.'],
  'transaction.not_found': [404, 'Transaction not found.'],
  'transaction.not_reversible': [400, 'The transaction cannot be reversed.'],
  'order.not_extendable': [400, 'The order cannot be extended.'],
  'points.not_replacing_order': [400, 'The order is not a points redemption order.'],
  'points.already_completed': [400, 'The order is already completed.'],
  'points.merchant_busy': [409, 'Another request for this merchant is in progress.'],
  'points.checkout_session_not_found': [404, 'Checkout session not found.'],
  'points.checkout_session_used': [400, 'The checkout session was already used.'],
  'points.checkout_session_expired': [400, 'The checkout session has expired.'],
  'points.insufficient_balance': [400, 'The customer does not have enough points.'],
  'points.customer_not_found': [404, 'Customer not found.'],
  'points.checkout_session_cancelled': [400, 'The checkout session was cancelled.'],
  'points.checkout_not_verified': [403, 'The phone number is not verified.'],
  'points.checkout_code_missing': [400, 'No verification code was requested.'],
  'points.checkout_code_expired': [400, 'The verification code has expired.'],
  'points.checkout_code_limit': [429, 'No more verification codes can be sent.'],
  'points.checkout_code_not_sent': [502, 'The verification code could not be sent.'],
  'points.phone_limited': [429, 'Too many attempts for this phone number.'],
  'points.balance_out_of_bounds': [400, "The customer's points balance would leave its bounds."],
  'points.channel_disabled': [403, 'The earning channel is not enabled.'],
  'backd_order.invalid_state': [400, 'The order is not in a state that allows this.'],
  'backd_order.merchant_order_id_mismatch': [400, 'merchant_order_id does not match the order.'],
  'backd_order.increase_exceeds_limit': [
    400,
    'The order_total increase exceeds the limit the merchant has agreed upon.',
  ],
  'refund_request.locked': [400, LOCKED_MESSAGE],
  'refund_request.none_active': [400, 'There is no active refund request for this order.'],
  'refund_request.invalid_transition': [409, 'The refund request cannot make this change.'],
  'refund_request.active_changed': [409, 'The active refund request has changed.'],
  'webhook.not_found': [404, 'Webhook endpoint not found.'],
  'webhook.duplicate_url': [400, 'A webhook endpoint with this URL already exists.'],
  'webhook.invalid_url': [422, 'The webhook URL must be an absolute http or https URL.'],
  'webhook.private_url': [422, 'The webhook URL must not name a private or local address.'],
  'delivery.not_found': [404, 'Delivery not found.'],
  'reconciliation.not_found': [404, 'Reconciliation run not found.'],
  'reconciliation.not_applicable': [400, 'The reconciliation run cannot be applied.'],
  ...OPERATOR_ERRORS,
} as const satisfies Record<ErrorCode, readonly [number, string]>;

/**
 * The message of a wrong-state refusal, per action, in the docs' own wording where they have
 * one (docs/decisions/backd.md#order-statuses).
 */
function invalidStateMessage(details: Readonly<Record<string, unknown>> | undefined): string {
  const status = details?.['status'];
  const confirmed = status === 'order_confirmed' || status === 'refund';
  switch (details?.['action']) {
    case 'select_terms':
      return 'Terms can no longer be selected: the order has already been placed.';
    case 'place':
      return "The order can only be placed after the customer has selected terms ('terms_selected').";
    case 'update':
      return confirmed
        ? "Once an order has been confirmed ('order_confirmed') no updates can be made."
        : "An update can only occur if order has been placed ('order_placed').";
    case 'confirm':
    case 'cancel':
      return "This can only be done when the order has been placed ('order_placed').";
    case 'request_refund':
      return "This can only be done when the order has been confirmed ('order_confirmed').";
    case 'delete_refund':
      return "This can only be done when the order has been confirmed ('order_confirmed') and there is an active (non-locked) refund request.";
    default:
      return DOMAIN_ERRORS['backd_order.invalid_state'][1];
  }
}

/** A validation failure found by a core rule, with the field it concerns. */
function validationMessage(details: Readonly<Record<string, unknown>> | undefined): string {
  if (details?.['field'] === 'order_total' && details['reason'] === 'sum_mismatch') {
    return 'Invalid request: order_total must equal cart_amount + tax_amount + shipping_amount - discount_amount.';
  }
  if (details?.['field'] === 'order_total') {
    return 'Invalid request: order_total must be greater than 0.';
  }
  return DOMAIN_ERRORS['validation.failed'][1];
}

export function backdErrorOf(error: DomainError): { status: number; message: string } {
  const [status, message] = DOMAIN_ERRORS[error.code];
  if (error.code === 'backd_order.invalid_state') {
    return { status, message: invalidStateMessage(error.details) };
  }
  if (error.code === 'validation.failed')
    return { status, message: validationMessage(error.details) };
  return { status, message };
}

export function renderBackdDomainError(error: DomainError): RenderedError {
  const { status, message } = backdErrorOf(error);
  return { status, body: failure(status, message) };
}

const HTTP_ERRORS = {
  route_not_found: [404, 'Not found: no Backd endpoint has this path.'],
  method_not_allowed: [405, 'This endpoint does not accept this method.'],
  malformed_url: [400, 'The URL is not valid.'],
  uri_too_long: [414, 'A part of the URL is too long.'],
  malformed_json: [422, 'Malformed request body: send valid JSON.'],
  unsupported_media_type: [415, 'Send the request body as application/json.'],
  body_too_large: [413, 'The request body is too large.'],
  auth_missing: [
    401,
    'Authentication required: send your public key and secret key with HTTP Basic authentication.',
  ],
  auth_invalid: [401, 'Invalid public key or secret key.'],
  forbidden: [403, 'This request is not allowed.'],
  validation_failed: [422, 'Invalid request.'],
  rate_limited: [429, 'Too many requests.'],
  internal: [500, 'Internal error. Please retry later; quote the request id if it persists.'],
} as const satisfies Record<HttpErrorKind, readonly [number, string]>;

/** "Invalid request: refund_amount: …; merchant_order_id: …" (the envelope has no field list). */
export const issuesMessage = (issues: readonly FieldIssue[]): string =>
  `Invalid request: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;

export const backdFace: Face = {
  name: 'backd',
  prefix: BACKD_PREFIX,
  renderHttpError(kind: HttpErrorKind, context: ErrorContext): RenderedError {
    const [status, fixed] = HTTP_ERRORS[kind];
    const message =
      kind === 'validation_failed' && context.issues?.length
        ? issuesMessage(context.issues)
        : `${fixed}${kind === 'route_not_found' ? didYouMeanSentence(context) : ''}`;
    const headers: Record<string, string> = {};
    if (context.allow) headers['allow'] = context.allow.join(', ');
    if (kind === 'auth_missing' || kind === 'auth_invalid') {
      headers['www-authenticate'] = 'Basic realm="Backd", charset="UTF-8"';
    }
    return {
      status,
      body: failure(status, message),
      ...(Object.keys(headers).length ? { headers } : {}),
    };
  },
};
