/**
 * The Backd face: its envelope for every error under `/backd`, the post-order management API
 * (HTTP Basic) and the buyer's terms page (token in the URL, no Basic auth).
 */
import type { DialectModule } from '../registry.js';
import { backdCheckoutRoutes } from './checkout.js';
import { BACKD_PREFIX, backdFace } from './errors.js';
import { backdRoutes } from './routes.js';

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
  async register(app, { deps, publicUrl }) {
    await app.register(backdRoutes, { prefix: BACKD_PREFIX, deps, publicUrl });
    await app.register(backdCheckoutRoutes, { prefix: BACKD_PREFIX, deps, publicUrl });
  },
};
