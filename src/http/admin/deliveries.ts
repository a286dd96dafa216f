/** Admin: the delivery log with filters and a cursor, one delivery with its attempts, replay. */
import { documented } from '../openapi.js';
import type { FastifyPluginAsync } from 'fastify';
import { type AppDeps, query } from '../../app/context.js';
import { replayDelivery } from '../../app/deliveries.js';
import { HttpProblem, send } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import { decodeCursor, deliveryJson, encodeCursor } from './render.js';
import { respond } from './respond.js';
import { listDeliveriesQuery } from './schemas.js';

type Params = { Params: { id: string } };

export const deliveryRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/deliveries',
    documented({
      summary: 'List webhook deliveries with filters and a cursor',
      tag: 'Webhooks',
      query: listDeliveriesQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listDeliveriesQuery, request.query);
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      if (after === null) {
        throw new HttpProblem('validation_failed', [
          { path: 'cursor', message: 'Invalid cursor.' },
        ]);
      }
      const deliveries = await query(deps, (tx) =>
        tx.listDeliveries({
          limit: q.limit,
          ...(q.merchant_id ? { merchantId: q.merchant_id } : {}),
          ...(q.order_id ? { orderId: q.order_id } : {}),
          ...(q.endpoint_id ? { endpointId: q.endpoint_id } : {}),
          ...(q.type ? { eventType: q.type } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.from ? { from: Date.parse(q.from) } : {}),
          ...(q.to ? { to: Date.parse(q.to) } : {}),
          ...(after ? { after } : {}),
        }),
      );
      const last = deliveries.at(-1);
      return {
        data: deliveries.map((d) => deliveryJson(d)),
        next_cursor: last && deliveries.length === q.limit ? encodeCursor(last) : null,
      };
    },
  );

  app.get<Params>(
    '/deliveries/:id',
    documented({ summary: 'Read a delivery with its attempt log', tag: 'Webhooks' }),
    async (request, reply) => {
      const found = await query(deps, async (tx) => {
        const delivery = await tx.findDelivery(request.params.id);
        return delivery && { delivery, attempts: await tx.listDeliveryAttempts(delivery.id) };
      });
      if (!found)
        return send(reply, renderAdminDomainError({ code: 'delivery.not_found' }, request.id));
      return deliveryJson(found.delivery, found.attempts);
    },
  );

  app.post<Params>(
    '/deliveries/:id/replay',
    documented({
      summary: 'Send a delivery again (same webhook-id, fresh retry budget)',
      tag: 'Webhooks',
    }),
    async (request, reply) =>
      respond(deps, request, reply, replayDelivery(request.params.id), (delivery) => ({
        status: 202,
        body: deliveryJson(delivery),
      })),
  );
};
