/** Request schemas of the admin face. Amounts are integer minor units: no rounding is possible. */
import { z } from 'zod';
import { LIMITS } from '../../app/limits.js';

export const amountMinor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reason = z.string().max(LIMITS.reasonLengthMax).nullable().optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD.');

export const settingsSchema = z.strictObject({
  points_per_unit: z.number().nonnegative().max(1_000_000).optional(),
  minor_per_point: z.number().int().positive().max(1_000_000).optional(),
  refund_window_days: z.number().int().nonnegative().max(36_500).optional(),
  holidays: z.array(isoDate).max(1000).optional(),
  ip_allow_list: z.array(z.string().min(1).max(64)).max(1000).nullable().optional(),
  order_total_increase_limit_percent: z.number().int().nonnegative().max(1000).optional(),
  refund_settlement_delay_seconds: z.number().int().nonnegative().max(31_536_000).optional(),
  auto_refund_grace_hours: z.number().int().nonnegative().max(8760).optional(),
});

export const createMerchantSchema = z.strictObject({
  name: z.string().trim().min(1).max(LIMITS.merchantNameLengthMax),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as SAR.')
    .optional(),
  settings: settingsSchema.optional(),
});

export const updateMerchantSchema = z.strictObject({ settings: settingsSchema });

export const rotateCredentialsSchema = z.strictObject({
  dialect: z.enum(['points', 'backd', 'mpg']),
});

export const createOrderSchema = z.strictObject({
  merchant_id: z.string().min(1).max(64),
  amount_minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as SAR.')
    .optional(),
  capture: z.enum(['none', 'authorize', 'purchase']).default('purchase'),
  order_number: z.string().min(1).max(255).optional(),
  reason,
});

export const amountOperationSchema = z.strictObject({
  amount_minor: amountMinor.optional(),
  reason,
});

export const reasonOnlySchema = z.strictObject({ reason });

const limit = z.coerce
  .number()
  .int()
  .positive()
  .max(LIMITS.pageSizeMax)
  .default(LIMITS.pageSizeDefault);

export const listOrdersQuery = z.strictObject({
  merchant_id: z.string().optional(),
  dialect: z.enum(['points', 'backd', 'mpg', 'admin']).optional(),
  limit,
  cursor: z.string().optional(),
});

export const listEventsQuery = z.strictObject({
  merchant_id: z.string().optional(),
  order_id: z.string().optional(),
  type: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit,
  cursor: z.string().optional(),
});

export const setClockSchema = z.strictObject({ now: z.iso.datetime({ offset: true }) });
export const advanceClockSchema = z.strictObject({
  seconds: z.number().int().min(-3_153_600_000).max(3_153_600_000),
});

const webhookUrl = z.string().min(1).max(2000);
const format = z.enum(['standard', 'points']);

export const createWebhookSchema = z.strictObject({
  url: webhookUrl,
  name: z.string().max(255).nullable().optional(),
  format: format.optional(),
  retry_policy: format.optional(),
  enabled: z.boolean().optional(),
});

export const updateWebhookSchema = z
  .strictObject({
    url: webhookUrl.optional(),
    name: z.string().max(255).nullable().optional(),
    format: format.optional(),
    retry_policy: format.optional(),
    enabled: z.boolean().optional(),
    rotate_secret: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one field to change.');

export const listDeliveriesQuery = z.strictObject({
  merchant_id: z.string().optional(),
  order_id: z.string().optional(),
  endpoint_id: z.string().optional(),
  type: z.string().optional(),
  status: z.enum(['pending', 'delivered', 'dead', 'cancelled']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit,
  cursor: z.string().optional(),
});

export const replaySinceSchema = z.strictObject({
  since: z.iso.datetime({ offset: true }),
  /** From a previous answer's `next_cursor`, to continue a replay of more events than one call takes. */
  cursor: z.string().optional(),
});
