/**
 * What code may cite, and whether a citation resolves. Code cites documents of the repository as
 * `docs/<folder>/<page>.md#<anchor>` (or `README.md#<anchor>`); an anchor is a heading's slug by
 * GitHub's rules. Planning documents outside the repository may not be cited at all.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Documents that live outside the repository, by the names code used to cite them. */
const OUTSIDE = ['decisions', 'provider-apis', 'stack-notes', 'DESIGN', 'STYLE'];
const FORBIDDEN = new RegExp(
  `(?<![\\w-])(?:${OUTSIDE.join('|')})\\.md\\b|\\bSTYLE\\s+rule\\b|\\bshared\\/(?:reference|seeds)\\b`,
  'g',
);

/** One match of `pattern` in `text`, with its 1-based line. */
export interface Hit {
  readonly line: number;
  readonly text: string;
}

function hits(text: string, pattern: RegExp, group = 0): Hit[] {
  return [...text.matchAll(pattern)].map((m) => ({
    line: text.slice(0, m.index).split('\n').length,
    text: m[group]!,
  }));
}

/** Citations of documents that are not in the repository. */
export const forbiddenCitations = (text: string): Hit[] => hits(text, FORBIDDEN);

/** Every `docs/….md`, `docs/….md#<anchor>` or `README.md#<anchor>` that `text` cites. */
export const documentCitations = (text: string): Hit[] =>
  hits(text, /(?<![\w/.-])((?:docs\/[\w/-]+|README)\.md(?:#[\w-]+)?)/g, 1);

/** GitHub's slug of a heading: lower case, markup and punctuation dropped, spaces as dashes. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text: its headings' slugs (repeats get -1, -2, …) and explicit ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (fence === null) fence = open[1]!;
      else if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}

/** Why `citation` (`path.md` or `path.md#anchor`, from the repository root) does not resolve. */
export function unresolved(root: string, citation: string): string | null {
  const [file, anchor] = citation.split('#') as [string, string | undefined];
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return `${file} does not exist`;
  if (anchor === undefined) return null;
  if (anchorsOf(fs.readFileSync(full, 'utf8')).has(anchor)) return null;
  return `${file} has no heading with the anchor #${anchor}`;
}
