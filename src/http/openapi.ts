/**
 * OpenAPI 3.1 documents, one per face, generated from the zod schemas that validate requests.
 *
 * A route declares its documentation in `config.openapi` with the very schema objects its
 * handler parses with (`parseOrThrow(schema, …)`), so the document cannot drift from the
 * validation. `config.openapi: false` marks a route that is not part of an API (health, hosted
 * pages, the docs themselves). A test fails the build when a route has neither.
 *
 * Served at /docs (an index), /docs/:face (Swagger UI) and /docs/:face/openapi.json.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { rootFace } from './admin/admin-errors.js';
import { send } from './faces.js';
import { escapeHtml } from './hosted-page.js';
import { z } from 'zod';

export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  /** Grouping in the UI, e.g. `Orders`. */
  readonly tag?: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The body may be left out altogether (it has only optional fields). */
  readonly bodyOptional?: boolean;
  /** Documented answers: status → description and optional body schema. */
  readonly responses?: Readonly<Record<number, { description: string; body?: z.ZodType }>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's OpenAPI description, or false for a route outside every API. */
    openapi?: RouteDoc | false;
  }
}

export interface DocumentedRoute {
  readonly method: string;
  readonly url: string;
  readonly doc: RouteDoc | false | undefined;
}

export interface FaceDoc {
  /** Short name used in URLs: `admin`, `points`, `backd`, `mpg`. */
  readonly name: string;
  readonly title: string;
  readonly prefix: string;
  readonly description: string;
  /** OpenAPI security scheme for the face's credentials. */
  readonly security: Record<string, unknown>;
}

const jsonSchema = (
  schema: z.ZodType,
  io: 'input' | 'output' = 'input',
): Record<string, unknown> => {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out['$schema'];
  return out;
};

/** Path parameters of `/orders/:id` as OpenAPI parameters, typed from `params` when given. */
function parameters(url: string, doc: RouteDoc): Record<string, unknown>[] {
  const names = [...url.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  const pathProps = doc.params
    ? ((jsonSchema(doc.params)['properties'] ?? {}) as Record<string, unknown>)
    : {};
  const list: Record<string, unknown>[] = names.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: pathProps[name] ?? { type: 'string' },
  }));
  if (doc.query) {
    const q = jsonSchema(doc.query);
    const props = (q['properties'] ?? {}) as Record<string, unknown>;
    const required = new Set((q['required'] ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) {
      list.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  return list;
}

export function buildOpenApi(
  face: FaceDoc,
  routes: readonly DocumentedRoute[],
  publicUrl: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (!route.doc || !(route.url === face.prefix || route.url.startsWith(`${face.prefix}/`))) {
      continue;
    }
    const doc = route.doc;
    const openApiPath =
      route.url.slice(face.prefix.length).replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}') || '/';
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(
      doc.responses ?? { 200: { description: 'Success' } },
    )) {
      responses[status] = {
        description: r.description,
        ...(r.body
          ? { content: { 'application/json': { schema: jsonSchema(r.body, 'output') } } }
          : {}),
      };
    }
    (paths[openApiPath] ??= {})[route.method.toLowerCase()] = {
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      ...(doc.tag ? { tags: [doc.tag] } : {}),
      parameters: parameters(route.url, doc),
      ...(doc.body
        ? {
            requestBody: {
              required: doc.bodyOptional !== true,
              content: { 'application/json': { schema: jsonSchema(doc.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: face.title, version: '1', description: face.description },
    servers: [{ url: `${publicUrl}${face.prefix}` }],
    components: { securitySchemes: { credentials: face.security } },
    security: [{ credentials: [] }],
    paths,
  };
}

const swaggerUiDir = (): string =>
  path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

// A missing face or asset is a plain 404: the path pattern exists, so the shared not-found
// handler would call it a wrong method.
const notFound = (requestId: string, reply: FastifyReply) =>
  send(reply, rootFace.renderHttpError('route_not_found', { requestId }));

/** Registers /docs, /docs/:face and /docs/:face/openapi.json plus the UI's assets. */
export function registerDocs(
  app: FastifyInstance,
  faces: readonly FaceDoc[],
  routes: () => readonly DocumentedRoute[],
  publicUrl: string,
): void {
  const byName = new Map(faces.map((f) => [f.name, f]));
  const documents = new Map<string, string>();
  const documentOf = (face: FaceDoc) => {
    let text = documents.get(face.name);
    if (!text) {
      text = JSON.stringify(buildOpenApi(face, routes(), publicUrl));
      documents.set(face.name, text);
    }
    return text;
  };

  app.get('/docs', docsOff, async (_request, reply) => {
    const items = faces
      .map(
        (f) =>
          `<li><a href="/docs/${f.name}">${escapeHtml(f.title)}</a> — ${escapeHtml(f.description)} (<a href="/docs/${f.name}/openapi.json">openapi.json</a>)</li>`,
      )
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Unwind API documentation</title></head><body><main><h1>Unwind API documentation</h1><ul>${items}</ul></main></body></html>`,
      );
  });

  app.get<{ Params: { face: string } }>(
    '/docs/:face/openapi.json',
    docsOff,
    async (request, reply) => {
      const face = byName.get(request.params.face);
      if (!face) return notFound(request.id, reply);
      return reply.type('application/json; charset=utf-8').send(documentOf(face));
    },
  );

  app.get<{ Params: { face: string } }>('/docs/:face', docsOff, async (request, reply) => {
    const face = byName.get(request.params.face);
    if (!face) return notFound(request.id, reply);
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(face.title)}</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js" data-spec="/docs/${face.name}/openapi.json"></script></body></html>`);
  });

  registerDocAssets(app);
}

const docsOff = { config: { openapi: false as const } };

/** Serves the Swagger UI's files and the page's init script under /docs/assets/. */
function registerDocAssets(app: FastifyInstance): void {
  const assets: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  };
  app.get<{ Params: { file: string } }>('/docs/assets/:file', docsOff, async (request, reply) => {
    const { file } = request.params;
    if (file === 'init.js') {
      // A separate file, so the page needs no inline script.
      return reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(
          "window.ui = SwaggerUIBundle({ url: document.currentScript.dataset.spec, dom_id: '#ui' });",
        );
    }
    const type = assets[file];
    if (!type) return notFound(request.id, reply);
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=86400')
      .send(fs.createReadStream(path.join(swaggerUiDir(), file)));
  });
}

/** Route options carrying a route's documentation: `app.post(url, documented({...}), handler)`. */
export const documented = (doc: RouteDoc) => ({ config: { openapi: doc } });
