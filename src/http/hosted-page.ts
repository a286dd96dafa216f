/**
 * What the hosted pages (the Points checkout, the Backd terms page) share: HTML escaping, the page
 * shell, the security headers every page is sent with, the urlencoded form parser, the refusal of
 * form posts another site made a browser send, and the choice between an HTML and a JSON answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * No scripts, no external resources, not framable (a customer confirms a payment here, so no
 * other site may overlay it), never cached (it shows a balance and an order).
 */
export const HOSTED_PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

/**
 * The page shell; `title` is the document title as given (escaped here), `body` is trusted HTML.
 * English, left to right, unless the page says otherwise.
 */
export function htmlPage(page: {
  title: string;
  css: string;
  body: string;
  lang?: string;
  dir?: 'ltr' | 'rtl';
}): string {
  return `<!doctype html>
<html lang="${escapeHtml(page.lang ?? 'en')}"${page.dir ? ` dir="${page.dir}"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>
${page.css}
</style>
</head>
<body>
<main>
${page.body}
</main>
</body>
</html>
`;
}

export const sendHtml = (reply: FastifyReply, status: number, html: string) =>
  reply.code(status).headers(HOSTED_PAGE_HEADERS).type('text/html; charset=utf-8').send(html);

/** Browsers post the pages' forms urlencoded; only the routes of `app` accept it. */
export function registerFormParser(app: FastifyInstance, limitBytes: number): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: limitBytes },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
}

/**
 * Scripts ask for JSON; browsers get HTML. A client that says `Accept: application/json`, or
 * sends JSON without asking for HTML, is a script.
 */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  if (/application\/json/i.test(accept)) return true;
  const type = request.headers['content-type'] ?? '';
  return /application\/json/i.test(type) && !/text\/html/i.test(accept);
}

/**
 * True when a browser says another site made it send this request (cross-site request forgery):
 * `Sec-Fetch-Site` other than `same-origin` or `none`, or, from browsers that do not send it, an
 * `Origin` whose host is neither PUBLIC_URL's nor the request's own `Host`. The pages' forms post
 * to their own origin, so they always pass; a client that sends neither header (a script) is not
 * a browser carrying a customer's session and passes too.
 */
export function isCrossSitePost(request: FastifyRequest, publicUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, privacy redirects) and anything unparsable
  }
  return host !== new URL(publicUrl).host && host !== request.headers.host;
}
