// Proves that the repository explains itself: no source, test, script or benchmark cites a
// planning document that lives outside the repository, and every `docs/….md#anchor` (or
// `README.md#<anchor>`) cited from code or from the docs' own links names a heading that exists,
// by GitHub's slug rules (test/support/doc-anchors.ts). The helpers are first shown to fail on
// bad input, so a scan that finds nothing means something.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  anchorsOf,
  documentCitations,
  forbiddenCitations,
  slug,
  unresolved,
} from '../support/doc-anchors.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCANNED = ['src', 'test', 'scripts', 'bench'];
const SKIPPED = new Set(['node_modules', 'dist', 'data', 'results']);
const TEXT = /\.(ts|mts|js|mjs|cjs|json|sh|sql|lua|md|html|css)$/;

/** Every text file under `dirs`, relative to the root, in a stable order. */
function filesUnder(dirs: readonly string[], pattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(path.join(ROOT, dir))) return;
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (pattern.test(entry.name)) found.push(rel);
    }
  };
  dirs.forEach(walk);
  return found.sort();
}

/**
 * Files that load a file lying beside the checkout rather than cite one: Points' official OpenAPI
 * is read from the reference folder beside the checkout when present, as the Points conformance
 * suite needs, and the suite says loudly when it is not
 * (test/faces/points/openapi-conformance.test.ts).
 */
const LOADS_OUTSIDE_FILE = new Set([path.join('test', 'support', 'points-openapi.ts')]);

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

describe('the citation helpers can fail', () => {
  it('flags each outside document and rule by name', () => {
    const names = ['decisions', 'provider-apis', 'stack-notes', 'DESIGN', 'STYLE'];
    for (const name of names) {
      const text = `// see ${name}` + `.md §2`;
      assert.equal(forbiddenCitations(text).length, 1, text);
    }
    assert.equal(forbiddenCitations('(STYLE' + ' rule 7)').length, 1);
    assert.equal(forbiddenCitations('/work/shared' + '/reference/x.yaml').length, 1);
    assert.deepEqual(forbiddenCitations('docs/decisions/general.md#time, decisions made'), []);
  });

  it('slugs headings as GitHub does', () => {
    assert.equal(slug('Void, refund, reverse'), 'void-refund-reverse');
    assert.equal(slug('Idempotency-Key'), 'idempotency-key');
    assert.equal(slug("Admin: customers' wallets"), 'admin-customers-wallets');
    assert.equal(
      slug('The terms page: GET and POST `customer_url`'),
      'the-terms-page-get-and-post-customer_url',
    );
    assert.equal(
      slug('The state machine, all refusals HTTP 400'),
      'the-state-machine-all-refusals-http-400',
    );
    const md = '# A\n## Errors\n```sh\n# not a heading\n```\n### Errors\n<a id="kept"></a>\n';
    assert.deepEqual([...anchorsOf(md)].sort(), ['a', 'errors', 'errors-1', 'kept']);
  });

  it('finds citations and refuses a missing anchor or file', () => {
    const missing = 'docs/decisions/general.md#' + 'no-such-anchor';
    const cited = documentCitations(`x (${missing}) y`);
    assert.deepEqual(cited, [{ line: 1, text: missing }]);
    assert.match(unresolved(ROOT, cited[0]!.text) ?? '', /no heading/);
    assert.match(unresolved(ROOT, 'docs/decisions/' + 'nothing.md') ?? '', /does not exist/);
    assert.equal(unresolved(ROOT, 'docs/decisions/general.md#time'), null);
  });
});

describe('code cites only documents in the repository', () => {
  const files = filesUnder(SCANNED, TEXT);

  it('scans the source, test, script and benchmark files', () => {
    assert.ok(files.includes(path.join('src', 'domain', 'points.ts')));
  });

  it('names no document from outside the repository', () => {
    const problems = files
      .filter((file) => !LOADS_OUTSIDE_FILE.has(file))
      .flatMap((file) =>
        forbiddenCitations(read(file)).map((h) => `${file}:${h.line}: cites "${h.text}"`),
      );
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('every docs/….md#anchor it cites resolves', () => {
    const problems = files.flatMap((file) =>
      documentCitations(read(file)).flatMap((h) => {
        const why = unresolved(ROOT, h.text);
        return why === null ? [] : [`${file}:${h.line}: ${h.text}: ${why}`];
      }),
    );
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});

describe("the docs' own links to anchors resolve", () => {
  for (const document of ['README.md', ...filesUnder(['docs'], /\.md$/)]) {
    it(document, () => {
      const text = read(document);
      const problems: string[] = [];
      for (const m of text.matchAll(/\]\(([^)\s]*#[^)\s]+)\)/g)) {
        const [target, anchor] = m[1]!.split('#') as [string, string];
        if (/^[a-z]+:/i.test(target)) continue;
        const file = target === '' ? document : path.join(path.dirname(document), target);
        const why = unresolved(ROOT, `${path.normalize(file)}#${anchor}`);
        if (why !== null)
          problems.push(`line ${text.slice(0, m.index).split('\n').length}: ${why}`);
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});
