/**
 * Admin: refunds of Backd orders. On a Backd order money leaves only through refund requests
 * (docs/dialects/backd.md "Refunds by operators"), so an operator refunds by submitting one on the
 * merchant's behalf, through the very use case of Backd's `POST /refund`, and may withdraw a
 * draft like Backd's `DELETE /refund`. Both are recorded with `admin` as the actor and the
 * operator's reason; the merchant sees the request in `find_order` like its own.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  deleteRefundRequest,
  refundRequestJson,
  submitRefundRequest,
} from '../../app/backd-refund-requests.js';
import type { BackdOrderView } from '../../app/backd-orders.js';
import type { AppDeps } from '../../app/context.js';
import { isActiveStatus } from '../../domain/refund-request.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { backdJson, orderJson } from './render.js';
import { respond } from './respond.js';
import { actorFor, requires } from './authorize.js';
import { reasonOnlySchema, refundRequestParams, submitRefundRequestSchema } from './schemas.js';

type Params = { Params: { id: string } };
type RequestParams = { Params: { id: string; request_id: string } };

/** The order, Backd's state and the request the call is about (by id, or the active one). */
const viewJson = (view: BackdOrderView, requestId: string | null) => {
  const request =
    view.refunds.find((r) => r.id === requestId) ??
    view.refunds.find((r) => isActiveStatus(r.status));
  return {
    order: orderJson(view.order),
    backd: backdJson(view.backd, view.refunds, view.now),
    refund_request: request ? refundRequestJson(request) : null,
  };
};

export const refundRequestRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post<Params>(
    '/orders/:id/refund-requests',
    requires(
      'orders',
      documented({
        summary: "Submit a Backd refund request on the merchant's behalf",
        description:
          "The same rules as Backd's POST /refund (order confirmed, amount within the refundable " +
          'rest, one active request per order, lock at 17:00 America/Chicago of a business day), ' +
          'settled by the same job. `replaces` must name the active draft to replace it, or be left ' +
          'out when there is none: otherwise 409 `refund_request.active_changed` names the active ' +
          'one. 409 `order.not_in_lifecycle` on an order that is not a Backd order.',
        tag: 'Orders',
        body: submitRefundRequestSchema,
        responses: { 201: { description: 'The order, its Backd state and the new request' } },
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(submitRefundRequestSchema, request.body);
      const useCase = submitRefundRequest({
        merchantId: null,
        orderId: request.params.id,
        actor: actorFor(request),
        amountMinor: body.amount_minor,
        reason: body.reason ?? null,
        replaces: body.replaces ?? null,
      });
      return respond(deps, request, reply, useCase, (view) => ({
        status: 201,
        body: viewJson(view, null),
      }));
    },
  );

  app.post<RequestParams>(
    '/orders/:id/refund-requests/:request_id/withdraw',
    requires(
      'orders',
      documented({
        summary: 'Withdraw a draft Backd refund request',
        description:
          "Backd's DELETE /refund for operators: the request is declined (`deleted`) unless it is " +
          'locked. It must be the active request (409 `refund_request.active_changed` otherwise).',
        tag: 'Orders',
        params: refundRequestParams,
        body: reasonOnlySchema,
        bodyOptional: true,
      }),
    ),
    async (request, reply) => {
      const params = parseOrThrow(refundRequestParams, request.params);
      const body = parseOrThrow(reasonOnlySchema, request.body);
      const useCase = deleteRefundRequest({
        merchantId: null,
        orderId: params.id,
        actor: actorFor(request),
        reason: body.reason ?? null,
        expectedId: params.request_id,
      });
      return respond(deps, request, reply, useCase, (view) => ({
        status: 200,
        body: viewJson(view, params.request_id),
      }));
    },
  );
};
