/** Admin: the delivery log with filters and a cursor, one delivery with its attempts, replay. */
import { documented } from '../openapi.js';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import { getDeliveryWithAttempts, listDeliveries, replayDelivery } from '../../app/deliveries.js';
import { send } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import { deliveryJson, directedAfter, encodeDirectedCursor, pageJson } from './render.js';
import { respond } from './respond.js';
import { actorFor, requires } from './authorize.js';
import { listDeliveriesQuery, reasonOnlySchema } from './schemas.js';

type Params = { Params: { id: string } };

/** GET /deliveries. */
function listRoute(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/deliveries',
    documented({
      summary: 'List webhook deliveries with filters and a cursor',
      description:
        'Pages are read by (created_at, id) in `order`; pass `next_cursor` back as `cursor` ' +
        'with the same order and filters.',
      tag: 'Webhooks',
      query: listDeliveriesQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listDeliveriesQuery, request.query);
      const after = directedAfter(q.cursor, q.order);
      const deliveries = await listDeliveries(deps, {
        limit: q.limit,
        direction: q.order,
        ...(q.merchant_id ? { merchantId: q.merchant_id } : {}),
        ...(q.order_id ? { orderId: q.order_id } : {}),
        ...(q.endpoint_id ? { endpointId: q.endpoint_id } : {}),
        ...(q.type ? { eventType: q.type } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.from ? { from: Date.parse(q.from) } : {}),
        ...(q.to ? { to: Date.parse(q.to) } : {}),
        ...(after ? { after } : {}),
      });
      return pageJson(
        deliveries,
        q.limit,
        (d) => deliveryJson(d),
        (last) => encodeDirectedCursor(q.order, last),
      );
    },
  );
}

/** One delivery: show and replay. */
function oneDeliveryRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<Params>(
    '/deliveries/:id',
    documented({ summary: 'Read a delivery with its attempt log', tag: 'Webhooks' }),
    async (request, reply) => {
      const found = await getDeliveryWithAttempts(deps, request.params.id);
      if (!found)
        return send(reply, renderAdminDomainError({ code: 'delivery.not_found' }, request.id));
      return deliveryJson(found.delivery, found.attempts);
    },
  );

  app.post<Params>(
    '/deliveries/:id/replay',
    requires(
      'orders',
      documented({
        summary: 'Send a delivery again (same webhook-id, fresh retry budget)',
        description:
          'Recorded as the admin action `delivery.replayed` with the reason, if given (the body ' +
          'may be left out).',
        tag: 'Webhooks',
        body: reasonOnlySchema,
        bodyOptional: true,
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(reasonOnlySchema, request.body);
      const audit = { actor: actorFor(request), reason: body.reason ?? null };
      return respond(
        deps,
        request,
        reply,
        replayDelivery(request.params.id, audit),
        (delivery) => ({
          status: 202,
          body: deliveryJson(delivery),
        }),
      );
    },
  );
}

export const deliveryRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  listRoute(app, deps);
  oneDeliveryRoutes(app, deps);
};
