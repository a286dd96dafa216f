/** The admin face at /admin: bearer-token auth, then merchants, orders, events, clock, jobs. */
import type { FastifyPluginAsync } from 'fastify';
import { HttpProblem } from '../faces.js';
import { limitCaller } from '../rate-limit.js';
import type { ServerOptions } from '../server.js';
import { clockRoutes } from './clock.js';
import { deliveryRoutes } from './deliveries.js';
import { webhookRoutes } from './webhooks.js';
import { eventRoutes } from './events.js';
import { jobRoutes } from './jobs.js';
import { merchantRoutes } from './merchants.js';
import { orderRoutes } from './orders.js';
import { pointsCustomerRoutes } from './points-customers.js';
import { reconciliationRoutes } from './reconciliations.js';

export const adminRoutes: FastifyPluginAsync<ServerOptions> = async (app, options) => {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) throw new HttpProblem('auth_missing');
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match || !(await options.adminAuth.verify(match[1]!))) {
      throw new HttpProblem('auth_invalid');
    }
    // Every admin token is one caller; limited after auth so bad tokens cannot fill the table.
    limitCaller(request, 'admin');
  });
  const deps = options.deps;
  await app.register(merchantRoutes, { deps });
  await app.register(orderRoutes, { deps });
  await app.register(eventRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(deliveryRoutes, { deps });
  await app.register(pointsCustomerRoutes, { deps });
  await app.register(reconciliationRoutes, { deps });
  await app.register(jobRoutes, { jobs: options.jobs });
  if (options.testClock) await app.register(clockRoutes, { clock: options.testClock });
};
