/**
 * Points order endpoints under /points/api/v1/orders: show, and the operations complete,
 * authorize, capture, cancel, refund and shipping status (earning is earning.ts, checkout
 * checkout.ts). Each handler parses, maps to one use case, and renders; the rules live in src/app
 * and src/domain.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  authorizePointsOrder,
  cancelPointsOrder,
  capturePointsOrder,
  completePointsOrder,
  getPointsOrder,
  type PointsOrderCommand,
  refundPointsOrder,
  updateShippingStatus,
} from '../../../../app/points-orders.js';
import type { ShippingStatus } from '../../../../domain/points.js';
import { callerOf, credentialActor } from '../../../caller.js';
import { send } from '../../../faces.js';
import { requireApiKey } from '../auth.js';
import { renderPointsDomainError } from '../errors.js';
import { envelope, orderResource } from '../render.js';
import {
  cancelFields,
  completeFields,
  parseBody,
  refundFields,
  shippingFields,
} from '../schemas/index.js';
import { doc, type PointsRouteContext, runOrder } from './shared.js';

type OrderParams = { Params: { uuid: string } };

const command = (request: FastifyRequest<OrderParams>): PointsOrderCommand => {
  const caller = callerOf(request);
  return {
    merchantId: caller.merchant.id,
    orderId: request.params.uuid,
    actor: credentialActor(caller),
  };
};

/** GET /v1/orders/:uuid. */
export function showOrderRoute(app: FastifyInstance, { deps }: PointsRouteContext): void {
  app.get<OrderParams>(
    '/v1/orders/:uuid',
    { onRequest: requireApiKey(deps), ...doc('Show an order', 'Orders') },
    async (request, reply) => {
      const { merchant } = callerOf(request);
      const view = await getPointsOrder(deps, merchant.id, request.params.uuid);
      if (!view) return send(reply, renderPointsDomainError({ code: 'order.not_found' }));
      return envelope(orderResource(view, deps.clock.now()));
    },
  );
}

function completeRoute(app: FastifyInstance, deps: PointsRouteContext['deps']): void {
  app.post<OrderParams>(
    '/v1/orders/:uuid/complete',
    {
      onRequest: requireApiKey(deps),
      ...doc('Complete a replacing order (approved)', 'Orders', completeFields),
    },
    async (request, reply) => {
      const values = parseBody(request.body, completeFields);
      const paymentMethod = (values['payment_method'] as string | null | undefined) ?? null;
      const useCase = completePointsOrder({ ...command(request), paymentMethod });
      return runOrder(deps, request, reply, useCase, 'complete');
    },
  );
}

function authorizeAndCaptureRoutes(app: FastifyInstance, deps: PointsRouteContext['deps']): void {
  app.post<OrderParams>(
    '/v1/orders/:uuid/authorize',
    { onRequest: requireApiKey(deps), ...doc('Authorize an order', 'Orders') },
    async (request, reply) =>
      runOrder(deps, request, reply, authorizePointsOrder(command(request)), 'authorize'),
  );
  app.post<OrderParams>(
    '/v1/orders/:uuid/capture',
    { onRequest: requireApiKey(deps), ...doc('Capture an authorized order', 'Orders') },
    async (request, reply) =>
      runOrder(deps, request, reply, capturePointsOrder(command(request)), 'capture'),
  );
}

function cancelRoute(app: FastifyInstance, deps: PointsRouteContext['deps']): void {
  app.post<OrderParams>(
    '/v1/orders/:uuid/cancel',
    {
      onRequest: requireApiKey(deps),
      ...doc('Cancel an order (new or authorized)', 'Orders', cancelFields),
    },
    async (request, reply) => {
      const values = parseBody(request.body, cancelFields);
      const reason = (values['reason'] as string | null | undefined) ?? null;
      const useCase = cancelPointsOrder({ ...command(request), reason });
      return runOrder(deps, request, reply, useCase, 'cancel');
    },
  );
}

function refundRoute(app: FastifyInstance, deps: PointsRouteContext['deps']): void {
  app.post<OrderParams>(
    '/v1/orders/:uuid/refund',
    {
      onRequest: requireApiKey(deps),
      ...doc('Refund an order in full or in part', 'Orders', refundFields),
    },
    async (request, reply) => {
      const values = parseBody(request.body, refundFields);
      const amount = values['amount'] as number | null | undefined;
      const reason = (values['reason'] as string | null | undefined) ?? null;
      const useCase = refundPointsOrder({
        ...command(request),
        reason,
        refundWindowDays: callerOf(request).merchant.settings.refundWindowDays,
        ...(typeof amount === 'number' ? { amountMinor: amount } : {}),
      });
      return runOrder(deps, request, reply, useCase, 'refund');
    },
  );
}

/** The shipping update's fields; Laravel's required_without_all looks at what was sent. */
function shippingUpdateOf(body: unknown) {
  const raw = (body ?? {}) as Record<string, unknown>;
  const blank = (name: string) => raw[name] === undefined || raw[name] === null || raw[name] === '';
  const values = parseBody(body, shippingFields, () =>
    blank('status') && blank('name_ar') && blank('name_en')
      ? [
          {
            path: 'status',
            message: 'The status field is required when none of name ar / name en are present.',
          },
        ]
      : [],
  );
  return {
    ...((values['status'] ?? null) !== null ? { status: values['status'] as ShippingStatus } : {}),
    ...((values['name_ar'] ?? null) !== null ? { nameAr: values['name_ar'] as string } : {}),
    ...((values['name_en'] ?? null) !== null ? { nameEn: values['name_en'] as string } : {}),
  };
}

function shippingRoute(app: FastifyInstance, deps: PointsRouteContext['deps']): void {
  app.post<OrderParams>(
    '/v1/orders/:uuid/status',
    {
      onRequest: requireApiKey(deps),
      ...doc('Update the shipping status', 'Orders', shippingFields),
    },
    async (request, reply) => {
      const update = shippingUpdateOf(request.body);
      return runOrder(deps, request, reply, updateShippingStatus({ ...command(request), update }));
    },
  );
}

/** The operations on an order, each a route of its own. */
export function orderOperationRoutes(app: FastifyInstance, { deps }: PointsRouteContext): void {
  completeRoute(app, deps);
  authorizeAndCaptureRoutes(app, deps);
  cancelRoute(app, deps);
  refundRoute(app, deps);
  shippingRoute(app, deps);
}
