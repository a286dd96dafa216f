/** Admin: a merchant's webhook endpoints, and replaying everything since a time to one. */
import { documented } from '../openapi.js';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { type AppDeps, execute } from '../../app/context.js';
import { replayEndpointSince } from '../../app/deliveries.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  updateWebhookEndpoint,
} from '../../app/webhook-endpoints.js';
import { send } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import { decodeCursor, encodeCursor, healthJson, parseCursor, webhookJson } from './render.js';
import { respond } from './respond.js';
import { actorFor } from './authorize.js';
import {
  createWebhookSchema,
  listWebhooksQuery,
  merchantWebhooksQuery,
  replaySinceSchema,
  updateWebhookSchema,
} from './schemas.js';
import {
  type EndpointWithHealth,
  liveEndpointsWithHealth,
  merchantEndpointsWithHealth,
} from '../../app/webhook-health.js';

type MerchantParams = { Params: { id: string } };

const HEALTH_DESCRIPTION =
  'Each endpoint carries `health`: its delivery attempts that started in the last ' +
  '`window_hours` (attempts, succeeded = answered 2xx, failed, success_rate = succeeded / ' +
  'attempts or null without attempts, last_failure), and its deliveries pending or dead now, ' +
  'whatever their age.';

const endpointWithHealthJson = ({ endpoint, health, windowHours }: EndpointWithHealth) => ({
  ...webhookJson(endpoint),
  health: healthJson(health, windowHours),
});
const PRIVATE_URL_DESCRIPTION =
  'A `url` whose host can only be private or local (a loopback, private, link-local or other ' +
  'non-public address in any notation, or a name such as `localhost`) is 422 ' +
  '`webhook.private_url` unless the server runs with UNWIND_WEBHOOK_ALLOW_PRIVATE=1.';
type EndpointParams = { Params: { id: string; webhookId: string } };

/** A merchant's endpoints: create and list; and every merchant's. */
function createAndListRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post<MerchantParams>(
    '/merchants/:id/webhooks',
    documented({
      summary: 'Register a webhook endpoint; its secret is returned',
      description: PRIVATE_URL_DESCRIPTION,
      tag: 'Webhooks',
      body: createWebhookSchema,
    }),
    async (request, reply) => {
      const body = parseOrThrow(createWebhookSchema, request.body);
      const useCase = createWebhookEndpoint({
        merchantId: request.params.id,
        url: body.url,
        name: body.name ?? null,
        ...(body.format ? { format: body.format } : {}),
        ...(body.retry_policy ? { retryPolicy: body.retry_policy } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        allowPrivateUrl: deps.webhookAllowPrivate === true,
        audit: { actor: actorFor(request), reason: null },
      });
      return respond(deps, request, reply, useCase, (endpoint) => ({
        status: 201,
        body: webhookJson(endpoint, true),
      }));
    },
  );

  app.get<MerchantParams>(
    '/merchants/:id/webhooks',
    documented({
      summary: "List a merchant's webhook endpoints with their health",
      description: HEALTH_DESCRIPTION,
      tag: 'Webhooks',
      query: merchantWebhooksQuery,
    }),
    async (request, reply) => {
      const q = parseOrThrow(merchantWebhooksQuery, request.query);
      const found = await merchantEndpointsWithHealth(deps, request.params.id, q.window_hours);
      if (!found)
        return send(reply, renderAdminDomainError({ code: 'merchant.not_found' }, request.id));
      return { data: found.map(endpointWithHealthJson) };
    },
  );

  app.get(
    '/webhooks',
    documented({
      summary: 'List every webhook endpoint (of one merchant, if given) with its health',
      description: `${HEALTH_DESCRIPTION} Deleted endpoints are left out; ordered by merchant, then creation.`,
      tag: 'Webhooks',
      query: listWebhooksQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listWebhooksQuery, request.query);
      const found = await liveEndpointsWithHealth(deps, {
        windowHours: q.window_hours,
        ...(q.merchant_id === undefined ? {} : { merchantId: q.merchant_id }),
      });
      return { data: found.map(endpointWithHealthJson) };
    },
  );
}

/** One endpoint: show and change. */
function showAndChangeRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<EndpointParams>(
    '/merchants/:id/webhooks/:webhookId',
    documented({ summary: 'Read a webhook endpoint', tag: 'Webhooks' }),
    async (request, reply) => {
      const found = await execute(
        deps,
        getWebhookEndpoint(request.params.id, request.params.webhookId),
      );
      if (!found.ok) return send(reply, renderAdminDomainError(found.error, request.id));
      return webhookJson(found.value);
    },
  );

  app.patch<EndpointParams>(
    '/merchants/:id/webhooks/:webhookId',
    documented({
      summary: 'Change, disable, enable or rotate the secret of an endpoint',
      description:
        'Recorded as one admin action with the reason, if given, named by what was asked: ' +
        '`enabled` makes it `webhook.disabled` or `webhook.enabled`; otherwise `rotate_secret` ' +
        'makes it `webhook.secret_rotated`; anything else is `webhook.updated`. Its details list ' +
        'the fields that changed, each with its value before and after. ' +
        PRIVATE_URL_DESCRIPTION,
      tag: 'Webhooks',
      body: updateWebhookSchema,
    }),
    async (request, reply) => {
      const body = parseOrThrow(updateWebhookSchema, request.body);
      const useCase = updateWebhookEndpoint({
        merchantId: request.params.id,
        endpointId: request.params.webhookId,
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.format !== undefined ? { format: body.format } : {}),
        ...(body.retry_policy !== undefined ? { retryPolicy: body.retry_policy } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        ...(body.rotate_secret ? { rotateSecret: true } : {}),
        allowPrivateUrl: deps.webhookAllowPrivate === true,
        audit: { actor: actorFor(request), reason: body.reason ?? null },
      });
      return respond(deps, request, reply, useCase, (endpoint) => ({
        status: 200,
        body: webhookJson(endpoint, body.rotate_secret === true),
      }));
    },
  );
}

/** One endpoint: delete; and replaying its deliveries. */
function deleteAndReplayRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.delete<EndpointParams>(
    '/merchants/:id/webhooks/:webhookId',
    documented({
      summary: 'Delete an endpoint; its pending deliveries are cancelled',
      tag: 'Webhooks',
    }),
    async (request, reply) =>
      respond(
        deps,
        request,
        reply,
        deleteWebhookEndpoint(request.params.id, request.params.webhookId),
        () => ({ status: 204, body: null }),
      ),
  );

  app.post<MerchantParams>(
    '/webhooks/:id/replay',
    documented({
      summary: 'Re-send every event since a time to one endpoint',
      description:
        'Each call is recorded as one admin action `webhook.replayed_since` with the reason, ' +
        'if given, and its counts.',
      tag: 'Webhooks',
      body: replaySinceSchema,
    }),
    async (request, reply) => {
      const body = parseOrThrow(replaySinceSchema, request.body);
      const after = parseCursor(body.cursor, decodeCursor);
      return respond(
        deps,
        request,
        reply,
        replayEndpointSince(request.params.id, Date.parse(body.since), after, {
          actor: actorFor(request),
          reason: body.reason ?? null,
        }),
        (result) => ({
          status: 202,
          body: {
            reset: result.reset,
            created: result.created,
            next_cursor: result.next ? encodeCursor(result.next) : null,
          },
        }),
      );
    },
  );
}

export const webhookRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  createAndListRoutes(app, deps);
  showAndChangeRoutes(app, deps);
  deleteAndReplayRoutes(app, deps);
};
