// Proves that every shell example in README.md and docs/ runs as written: each document's `sh`
// blocks run in order in one bash session against a freshly started server on a fresh store
// (SQLite, and PostgreSQL when it answers), every command must succeed, every HTTP error must be
// one a `#>` check announces, and every `#>` check's output must appear (test/support/
// doc-runner.ts; the conventions are docs/contributing.md's "Examples are tests"). Every file a
// document cites must exist in the repository.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { citationProblems } from '../support/doc-citations.js';
import { runDocument } from '../support/doc-runner.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** README.md and every Markdown file under docs/, in a stable order. */
function documents(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) found.push(rel);
    }
  };
  walk('docs');
  return ['README.md', ...found.sort()];
}

function examplesSuite(factory: StoreFactory, skip?: string) {
  describe(`documentation examples run as written: ${factory.engine}`, { skip }, () => {
    for (const document of documents()) {
      it(document, async () => {
        const failures = await runDocument(ROOT, document, factory);
        assert.deepEqual(failures, [], failures.join('\n\n'));
      });
    }
  });
}

describe('documentation cites only what exists', () => {
  for (const document of documents()) {
    it(document, () => {
      const problems = citationProblems(ROOT, document);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});

examplesSuite(sqliteFactory);
examplesSuite(postgresFactory, await postgresSkipReason());
