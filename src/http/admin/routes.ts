/** The admin face at /admin: bearer-token or dashboard-session auth, then merchants, orders, events, webhooks, admin actions, clock, jobs, metrics. */
import type { FastifyPluginAsync } from 'fastify';
import type { HttpCounters } from '../http-counters.js';
import type { ServerOptions } from '../server.js';
import { adminActionRoutes } from './actions.js';
import { clockReadRoute, clockRoutes } from './clock.js';
import { deliveryRoutes } from './deliveries.js';
import { webhookRoutes } from './webhooks.js';
import { eventRoutes } from './events.js';
import { jobRoutes } from './jobs.js';
import { merchantRoutes } from './merchants.js';
import { metricsRoutes } from './metrics.js';
import { mpgKeyRoutes } from './mpg-keys.js';
import { orderRoutes } from './orders.js';
import { pointsCustomerRoutes } from './points-customers.js';
import { pointsOtpRoutes } from './points-otp.js';
import { reconciliationRoutes } from './reconciliations.js';
import { refundRequestRoutes } from './refund-requests.js';
import { statsRoutes } from './stats.js';
import { authenticateAdmin, sessionRoutes } from './session.js';
import { authorize } from './authorize.js';
import { operatorRoutes } from './operators.js';
import { approvalRoutes } from './approvals.js';

export const adminRoutes: FastifyPluginAsync<
  ServerOptions & { httpCounters: HttpCounters }
> = async (app, options) => {
  const deps = options.deps;
  const sessionOptions = { deps, adminAuth: options.adminAuth, publicUrl: options.publicUrl };
  app.decorateRequest('adminSession', null);
  app.decorateRequest('principal', null);
  app.addHook(
    'onRequest',
    async (request, reply) =>
      (await authenticateAdmin(request, reply, sessionOptions)) ?? authorize(request, reply),
  );
  await app.register(sessionRoutes, sessionOptions);
  await app.register(merchantRoutes, { deps });
  await app.register(mpgKeyRoutes, { deps });
  await app.register(orderRoutes, { deps });
  await app.register(refundRequestRoutes, { deps });
  await app.register(eventRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(deliveryRoutes, { deps });
  await app.register(adminActionRoutes, { deps });
  await app.register(operatorRoutes, { deps });
  await app.register(approvalRoutes, { deps });
  await app.register(pointsCustomerRoutes, { deps });
  await app.register(pointsOtpRoutes, { outbox: options.checkout.outbox });
  await app.register(reconciliationRoutes, { deps });
  await app.register(statsRoutes, { deps });
  await app.register(jobRoutes, { jobs: options.jobs });
  await app.register(metricsRoutes, { deps, http: options.httpCounters });
  await app.register(clockReadRoute, { clock: deps.clock, testClock: options.testClock !== null });
  if (options.testClock) await app.register(clockRoutes, { clock: options.testClock });
};
