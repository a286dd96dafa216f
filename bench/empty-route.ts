/**
 * The HTTP ceiling of `npm run bench`: the project's own Fastify answering a small JSON body on
 * POST /refund, nothing else, in a process of its own (`node dist/bench/empty-route.js PORT`).
 */
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
app.post('/refund', async (request) => ({
  ok: true,
  amount_minor: (request.body as { amount_minor?: unknown } | null)?.amount_minor ?? null,
}));
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening on ${port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
