/**
 * The Points error envelope `{status: false, message, appended_data: {}}` (422 adds `errors`),
 * and the one exhaustive table from core error codes to Points' statuses and messages. Where one
 * code must read differently per operation (a refused cancel vs a refused capture), the
 * operation's own table overrides the default; the core stays generic
 * (docs/decisions/points.md#state-machine).
 */
import { OPERATOR_ERRORS } from '../../operator-errors.js';
import type { DomainError, ErrorCode } from '../../../domain/errors.js';
import type { PointsOperation } from '../../../domain/points.js';
import {
  didYouMeanSentence,
  type ErrorContext,
  type Face,
  type FieldIssue,
  type HttpErrorKind,
  messagesByField,
  type RenderedError,
} from '../../faces.js';
import { attributeName } from './schemas/laravel.js';

export const VALIDATION_MESSAGE = 'The given data was invalid.';

type Entry = readonly [status: number, message: string];

const DOMAIN_ERRORS = {
  'validation.failed': [422, VALIDATION_MESSAGE],
  'merchant.not_found': [404, 'Merchant not found.'],
  'order.not_found': [404, 'Order not found.'],
  'order.duplicate_reference': [422, VALIDATION_MESSAGE],
  'order.cancelled': [400, 'Order is cancelled.'],
  'order.already_cancelled': [400, 'Order is already cancelled.'],
  'order.already_authorized': [400, 'Order is already authorized.'],
  'order.already_captured': [400, 'Order is already approved or captured.'],
  'order.already_refunded': [400, 'Order is already refunded.'],
  'order.already_fully_refunded': [400, 'Order is already fully refunded.'],
  'order.not_authorized': [400, 'Order is not authorized.'],
  'order.not_captured': [400, 'Order cannot be refunded before it is approved or captured.'],
  'order.nothing_to_void': [400, 'Order has no uncaptured amount.'],
  'order.not_in_lifecycle': [400, 'Order does not allow this operation.'],
  'order.refund_via_request': [400, 'Order cannot be refunded this way.'],
  'capture.amount_not_positive': [422, VALIDATION_MESSAGE],
  'capture.exceeds_capturable': [400, 'Capture amount exceeds the authorized amount.'],
  'void.amount_not_positive': [422, VALIDATION_MESSAGE],
  'void.exceeds_voidable': [400, 'Amount exceeds the uncaptured amount.'],
  'refund.amount_not_positive': [422, VALIDATION_MESSAGE],
  'refund.exceeds_refundable': [400, 'Refund amount exceeds the refundable amount.'],
  'refund.window_expired': [400, 'Refund window has expired.'],
  'idempotency.key_reused': [422, 'This Idempotency-Key was used for a different request.'],
  'idempotency.in_progress': [409, 'A request with this Idempotency-Key is still in progress.'],
  'idempotency.still_processing': [
    409,
    'A request with this Idempotency-Key is still in progress.',
  ],
  'transaction.not_found': [404, 'Transaction not found.'],
  'transaction.not_reversible': [400, 'Transaction cannot be reversed.'],
  'order.not_extendable': [400, 'Order cannot be extended.'],
  'points.not_replacing_order': [400, 'Only replacing orders can be completed'],
  'points.already_completed': [400, 'Order is already completed'],
  'points.merchant_busy': [429, 'Too many concurrent requests for the same merchant.'],
  'points.checkout_session_not_found': [404, 'Checkout session not found.'],
  'points.checkout_session_used': [400, 'This checkout session has already been used.'],
  'points.checkout_session_expired': [400, 'This checkout session has expired.'],
  'points.insufficient_balance': [400, 'Insufficient points balance.'],
  'points.customer_not_found': [404, 'Customer not found.'],
  'points.checkout_session_cancelled': [400, 'This checkout session has been cancelled.'],
  'points.checkout_not_verified': [403, 'Verify your phone number first.'],
  'points.checkout_code_missing': [400, 'Request a verification code first.'],
  'points.checkout_code_expired': [400, 'The verification code has expired. Request a new one.'],
  'points.checkout_code_limit': [429, 'No more codes can be sent for this checkout session.'],
  'points.checkout_code_not_sent': [502, 'The verification code could not be sent. Try again.'],
  'points.phone_limited': [429, 'Too many attempts for this phone number. Try again later.'],
  'points.balance_out_of_bounds': [400, "The customer's points balance would leave its bounds."],
  'points.channel_disabled': [403, 'Merchant is not allowed to create earning orders'],
  'backd_order.invalid_state': [400, 'Order is not in a state that allows this operation.'],
  'backd_order.merchant_order_id_mismatch': [400, 'Merchant order id does not match.'],
  'backd_order.increase_exceeds_limit': [400, 'Amount exceeds the allowed limit.'],
  'refund_request.locked': [400, 'Refund request is locked.'],
  'refund_request.none_active': [400, 'There is no active refund request.'],
  'refund_request.invalid_transition': [400, 'Refund request cannot change this way.'],
  'refund_request.active_changed': [409, 'The active refund request has changed.'],
  'webhook.not_found': [404, 'Webhook not found.'],
  'webhook.duplicate_url': [400, 'Webhook already exists for this URL.'],
  'webhook.invalid_url': [422, VALIDATION_MESSAGE],
  'webhook.private_url': [422, VALIDATION_MESSAGE],
  'delivery.not_found': [404, 'Delivery not found.'],
  'reconciliation.not_found': [404, 'Reconciliation run not found.'],
  'reconciliation.not_applicable': [400, 'Reconciliation run cannot be applied.'],
  ...OPERATOR_ERRORS,
} as const satisfies Record<ErrorCode, Entry>;

/**
 * Messages of refused operations. Points documents the complete messages exactly and the others
 * only as descriptions ("Order cannot be authorized (already refunded)");
 * docs/decisions/points.md#state-machine fixes the cancel and refund messages.
 */
const OPERATION_MESSAGES: Readonly<Record<PointsOperation, Partial<Record<ErrorCode, string>>>> = {
  authorize: {
    'order.already_captured': 'Order cannot be authorized (already approved or captured).',
    'order.already_refunded': 'Order cannot be authorized (already refunded).',
    'order.cancelled': 'Order cannot be authorized (cancelled).',
  },
  capture: {
    'order.not_authorized': 'Order cannot be captured (not authorized).',
    'order.already_captured': 'Order is already captured.',
    'order.already_refunded': 'Order cannot be captured (already refunded).',
    'order.cancelled': 'Order cannot be captured (cancelled).',
  },
  complete: {
    'order.already_captured': 'Order already fully paid',
    'order.already_authorized': 'Order cannot be completed',
    'order.already_refunded': 'Order cannot be completed',
    'order.cancelled': 'Order cannot be completed',
  },
  cancel: {
    'order.already_captured': 'Order cannot be cancelled. Use refund for settled orders.',
    'order.already_cancelled': 'Order is already cancelled.',
    'order.already_refunded': 'Order is already refunded.',
  },
  refund: {
    'order.not_captured': 'Order cannot be refunded before it is approved or captured.',
    'order.cancelled': 'Order is cancelled.',
    'order.already_fully_refunded': 'Order is already fully refunded.',
  },
};

/** The envelope of every Points error. */
export function pointsError(
  status: number,
  message: string,
  extra: Readonly<Record<string, unknown>> = {},
  headers?: Readonly<Record<string, string>>,
): RenderedError {
  return {
    status,
    body: { status: false, message, appended_data: {}, ...extra },
    ...(headers ? { headers } : {}),
  };
}

/** The 422 body: every failing field with its messages, dot paths as keys. */
export function validationError(issues: readonly FieldIssue[]): RenderedError {
  return pointsError(422, VALIDATION_MESSAGE, { errors: messagesByField(issues) });
}

/**
 * The field a core error is about, for the codes Points reports as field errors. A wallet that
 * cannot take an earning's points is the customer's (`phone_number`); the same bound met by a
 * refund or cancel (an `operation`) is a business refusal, 400.
 */
function fieldIssue(error: DomainError, operation?: PointsOperation): FieldIssue | null {
  const field = error.details?.['field'];
  switch (error.code) {
    case 'points.balance_out_of_bounds':
      return operation
        ? null
        : {
            path: 'phone_number',
            message: `The customer's points balance must not be greater than ${String(error.details?.['limit'])}.`,
          };
    case 'order.duplicate_reference': {
      const path = typeof field === 'string' ? field : 'order_number';
      return { path, message: `The ${attributeName(path)} has already been taken.` };
    }
    case 'refund.amount_not_positive':
      return { path: 'amount', message: 'The amount must be greater than 0.' };
    case 'webhook.invalid_url':
      return { path: 'url', message: 'The url must be a valid URL.' };
    case 'webhook.private_url':
      return { path: 'url', message: 'The url must not point to a private or local address.' };
    case 'validation.failed': {
      const max = error.details?.['max'];
      if (typeof field !== 'string') return null;
      return {
        path: field,
        message:
          typeof max === 'number'
            ? `The ${attributeName(field)} must not be greater than ${max}.`
            : `The ${attributeName(field)} is invalid.`,
      };
    }
    default:
      return null;
  }
}

/**
 * The 403 of a disabled earning channel names the channel, as the quickstart's "Merchant is not
 * allowed to create earning orders" does for purchases.
 */
function channelDisabledMessage(error: DomainError): string | null {
  if (error.code !== 'points.channel_disabled') return null;
  const channel = error.details?.['channel'];
  if (channel === 'store_rating')
    return 'Merchant is not allowed to create store rating earning orders';
  if (channel === 'product_rating') {
    return 'Merchant is not allowed to create product rating earning orders';
  }
  return null;
}

/** Renders a core error in Points' shape; `operation` picks the operation's own message. */
export function renderPointsDomainError(
  error: DomainError,
  operation?: PointsOperation,
): RenderedError {
  const issue = fieldIssue(error, operation);
  if (issue) return validationError([issue]);
  const [status, fallback] = DOMAIN_ERRORS[error.code];
  const message =
    (operation && OPERATION_MESSAGES[operation][error.code]) ??
    channelDisabledMessage(error) ??
    fallback;
  return pointsError(status, message);
}

const HTTP_ERRORS = {
  route_not_found: [404, 'The route could not be found.'],
  method_not_allowed: [405, 'The method is not supported for this route.'],
  malformed_url: [400, 'The URL is not valid.'],
  uri_too_long: [414, 'The URL is too long.'],
  malformed_json: [400, 'The request body is not valid JSON.'],
  unsupported_media_type: [415, 'Send the body as application/json.'],
  body_too_large: [413, 'The request body is too large.'],
  auth_missing: [400, 'API key is required'],
  auth_invalid: [400, 'Invalid or inactive API key'],
  forbidden: [403, 'Your IP address is not allowed to access this API.'],
  validation_failed: [422, VALIDATION_MESSAGE],
  // The per-credential limit (src/http/rate-limit.ts); Points documents 429 only for its
  // earning lock, whose message stays with that lock.
  rate_limited: [429, 'Too many requests. Retry after the number of seconds in Retry-After.'],
  internal: [500, 'Server Error'],
} as const satisfies Record<HttpErrorKind, Entry>;

/** The Points face owns everything under /points: the API and the hosted checkout pages. */
export const pointsFace: Face = {
  name: 'points',
  prefix: '/points',
  renderHttpError(kind: HttpErrorKind, context: ErrorContext): RenderedError {
    if (kind === 'validation_failed') return validationError(context.issues ?? []);
    const [status, fixed] = HTTP_ERRORS[kind];
    const message = kind === 'route_not_found' ? `${fixed}${didYouMeanSentence(context)}` : fixed;
    const headers = context.allow ? { allow: context.allow.join(', ') } : undefined;
    // A 500 carries the request id so support can find the logged failure.
    const extra = kind === 'internal' ? { request_id: context.requestId } : {};
    return pointsError(status, message, extra, headers);
  },
};
