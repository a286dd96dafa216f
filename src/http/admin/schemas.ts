/** Request schemas of the admin face. Amounts are integer minor units: no rounding is possible. */
import { z } from 'zod';
import { DAILY_STATS_DAYS_MAX } from '../../app/daily-stats.js';
import { LIMITS } from '../../app/limits.js';
import { canonicalTimeZone, epochDay } from '../../app/local-days.js';
import { HEALTH_WINDOW_HOURS_DEFAULT, HEALTH_WINDOW_HOURS_MAX } from '../../app/webhook-health.js';
import { ADMIN_ACTIONS } from '../../domain/admin-actions.js';
import { BOUNDS, pointsPerUnitProblem } from '../../domain/bounds.js';
import { CHECKOUT_CAPTURE_MODES, CREDENTIAL_DIALECTS } from '../../domain/merchant.js';
import { DIALECTS, ORDER_STATUSES } from '../../domain/order.js';
import { DELIVERY_STATUSES, RETRY_POLICIES, WEBHOOK_FORMATS } from '../../domain/webhooks.js';
import { queryInteger } from '../validation.js';

/** At most `BOUNDS.amountMinorMax` (docs/security.md "Amount and points bounds"). */
const boundedMinor = z
  .number()
  .int()
  .max(BOUNDS.amountMinorMax, `At most ${BOUNDS.amountMinorMax} minor units.`);
export const amountMinor = boundedMinor.positive();
const reason = z.string().max(LIMITS.reasonLengthMax).nullable().optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD.');

/** A rating channel's flat award (BOUNDS.ratingPointsMax), or null: the channel is disabled. */
const ratingPoints = z
  .number()
  .int()
  .nonnegative()
  .max(BOUNDS.ratingPointsMax)
  .nullable()
  .optional();

export const settingsSchema = z.strictObject({
  points_per_unit: z
    .number()
    .nonnegative()
    .superRefine((value, ctx) => {
      const problem = pointsPerUnitProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  minor_per_point: z.number().int().positive().max(BOUNDS.minorPerPointMax).optional(),
  refund_window_days: z.number().int().nonnegative().max(36_500).optional(),
  holidays: z.array(isoDate).max(1000).optional(),
  ip_allow_list: z.array(z.string().min(1).max(64)).max(1000).nullable().optional(),
  order_total_increase_limit_percent: z.number().int().nonnegative().max(1000).optional(),
  refund_settlement_delay_seconds: z.number().int().nonnegative().max(31_536_000).optional(),
  auto_refund_grace_hours: z.number().int().nonnegative().max(8760).optional(),
  sandbox: z.boolean().optional(),
  store_rating_points: ratingPoints,
  product_rating_points: ratingPoints,
  refund_approval_above_minor: boundedMinor.nonnegative().nullable().optional(),
  checkout_capture: z.enum(CHECKOUT_CAPTURE_MODES).optional(),
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
  dialect: z.enum(CREDENTIAL_DIALECTS),
});

export const createOrderSchema = z.strictObject({
  merchant_id: z.string().min(1).max(64),
  amount_minor: boundedMinor.nonnegative(),
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

export const pageLimit = queryInteger(z.number().int().positive().max(LIMITS.pageSizeMax)).default(
  LIMITS.pageSizeDefault,
);

export const instant = z.iso.datetime({ offset: true });

/**
 * A list filter naming one merchant, order or endpoint. An empty value is refused (422 at the
 * parameter) rather than read as "no filter": a request aimed at one merchant whose id came out
 * empty must not answer with every merchant's rows.
 */
const idFilter = (what: string) =>
  z.string().min(1).max(64).optional().describe(`Only this ${what}'s rows.`);

/** The direction of a list read by (created_at, id), and the cursor that goes with it. */
const listOrder = z
  .enum(['asc', 'desc'])
  .default('asc')
  .describe('By (created_at, id): asc oldest first (default), desc newest first.');
const directedCursor = z
  .string()
  .optional()
  .describe('next_cursor of the previous page, with the same order.');

export const listOrdersQuery = z
  .strictObject({
    q: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .describe(
        'Exact match on id, order_number, merchant_order_id, backd_order_id, or the customer ' +
          'phone (as typed, without spaces, dashes, dots and parentheses, or as a Saudi mobile ' +
          'number in any form: +966 50 123 4567 finds 501234567).',
      ),
    merchant_id: idFilter('merchant'),
    dialect: z.enum(DIALECTS).optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    created_from: instant.optional().describe('Inclusive.'),
    created_to: instant.optional().describe('Exclusive.'),
    order: listOrder,
    limit: pageLimit,
    cursor: directedCursor,
  })
  .refine(
    (q) =>
      !q.created_from || !q.created_to || Date.parse(q.created_from) < Date.parse(q.created_to),
    { path: ['created_to'], message: 'created_to must be after created_from.' },
  );

export const listMerchantsQuery = z.strictObject({
  limit: pageLimit,
  cursor: z.string().optional(),
});

export const listReconciliationsQuery = z.strictObject({
  merchant_id: idFilter('merchant'),
  dialect: z.enum(CREDENTIAL_DIALECTS).optional().describe('Only runs of this face.'),
  limit: pageLimit,
  cursor: z.string().optional(),
});

const windowHours = queryInteger(z.number().int().positive().max(HEALTH_WINDOW_HOURS_MAX))
  .default(HEALTH_WINDOW_HOURS_DEFAULT)
  .describe('The health window, in hours before now.');

export const listWebhooksQuery = z.strictObject({
  merchant_id: idFilter('merchant'),
  window_hours: windowHours,
});

export const merchantWebhooksQuery = z.strictObject({ window_hours: windowHours });

export const dailyStatsQuery = z
  .strictObject({
    from: isoDate.describe('First day, in tz.'),
    to: isoDate.describe('Last day, inclusive, in tz.'),
    merchant_id: idFilter('merchant'),
    tz: z.string().max(64).default('UTC').describe('An IANA time zone, e.g. America/Chicago.'),
  })
  .superRefine((q, ctx) => {
    const from = epochDay(q.from);
    const to = epochDay(q.to);
    if (from === null) ctx.addIssue({ code: 'custom', path: ['from'], message: 'No such date.' });
    if (to === null) ctx.addIssue({ code: 'custom', path: ['to'], message: 'No such date.' });
    if (from !== null && to !== null) {
      if (to < from) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from.' });
      } else if (to - from + 1 > DAILY_STATS_DAYS_MAX) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `At most ${DAILY_STATS_DAYS_MAX} days.`,
        });
      }
    }
    if (canonicalTimeZone(q.tz) === null) {
      ctx.addIssue({ code: 'custom', path: ['tz'], message: 'Not an IANA time zone.' });
    }
  });

export const listEventsQuery = z.strictObject({
  merchant_id: idFilter('merchant'),
  order_id: idFilter('order'),
  type: z.string().optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: pageLimit,
  cursor: z.string().optional(),
});

export const setClockSchema = z.strictObject({ now: instant });
export const advanceClockSchema = z.strictObject({
  seconds: z.number().int().min(-3_153_600_000).max(3_153_600_000),
});

// The use case applies the one URL rule (src/domain/urls.ts) and keeps the normalised URL.
const webhookUrl = z.string().min(1).max(LIMITS.urlLengthMax);
const format = z.enum(WEBHOOK_FORMATS);
const retryPolicy = z.enum(RETRY_POLICIES);

export const createWebhookSchema = z.strictObject({
  url: webhookUrl,
  name: z.string().max(255).nullable().optional(),
  format: format.optional(),
  retry_policy: retryPolicy.optional(),
  enabled: z.boolean().optional(),
});

export const updateWebhookSchema = z
  .strictObject({
    url: webhookUrl.optional(),
    name: z.string().max(255).nullable().optional(),
    format: format.optional(),
    retry_policy: retryPolicy.optional(),
    enabled: z.boolean().optional(),
    rotate_secret: z.boolean().optional(),
    reason: reason.describe('Why: recorded with the admin action.'),
  })
  // The reason explains a change; alone it changes nothing.
  .refine(
    (body) => Object.keys(body).some((key) => key !== 'reason'),
    'Send at least one field to change.',
  );

export const listDeliveriesQuery = z.strictObject({
  merchant_id: idFilter('merchant'),
  order_id: idFilter('order'),
  endpoint_id: idFilter('endpoint'),
  type: z.string().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  from: instant.optional(),
  to: instant.optional(),
  order: listOrder,
  limit: pageLimit,
  cursor: directedCursor,
});

export const replaySinceSchema = z.strictObject({
  since: instant,
  /** From a previous answer's `next_cursor`, to continue a replay of more events than one call takes. */
  cursor: z.string().optional(),
  reason: reason.describe('Why: recorded with the admin action.'),
});

export const listAdminActionsQuery = z.strictObject({
  merchant_id: idFilter('merchant'),
  order_id: idFilter('order'),
  action: z.enum(ADMIN_ACTIONS).optional(),
  order: listOrder,
  limit: pageLimit,
  cursor: directedCursor,
});

const refundRequestId = z.string().min(1).max(64);

/** An operator's refund request on a Backd order (the same use case as Backd's POST /refund). */
export const submitRefundRequestSchema = z.strictObject({
  amount_minor: amountMinor,
  reason,
  /** The active draft this replaces; omitted or null when the operator expects none. */
  replaces: refundRequestId.nullable().optional(),
});

export const refundRequestParams = z.strictObject({
  id: z.string().min(1).max(64),
  request_id: refundRequestId,
});
