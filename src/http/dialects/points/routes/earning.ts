/**
 * Points' earning channels under /v1/orders/earning: a purchase, a store rating and a product
 * rating. Each runs inside the merchant's earning lock: a concurrent call gets 429.
 */
import type { FastifyInstance } from 'fastify';
import { createEarningOrder, type EarningCommand } from '../../../../app/points-orders.js';
import { callerKeyScope, callerOf, credentialActor } from '../../../caller.js';
import { send } from '../../../faces.js';
import { respond } from '../../../respond.js';
import { requireApiKey } from '../auth.js';
import { renderPointsDomainError } from '../errors.js';
import { envelope, orderResource, pendingEarningResource } from '../render.js';
import {
  earningFields,
  orderDetails,
  parseBody,
  productRatingFields,
  storeRatingFields,
} from '../schemas/index.js';
import { doc, orderNumberIssue, orderNumberOf, type PointsRouteContext } from './shared.js';

type ChannelOf = (
  values: Record<string, unknown>,
) => Pick<EarningCommand, 'channel' | 'amountMinor' | 'orderNumber' | 'reviewReference'>;

function earningRoute(
  app: FastifyInstance,
  { deps, gate }: PointsRouteContext,
  route: { path: string; summary: string; fields: Parameters<typeof parseBody>[1] },
  channelOf: ChannelOf,
): void {
  const { path, summary, fields } = route;
  const options = { onRequest: requireApiKey(deps), ...doc(summary, 'Orders', fields) };
  app.post(path, options, async (request, reply) => {
    const values = parseBody(request.body, fields, orderNumberIssue);
    const caller = callerOf(request);
    const { merchant } = caller;
    const useCase = createEarningOrder({
      merchantId: merchant.id,
      actor: credentialActor(caller),
      phone: values['phone_number'] as string,
      details: orderDetails(values),
      ...channelOf(values),
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
}

const rating =
  (channel: 'store_rating' | 'product_rating'): ChannelOf =>
  (values) => ({
    channel,
    amountMinor: 0,
    orderNumber: null,
    reviewReference: values['review_reference'] as string,
  });

export function earningRoutes(app: FastifyInstance, context: PointsRouteContext): void {
  earningRoute(
    app,
    context,
    { path: '/v1/orders/earning', summary: 'Create an earning order', fields: earningFields },
    (values) => ({
      channel: 'earning',
      amountMinor: values['total_price'] as number,
      orderNumber: orderNumberOf(values),
      reviewReference: null,
    }),
  );
  earningRoute(
    app,
    context,
    {
      path: '/v1/orders/earning/store-rating',
      summary: 'Award points for a store rating',
      fields: storeRatingFields,
    },
    rating('store_rating'),
  );
  earningRoute(
    app,
    context,
    {
      path: '/v1/orders/earning/product-rating',
      summary: 'Award points for a product rating',
      fields: productRatingFields,
    },
    rating('product_rating'),
  );
}
