/**
 * Admin: Unwind's own generic order API. Operators and the dashboard act through the same use
 * cases as the provider faces, with `admin` recorded as the actor, and an operation on a
 * provider's order follows that provider's lifecycle (src/app/admin-order-operations.ts).
 */
import { documented } from '../openapi.js';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { type AppDeps, operatorPolicy } from '../../app/context.js';
import { getOrderWithLedger, listOrders } from '../../app/order-queries.js';
import { createOrder } from '../../app/create-order.js';
import { refundRequestJson } from '../../app/backd-refund-requests.js';
import { orderHistory } from '../../app/order-history.js';
import type { OrderOutcome } from '../../app/ledger.js';
import { operateAsOperator } from '../../app/refund-approvals.js';
import { approvalJson } from './approvals.js';
import type { AdminOperation } from '../../domain/operator-operations.js';
import { orderSearchFor } from '../../domain/order-search.js';
import { renderAdminDomainError } from './admin-errors.js';
import { send } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import {
  adminActionJson,
  backdJson,
  deliveryJson,
  directedAfter,
  encodeDirectedCursor,
  eventJson,
  orderJson,
  pageJson,
  transactionJson,
} from './render.js';
import { respond } from './respond.js';
import { actorFor, principalOf, requires } from './authorize.js';
import {
  amountOperationSchema,
  createOrderSchema,
  listOrdersQuery,
  reasonOnlySchema,
} from './schemas.js';

type Params = { Params: { id: string } };

const rendered = (status: number) => (outcome: OrderOutcome) => ({
  status,
  body: orderJson(outcome.order, outcome.transactions),
});

/** POST and GET /orders. */
function createAndListRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    '/orders',
    requires(
      'orders',
      documented({
        summary: 'Create an order (optionally authorized or captured)',
        tag: 'Orders',
        body: createOrderSchema,
        responses: { 201: { description: 'The order with its ledger rows' } },
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(createOrderSchema, request.body);
      const useCase = createOrder({
        merchantId: body.merchant_id,
        actor: actorFor(request),
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
      const orders = await listOrders(deps, {
        limit: q.limit,
        direction: q.order,
        ...(q.merchant_id ? { merchantId: q.merchant_id } : {}),
        ...(q.dialect ? { dialect: q.dialect } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.created_from ? { createdFrom: Date.parse(q.created_from) } : {}),
        ...(q.created_to ? { createdTo: Date.parse(q.created_to) } : {}),
        ...(q.q !== undefined ? { search: orderSearchFor(q.q) } : {}),
        ...(after ? { after } : {}),
      });
      return pageJson(
        orders,
        q.limit,
        (o) => orderJson(o),
        (last) => encodeDirectedCursor(q.order, last),
      );
    },
  );
}

/** One order, and its history. */
function readOrderRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<Params>(
    '/orders/:id',
    documented({ summary: 'Read an order with its ledger', tag: 'Orders' }),
    async (request, reply) => {
      const found = await getOrderWithLedger(deps, request.params.id);
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
        backd: history.backd && backdJson(history.backd.order, history.backd.refunds, history.now),
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
}

/** POST /orders/:id/{authorize,capture,void,cancel,refund}. */
function operationRoutes(app: FastifyInstance, deps: AppDeps): void {
  // The admin acts for whichever merchant owns the order: the use case finds the order under its
  // row lock and applies its face's lifecycle there, so no read is needed before it.
  const operation = (path: AdminOperation, withAmount: boolean) =>
    app.post<Params>(
      `/orders/:id/${path}`,
      requires(
        'orders',
        documented({
          summary: `${path[0]!.toUpperCase()}${path.slice(1)} the order`,
          description: OPERATION_NOTES[path],
          tag: 'Orders',
          body: withAmount ? amountOperationSchema : reasonOnlySchema,
          // Every field is optional, so the body may be left out: `{}` is implied.
          bodyOptional: true,
        }),
      ),
      async (request, reply) => {
        const body: { amount_minor?: number; reason?: string | null } = parseOrThrow(
          withAmount ? amountOperationSchema : reasonOnlySchema,
          request.body,
        );
        const useCase = operateAsOperator(
          {
            orderId: request.params.id,
            operation: path,
            reason: body.reason ?? null,
            ...(body.amount_minor === undefined ? {} : { amountMinor: body.amount_minor }),
          },
          principalOf(request),
          operatorPolicy(deps),
        );
        return respond(deps, request, reply, useCase, (done) =>
          done.kind === 'pending'
            ? { status: 202, body: { approval: approvalJson(done.approval, deps.clock.now()) } }
            : {
                status: 200,
                body: orderJson(done.result.order, done.result.transactions),
              },
        );
      },
    );

  operation('authorize', false);
  operation('capture', true);
  operation('void', true);
  operation('cancel', false);
  operation('refund', true);
}

export const orderRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  createAndListRoutes(app, deps);
  readOrderRoutes(app, deps);
  operationRoutes(app, deps);
};

/** What each operation does on a provider's order (README "Admin API"). */
const OPERATION_NOTES: Readonly<Record<AdminOperation, string>> = {
  authorize:
    'Refused (409 `order.not_in_lifecycle`) on Backd and MPG orders; on Points orders only where Points allows it.',
  capture:
    "Refused on Backd orders; on Points orders only the whole authorization; on MPG orders MPG's own capture (the row carries MPG's references).",
  void: "Refused on Backd and Points orders (cancel instead); on MPG orders MPG's own void.",
  cancel:
    "On Backd orders Backd's cancel_order (only while placed; Backd's status follows); refused on MPG orders (void instead); on Points orders only where Points allows it.",
  refund:
    "Refused on Backd orders (409 `order.refund_via_request`, naming the active refund request): submit a refund request instead (`POST /admin/orders/:id/refund-requests`). On Points orders only where Points allows it (the refund window does not bind the admin); on MPG orders MPG's own refund.",
};
