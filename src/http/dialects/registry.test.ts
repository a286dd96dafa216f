// Keeps docs/architecture.md "Adding a dialect" true: every dialect is a folder of one shape,
// named once in each registry (its face here, its hooks in src/app/dialects.ts, the domain's
// PROVIDER_DIALECTS), with its docs and its face's suites beside it. A dialect added to one
// registry and not another, or a folder missing a file of the shape, fails here by name.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DIALECT_HOOKS } from '../../app/dialects.js';
import { PROVIDER_DIALECTS } from '../../domain/order-model.js';
import { DIALECT_MODULES } from './registry.js';

const FOLDER = 'src/http/dialects';
const folders = readdirSync(FOLDER).filter((name) => statSync(`${FOLDER}/${name}`).isDirectory());
const sorted = (names: readonly string[]) => [...names].sort();

describe('the dialects', () => {
  it('are the same set in every registry and in src/http/dialects/', () => {
    const expected = sorted(PROVIDER_DIALECTS);
    assert.deepEqual(sorted(folders), expected, 'folders of src/http/dialects/');
    assert.deepEqual(sorted(DIALECT_MODULES.map((d) => d.face.name)), expected, 'registry.ts');
    assert.deepEqual(sorted(DIALECT_HOOKS.map((h) => h.dialect)), expected, 'app/dialects.ts');
  });

  it('each own their name: the face, its prefix, its OpenAPI document and its hooks', () => {
    for (const module of DIALECT_MODULES) {
      const name = module.face.name;
      assert.equal(module.face.prefix, `/${name}`, name);
      assert.equal(module.openapi?.name, name, name);
      assert.ok(module.secretHeaders.length > 0, `${name} declares its credentials' headers`);
    }
  });

  it('each have the one shape, their docs and their suites', () => {
    for (const name of folders) {
      const has = (path: string) => assert.ok(existsSync(path), `${name}: ${path} is missing`);
      for (const file of ['index.ts', 'auth.ts', 'errors.ts', 'render.ts', 'routes/shared.ts']) {
        has(`${FOLDER}/${name}/${file}`);
      }
      const schemas = `${FOLDER}/${name}/schemas`;
      assert.ok(
        existsSync(`${schemas}.ts`) || existsSync(`${schemas}/index.ts`),
        `${name}: schemas.ts (or schemas/index.ts) is missing`,
      );
      has(`docs/dialects/${name}.md`);
      has(`docs/decisions/${name}.md`);
      has(`test/faces/${name}/${name}-face.ts`);
    }
  });

  it('are added by steps that cite only files that exist', () => {
    const doc = readFileSync('docs/architecture.md', 'utf8');
    const section = doc.slice(doc.indexOf('## Adding a dialect'), doc.indexOf('## Proving it'));
    // The files the steps create are written with `<name>` in their paths, which this pattern
    // does not match: what it finds are the files a new dialect changes, and they must exist.
    const cited = [...section.matchAll(/(?:src|test|docs)\/[\w./-]+\.(?:ts|md)/g)].map((m) => m[0]);
    assert.ok(cited.length > 15, `the section cites the files it changes (${cited.length})`);
    for (const path of cited) assert.ok(existsSync(path), `${path} does not exist`);
  });
});
