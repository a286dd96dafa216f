/**
 * The request rules of the Points face, as the OpenAPI of docs.papp.sa states them
 * (docs/dialects/points.md#endpoints), in the Laravel-style validator of `laravel.ts`.
 */
import { LIMITS } from '../../../../app/limits.js';
import { BOUNDS } from '../../../../domain/bounds.js';
import { minorToMajorNumber } from '../../../../domain/money.js';
import { normalisePhone, SHIPPING_STATUSES } from '../../../../domain/points.js';
import { type FieldIssue, HttpProblem } from '../../../faces.js';
import { type Field, validate } from './laravel.js';

const reason: Field = { type: 'string', max: 500, nullable: true };
const optionalMoney: Field = { type: 'money', min: 0, nullable: true };

const orderFields = {
  phone_number: { type: 'string', max: 32, nullable: true },
  total_price: { type: 'money', min: 0, required: true },
  order_number: { type: 'string', max: 255, required: true },
  name: { type: 'string', max: 255, nullable: true },
  shipping_amount: optionalMoney,
  tax_amount: optionalMoney,
  discount_amount: optionalMoney,
  shipping_address: {
    type: 'object',
    nullable: true,
    fields: {
      city: { type: 'string', max: 100, nullable: true },
      line1: { type: 'string', max: 255, nullable: true },
    },
  },
  products: {
    type: 'array',
    min: 1,
    max: 500,
    nullable: true,
    items: {
      product_name: { type: 'string', max: 255, required: true },
      product_price: { type: 'money', min: 0, required: true },
      quantity: { type: 'integer', min: 1, required: true },
    },
  },
  metadata: { type: 'object', nullable: true },
} as const satisfies Record<string, Field>;

export const checkoutFields = {
  ...orderFields,
  callback_url: { type: 'url', max: LIMITS.urlLengthMax, nullable: true },
} as const satisfies Record<string, Field>;

export const earningFields = {
  ...orderFields,
  phone_number: { type: 'string', max: 32, required: true },
  products: { ...orderFields.products, nullable: false, required: true },
} as const satisfies Record<string, Field>;

const ratingBase = {
  phone_number: { type: 'string', max: 32, required: true },
  review_reference: { type: 'string', max: 255, required: true },
  rating: { type: 'integer', min: 1, max: 5, nullable: true },
  comment: { type: 'string', max: 2000, nullable: true },
  metadata: { type: 'object', nullable: true },
} as const satisfies Record<string, Field>;

export const storeRatingFields = ratingBase;
export const productRatingFields = {
  ...ratingBase,
  product_id: { type: 'string', max: 255, required: true },
  product_name: { type: 'string', max: 255, nullable: true },
} as const satisfies Record<string, Field>;

export const PAYMENT_METHODS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
export const completeFields = {
  payment_method: { type: 'enum', values: PAYMENT_METHODS, nullable: true },
} as const satisfies Record<string, Field>;

export const cancelFields = { reason } as const satisfies Record<string, Field>;
export const refundFields = {
  amount: { type: 'money', gt: 0, nullable: true },
  reason,
} as const satisfies Record<string, Field>;

export const shippingFields = {
  status: { type: 'enum', values: SHIPPING_STATUSES, nullable: true },
  name_ar: { type: 'string', max: 120, nullable: true },
  name_en: { type: 'string', max: 120, nullable: true },
} as const satisfies Record<string, Field>;

export const webhookCreateFields = {
  name: { type: 'string', max: 255, required: true },
  url: { type: 'url', max: 500, required: true },
} as const satisfies Record<string, Field>;

export const webhookUpdateFields = {
  name: { type: 'string', max: 255 },
  url: { type: 'url', max: 500 },
} as const satisfies Record<string, Field>;

/** Page size of `GET /v1/webhooks`: Points' default 15; at most 100 per page. */
export const WEBHOOK_PAGE_SIZE_DEFAULT = 15;
export const webhookListFields = {
  per_page: { type: 'integer', min: 1, max: 100 },
  page: { type: 'integer', min: 1, max: 1_000_000 },
} as const satisfies Record<string, Field>;

/** Hosted checkout, step 1: the phone a code is sent to. */
export const codeFields = {
  phone_number: { type: 'string', max: 32, required: true },
} as const satisfies Record<string, Field>;

/** Step 2: the code as typed (checked for six digits after the schema). */
export const verifyFields = {
  code: { type: 'string', max: 32, required: true },
} as const satisfies Record<string, Field>;

/** Step 3: the verification token step 2 gave, and the points to spend. */
export const payFields = {
  verification_token: { type: 'string', max: 128, required: true },
  redeem_points: { type: 'integer', min: 0, max: BOUNDS.orderPointsMax, required: true },
} as const satisfies Record<string, Field>;

/** Numbers where Points takes strings (`product_id`, `payment_method`) are read as strings. */
function stringsFromNumbers(input: unknown, names: readonly string[]): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const name of names) if (typeof copy[name] === 'number') copy[name] = String(copy[name]);
  return copy;
}

/**
 * Validates a body and checks the phone number's format (normalised to `5XXXXXXXX`); throws the
 * Points 422 listing every failing field.
 */
export function parseBody(
  input: unknown,
  fields: Readonly<Record<string, Field>>,
  extra?: (values: Record<string, unknown>) => FieldIssue[],
): Record<string, unknown> {
  const { values, issues } = validate(
    stringsFromNumbers(input, ['product_id', 'payment_method']),
    fields,
  );
  const phone = values['phone_number'];
  if (typeof phone === 'string') {
    const normalised = normalisePhone(phone);
    if (normalised === null) {
      issues.push({ path: 'phone_number', message: 'The phone number format is invalid.' });
    } else values['phone_number'] = normalised;
  }
  issues.push(...(extra?.(values) ?? []));
  if (issues.length > 0) throw new HttpProblem('validation_failed', issues);
  return values;
}

/** The order's details as they are kept: amounts back as SAR numbers, for display only. */
export function orderDetails(values: Record<string, unknown>): Record<string, unknown> {
  const sar = (minor: unknown) =>
    typeof minor === 'number' ? minorToMajorNumber(minor, 'SAR') : (minor ?? null);
  const products = values['products'] as Record<string, unknown>[] | null | undefined;
  const keep = (name: string) => (values[name] === undefined ? {} : { [name]: values[name] });
  return {
    ...keep('name'),
    ...(values['shipping_amount'] !== undefined
      ? { shipping_amount: sar(values['shipping_amount']) }
      : {}),
    ...(values['tax_amount'] !== undefined ? { tax_amount: sar(values['tax_amount']) } : {}),
    ...(values['discount_amount'] !== undefined
      ? { discount_amount: sar(values['discount_amount']) }
      : {}),
    ...keep('shipping_address'),
    ...(Array.isArray(products)
      ? { products: products.map((p) => ({ ...p, product_price: sar(p['product_price']) })) }
      : {}),
    ...keep('metadata'),
    ...keep('callback_url'),
    ...keep('review_reference'),
    ...keep('rating'),
    ...keep('comment'),
    ...keep('product_id'),
    ...keep('product_name'),
  };
}
