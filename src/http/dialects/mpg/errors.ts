/**
 * The Moyasar Payment Gateway error shape, `{"message": …}` with `errors: {field: [messages]}` on
 * 422 (docs/decisions/mpg.md#validation), and the one exhaustive table from core error codes to MPG
 * answers.
 *
 * The docs' strings, exact: 400 "Initial request is still processing.", 401 "Missing authentication
 * information", 403 "Unauthorized", 422 "Data validation failed" with
 * "The value must be greater than or equal to 1.". 404 "Not found" is G3's. Business-rule
 * refusals are 422 with `errors.amount` (docs/decisions/mpg.md#business-rules); their texts follow
 * the validator's style.
 */
import { OPERATOR_ERRORS } from '../../operator-errors.js';
import type { DomainError, ErrorCode } from '../../../domain/errors.js';
import {
  didYouMeanSentence,
  type ErrorContext,
  type Face,
  type FieldIssue,
  type HttpErrorKind,
  messagesByField,
  type RenderedError,
} from '../../faces.js';

export const MPG_PREFIX = '/mpg';

export const MESSAGES = {
  stillProcessing: 'Initial request is still processing.',
  missingAuth: 'Missing authentication information',
  ipNotWhitelisted: 'IP is not in the IP whitelist',
  unauthorized: 'Unauthorized',
  notFound: 'Not found',
  validation: 'Data validation failed',
  missing: 'The value is missing.',
  notAllowed: 'The value is not allowed.',
  taken: 'The value has already been taken.',
  reused: 'The value was already used for a different request.',
  gte: (n: number) => `The value must be greater than or equal to ${n}.`,
  lte: (n: number) => `The value must be less than or equal to ${n}.`,
  oneOf: (values: readonly string[]) => `The value must be one of: ${values.join(', ')}.`,
  cardExpired: 'The card has expired.',
  aliasConflict: (field: string) => `The value must be the same as ${field}.`,
  schemeUnsupported: 'The card scheme is not supported.',
} as const;

/** An answer to a domain error: a bare message, or a 422 on one field. */
type Entry =
  | { readonly status: number; readonly message: string }
  | {
      readonly status: 422;
      readonly field: string | ((e: DomainError) => string);
      readonly text: string | ((e: DomainError) => string);
    };

const onAmount = (text: string | ((e: DomainError) => string)): Entry => ({
  status: 422,
  field: 'amount',
  text,
});
const limit = (key: string) => (e: DomainError) => MESSAGES.lte(Number(e.details?.[key] ?? 0));
const fieldOf = (fallback: string) => (e: DomainError) =>
  typeof e.details?.['field'] === 'string' ? e.details['field'] : fallback;

const validationText = (e: DomainError): string => {
  switch (e.details?.['rule']) {
    case 'one_of':
      return MESSAGES.oneOf((e.details['allowed'] as string[] | undefined) ?? []);
    case 'card_expired':
      return MESSAGES.cardExpired;
    case 'scheme':
      return MESSAGES.schemeUnsupported;
    case 'taken':
      return MESSAGES.taken;
    case 'card_auth_not_found':
      return 'The card authentication was not found.';
    case 'card_auth_used':
      return 'The card authentication has already been used.';
    case 'card_auth_not_authenticated':
      return 'The card authentication is not authenticated.';
    case 'card_auth_mismatch':
      return 'The card authentication was made for another card, amount or currency.';
    case 'card_auth_no_challenge':
      return 'The card authentication has no challenge in progress.';
    case 'card_auth_state':
      return 'The card authentication can be authenticated only while it is available.';
    default:
      return 'The value is invalid.';
  }
};

const notFound: Entry = { status: 404, message: MESSAGES.notFound };
const stateRefusal = (text: string) => onAmount(text);

const DOMAIN_ERRORS = {
  'validation.failed': { status: 422, field: fieldOf('body'), text: validationText },
  'merchant.not_found': notFound,
  'order.not_found': notFound,
  'order.duplicate_reference': { status: 422, field: fieldOf('order_id'), text: MESSAGES.taken },
  'order.cancelled': stateRefusal('The order is cancelled.'),
  'order.already_cancelled': stateRefusal('The order is already cancelled.'),
  'order.already_authorized': stateRefusal('The order is already authorized.'),
  'order.already_captured': stateRefusal('The order has no uncaptured authorized amount.'),
  'order.already_refunded': stateRefusal('The order is already refunded.'),
  'order.already_fully_refunded': stateRefusal('The order is already fully refunded.'),
  'order.not_authorized': stateRefusal('The order has no approved authorization.'),
  'order.not_captured': stateRefusal('The order has no captured amount to refund.'),
  'order.nothing_to_void': stateRefusal('The order has no uncaptured authorized amount.'),
  'order.not_in_lifecycle': stateRefusal('The order does not allow this operation.'),
  'order.refund_via_request': stateRefusal('The order cannot be refunded this way.'),
  'capture.amount_not_positive': onAmount(MESSAGES.gte(1)),
  'capture.exceeds_capturable': onAmount(limit('capturableMinor')),
  'void.amount_not_positive': onAmount(MESSAGES.gte(1)),
  'void.exceeds_voidable': onAmount(limit('voidableMinor')),
  'refund.amount_not_positive': onAmount(MESSAGES.gte(1)),
  'refund.exceeds_refundable': onAmount(limit('refundableMinor')),
  'refund.window_expired': stateRefusal('The refund window has expired.'),
  'idempotency.key_reused': {
    status: 422,
    field: fieldOf('Idempotency-Key'),
    text: MESSAGES.reused,
  },
  'idempotency.in_progress': {
    status: 409,
    message: 'A request with this Idempotency-Key is still in progress.',
  },
  'idempotency.still_processing': { status: 400, message: MESSAGES.stillProcessing },
  'transaction.not_found': notFound,
  'transaction.not_reversible': {
    status: 422,
    field: 'id',
    text: 'Only a transaction whose outcome is unknown can be reversed, and only once.',
  },
  'order.not_extendable': stateRefusal(
    'The first transaction on the order must be an approved authorize with an amount still held.',
  ),
  // Other faces' codes never arise from MPG use cases; they still read sensibly here.
  'points.not_replacing_order': stateRefusal('The order cannot be completed.'),
  'points.already_completed': stateRefusal('The order is already completed.'),
  'points.merchant_busy': { status: 429, message: 'Too many requests' },
  'points.checkout_session_not_found': notFound,
  'points.checkout_session_used': stateRefusal('The checkout session has already been used.'),
  'points.checkout_session_expired': stateRefusal('The checkout session has expired.'),
  'points.insufficient_balance': stateRefusal('The points balance is insufficient.'),
  'points.customer_not_found': notFound,
  'points.checkout_session_cancelled': stateRefusal('The checkout session was cancelled.'),
  'points.checkout_not_verified': { status: 403, message: MESSAGES.unauthorized },
  'points.checkout_code_missing': stateRefusal('No verification code was requested.'),
  'points.checkout_code_expired': stateRefusal('The verification code has expired.'),
  'points.checkout_code_limit': { status: 429, message: 'Too many requests' },
  'points.checkout_code_not_sent': {
    status: 502,
    message: 'The verification code could not be sent.',
  },
  'points.phone_limited': { status: 429, message: 'Too many requests' },
  'points.balance_out_of_bounds': stateRefusal('The points balance would leave its bounds.'),
  'points.channel_disabled': { status: 403, message: 'Unauthorized' },
  'backd_order.invalid_state': stateRefusal('The order does not allow this operation.'),
  'backd_order.merchant_order_id_mismatch': {
    status: 422,
    field: 'merchant_order_id',
    text: 'The value does not match the order.',
  },
  'backd_order.increase_exceeds_limit': stateRefusal('The amount exceeds the allowed limit.'),
  'refund_request.locked': stateRefusal('The refund request is locked.'),
  'refund_request.none_active': stateRefusal('There is no active refund request.'),
  'refund_request.invalid_transition': stateRefusal('The refund request cannot change this way.'),
  'refund_request.active_changed': {
    status: 409,
    message: 'The active refund request has changed.',
  },
  'webhook.not_found': notFound,
  'webhook.duplicate_url': { status: 422, field: 'url', text: MESSAGES.taken },
  'webhook.invalid_url': { status: 422, field: 'url', text: 'The value is invalid.' },
  'webhook.private_url': { status: 422, field: 'url', text: 'The value is invalid.' },
  'delivery.not_found': notFound,
  'reconciliation.not_found': notFound,
  'reconciliation.not_applicable': {
    status: 400,
    message: 'Reconciliation run cannot be applied.',
  },
  ...(Object.fromEntries(
    Object.entries(OPERATOR_ERRORS).map(([code, [status, message]]) => [code, { status, message }]),
  ) as { [C in keyof typeof OPERATOR_ERRORS]: Entry }),
} as const satisfies Record<ErrorCode, Entry>;

/** `{message:"Data validation failed", errors:{field:[messages]}}` from field issues. */
export function validationBody(issues: readonly FieldIssue[]) {
  const errors = messagesByField(issues, (issue) => (issue.path === '' ? 'body' : issue.path));
  return { message: MESSAGES.validation, errors };
}

export function renderMpgDomainError(error: DomainError): RenderedError {
  const entry: Entry = DOMAIN_ERRORS[error.code];
  if ('message' in entry) return { status: entry.status, body: { message: entry.message } };
  const field = typeof entry.field === 'function' ? entry.field(error) : entry.field;
  const text = typeof entry.text === 'function' ? entry.text(error) : entry.text;
  return { status: 422, body: validationBody([{ path: field, message: text }]) };
}

const HTTP_ERRORS: Record<HttpErrorKind, readonly [number, string]> = {
  route_not_found: [404, MESSAGES.notFound],
  method_not_allowed: [405, 'Method not allowed'],
  malformed_url: [400, 'Malformed URL'],
  uri_too_long: [414, 'URI too long'],
  malformed_json: [400, 'Malformed JSON body'],
  unsupported_media_type: [415, 'Unsupported media type: send application/json'],
  body_too_large: [413, 'Request body too large'],
  auth_missing: [401, MESSAGES.missingAuth],
  // docs/decisions/mpg.md#auth: a key that is unknown or lacks the permission is 403
  // "Unauthorized".
  auth_invalid: [403, MESSAGES.unauthorized],
  forbidden: [403, MESSAGES.unauthorized],
  validation_failed: [422, MESSAGES.validation],
  rate_limited: [429, 'Too many requests'],
  internal: [500, 'Internal server error'],
};

export const mpgFace: Face = {
  name: 'mpg',
  prefix: MPG_PREFIX,
  renderHttpError(kind: HttpErrorKind, context: ErrorContext): RenderedError {
    const headers = context.allow ? { headers: { allow: context.allow.join(', ') } } : {};
    if (kind === 'validation_failed') {
      return { status: 422, body: validationBody(context.issues ?? []), ...headers };
    }
    const [status, fixed] = HTTP_ERRORS[kind];
    // MPG's messages have no final stop; a suggestion is a second sentence after one.
    const message =
      kind === 'route_not_found' && context.didYouMean
        ? `${fixed}.${didYouMeanSentence(context)}`
        : fixed;
    return { status, body: { message }, ...headers };
  },
};
