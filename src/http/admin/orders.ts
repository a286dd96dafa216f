/**
 * Admin: Unwind's own generic order API. Operators and the dashboard act through the same use
 * cases as the provider faces, with `admin` recorded as the actor.
 */
import { documented } from '../openapi.js';
import type { FastifyPluginAsync } from 'fastify';
import { type AppDeps, query, type UseCase } from '../../app/context.js';
import { createOrder } from '../../app/create-order.js';
import { refundRequestJson } from '../../app/backd-refund-requests.js';
import { orderHistory } from '../../app/order-history.js';
import type { OrderOutcome } from '../../app/ledger.js';
import { orderSearchFor } from '../../domain/order-search.js';
import {
  authorizeOrder,
  cancelOrder,
  captureOrder,
  type OrderCommand,
  refundOrder,
  voidOrder,
} from '../../app/order-operations.js';
import { renderAdminDomainError } from './admin-errors.js';
import { send } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import {
  adminActionJson,
  deliveryJson,
  directedAfter,
  encodeDirectedCursor,
  eventJson,
  orderJson,
  pageJson,
  transactionJson,
} from './render.js';
import { admin, respond } from './respond.js';
import {
  amountOperationSchema,
  createOrderSchema,
  listOrdersQuery,
  reasonOnlySchema,
} from './schemas.js';

type Params = { Params: { id: string } };

export const orderRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const rendered = (status: number) => (outcome: OrderOutcome) => ({
    status,
    body: orderJson(outcome.order, outcome.transactions),
  });

  app.post(
    '/orders',
    documented({
      summary: 'Create an order (optionally authorized or captured)',
      tag: 'Orders',
      body: createOrderSchema,
      responses: { 201: { description: 'The order with its ledger rows' } },
    }),
    async (request, reply) => {
      const body = parseOrThrow(createOrderSchema, request.body);
      const useCase = createOrder({
        merchantId: body.merchant_id,
        actor: admin,
        reason: body.reason ?? null,
        dialect: 'admin',
        kind: 'standard',
        amountMinor: body.amount_minor,
        capture: body.capture,
        ...(body.currency ? { currency: body.currency } : {}),
        ...(body.order_number ? { orderNumber: body.order_number } : {}),
      });
      return respond(deps, request, reply, useCase, rendered(201));
    },
  );

  app.get(
    '/orders',
    documented({
      summary: 'List and search orders with a cursor',
      description:
        'Filters combine with AND. `q` matches exactly (never a part of a value). Pages are ' +
        'read by (created_at, id) in `order`; pass `next_cursor` back as `cursor` with the ' +
        'same order and filters.',
      tag: 'Orders',
      query: listOrdersQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listOrdersQuery, request.query);
      const after = directedAfter(q.cursor, q.order);
      const orders = await query(deps, (tx) =>
        tx.listOrders({
          limit: q.limit,
          direction: q.order,
          ...(q.merchant_id ? { merchantId: q.merchant_id } : {}),
          ...(q.dialect ? { dialect: q.dialect } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.created_from ? { createdFrom: Date.parse(q.created_from) } : {}),
          ...(q.created_to ? { createdTo: Date.parse(q.created_to) } : {}),
          ...(q.q !== undefined ? { search: orderSearchFor(q.q) } : {}),
          ...(after ? { after } : {}),
        }),
      );
      return pageJson(
        orders,
        q.limit,
        (o) => orderJson(o),
        (last) => encodeDirectedCursor(q.order, last),
      );
    },
  );

  app.get<Params>(
    '/orders/:id',
    documented({ summary: 'Read an order with its ledger', tag: 'Orders' }),
    async (request, reply) => {
      const found = await query(deps, async (tx) => {
        const order = await tx.findOrder(request.params.id);
        return order && { order, transactions: await tx.listTransactions(order.id) };
      });
      if (!found)
        return send(reply, renderAdminDomainError({ code: 'order.not_found' }, request.id));
      return orderJson(found.order, found.transactions);
    },
  );

  app.get<Params>(
    '/orders/:id/history',
    documented({
      summary:
        "An order's whole story in time order: ledger rows, refund requests, events (actor, reason, status before and after), deliveries with their attempts, and admin actions on it (replays of its deliveries, with actor and reason)",
      tag: 'Orders',
    }),
    async (request, reply) => {
      const history = await orderHistory(deps, request.params.id);
      if (!history)
        return send(reply, renderAdminDomainError({ code: 'order.not_found' }, request.id));
      return {
        order: orderJson(history.order),
        entries: history.entries.map((e) => {
          switch (e.kind) {
            case 'transaction':
              return {
                kind: e.kind,
                at: new Date(e.at).toISOString(),
                transaction: transactionJson(e.transaction),
              };
            case 'refund_request':
              return {
                kind: e.kind,
                at: new Date(e.at).toISOString(),
                refund_request: refundRequestJson(e.refundRequest),
              };
            case 'event':
              return { kind: e.kind, at: new Date(e.at).toISOString(), event: eventJson(e.event) };
            case 'delivery':
              return {
                kind: e.kind,
                at: new Date(e.at).toISOString(),
                delivery: deliveryJson(e.delivery, e.attempts),
              };
            case 'admin_action':
              return {
                kind: e.kind,
                at: new Date(e.at).toISOString(),
                admin_action: adminActionJson(e.adminAction),
              };
          }
        }),
      };
    },
  );

  // The admin acts for whichever merchant owns the order (merchantId null): the use case finds
  // the order under its row lock, so no read is needed before it.
  const operation = (
    path: string,
    build: (command: OrderCommand, body: { amount_minor?: number }) => UseCase<OrderOutcome>,
    withAmount: boolean,
  ) =>
    app.post<Params>(
      `/orders/:id/${path}`,
      documented({
        summary: `${path[0]!.toUpperCase()}${path.slice(1)} the order`,
        tag: 'Orders',
        body: withAmount ? amountOperationSchema : reasonOnlySchema,
        // Every field is optional, so the body may be left out: `{}` is implied.
        bodyOptional: true,
      }),
      async (request, reply) => {
        const body: { amount_minor?: number; reason?: string | null } = parseOrThrow(
          withAmount ? amountOperationSchema : reasonOnlySchema,
          request.body,
        );
        const command: OrderCommand = {
          merchantId: null,
          orderId: request.params.id,
          actor: admin,
          reason: body.reason ?? null,
        };
        return respond(deps, request, reply, build(command, body), rendered(200));
      },
    );

  const amount = (body: { amount_minor?: number }) =>
    body.amount_minor === undefined ? {} : { amountMinor: body.amount_minor };
  operation('authorize', (c) => authorizeOrder(c), false);
  operation('capture', (c, b) => captureOrder({ ...c, ...amount(b) }), true);
  operation('void', (c, b) => voidOrder({ ...c, ...amount(b) }), true);
  operation('cancel', (c) => cancelOrder(c), false);
  operation('refund', (c, b) => refundOrder({ ...c, ...amount(b) }), true);
};
