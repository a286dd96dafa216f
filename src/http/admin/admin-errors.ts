/**
 * The admin face's error shape, `{ error: { code, message, request_id, issues? } }`, and the one
 * exhaustive table mapping every core error code to an HTTP status and message (docs/architecture.md, "Errors").
 */
import { OPERATOR_ERRORS } from '../operator-errors.js';
import type { DomainError, ErrorCode } from '../../domain/errors.js';
import {
  didYouMeanSentence,
  type ErrorContext,
  type Face,
  type HttpErrorKind,
  type RenderedError,
} from '../faces.js';
import { specificAdminError } from './lifecycle-errors.js';

const DOMAIN_ERRORS = {
  'validation.failed': [422, 'The request is not valid.'],
  'merchant.not_found': [404, 'Merchant not found.'],
  'order.not_found': [404, 'Order not found.'],
  'order.duplicate_reference': [409, 'An order with this reference already exists.'],
  'order.cancelled': [409, 'The order is cancelled.'],
  'order.already_cancelled': [409, 'The order is already cancelled.'],
  'order.already_authorized': [409, 'The order is already authorized.'],
  'order.already_captured': [409, 'The order has captured money; refund it instead.'],
  'order.already_refunded': [409, 'The order is already refunded.'],
  'order.already_fully_refunded': [409, 'The order is already fully refunded.'],
  'order.not_authorized': [409, 'The order has no authorization.'],
  'order.not_captured': [409, 'The order has no captured money to refund.'],
  'order.nothing_to_void': [409, 'The order has no uncaptured authorization left.'],
  'order.not_in_lifecycle': [409, "The order's provider has no such operation in its lifecycle."],
  'order.refund_via_request': [409, 'A Backd order is refunded only through refund requests.'],
  'capture.amount_not_positive': [422, 'The capture amount must be greater than zero.'],
  'capture.exceeds_capturable': [409, 'The capture amount exceeds the capturable amount.'],
  'void.amount_not_positive': [422, 'The void amount must be greater than zero.'],
  'void.exceeds_voidable': [409, 'The void amount exceeds the uncaptured authorization.'],
  'refund.amount_not_positive': [422, 'The refund amount must be greater than zero.'],
  'refund.exceeds_refundable': [409, 'The refund amount exceeds the refundable amount.'],
  'refund.window_expired': [409, 'The refund window has expired.'],
  'idempotency.key_reused': [422, 'This Idempotency-Key was used for a different request.'],
  'idempotency.in_progress': [409, 'A request with this Idempotency-Key is still in progress.'],
  'idempotency.still_processing': [409, 'The initial request is still processing.'],
  'transaction.not_found': [404, 'Transaction not found.'],
  'transaction.not_reversible': [
    409,
    'Only a transaction whose outcome is unknown can be reversed.',
  ],
  'order.not_extendable': [409, 'The order has no approved authorization left to extend.'],
  'points.not_replacing_order': [409, 'Only replacing orders can be completed.'],
  'points.already_completed': [409, 'The order is already completed.'],
  'points.merchant_busy': [429, 'Too many concurrent requests for the same merchant.'],
  'points.checkout_session_not_found': [404, 'Checkout session not found.'],
  'points.checkout_session_used': [409, 'The checkout session was already used.'],
  'points.checkout_session_expired': [410, 'The checkout session has expired.'],
  'points.insufficient_balance': [409, "The customer's points balance is too low."],
  'points.customer_not_found': [404, 'Points customer not found.'],
  'points.checkout_session_cancelled': [409, 'The checkout session was cancelled.'],
  'points.checkout_not_verified': [403, 'The checkout phone number is not verified.'],
  'points.checkout_code_missing': [409, 'No verification code was requested.'],
  'points.checkout_code_expired': [410, 'The verification code has expired.'],
  'points.checkout_code_limit': [429, 'No more verification codes can be sent.'],
  'points.checkout_code_not_sent': [502, 'The verification code could not be sent.'],
  'points.phone_limited': [429, 'Too many attempts for this phone number.'],
  'points.balance_out_of_bounds': [
    409,
    "The customer's points balance would leave its bounds (details.limit points either way).",
  ],
  'points.channel_disabled': [403, 'The merchant has not enabled this earning channel.'],
  'backd_order.invalid_state': [409, 'The Backd order is not in a state that allows this.'],
  'backd_order.merchant_order_id_mismatch': [422, 'merchant_order_id does not match the order.'],
  'backd_order.increase_exceeds_limit': [
    409,
    'The new order total exceeds the agreed increase limit.',
  ],
  'refund_request.locked': [
    409,
    'Refund request is locked and can no longer be replaced or deleted.',
  ],
  'refund_request.none_active': [409, 'The order has no active refund request.'],
  'refund_request.invalid_transition': [409, 'The refund request cannot make this transition.'],
  'refund_request.active_changed': [
    409,
    "The order's active refund request is not the one this request names.",
  ],
  'webhook.not_found': [404, 'Webhook endpoint not found.'],
  'webhook.duplicate_url': [409, 'This merchant already has a webhook endpoint with this URL.'],
  'webhook.invalid_url': [
    422,
    'The webhook URL must be an absolute http or https URL with no user name, password or control character.',
  ],
  'webhook.private_url': [
    422,
    'The webhook URL names a private or local address; UNWIND_WEBHOOK_ALLOW_PRIVATE=1 allows them.',
  ],
  'delivery.not_found': [404, 'Delivery not found.'],
  'reconciliation.not_found': [404, 'Reconciliation run not found.'],
  'reconciliation.not_applicable': [409, 'Only a completed reconciliation run can be applied.'],
  ...OPERATOR_ERRORS,
} as const satisfies Record<ErrorCode, readonly [number, string]>;

const HTTP_ERRORS = {
  route_not_found: [404, 'http.route_not_found', 'No route matches this path.'],
  method_not_allowed: [405, 'http.method_not_allowed', 'This path does not accept this method.'],
  malformed_url: [400, 'http.malformed_url', 'The URL is not valid.'],
  uri_too_long: [414, 'http.uri_too_long', 'A part of the URL is too long.'],
  malformed_json: [400, 'http.malformed_json', 'The request body is not valid JSON.'],
  unsupported_media_type: [
    415,
    'http.unsupported_media_type',
    'Send the body as application/json.',
  ],
  body_too_large: [413, 'http.body_too_large', 'The request body is too large.'],
  auth_missing: [401, 'auth.missing', 'Send the admin token as "Authorization: Bearer <token>".'],
  auth_invalid: [401, 'auth.invalid', 'The admin token is not valid.'],
  forbidden: [403, 'auth.forbidden', 'This request is not allowed.'],
  validation_failed: [422, 'validation.failed', 'The request is not valid.'],
  rate_limited: [429, 'http.rate_limited', 'Too many requests.'],
  internal: [500, 'internal', 'Something went wrong on our side. Quote the request id.'],
} as const satisfies Record<HttpErrorKind, readonly [number, string, string]>;

function envelope(
  status: number,
  code: string,
  message: string,
  context: ErrorContext,
  details?: unknown,
): RenderedError {
  return {
    status,
    body: {
      error: {
        code,
        message,
        request_id: context.requestId,
        ...(context.issues ? { issues: context.issues } : {}),
        ...(details ? { details } : {}),
      },
    },
    ...(context.allow ? { headers: { allow: context.allow.join(', ') } } : {}),
  };
}

export function renderAdminDomainError(error: DomainError, requestId: string): RenderedError {
  const [status, message] = DOMAIN_ERRORS[error.code];
  const specific = specificAdminError(error);
  if (specific) {
    return envelope(status, error.code, specific.message, { requestId }, specific.details);
  }
  return envelope(status, error.code, message, { requestId }, error.details);
}

/** How a dashboard session can be refused; bearer-token callers never meet these. */
const SESSION_ERRORS = {
  'auth.session_invalid': [401, 'The dashboard session has ended or is not valid; sign in again.'],
  'auth.csrf_missing': [403, 'Send the session\'s CSRF token in the "X-CSRF-Token" header.'],
  'auth.csrf_invalid': [403, 'The CSRF token does not match the session.'],
  'auth.cross_origin': [403, 'Requests from another origin are refused.'],
  'auth.code_required': [401, 'Enter the one-time code from your authenticator app.'],
  'auth.code_invalid': [401, 'The one-time code is not valid.'],
} as const satisfies Record<string, readonly [number, string]>;
export type AdminSessionErrorCode = keyof typeof SESSION_ERRORS;

export function renderAdminSessionError(
  code: AdminSessionErrorCode,
  requestId: string,
): RenderedError {
  const [status, message] = SESSION_ERRORS[code];
  return envelope(status, code, message, { requestId });
}

/**
 * 403 `auth.role_forbidden`: the caller's role, or its token's scopes, do not grant the
 * permission the route requires (src/http/admin/authorize.ts); details name both.
 */
export function renderRoleForbidden(
  details: { permission: string; role: string; scopes: readonly string[] | null },
  requestId: string,
): RenderedError {
  const message =
    details.scopes === null
      ? `This needs the "${details.permission}" permission, which the ${details.role} role does not have.`
      : `This needs the "${details.permission}" permission, which this token's scopes or role do not grant.`;
  return envelope(403, 'auth.role_forbidden', message, { requestId }, details);
}

export const adminFace: Face = {
  name: 'admin',
  prefix: '/admin',
  renderHttpError(kind: HttpErrorKind, context: ErrorContext): RenderedError {
    const [status, code, message] = HTTP_ERRORS[kind];
    if (kind === 'route_not_found' && context.didYouMean) {
      return envelope(status, code, `${message}${didYouMeanSentence(context)}`, context, {
        did_you_mean: context.didYouMean,
      });
    }
    return envelope(status, code, message, context);
  },
};

/** A route that exists only when a setting turns it on, and the sentence saying which. */
export interface FeatureGate {
  /** The path patterns the feature adds (every method of them, but those served without it). */
  readonly paths: readonly string[];
  readonly setting: string;
  readonly value: string;
  readonly message: string;
}

/** 404 `feature.disabled`, naming the setting that turns the feature on. */
export function renderFeatureDisabled(gate: FeatureGate, requestId: string): RenderedError {
  return envelope(
    404,
    'feature.disabled',
    gate.message,
    { requestId },
    {
      setting: gate.setting,
      value: gate.value,
    },
  );
}

/** The shape for paths no face owns (`/`, `/healthz` typos): the admin shape, at the root. */
export const rootFace: Face = { ...adminFace, name: 'root', prefix: '' };
