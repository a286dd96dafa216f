/**
 * The Backd face: its envelope for every error under `/backd`, the post-order management API
 * (HTTP Basic, auth.ts) and the buyer's terms page (token in the URL, no Basic auth). What it
 * mounts, in the order its OpenAPI document lists it.
 */
import type { DialectModule } from '../registry.js';
import { requireKeyPair } from './auth.js';
import { checkoutPageRoutes } from './checkout/page.js';
import { BACKD_PREFIX, backdFace } from './errors.js';
import { orderRoutes } from './routes/orders.js';
import { refundRoutes } from './routes/refunds.js';
import type { BackdRouteContext } from './routes/shared.js';

export const backdDialect: DialectModule = {
  face: backdFace,
  openapi: {
    name: 'backd',
    title: 'Backd post-order management API (Unwind)',
    description:
      'Wire-compatible with Backd: create_order, the terms page, order_placed, update_order, ' +
      'confirm_order, cancel_order, find_order and refund requests (POST/DELETE /refund). ' +
      'Every answer is {data, message, status: {type, code, error}}.',
    security: { type: 'http', scheme: 'basic' },
  },
  secretHeaders: ['authorization'],
  async register(app, { deps, publicUrl }) {
    const context: BackdRouteContext = { deps, publicUrl };
    // The management API: every route behind the key pair (the terms page is not).
    await app.register(
      async (api) => {
        api.addHook('onRequest', requireKeyPair(deps));
        orderRoutes(api, context);
        refundRoutes(api, context);
      },
      { prefix: BACKD_PREFIX },
    );
    await app.register(checkoutPageRoutes, { prefix: BACKD_PREFIX, ...context });
  },
};
