/**
 * Serves the operator dashboard's static assets at /dashboard from dist/dashboard (built at
 * install time by scripts/build-dashboard.mjs). The files are read once at start-up and answered
 * from memory; every path that is not an asset answers index.html, so the app's own routes
 * (`/dashboard/orders/…`) survive a reload. The dashboard talks only to the admin API.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { fileURLToPath } from 'node:url';
import { HttpProblem } from '../faces.js';

/** dist/src/http/dashboard/static.js → dist/dashboard/ */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** The page may load and call only this origin; no inline script, no framing. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; base-uri 'self'; form-action 'self'; " +
    "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
} as const;

interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
}

async function loadAssets(dir: string): Promise<{ page: Buffer; assets: Map<string, Asset> }> {
  const page = await readFile(`${dir}index.html`);
  const assets = new Map<string, Asset>();
  for (const name of await readdir(`${dir}assets`)) {
    const ext = name.slice(name.lastIndexOf('.') + 1);
    const contentType = CONTENT_TYPES[ext];
    if (contentType)
      assets.set(name, { body: await readFile(`${dir}assets/${name}`), contentType });
  }
  return { page, assets };
}

export const dashboardRoutes: FastifyPluginAsync<{ dir?: string }> = async (app, options) => {
  const built = await loadAssets(options.dir ?? DASHBOARD_DIR).catch(() => null);
  const notBuilt = (reply: FastifyReply) =>
    reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The dashboard is not built. Run `npm run build` (npm install does it too).\n');
  const page = (reply: FastifyReply) =>
    built ? reply.headers(PAGE_HEADERS).send(built.page) : notBuilt(reply);
  const hidden = { config: { openapi: false } } as const;

  app.get('/dashboard', hidden, async (_request, reply) => reply.redirect('/dashboard/', 308));
  app.get('/dashboard/', hidden, async (_request, reply) => page(reply));
  app.get<{ Params: { name: string } }>(
    '/dashboard/assets/:name',
    hidden,
    async (request, reply) => {
      if (!built) return notBuilt(reply);
      const asset = built.assets.get(request.params.name);
      // An unknown asset is an unknown route, answered in the same shape as every other one.
      if (!asset) throw new HttpProblem('route_not_found');
      return reply
        .headers({
          'content-type': asset.contentType,
          // Names carry the content's hash: a changed file is a new name.
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        })
        .send(asset.body);
    },
  );
  app.get('/dashboard/*', hidden, async (_request, reply) => page(reply));
};
