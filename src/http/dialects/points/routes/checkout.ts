/**
 * POST /v1/orders/checkout/{publicKey}: begins a hosted checkout for a replacing order and
 * answers its `checkout_url` (the page itself is ../checkout/page.ts). It takes the public key in
 * the path and no x-api-key, and is exempt from the IP list.
 */
import type { FastifyInstance } from 'fastify';
import { createCheckoutSession } from '../../../../app/points-checkout.js';
import { callerKeyScope } from '../../../caller.js';
import { secretRoute } from '../../../log-redaction.js';
import { respond } from '../../../respond.js';
import { merchantByPublicKey } from '../auth.js';
import { renderPointsDomainError } from '../errors.js';
import { envelope } from '../render.js';
import { checkoutFields, orderDetails, parseBody } from '../schemas/index.js';
import { doc, orderNumberIssue, orderNumberOf, type PointsRouteContext } from './shared.js';

export function checkoutRoutes(app: FastifyInstance, { deps, publicUrl }: PointsRouteContext) {
  app.post<{ Params: { publicKey: string } }>(
    '/v1/orders/checkout/:publicKey',
    secretRoute(
      doc(
        'Begin a hosted checkout for a replacing order (public key, no x-api-key)',
        'Orders',
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
}
