/** Liveness and readiness: /healthz says the process is up, /readyz that the database answers. */
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../app/ports/store.js';

export const healthRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  const off = { config: { openapi: false as const } };
  app.get('/healthz', off, async () => ({ status: 'ok' }));
  app.get('/readyz', off, async (_request, reply) => {
    const ready = await store.ready();
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', database: ready ? 'ok' : 'unavailable' });
  });
};
