/**
 * The one rule for every URL a client asks Unwind to keep (docs/security.md, "Stored URLs are what
 * was validated"): Backd's `order_success_url` and `order_close_url` and its items' `item_url`
 * and `item_image_url`, Points' checkout `callback_url` and webhook `url`, and the admin API's
 * webhook endpoint `url`.
 *
 * The WHATWG URL parser forgives: it drops tab, CR and LF anywhere and trims leading and trailing
 * spaces and controls, so a string it accepts may still carry characters that break a header or a
 * log line when the raw string is used later. So a URL is refused when it holds any ASCII control
 * character (U+0000 to U+001F, U+007F), and what is stored is the parser's `href`: the URL that
 * was validated, ASCII only (hosts in punycode, paths percent-encoded), safe in a `Location`
 * header, and compared in one spelling (so a duplicate webhook URL is found however it was typed).
 */
import { err, ok, type Result } from './result.js';

/** Why a URL was refused. */
export type UrlProblem = 'control_character' | 'too_long' | 'not_http' | 'credentials';

const hasControlCharacter = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
};

/** `text` as an absolute http or https URL with a host, else null; nothing else is checked. */
function parseHttpUrl(text: string): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  const http = parsed.protocol === 'http:' || parsed.protocol === 'https:';
  return http && parsed.hostname.length > 0 ? parsed : null;
}

/**
 * The URL to store for `text`, or why it is refused: an absolute http or https URL with a host,
 * no user name or password, no control character, at most `maxLength` characters as given and as
 * normalised. The value returned is the parser's `href`.
 */
export function normaliseHttpUrl(text: string, maxLength: number): Result<string, UrlProblem> {
  if (hasControlCharacter(text)) return err('control_character');
  if (text.length > maxLength) return err('too_long');
  const parsed = parseHttpUrl(text);
  if (!parsed) return err('not_http');
  if (parsed.username !== '' || parsed.password !== '') return err('credentials');
  // Percent-encoding may lengthen a URL: the bound holds for what is stored.
  if (parsed.href.length > maxLength) return err('too_long');
  return ok(parsed.href);
}

/**
 * A stored URL made fit for a `Location` header or a link, or null when it is not an http(s) URL.
 * A URL stored through `normaliseHttpUrl` is an `href` already and comes back unchanged; one an
 * older version stored raw (with a CR or LF the parser forgave) comes back as the parser read it.
 */
export function storedHttpUrl(stored: string): string | null {
  return parseHttpUrl(stored)?.href ?? null;
}

/**
 * A stored URL with `params` appended to its query (after any it already has, before its
 * fragment), each name and value percent-encoded (a space is `%20`), or null when it is not an http(s) URL. Backd's
 * redirect flow appends `backd_order_id` and `merchant_order_id` to the success URL and `message`
 * to the close URL this way (docs/dialects/backd.md, "Redirect flow").
 */
export function withQueryParams(
  stored: string,
  params: ReadonlyArray<readonly [string, string]>,
): string | null {
  const parsed = parseHttpUrl(stored);
  if (!parsed) return null;
  // Appended as text, not through searchParams, which would re-encode the query already there.
  const added = params
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  parsed.search = parsed.search === '' ? added : `${parsed.search.slice(1)}&${added}`;
  return parsed.href;
}
