/** Liveness and readiness: /healthz says the process is up, /readyz that the database answers. */
import type { FastifyPluginAsync } from 'fastify';
import { type AppDeps, databaseReady } from '../app/context.js';

export const healthRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const off = { config: { openapi: false as const } };
  app.get('/healthz', off, async () => ({ status: 'ok' }));
  app.get('/readyz', off, async (_request, reply) => {
    const ready = await databaseReady(deps);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', database: ready ? 'ok' : 'unavailable' });
  });
};
