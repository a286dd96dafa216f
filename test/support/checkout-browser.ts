/**
 * Drives the hosted checkout's HTML the way a browser does, with fetch: opens a page, finds its
 * forms (action, hidden fields, named inputs), fills and posts one urlencoded with the headers a
 * browser sends for a same-origin form (`Origin`, `Sec-Fetch-Site`), and never follows redirects,
 * so a test sees the 303 and where it points.
 */
import assert from 'node:assert/strict';

export interface Page {
  readonly status: number;
  readonly html: string;
  readonly headers: Headers;
  /** The `Location` of a redirect, else null. */
  readonly location: string | null;
}

export interface Form {
  readonly action: string;
  /** Hidden inputs with their values, as the browser would send them. */
  readonly hidden: Readonly<Record<string, string>>;
  /** Every named input, hidden or not. */
  readonly inputs: readonly string[];
  /** The text of the form's submit button. */
  readonly button: string;
}

const attr = (tag: string, name: string): string | null => {
  const found = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return found ? decodeEntities(found[1]!) : null;
};

const decodeEntities = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The post forms of a page, in document order. */
export function formsOf(html: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open, body] = match as unknown as [string, string, string];
    const hidden: Record<string, string> = {};
    const inputs: string[] = [];
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(input[0], 'name');
      if (name === null) continue;
      inputs.push(name);
      if (attr(input[0], 'type') === 'hidden') hidden[name] = attr(input[0], 'value') ?? '';
    }
    const button = /<button\b[^>]*>([\s\S]*?)<\/button>/.exec(body)?.[1]?.trim() ?? '';
    forms.push({ action: attr(open, 'action') ?? '', hidden, inputs, button });
  }
  return forms;
}

/** The form whose submit button reads `button`; fails the test when there is none. */
export function formNamed(page: Page, button: string): Form {
  const form = formsOf(page.html).find((f) => f.button === button);
  assert.ok(form, `no "${button}" form on the page (status ${page.status}):\n${page.html}`);
  return form;
}

/** The text of the page without tags, spaces collapsed, for "does the page say X" checks. */
export const textOf = (page: Page): string =>
  decodeEntities(page.html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .replace(/ ([.,:])/g, '$1');

/**
 * A customer's browser on the checkout. It reads the page in `lang`: the page's own default is
 * Arabic, and the suites that read its English sentences ask for English (`?lang=en`) on every
 * path that does not name a language already, as the page's own links and forms do.
 */
export class CheckoutBrowser {
  constructor(
    readonly origin: string,
    readonly lang: 'ar' | 'en' = 'en',
  ) {}

  private inLang(path: string): string {
    if (this.lang === 'ar' || /[?&]lang=/.test(path)) return path;
    return `${path}${path.includes('?') ? '&' : '?'}lang=en`;
  }

  async open(path: string): Promise<Page> {
    return this.request(this.inLang(path), {
      method: 'GET',
      headers: { 'sec-fetch-site': 'none' },
    });
  }

  /** Submits `form` with its hidden fields and `values`, as a same-origin form post. */
  submit(form: Form, values: Record<string, string> = {}, headers: Record<string, string> = {}) {
    for (const name of Object.keys(values)) {
      assert.ok(form.inputs.includes(name), `the form has no input "${name}"`);
    }
    return this.post(form.action, { ...form.hidden, ...values }, headers);
  }

  /** A form post to `path` (for replays and forged posts a page would not offer). */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(this.inLang(path), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.origin,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private async request(path: string, init: RequestInit): Promise<Page> {
    const response = await fetch(`${this.origin}${path}`, {
      ...init,
      headers: { accept: 'text/html', ...(init.headers as Record<string, string>) },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    return {
      status: response.status,
      html: await response.text(),
      headers: response.headers,
      location: response.headers.get('location'),
    };
  }
}
