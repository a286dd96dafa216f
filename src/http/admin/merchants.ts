/** Admin: merchants and their credentials (README.md#admin-api). */
import { documented } from '../openapi.js';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import {
  createMerchant,
  type IssuedCredentials,
  visiblePrefix,
  getMerchant,
  listMerchants,
  rotateCredentials,
  updateMerchantSettings,
} from '../../app/merchants.js';
import type { MerchantSettings } from '../../domain/merchant.js';
import { send } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import {
  decodeNameCursor,
  encodeNameCursor,
  merchantJson,
  pageJson,
  parseCursor,
} from './render.js';
import { respond } from './respond.js';
import { actorFor } from './authorize.js';
import type { settingsSchema } from './schemas.js';
import {
  createMerchantSchema,
  listMerchantsQuery,
  rotateCredentialsSchema,
  updateMerchantSchema,
} from './schemas.js';
import type { z } from 'zod';

function toSettings(input: z.infer<typeof settingsSchema> | undefined): Partial<MerchantSettings> {
  if (!input) return {};
  const s: { -readonly [K in keyof MerchantSettings]?: MerchantSettings[K] } = {};
  if (input.points_per_unit !== undefined) s.pointsPerUnit = input.points_per_unit;
  if (input.minor_per_point !== undefined) s.minorPerPoint = input.minor_per_point;
  if (input.refund_window_days !== undefined) s.refundWindowDays = input.refund_window_days;
  if (input.holidays !== undefined) s.holidays = input.holidays;
  if (input.ip_allow_list !== undefined) s.ipAllowList = input.ip_allow_list;
  if (input.order_total_increase_limit_percent !== undefined)
    s.orderTotalIncreaseLimitPercent = input.order_total_increase_limit_percent;
  if (input.refund_settlement_delay_seconds !== undefined)
    s.refundSettlementDelaySeconds = input.refund_settlement_delay_seconds;
  if (input.auto_refund_grace_hours !== undefined)
    s.autoRefundGraceHours = input.auto_refund_grace_hours;
  if (input.sandbox !== undefined) s.sandbox = input.sandbox;
  if (input.store_rating_points !== undefined) s.storeRatingPoints = input.store_rating_points;
  if (input.product_rating_points !== undefined) {
    s.productRatingPoints = input.product_rating_points;
  }
  if (input.refund_approval_above_minor !== undefined)
    s.refundApprovalAboveMinor = input.refund_approval_above_minor;
  if (input.checkout_capture !== undefined) s.checkoutCapture = input.checkout_capture;
  return s;
}

/**
 * What a replay of a credential-issuing request shows: secrets are shown once, so the stored
 * response keeps only their visible prefixes (as `GET /admin/merchants/:id` lists them).
 */
function redacted(credentials: IssuedCredentials) {
  const masked = Object.fromEntries(
    Object.entries(credentials).map(([dialect, keys]) => [
      dialect,
      Object.fromEntries(
        Object.entries(keys as Record<string, string>).map(([kind, secret]) => [
          kind,
          `${visiblePrefix(secret)}…`,
        ]),
      ),
    ]),
  );
  return { credentials: masked, credentials_redacted: true };
}

/** POST and GET /merchants. */
function createAndListRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    '/merchants',
    documented({
      summary: 'Create a merchant; its credentials are shown once',
      tag: 'Merchants',
      body: createMerchantSchema,
      responses: {
        201: { description: 'The merchant with plaintext credentials for every face' },
        422: { description: 'Invalid request' },
      },
    }),
    async (request, reply) => {
      const body = parseOrThrow(createMerchantSchema, request.body);
      return respond(
        deps,
        request,
        reply,
        createMerchant({
          name: body.name,
          ...(body.currency ? { currency: body.currency } : {}),
          settings: toSettings(body.settings),
          audit: { actor: actorFor(request), reason: null },
        }),
        ({ merchant, credentials }) => ({
          status: 201,
          body: { ...merchantJson(merchant), credentials },
          storedBody: { ...merchantJson(merchant), ...redacted(credentials) },
        }),
      );
    },
  );

  app.get(
    '/merchants',
    documented({
      summary: 'List merchants by name, then id (no credentials)',
      description:
        'Names are compared in the database collation: byte order on SQLite, the collation of ' +
        'the database on PostgreSQL.',
      tag: 'Merchants',
      query: listMerchantsQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listMerchantsQuery, request.query);
      const after = parseCursor(q.cursor, decodeNameCursor);
      const merchants = await listMerchants(deps, q.limit, after);
      return pageJson(merchants, q.limit, (m) => merchantJson(m), encodeNameCursor);
    },
  );
}

/** GET and PATCH /merchants/:id. */
function showAndChangeRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { id: string } }>(
    '/merchants/:id',
    documented({
      summary: 'Read a merchant with its credential prefixes',
      tag: 'Merchants',
      responses: { 200: { description: 'The merchant' }, 404: { description: 'No such merchant' } },
    }),
    async (request, reply) => {
      const found = await getMerchant(deps, request.params.id);
      if (!found)
        return send(reply, renderAdminDomainError({ code: 'merchant.not_found' }, request.id));
      return merchantJson(found.merchant, found.credentials);
    },
  );

  app.patch<{ Params: { id: string } }>(
    '/merchants/:id',
    documented({
      summary: "Change a merchant's settings",
      tag: 'Merchants',
      body: updateMerchantSchema,
    }),
    async (request, reply) => {
      const body = parseOrThrow(updateMerchantSchema, request.body);
      return respond(
        deps,
        request,
        reply,
        updateMerchantSettings(request.params.id, toSettings(body.settings), {
          actor: actorFor(request),
          reason: null,
        }),
        (merchant) => ({ status: 200, body: merchantJson(merchant) }),
      );
    },
  );
}

/** POST /merchants/:id/credentials. */
function rotateCredentialsRoute(app: FastifyInstance, deps: AppDeps): void {
  app.post<{ Params: { id: string } }>(
    '/merchants/:id/credentials',
    documented({
      summary: "Rotate one face's credentials (the old ones stop working at once)",
      tag: 'Merchants',
      body: rotateCredentialsSchema,
      responses: { 201: { description: 'New plaintext credentials, shown once' } },
    }),
    async (request, reply) => {
      const body = parseOrThrow(rotateCredentialsSchema, request.body);
      return respond(
        deps,
        request,
        reply,
        rotateCredentials(request.params.id, body.dialect, {
          actor: actorFor(request),
          reason: null,
        }),
        (credentials) => ({
          status: 201,
          body: { merchant_id: request.params.id, dialect: body.dialect, credentials },
          storedBody: {
            merchant_id: request.params.id,
            dialect: body.dialect,
            ...redacted(credentials),
          },
        }),
      );
    },
  );
}

export const merchantRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  createAndListRoutes(app, deps);
  showAndChangeRoutes(app, deps);
  rotateCredentialsRoute(app, deps);
};
