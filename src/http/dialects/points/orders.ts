/**
 * Points order endpoints under /points/api/v1/orders: read, earning (purchase and ratings),
 * checkout, and the operations complete, authorize, capture, cancel, refund and shipping status.
 * Each handler parses, maps to one use case, and renders; the rules live in src/app and
 * src/domain.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, UseCase } from '../../../app/context.js';
import type { MerchantGate } from '../../../app/points-gate.js';
import {
  authorizePointsOrder,
  cancelPointsOrder,
  capturePointsOrder,
  completePointsOrder,
  createEarningOrder,
  type EarningCommand,
  getPointsOrder,
  type PointsOrderCommand,
  type PointsOrderView,
  refundPointsOrder,
  updateShippingStatus,
} from '../../../app/points-orders.js';
import { createCheckoutSession } from '../../../app/points-checkout.js';
import type { PointsOperation, ShippingStatus } from '../../../domain/points.js';
import { callerKeyScope, callerOf, credentialActor } from '../../caller.js';
import { send } from '../../faces.js';
import { secretRoute } from '../../log-redaction.js';
import { documented } from '../../openapi.js';
import { respond } from '../../respond.js';
import { merchantByPublicKey, requireApiKey } from './auth.js';
import { renderPointsDomainError } from './errors.js';
import { envelope, orderResource, pendingEarningResource } from './render.js';
import { type Field, zodOf } from './validate.js';
import {
  cancelFields,
  checkoutFields,
  completeFields,
  earningFields,
  orderDetails,
  parseBody,
  productRatingFields,
  refundFields,
  shippingFields,
  storeRatingFields,
} from './schemas.js';

type OrderParams = { Params: { uuid: string } };

/** The route's OpenAPI entry, from the very rules its handler validates with. */
const doc = (summary: string, body?: Readonly<Record<string, Field>>) =>
  documented({ summary, tag: 'Orders', ...(body ? { body: zodOf(body) } : {}) });

/** "a leading `#` is stripped server-side". */
const orderNumberOf = (values: Record<string, unknown>): string =>
  (values['order_number'] as string).replace(/^#/, '');

const orderNumberIssue = (values: Record<string, unknown>) =>
  typeof values['order_number'] === 'string' && orderNumberOf(values) === ''
    ? [{ path: 'order_number', message: 'The order number field is required.' }]
    : [];

export function registerOrderRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  publicUrl: string,
  gate: MerchantGate,
): void {
  const apiKey = requireApiKey(deps);
  const run = <T extends PointsOrderView>(
    request: FastifyRequest,
    reply: FastifyReply,
    useCase: UseCase<T>,
    operation?: PointsOperation,
  ) =>
    respond(deps, request, reply, useCase, {
      scope: callerKeyScope(callerOf(request)),
      render: (view) => ({ status: 200, body: envelope(orderResource(view, deps.clock.now())) }),
      renderError: (error) => renderPointsDomainError(error, operation),
    });

  app.get<OrderParams>(
    '/v1/orders/:uuid',
    { onRequest: apiKey, ...doc('Show an order') },
    async (request, reply) => {
      const { merchant } = callerOf(request);
      const view = await getPointsOrder(deps, merchant.id, request.params.uuid);
      if (!view) return send(reply, renderPointsDomainError({ code: 'order.not_found' }));
      return envelope(orderResource(view, deps.clock.now()));
    },
  );

  // Earning channels run inside the merchant's earning lock: a concurrent call gets 429.
  const earning = (
    path: string,
    summary: string,
    fields: Parameters<typeof parseBody>[1],
    command: (
      values: Record<string, unknown>,
    ) => Pick<EarningCommand, 'channel' | 'amountMinor' | 'orderNumber' | 'reviewReference'>,
  ) =>
    app.post(path, { onRequest: apiKey, ...doc(summary, fields) }, async (request, reply) => {
      const values = parseBody(request.body, fields, orderNumberIssue);
      const caller = callerOf(request);
      const { merchant } = caller;
      const useCase = createEarningOrder({
        merchantId: merchant.id,
        actor: credentialActor(caller),
        phone: values['phone_number'] as string,
        details: orderDetails(values),
        ...command(values),
      });
      return gate.run(
        merchant.id,
        () => send(reply, renderPointsDomainError({ code: 'points.merchant_busy' })),
        () =>
          respond(deps, request, reply, useCase, {
            scope: callerKeyScope(caller),
            render: (outcome) => ({
              status: 200,
              body: envelope(
                outcome.kind === 'order'
                  ? orderResource(outcome, deps.clock.now())
                  : pendingEarningResource(outcome.pending),
              ),
            }),
            renderError: (error) => renderPointsDomainError(error),
          }),
      );
    });

  earning('/v1/orders/earning', 'Create an earning order', earningFields, (values) => ({
    channel: 'earning',
    amountMinor: values['total_price'] as number,
    orderNumber: orderNumberOf(values),
    reviewReference: null,
  }));
  earning(
    '/v1/orders/earning/store-rating',
    'Award points for a store rating',
    storeRatingFields,
    (values) => ({
      channel: 'store_rating',
      amountMinor: 0,
      orderNumber: null,
      reviewReference: values['review_reference'] as string,
    }),
  );
  earning(
    '/v1/orders/earning/product-rating',
    'Award points for a product rating',
    productRatingFields,
    (values) => ({
      channel: 'product_rating',
      amountMinor: 0,
      orderNumber: null,
      reviewReference: values['review_reference'] as string,
    }),
  );

  // Checkout takes the public key in the path and no x-api-key; it is exempt from the IP list.
  app.post<{ Params: { publicKey: string } }>(
    '/v1/orders/checkout/:publicKey',
    secretRoute(
      doc(
        'Begin a hosted checkout for a replacing order (public key, no x-api-key)',
        checkoutFields,
      ),
      'publicKey',
    ),
    async (request, reply) => {
      const { merchant, credential } = await merchantByPublicKey(
        deps,
        request,
        request.params.publicKey,
      );
      const values = parseBody(request.body, checkoutFields, orderNumberIssue);
      const useCase = createCheckoutSession({
        merchantId: merchant.id,
        amountMinor: values['total_price'] as number,
        orderNumber: orderNumberOf(values),
        phone: (values['phone_number'] as string | null | undefined) ?? null,
        callbackUrl: (values['callback_url'] as string | null | undefined) ?? null,
        details: orderDetails(values),
      });
      return respond(deps, request, reply, useCase, {
        scope: callerKeyScope({ credential }),
        // The public key in the path changes when the merchant rotates its keys.
        fingerprintPath: '/points/api/v1/orders/checkout/{publicKey}',
        render: (session) => ({
          status: 200,
          body: envelope({ checkout_url: `${publicUrl}/points/pay/${session.id}` }),
        }),
        renderError: (error) => renderPointsDomainError(error),
      });
    },
  );

  const command = (request: FastifyRequest<OrderParams>): PointsOrderCommand => {
    const caller = callerOf(request);
    return {
      merchantId: caller.merchant.id,
      orderId: request.params.uuid,
      actor: credentialActor(caller),
    };
  };

  app.post<OrderParams>(
    '/v1/orders/:uuid/complete',
    { onRequest: apiKey, ...doc('Complete a replacing order (approved)', completeFields) },
    async (request, reply) => {
      const values = parseBody(request.body, completeFields);
      const paymentMethod = (values['payment_method'] as string | null | undefined) ?? null;
      return run(
        request,
        reply,
        completePointsOrder({ ...command(request), paymentMethod }),
        'complete',
      );
    },
  );

  app.post<OrderParams>(
    '/v1/orders/:uuid/authorize',
    { onRequest: apiKey, ...doc('Authorize an order') },
    async (request, reply) =>
      run(request, reply, authorizePointsOrder(command(request)), 'authorize'),
  );

  app.post<OrderParams>(
    '/v1/orders/:uuid/capture',
    { onRequest: apiKey, ...doc('Capture an authorized order') },
    async (request, reply) => run(request, reply, capturePointsOrder(command(request)), 'capture'),
  );

  app.post<OrderParams>(
    '/v1/orders/:uuid/cancel',
    { onRequest: apiKey, ...doc('Cancel an order (new or authorized)', cancelFields) },
    async (request, reply) => {
      const values = parseBody(request.body, cancelFields);
      const reason = (values['reason'] as string | null | undefined) ?? null;
      return run(request, reply, cancelPointsOrder({ ...command(request), reason }), 'cancel');
    },
  );

  app.post<OrderParams>(
    '/v1/orders/:uuid/refund',
    { onRequest: apiKey, ...doc('Refund an order in full or in part', refundFields) },
    async (request, reply) => {
      const values = parseBody(request.body, refundFields);
      const amount = values['amount'] as number | null | undefined;
      const reason = (values['reason'] as string | null | undefined) ?? null;
      return run(
        request,
        reply,
        refundPointsOrder({
          ...command(request),
          reason,
          refundWindowDays: callerOf(request).merchant.settings.refundWindowDays,
          ...(typeof amount === 'number' ? { amountMinor: amount } : {}),
        }),
        'refund',
      );
    },
  );

  app.post<OrderParams>(
    '/v1/orders/:uuid/status',
    { onRequest: apiKey, ...doc('Update the shipping status', shippingFields) },
    async (request, reply) => {
      // Laravel's required_without_all looks at what was sent, not at what passed its rules.
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const blank = (name: string) =>
        raw[name] === undefined || raw[name] === null || raw[name] === '';
      const values = parseBody(request.body, shippingFields, () =>
        blank('status') && blank('name_ar') && blank('name_en')
          ? [
              {
                path: 'status',
                message: 'The status field is required when none of name ar / name en are present.',
              },
            ]
          : [],
      );
      const update = {
        ...((values['status'] ?? null) !== null
          ? { status: values['status'] as ShippingStatus }
          : {}),
        ...((values['name_ar'] ?? null) !== null ? { nameAr: values['name_ar'] as string } : {}),
        ...((values['name_en'] ?? null) !== null ? { nameEn: values['name_en'] as string } : {}),
      };
      return run(request, reply, updateShippingStatus({ ...command(request), update }));
    },
  );
}
