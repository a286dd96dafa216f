/**
 * "Did you mean …?" for an unknown path: the registered route of the same face nearest to the
 * path the client sent, by edit distance over path segments, where a parameter (`:id`) matches
 * any one segment and a wildcard (`*`) the rest of the path. Only close matches are suggested, so
 * a path that resembles nothing gets no suggestion rather than a random one.
 */
import { editDistance } from '../domain/edit-distance.js';

/**
 * Paths longer than this get no suggestion: the distance costs time in the product of the
 * lengths, and no mistyped route is this long.
 */
export const SUGGESTION_PATH_LENGTH_MAX = 256;

export interface RouteLike {
  readonly method: string;
  readonly url: string;
}

const segmentsOf = (path: string): string[] => path.split('/').filter((s) => s !== '');

const isParam = (segment: string) => segment.startsWith(':');

/** What it costs to leave out a typed segment, or to add a pattern's. */
const weight = (segment: string) => (isParam(segment) ? 2 : Math.max(1, segment.length));

/** Edit distance between typed segments and a route pattern's segments. */
function patternDistance(typed: readonly string[], pattern: readonly string[]): number {
  // d[i][j]: typed[0..i) against pattern[0..j).
  let previous = [0];
  for (let j = 1; j <= pattern.length; j++) {
    const segment = pattern[j - 1]!;
    previous[j] = segment === '*' ? previous[j - 1]! : previous[j - 1]! + weight(segment);
  }
  for (let i = 1; i <= typed.length; i++) {
    const segment = typed[i - 1]!;
    const current = [previous[0]! + weight(segment)];
    for (let j = 1; j <= pattern.length; j++) {
      const wanted = pattern[j - 1]!;
      if (wanted === '*') {
        // The wildcard takes any number of segments, none included.
        current[j] = Math.min(current[j - 1]!, previous[j]!, previous[j - 1]!);
        continue;
      }
      const substitution = isParam(wanted) ? 0 : editDistance(segment, wanted);
      current[j] = Math.min(
        previous[j - 1]! + substitution,
        previous[j]! + weight(segment),
        current[j - 1]! + weight(wanted),
      );
    }
    previous = current;
  }
  return previous[pattern.length]!;
}

/** The pattern as a client would type its path: `/dashboard/*` is `/dashboard/`. */
const shown = (url: string) => url.replace(/\*$/, '');

/**
 * The route under `prefix` nearest to `path`, as its path pattern (`/admin/orders/:id`), or null
 * when none is close. Routes that accept `method` win a tie. Close means a distance of at most 2,
 * or a third of the length of what was typed after the prefix (or of the route's own letters
 * after it, if fewer), whichever is more.
 */
export function suggestRoute(
  routes: readonly RouteLike[],
  prefix: string,
  method: string,
  path: string,
): string | null {
  if (path.length > SUGGESTION_PATH_LENGTH_MAX) return null;
  const typed = segmentsOf(path);
  const prefixChars = segmentsOf(prefix).join('').length;
  const typedChars = typed.join('').length - prefixChars;
  let best: { url: string; score: number } | null = null;
  for (const route of routes) {
    if (prefix !== '' && route.url !== prefix && !route.url.startsWith(`${prefix}/`)) continue;
    const pattern = segmentsOf(route.url);
    // The limit grows with the shorter of what was typed and what the route spells out after
    // the prefix, so a parameter cannot make anything typed look near a short route.
    const literalChars = pattern.filter((s) => !isParam(s) && s !== '*').join('').length;
    const limit = Math.max(2, Math.floor(Math.min(typedChars, literalChars - prefixChars) / 3));
    const distance = patternDistance(typed, pattern);
    if (distance > limit) continue;
    // Half a point against a route that does not take the method: the nearer path still wins.
    const score = distance + (route.method === method ? 0 : 0.5);
    if (best === null || score < best.score) best = { url: route.url, score };
  }
  return best ? shown(best.url) : null;
}
