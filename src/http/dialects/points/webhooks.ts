/**
 * Points' webhooks API (/v1/webhooks) over Unwind's webhook endpoints: endpoints created here
 * use the `points` format and retry policy; every read returns the secret, as Points does.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AppDeps, execute } from '../../../app/context.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  pageOfWebhookEndpoints,
  updateWebhookEndpoint,
} from '../../../app/webhook-endpoints.js';
import { pointsMerchantNumber } from '../../../app/points-merchants.js';
import { callerKeyScope, callerOf } from '../../caller.js';
import { send } from '../../faces.js';
import { documented } from '../../openapi.js';
import { respond } from '../../respond.js';
import { requireApiKey } from './auth.js';
import { renderPointsDomainError } from './errors.js';
import { envelope, webhookResource } from './render.js';
import { type Field, zodOf } from './validate.js';
import {
  parseBody,
  WEBHOOK_PAGE_SIZE_DEFAULT,
  webhookCreateFields,
  webhookListFields,
  webhookUpdateFields,
} from './schemas.js';

type WebhookParams = { Params: { uuid: string } };

/** The route's OpenAPI entry, from the very rules its handler validates with. */
const doc = (
  summary: string,
  body?: Readonly<Record<string, Field>>,
  query?: Readonly<Record<string, Field>>,
) =>
  documented({
    summary,
    tag: 'Webhooks',
    ...(body ? { body: zodOf(body) } : {}),
    ...(query ? { query: zodOf(query) } : {}),
  });

export function registerWebhookRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  publicUrl: string,
): void {
  const apiKey = requireApiKey(deps);
  const scope = (request: FastifyRequest) => callerKeyScope(callerOf(request));
  const renderError = (error: Parameters<typeof renderPointsDomainError>[0]) =>
    renderPointsDomainError(error);
  const numberOf = (request: FastifyRequest) =>
    pointsMerchantNumber(deps, callerOf(request).merchant.id);

  app.get(
    '/v1/webhooks',
    { onRequest: apiKey, ...doc('List webhooks', undefined, webhookListFields) },
    async (request) => {
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
      const link = (n: number) =>
        `${publicUrl}/points/api/v1/webhooks?per_page=${perPage}&page=${n}`;
      const from = endpoints.length > 0 ? (page - 1) * perPage + 1 : null;
      const number = await numberOf(request);
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
    },
  );

  app.post(
    '/v1/webhooks',
    { onRequest: apiKey, ...doc('Create a webhook', webhookCreateFields) },
    async (request, reply) => {
      const values = parseBody(request.body, webhookCreateFields);
      const number = await numberOf(request);
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

  app.get<WebhookParams>(
    '/v1/webhooks/:uuid',
    { onRequest: apiKey, ...doc('Show a webhook') },
    async (request, reply) => {
      const found = await execute(
        deps,
        getWebhookEndpoint(callerOf(request).merchant.id, request.params.uuid),
      );
      if (!found.ok) return send(reply, renderError(found.error));
      return envelope(webhookResource(found.value, await numberOf(request)));
    },
  );

  const update = async (
    request: FastifyRequest<WebhookParams>,
    reply: Parameters<typeof respond>[2],
  ) => {
    const values = parseBody(request.body, webhookUpdateFields, (v) =>
      (v['name'] ?? null) === null && (v['url'] ?? null) === null
        ? [{ path: 'name', message: 'The name field is required when url is not present.' }]
        : [],
    );
    const number = await numberOf(request);
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
  };
  app.put<WebhookParams>(
    '/v1/webhooks/:uuid',
    { onRequest: apiKey, ...doc('Update a webhook', webhookUpdateFields) },
    update,
  );
  app.patch<WebhookParams>(
    '/v1/webhooks/:uuid',
    { onRequest: apiKey, ...doc('Update a webhook', webhookUpdateFields) },
    update,
  );

  app.delete<WebhookParams>(
    '/v1/webhooks/:uuid',
    { onRequest: apiKey, ...doc('Delete a webhook') },
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
