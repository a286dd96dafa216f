/** Liveness and readiness: /healthz says the process is up, /readyz that the database answers. */
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../app/ports/store.js';

export const healthRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await store.ready();
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', database: ready ? 'ok' : 'unavailable' });
  });
};
