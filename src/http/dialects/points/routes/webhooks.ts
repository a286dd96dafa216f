/**
 * Points' webhooks API (/v1/webhooks) over Unwind's webhook endpoints: endpoints created here
 * use the `points` format and retry policy; every read returns the secret, as Points does.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AppDeps, execute } from '../../../../app/context.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  pageOfWebhookEndpoints,
  updateWebhookEndpoint,
} from '../../../../app/webhook-endpoints.js';
import { pointsMerchantNumber } from '../../../../app/points-merchants.js';
import { callerKeyScope, callerOf } from '../../../caller.js';
import { send } from '../../../faces.js';
import { respond } from '../../../respond.js';
import { requireApiKey } from '../auth.js';
import { renderPointsDomainError } from '../errors.js';
import { envelope, webhookResource } from '../render.js';
import {
  parseBody,
  WEBHOOK_PAGE_SIZE_DEFAULT,
  webhookCreateFields,
  webhookListFields,
  webhookUpdateFields,
} from '../schemas/index.js';
import { doc, type PointsRouteContext } from './shared.js';

type WebhookParams = { Params: { uuid: string } };

const TAG = 'Webhooks';

const scope = (request: FastifyRequest) => callerKeyScope(callerOf(request));
const renderError = (error: Parameters<typeof renderPointsDomainError>[0]) =>
  renderPointsDomainError(error);
const numberOf = (deps: AppDeps, request: FastifyRequest) =>
  pointsMerchantNumber(deps, callerOf(request).merchant.id);

/** A page of the merchant's endpoints in the Laravel paginator's shape. */
async function listWebhooks({ deps, publicUrl }: PointsRouteContext, request: FastifyRequest) {
  const q = parseBody(request.query, webhookListFields);
  const perPage = (q['per_page'] as number | undefined) ?? WEBHOOK_PAGE_SIZE_DEFAULT;
  const page = (q['page'] as number | undefined) ?? 1;
  const merchantId = callerOf(request).merchant.id;
  // per_page is at most 100, well under the endpoints a merchant may have.
  const { total, endpoints } = await pageOfWebhookEndpoints(
    deps,
    merchantId,
    perPage,
    (page - 1) * perPage,
  );
  // The Laravel paginator's shape: links and meta beside the data.
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const link = (n: number) => `${publicUrl}/points/api/v1/webhooks?per_page=${perPage}&page=${n}`;
  const from = endpoints.length > 0 ? (page - 1) * perPage + 1 : null;
  const number = await numberOf(deps, request);
  return {
    ...envelope(endpoints.map((e) => webhookResource(e, number))),
    links: {
      first: link(1),
      last: link(lastPage),
      prev: page > 1 ? link(page - 1) : null,
      next: page < lastPage ? link(page + 1) : null,
    },
    meta: {
      current_page: page,
      from,
      last_page: lastPage,
      per_page: perPage,
      to: from === null ? null : from + endpoints.length - 1,
      total,
    },
  };
}

function listAndCreateRoutes(app: FastifyInstance, context: PointsRouteContext): void {
  const { deps } = context;
  app.get(
    '/v1/webhooks',
    { onRequest: requireApiKey(deps), ...doc('List webhooks', TAG, undefined, webhookListFields) },
    async (request) => listWebhooks(context, request),
  );
  app.post(
    '/v1/webhooks',
    { onRequest: requireApiKey(deps), ...doc('Create a webhook', TAG, webhookCreateFields) },
    async (request, reply) => {
      const values = parseBody(request.body, webhookCreateFields);
      const number = await numberOf(deps, request);
      const useCase = createWebhookEndpoint({
        merchantId: callerOf(request).merchant.id,
        name: values['name'] as string,
        url: values['url'] as string,
        format: 'points',
        retryPolicy: 'points',
        allowPrivateUrl: deps.webhookAllowPrivate === true,
      });
      return respond(deps, request, reply, useCase, {
        scope: scope(request),
        render: (endpoint) => ({
          status: 200,
          body: envelope(webhookResource(endpoint, number)),
        }),
        renderError,
      });
    },
  );
}

async function updateWebhook(
  deps: AppDeps,
  request: FastifyRequest<WebhookParams>,
  reply: FastifyReply,
) {
  const values = parseBody(request.body, webhookUpdateFields, (v) =>
    (v['name'] ?? null) === null && (v['url'] ?? null) === null
      ? [{ path: 'name', message: 'The name field is required when url is not present.' }]
      : [],
  );
  const number = await numberOf(deps, request);
  const useCase = updateWebhookEndpoint({
    merchantId: callerOf(request).merchant.id,
    endpointId: request.params.uuid,
    ...(typeof values['name'] === 'string' ? { name: values['name'] } : {}),
    ...(typeof values['url'] === 'string' ? { url: values['url'] } : {}),
    allowPrivateUrl: deps.webhookAllowPrivate === true,
  });
  return respond(deps, request, reply, useCase, {
    scope: scope(request),
    render: (endpoint) => ({ status: 200, body: envelope(webhookResource(endpoint, number)) }),
    renderError,
  });
}

function endpointRoutes(app: FastifyInstance, { deps }: PointsRouteContext): void {
  const apiKey = requireApiKey(deps);
  app.get<WebhookParams>(
    '/v1/webhooks/:uuid',
    { onRequest: apiKey, ...doc('Show a webhook', TAG) },
    async (request, reply) => {
      const found = await execute(
        deps,
        getWebhookEndpoint(callerOf(request).merchant.id, request.params.uuid),
      );
      if (!found.ok) return send(reply, renderError(found.error));
      return envelope(webhookResource(found.value, await numberOf(deps, request)));
    },
  );
  const update = { onRequest: apiKey, ...doc('Update a webhook', TAG, webhookUpdateFields) };
  const updated = (request: FastifyRequest<WebhookParams>, reply: FastifyReply) =>
    updateWebhook(deps, request, reply);
  app.put<WebhookParams>('/v1/webhooks/:uuid', update, updated);
  app.patch<WebhookParams>('/v1/webhooks/:uuid', update, updated);
  app.delete<WebhookParams>(
    '/v1/webhooks/:uuid',
    { onRequest: apiKey, ...doc('Delete a webhook', TAG) },
    async (request, reply) =>
      respond(
        deps,
        request,
        reply,
        deleteWebhookEndpoint(callerOf(request).merchant.id, request.params.uuid),
        {
          scope: scope(request),
          render: () => ({
            status: 200,
            body: envelope(undefined, 'Webhook deleted successfully.'),
          }),
          renderError,
        },
      ),
  );
}

export function webhookRoutes(app: FastifyInstance, context: PointsRouteContext): void {
  listAndCreateRoutes(app, context);
  endpointRoutes(app, context);
}
