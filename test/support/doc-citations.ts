/**
 * The files a document cites must be in the repository: relative Markdown links, paths such as
 * `src/http/server.ts` or `docs/security.md`, and any `*.md` file it names. A document that cites
 * a file the repository does not have (a planning document, a moved source) fails.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Every file of the repository but dependencies and build output, by base name. */
function repositoryFiles(root: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (['node_modules', 'dist', '.git', 'data'].includes(entry.name)) continue;
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else byName.set(entry.name, [...(byName.get(entry.name) ?? []), rel]);
    }
  };
  walk('.');
  return byName;
}

const PLACEHOLDER = /[<>{}*…]|\.\.\./;
/** Folders commands create (gitignored): a document may say where output goes. */
const OUTPUT = /^bench\/results(\/|$)/;

export function citationProblems(root: string, document: string): string[] {
  const text = fs.readFileSync(path.join(root, document), 'utf8');
  const dir = path.dirname(document);
  const files = repositoryFiles(root);
  const exists = (rel: string) => fs.existsSync(path.join(root, rel));
  const problems = new Set<string>();
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;

  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    if (!exists(path.join(dir, target))) {
      problems.add(`line ${lineOf(m.index)}: links to ${target}, which does not exist`);
    }
  }
  for (const m of text.matchAll(
    /(?<![\w/.$-])((?:src|test|docs|scripts|bench|bin|\.ci)\/[\w./-]+)/g,
  )) {
    const cited = m[1]!.replace(/[.,:;)]+$/, '').replace(/\/$/, '');
    if (
      PLACEHOLDER.test(cited) ||
      PLACEHOLDER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 1))
    )
      continue;
    if (!exists(cited) && !OUTPUT.test(cited))
      problems.add(`line ${lineOf(m.index)}: cites ${cited}, which does not exist`);
  }
  for (const m of text.matchAll(/(?<![\w/.-])([\w-]+\.md)\b/g)) {
    const name = m[1]!;
    if (exists(path.join(dir, name)) || exists(name) || files.has(name)) continue;
    problems.add(`line ${lineOf(m.index)}: names ${name}, which is not in the repository`);
  }
  // `reference/` as a folder of its own, not the tail of a word in a URL (`api-reference/`).
  for (const m of text.matchAll(/\bSTYLE(?: rule|\.md)|(?<![\w-])reference\//g)) {
    problems.add(`line ${lineOf(m.index)}: cites "${m[0]}", which is not in the repository`);
  }
  return [...problems];
}
