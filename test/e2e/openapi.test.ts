// Proves that every route of every face is in its face's OpenAPI 3.1 document, generated from the
// zod schemas that validate the requests, and that /docs renders: a route registered without
// `config.openapi` (or an explicit `false` for non-API routes) fails this test, and so the build.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECT_MODULES } from '../../src/http/dialects/registry.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { sqliteFactory } from '../support/stores.js';

describe('OpenAPI documents', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(sqliteFactory);
  });
  after(async () => t?.close());

  it('documents every route, or marks it as outside every API', () => {
    const undocumented = t.app.unwindRoutes.filter((r) => r.doc === undefined);
    assert.deepEqual(
      undocumented.map((r) => `${r.method} ${r.url}`),
      [],
    );
  });

  it('has a document per face listing each of its documented routes exactly once', async () => {
    const faces = [
      { name: 'admin', prefix: '/admin' },
      ...DIALECT_MODULES.map((d) => ({ name: d.openapi?.name ?? '', prefix: d.face.prefix })),
    ];
    for (const face of faces) {
      assert.ok(face.name, `the face at ${face.prefix} declares its OpenAPI header`);
      const res = await t.app.inject({ method: 'GET', url: `/docs/${face.name}/openapi.json` });
      assert.equal(res.statusCode, 200);
      const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      assert.equal(doc.openapi, '3.1.0');
      const inDoc = Object.entries(doc.paths)
        .flatMap(([p, methods]) =>
          Object.keys(methods).map((m) => `${m.toUpperCase()} ${face.prefix}${p === '/' ? '' : p}`),
        )
        .sort();
      const registered = t.app.unwindRoutes
        .filter((r) => r.doc && (r.url === face.prefix || r.url.startsWith(`${face.prefix}/`)))
        .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`)
        .sort();
      assert.deepEqual(inDoc, registered, face.name);
      assert.ok(registered.length > 0);
    }
  });

  it('derives request schemas from the validating zod schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/admin/openapi.json' })).json();
    const body =
      doc.paths['/orders/{id}/refund'].post.requestBody.content['application/json'].schema;
    assert.equal(body.properties.amount_minor.type, 'integer');
    assert.equal(body.additionalProperties, false);
  });

  it('renders the browsable UI and its assets', async () => {
    const index = await t.app.inject({ method: 'GET', url: '/docs' });
    assert.equal(index.statusCode, 200);
    assert.match(index.headers['content-type'] as string, /text\/html/);
    assert.match(index.body, /href="\/docs\/admin"/);
    const ui = await t.app.inject({ method: 'GET', url: '/docs/admin' });
    assert.match(ui.body, /swagger-ui-bundle\.js/);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) {
      const res = await t.app.inject({ method: 'GET', url: `/docs/assets/${asset}` });
      assert.equal(res.statusCode, 200, asset);
      assert.ok(res.body.length > 10, asset);
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/docs/nope' })).statusCode, 404);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/docs/assets/../package.json' })).statusCode,
      404,
    );
  });
});
