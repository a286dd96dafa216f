/**
 * The Points face: the Points loyalty API at /points/api (so /points/api/v1/...), wire-compatible
 * with docs.papp.sa, and the hosted checkout at /points/pay/{session}. What it mounts, in the
 * order its OpenAPI document lists it.
 */
import type { FastifyInstance } from 'fastify';
import { MerchantGate } from '../../../app/points-gate.js';
import { registerFormParser } from '../../hosted-page.js';
import type { DialectContext, DialectModule } from '../registry.js';
import { registerCheckoutPage } from './checkout/page.js';
import { pointsFace } from './errors.js';
import { checkoutRoutes } from './routes/checkout.js';
import { earningRoutes } from './routes/earning.js';
import { orderOperationRoutes, showOrderRoute } from './routes/orders.js';
import type { PointsRouteContext } from './routes/shared.js';
import { webhookRoutes } from './routes/webhooks.js';

export const POINTS_API_PREFIX = '/points/api';

/** A checkout form is a phone number and a count of points; nothing bigger is read. */
const CHECKOUT_FORM_LIMIT_BYTES = 4096;

async function register(app: FastifyInstance, { deps, publicUrl, checkout }: DialectContext) {
  // One gate per process: the in-process half of the per-merchant earning lock.
  const context: PointsRouteContext = { deps, publicUrl, gate: new MerchantGate() };
  await app.register(
    async (api) => {
      showOrderRoute(api, context);
      earningRoutes(api, context);
      checkoutRoutes(api, context);
      orderOperationRoutes(api, context);
      webhookRoutes(api, context);
    },
    { prefix: POINTS_API_PREFIX },
  );
  await app.register(async (pages) => {
    registerFormParser(pages, CHECKOUT_FORM_LIMIT_BYTES);
    registerCheckoutPage(pages, deps, publicUrl, checkout);
  });
}

export const pointsDialect: DialectModule = {
  face: pointsFace,
  openapi: {
    name: 'points',
    title: 'Points loyalty API (Unwind)',
    description:
      'Wire-compatible with docs.papp.sa: orders, earning, checkout, reversals and webhooks. ' +
      'Auth failures are HTTP 400 with status false, as Points does.',
    security: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  },
  secretHeaders: ['x-api-key'],
  register,
};
