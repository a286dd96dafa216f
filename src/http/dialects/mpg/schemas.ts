/**
 * Request schemas of the MPG face (G2 contract, G1 constraints, G3 enums:
 * docs/decisions/mpg.md#doc-generations), with MPG's validator messages ("The value must be greater
 * than or equal to 1."). Every field error is reported under its dot path (`source.number`), every
 * failing field at once.
 */
import { z } from 'zod';
import { LIMITS } from '../../../app/limits.js';
import { CHALLENGE_PREFERENCES } from '../../../app/mpg-card-auths.js';
import { MPG_SORT_FIELDS } from '../../../app/mpg-orders.js';
import {
  CARD_NUMBER_DIGITS_MAX,
  CARD_NUMBER_DIGITS_MIN,
  CARD_SCHEMES,
  detectScheme,
  luhnValid,
} from '../../../domain/cards.js';
import {
  MPG_AMOUNT_MAX,
  MPG_CREATE_AMOUNT_MIN,
  MPG_REVERSE_REASONS,
  MPG_SOURCE_TYPES,
} from '../../../domain/mpg.js';
import { type IssueMapper, queryInteger } from '../../validation.js';
import { MESSAGES } from './errors.js';

const typed = (what: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? MESSAGES.missing : `The value must be ${what}.`,
});

const integer = (min: number, max: number) =>
  z
    .number(typed('an integer'))
    .int({ error: 'The value must be an integer.' })
    .min(min, { error: MESSAGES.gte(min) })
    .max(max, { error: MESSAGES.lte(max) });

const text = (max: number, min = 1) =>
  z
    .string(typed('a string'))
    .min(min, {
      error:
        min === 1
          ? 'The value must be filled.'
          : `The value must be at least ${min} characters long.`,
    })
    .max(max, { error: `The value must be at most ${max} characters long.` });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => (issue.input === undefined ? MESSAGES.missing : MESSAGES.oneOf(values)),
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A client's UUID (order_id, transaction_id), any version; kept lower-case. */
export const uuid = z
  .string(typed('a string'))
  .regex(UUID, { error: 'The value must be a valid UUID.' })
  .transform((s) => s.toLowerCase());

const object = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.strictObject(shape, typed('an object'));

const cardNumber = z
  .string(typed('a string'))
  .regex(new RegExp(`^[0-9]{${CARD_NUMBER_DIGITS_MIN},${CARD_NUMBER_DIGITS_MAX}}$`), {
    error: `The value must be ${CARD_NUMBER_DIGITS_MIN} to ${CARD_NUMBER_DIGITS_MAX} digits.`,
  })
  .refine(luhnValid, { error: 'The value is not a valid card number.', abort: true })
  .refine((n) => detectScheme(n) !== null, { error: MESSAGES.schemeUnsupported });

/** 3-D Secure results (docs/dialects/mpg.md#request-fields). */
const threeDSecure = object({
  status: oneOf(['Y', 'N', 'U', 'A', 'R']),
  eci: oneOf(['00', '01', '02', '05', '06', '07']),
  version: oneOf(['2.0.0', '2.1.0', '2.2.0', '2.3.0']),
  cavv: text(255).optional(),
  xid: text(255).optional(),
  ds_transaction_id: text(255).optional(),
  acs_transaction_id: text(255).optional(),
});

const securityCode = z
  .string(typed('a string'))
  .regex(/^[0-9]{3,4}$/, { error: 'The value must be 3 or 4 digits.' });

/**
 * Field names another generation of Moyasar's docs gives the card source (`cvc` and `name`, as
 * the card authentication and payments pages write them), accepted as aliases of G1's
 * `security_code` and `holder` (docs/decisions/mpg.md, "Card source aliases").
 */
export const CARD_SOURCE_ALIASES = { cvc: 'security_code', name: 'holder' } as const;

const cardSource = object({
  type: z.literal('card', {
    error: (i) => (i.input === undefined ? MESSAGES.missing : MESSAGES.oneOf(['card'])),
  }),
  number: cardNumber,
  month: integer(1, 12),
  year: integer(2000, 9999),
  security_code: securityCode.optional(),
  cvc: securityCode.optional(),
  holder: text(255).optional(),
  name: text(255).optional(),
  auth: threeDSecure.optional(),
  card_auth_id: uuid.optional(),
})
  .superRefine((source, ctx) => {
    for (const [alias, field] of Object.entries(CARD_SOURCE_ALIASES)) {
      const [given, named] = [source[alias as keyof typeof CARD_SOURCE_ALIASES], source[field]];
      if (given !== undefined && named !== undefined && given !== named) {
        ctx.addIssue({ code: 'custom', path: [alias], message: MESSAGES.aliasConflict(field) });
      }
    }
    if (source.security_code === undefined && source.cvc === undefined) {
      ctx.addIssue({ code: 'custom', path: ['security_code'], message: MESSAGES.missing });
    }
  })
  .transform(({ cvc, name, security_code, holder, ...rest }) => {
    const chosenHolder = holder ?? name;
    return {
      ...rest,
      // The refinement above guarantees one of the two.
      security_code: (security_code ?? cvc)!,
      ...(chosenHolder === undefined ? {} : { holder: chosenHolder }),
    };
  });

const createShape = (amountMin: number) => ({
  order_id: uuid.optional(),
  transaction_id: uuid.optional(),
  amount: integer(amountMin, MPG_AMOUNT_MAX),
  currency: z.string(typed('a string')).regex(/^[A-Z]{3}$/, {
    error: 'The value must be a three-letter ISO 4217 code.',
  }),
  description: text(1024),
  transaction_type: oneOf(MPG_SOURCE_TYPES).default('internet'),
  source: cardSource,
  device: object({
    user_agent: text(1024),
    ip_address: z.union([z.ipv4(), z.ipv6()], typed('an IP address')),
  }),
  airline: object({
    reference: z
      .string(typed('a string'))
      .regex(/^[A-Za-z0-9]{6,15}$/, { error: 'The value must be 6 to 15 letters or digits.' }),
  }).optional(),
  sub_merchant: object({
    id: text(64).optional(),
    registered_name: text(255).optional(),
    trading_name: text(255).optional(),
    email: z.email({ error: 'The value must be an email address.' }).max(255).optional(),
  }).optional(),
  new_agreement: z
    .looseObject(
      {
        type: oneOf(['unscheduled', 'recurring', 'registered', 'installment']),
      },
      typed('an object'),
    )
    .optional(),
  additional_data: object({
    visa: z.record(z.string(), z.unknown(), typed('an object')).optional(),
    mastercard: z.record(z.string(), z.unknown(), typed('an object')).optional(),
  }).optional(),
});

/** purchase and authorize: amount from one full major unit. */
export const createOrderBody = object(createShape(MPG_CREATE_AMOUNT_MIN));
/** verify: "same shape, amount may be 0". */
export const verifyOrderBody = object(createShape(0));

/** POST /v1/3ds (G2's create page; `return_url` and `challenge_preference` from the show page). */
export const createCardAuthBody = object({
  card_auth_id: uuid,
  amount: integer(1, MPG_AMOUNT_MAX),
  currency: z.string(typed('a string')).regex(/^[A-Z]{3}$/, {
    error: 'The value must be a three-letter ISO 4217 code.',
  }),
  number: cardNumber,
  month: integer(1, 12),
  year: integer(2000, 9999),
  return_url: z
    .url({ protocol: /^https?$/, error: 'The value must be an http(s) URL.' })
    .max(2048)
    .optional(),
  challenge_preference: oneOf(CHALLENGE_PREFERENCES).default('no_preference'),
});

/** POST /v1/3ds/:id/authenticate. */
export const authenticateCardAuthBody = object({
  return_url: z
    .url({ protocol: /^https?$/, error: 'The value must be an http(s) URL.' })
    .max(2048)
    .optional(),
  challenge_preference: oneOf(CHALLENGE_PREFERENCES).optional(),
});

/** POST /v1/3ds/:id/challenge: the simulated cardholder's answer. */
export const challengeCardAuthBody = object({ result: oneOf(['authenticated', 'failed']) });

/** capture, void, refund: amount required, at least 1. */
export const amountBody = object({
  amount: integer(1, MPG_AMOUNT_MAX),
  transaction_id: uuid.optional(),
});

/**
 * extend: the amount is the extension delta, 0 by default (G1, G3); a non-zero delta is bounded
 * by the money still held (planExtension).
 */
export const extendBody = object({
  amount: integer(0, MPG_AMOUNT_MAX).default(0),
  transaction_id: uuid.optional(),
});

export const reverseBody = object({
  transaction_id: uuid.optional(),
  reason: oneOf(MPG_REVERSE_REASONS),
});

const optionalText = text(1024).optional();
const isoInstant = z.iso.datetime({
  offset: true,
  error: 'The value must be an ISO 8601 date-time.',
});
const decimalInt = (min: number, max: number) =>
  queryInteger(integer(min, max), 'The value must be an integer.');

/** GET /v1/orders query: flat keys such as `amount[gte]`, as Node's query parser leaves them. */
export const listOrdersQuery = object({
  items: decimalInt(1, LIMITS.mpgPageSizeMax).default(LIMITS.mpgPageSizeDefault),
  page: decimalInt(1, LIMITS.mpgPageMax).optional(),
  cursor: text(512).optional(),
  id: uuid.optional(),
  sub_merchant_id: optionalText,
  terminal_id: optionalText,
  forwarder_id: optionalText,
  issuer_id: optionalText,
  device_ip: optionalText,
  agreement_id: optionalText,
  description: optionalText,
  currency: optionalText,
  source_type: oneOf(MPG_SOURCE_TYPES).optional(),
  retrieval_reference: optionalText,
  stan: optionalText,
  auth_code: optionalText,
  response_code: optionalText,
  first_digits: optionalText,
  last_digits: optionalText,
  scheme: oneOf(CARD_SCHEMES).optional(),
  country: optionalText,
  card_type: optionalText,
  issuer: optionalText,
  'amount[gte]': decimalInt(0, MPG_AMOUNT_MAX).optional(),
  'amount[lte]': decimalInt(0, MPG_AMOUNT_MAX).optional(),
  'created_at[gte]': isoInstant.optional(),
  'created_at[lte]': isoInstant.optional(),
  'updated_at[gte]': isoInstant.optional(),
  'updated_at[lte]': isoInstant.optional(),
  'sort[field]': oneOf(MPG_SORT_FIELDS).default('created_at'),
  'sort[dir]': oneOf(['asc', 'desc']).default('desc'),
});

/** Field issues in MPG's terms: unknown keys are named one by one, as `source.pin`. */
export const mpgIssue: IssueMapper = (issue, path) =>
  issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: MESSAGES.notAllowed,
      }))
    : null;
