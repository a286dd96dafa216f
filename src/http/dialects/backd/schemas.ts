/**
 * Request schemas of the Backd face, after Backd's pages (docs/dialects/backd.md#endpoints).
 * Amounts are JSON numbers in major units ("Any field with the format 'Number' can take integers or
 * floats"); they are turned into minor units strictly, with the merchant's currency, by
 * `minorOf` in routes.ts: too many decimals is a 422, never a rounding. Fields Backd does not
 * document are ignored rather than refused, as an integration written against Backd may send
 * extras its widget uses.
 */
import { z } from 'zod';
import { LIMITS } from '../../../app/limits.js';
import { BACKD_TERMS } from '../../../domain/backd-order.js';
import { normaliseHttpUrl, type UrlProblem } from '../../../domain/urls.js';

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
