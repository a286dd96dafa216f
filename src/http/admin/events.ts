/** Admin: the outbox, readable with filters and a cursor. */
import { documented } from '../openapi.js';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import { listEvents } from '../../app/events.js';
import { parseOrThrow } from '../validation.js';
import { decodeCursor, encodeCursor, eventJson, pageJson, parseCursor } from './render.js';
import { listEventsQuery } from './schemas.js';

export const eventRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/events',
    documented({
      summary: 'List outbox events with filters and a cursor',
      tag: 'Events',
      query: listEventsQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listEventsQuery, request.query);
      const after = parseCursor(q.cursor, decodeCursor);
      const events = await listEvents(deps, {
        limit: q.limit,
        ...(q.merchant_id ? { merchantId: q.merchant_id } : {}),
        ...(q.order_id ? { orderId: q.order_id } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.from ? { from: Date.parse(q.from) } : {}),
        ...(q.to ? { to: Date.parse(q.to) } : {}),
        ...(after ? { after } : {}),
      });
      return pageJson(events, q.limit, eventJson, encodeCursor);
    },
  );
};
