/**
 * The Moyasar Payment Gateway face at /mpg: `/mpg/v1/3ds/...`, `/mpg/v1/orders/...` and
 * `/mpg/v1/transactions/:id/reverse`, with Bearer keys and permissions (auth.ts). What it
 * mounts, in the order its OpenAPI document lists it.
 */
import type { DialectModule } from '../registry.js';
import { mpgFace } from './errors.js';
import { cardAuthRoutes } from './routes/card-auths.js';
import { orderListRoutes } from './routes/order-list.js';
import { changeOrderRoutes, createOrderRoutes } from './routes/orders.js';
import { transactionRoutes } from './routes/transactions.js';

export const mpgDialect: DialectModule = {
  face: mpgFace,
  openapi: {
    name: 'mpg',
    title: 'Moyasar Payment Gateway (MPG), as served by Unwind',
    description:
      'Card orders in integer minor units: purchase, authorize, verify, capture, void, refund, extend, reverse; idempotent by body ids.',
    security: { type: 'http', scheme: 'bearer', description: 'The merchant MPG API key' },
  },
  secretHeaders: ['authorization'],
  async register(app, { deps, publicUrl }) {
    cardAuthRoutes(app, deps, publicUrl);
    createOrderRoutes(app, deps);
    orderListRoutes(app, deps);
    changeOrderRoutes(app, deps);
    transactionRoutes(app, deps);
  },
};
