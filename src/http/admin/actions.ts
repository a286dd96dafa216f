/** Admin: the audit trail of operators' actions outside the ledger (replays, endpoint changes). */
import type { FastifyPluginAsync } from 'fastify';
import { listAdminActions } from '../../app/admin-actions.js';
import type { AppDeps } from '../../app/context.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { adminActionJson, directedAfter, encodeDirectedCursor, pageJson } from './render.js';
import { listAdminActionsQuery } from './schemas.js';

export const adminActionRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/actions',
    documented({
      summary: "List operators' actions outside the ledger with filters and a cursor",
      description:
        'Replays and webhook endpoint changes made through the admin API, each with its actor, ' +
        'reason, merchant, order (a replayed delivery of an order), subject (the delivery or ' +
        'endpoint) and details. Append-only. Pages are read by (created_at, id) in `order`; ' +
        'pass `next_cursor` back as `cursor` with the same order and filters.',
      tag: 'Webhooks',
      query: listAdminActionsQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listAdminActionsQuery, request.query);
      const after = directedAfter(q.cursor, q.order);
      const actions = await listAdminActions(deps, {
        limit: q.limit,
        direction: q.order,
        ...(q.merchant_id ? { merchantId: q.merchant_id } : {}),
        ...(q.order_id ? { orderId: q.order_id } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(after ? { after } : {}),
      });
      return pageJson(actions, q.limit, adminActionJson, (last) =>
        encodeDirectedCursor(q.order, last),
      );
    },
  );
};
