/**
 * Request schemas of the Backd face, after Backd's pages (docs/dialects/backd.md#endpoints).
 * Amounts are JSON numbers in major units ("Any field with the format 'Number' can take integers or
 * floats"); they are turned into minor units strictly, with the merchant's currency, by
 * `minorOf` below: too many decimals is a 422, never a rounding. Fields Backd does not
 * document are ignored rather than refused, as an integration written against Backd may send
 * extras its widget uses.
 */
import { z } from 'zod';
import { LIMITS } from '../../../app/limits.js';
import { BACKD_TERMS, type BackdContact, type BackdItem } from '../../../domain/backd-order.js';
import { amountMaxMajor, BOUNDS } from '../../../domain/bounds.js';
import { parseDecimalMinor } from '../../../domain/money.js';
import { normaliseHttpUrl, type UrlProblem } from '../../../domain/urls.js';
import { type FieldIssue, HttpProblem } from '../../faces.js';

const text = (max = 255) => z.string().min(1, 'Must not be empty.').max(max);
const optionalText = (max = 255) => z.string().max(max).optional();
/** A JSON number; its sign and decimals are checked when it becomes minor units. */
const amount = z.number({ error: 'Expected a number.' });

const URL_MESSAGES: Record<UrlProblem, string> = {
  control_character: 'Must not contain control characters (such as tab, CR or LF).',
  too_long: `Must be at most ${LIMITS.urlLengthMax} characters.`,
  not_http: 'Expected an absolute http or https URL.',
  credentials: 'Must not contain a user name or password.',
};

/**
 * A URL Unwind keeps (the order's redirect URLs, the items' URLs): the one rule of
 * src/domain/urls.ts; the value kept is the normalised URL, never the raw string.
 */
const httpUrl = z.string().transform((text, ctx) => {
  const url = normaliseHttpUrl(text, LIMITS.urlLengthMax);
  if (url.ok) return url.value;
  ctx.addIssue({ code: 'custom', message: URL_MESSAGES[url.error] });
  return z.NEVER;
});

export const backdOrderId = text(64);

export const contactSchema = z.object({
  name: z.object({ first: text(), last: text() }),
  company_name: text(),
  address: z.object({
    line1: text(),
    line2: optionalText(),
    city: text(),
    state: text(),
    zipcode: text(32),
    country: text(64),
  }),
  phone_number: text(64),
  email: text(320),
});

export const itemSchema = z.object({
  display_name: text(),
  sku: text(),
  unit_price: amount,
  qty: z.number().positive('Must be greater than 0.').max(1_000_000_000),
  item_image_url: httpUrl.optional(),
  item_url: httpUrl.optional(),
});

export const createOrderSchema = z.object({
  order_total: amount,
  cart_amount: amount,
  tax_amount: amount.optional(),
  shipping_amount: amount.optional(),
  discount_amount: amount.optional(),
  merchant_order_id: text(),
  merchant_order_status: optionalText(),
  shipping: contactSchema.optional(),
  billing: contactSchema,
  items: z.array(itemSchema).min(1, 'At least one item.').max(LIMITS.backdItemsMax),
  mode: z.object({
    type: z.literal('redirect', { error: 'Must be "redirect".' }),
    order_success_url: httpUrl,
    order_close_url: httpUrl,
  }),
  notify_customer: z.boolean().optional(),
  customer_email: optionalText(320),
});

/** order_placed and confirm_order: the order and the merchant's own id for it. */
export const orderRefSchema = z.object({
  backd_order_id: backdOrderId,
  merchant_order_id: text(),
});

/** cancel_order documents only backd_order_id; a merchant_order_id, when sent, must match. */
export const cancelOrderSchema = z.object({
  backd_order_id: backdOrderId,
  merchant_order_id: text().optional(),
});

export const updateOrderSchema = z.object({
  backd_order_id: backdOrderId,
  merchant_order_id: text(),
  merchant_order_status: optionalText(),
  order_total: amount.optional(),
  cart_amount: amount.optional(),
  tax_amount: amount.optional(),
  shipping_amount: amount.optional(),
  discount_amount: amount.optional(),
  shipping: contactSchema.optional(),
  billing: contactSchema.optional(),
  items: z.array(itemSchema).min(1, 'At least one item.').max(LIMITS.backdItemsMax).optional(),
});

export const refundSchema = z.object({
  backd_order_id: backdOrderId,
  merchant_order_id: text(),
  refund_amount: amount,
});

/** DELETE /refund: the body's fields are not documented; merchant_order_id must match if sent. */
export const deleteRefundSchema = z.object({
  backd_order_id: backdOrderId,
  merchant_order_id: text().optional(),
});

export const termsSchema = z.object({
  terms: z.enum(BACKD_TERMS, { error: 'Expected one of net30, net60, net90.' }),
});

export const findOrderParams = z.object({ backd_order_id: backdOrderId });

/**
 * A decimal amount in major units as minor units of `currency`, or a 422 naming the field: too
 * many decimals, or more than `BOUNDS.amountMinorMax` (docs/security.md).
 */
export function minorOf(
  value: number,
  currency: string,
  path: string,
  issues: FieldIssue[],
): number {
  const parsed = parseDecimalMinor(value, currency);
  if (parsed.ok && parsed.value <= BOUNDS.amountMinorMax) return parsed.value;
  const message = parsed.ok
    ? `Must not be greater than ${amountMaxMajor(currency)}.`
    : parsed.error === 'too_many_decimals'
      ? `Too many decimal places for ${currency}.`
      : parsed.error === 'out_of_range' && value > 0
        ? `Must not be greater than ${amountMaxMajor(currency)}.`
        : parsed.error === 'out_of_range'
          ? 'The amount is out of range.'
          : 'Expected a decimal amount.';
  issues.push({ path, message });
  return 0;
}

/** A non-negative amount (create and update); refund_amount's sign is a core rule (400). */
export function nonNegativeMinorOf(
  value: number,
  currency: string,
  path: string,
  issues: FieldIssue[],
) {
  const minor = minorOf(value, currency, path, issues);
  if (minor < 0) issues.push({ path, message: 'Must not be negative.' });
  return minor;
}

/** The amounts' issues, all at once, as one 422. */
export const throwIssues = (issues: readonly FieldIssue[]) => {
  if (issues.length > 0) throw new HttpProblem('validation_failed', issues);
};

export const contactOf = (c: z.infer<typeof contactSchema>): BackdContact => ({
  name: { first: c.name.first, last: c.name.last },
  company_name: c.company_name,
  address: {
    line1: c.address.line1,
    ...(c.address.line2 !== undefined ? { line2: c.address.line2 } : {}),
    city: c.address.city,
    state: c.address.state,
    zipcode: c.address.zipcode,
    country: c.address.country,
  },
  phone_number: c.phone_number,
  email: c.email,
});

export function itemsOf(
  items: readonly z.infer<typeof itemSchema>[],
  currency: string,
  issues: FieldIssue[],
): BackdItem[] {
  return items.map((i, index) => ({
    displayName: i.display_name,
    sku: i.sku,
    unitPriceMinor: nonNegativeMinorOf(i.unit_price, currency, `items.${index}.unit_price`, issues),
    qty: i.qty,
    ...(i.item_image_url !== undefined ? { itemImageUrl: i.item_image_url } : {}),
    ...(i.item_url !== undefined ? { itemUrl: i.item_url } : {}),
  }));
}
