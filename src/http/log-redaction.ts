/**
 * Logs carry no secrets. Routes whose path carries a secret declare it on the route itself
 * (`secretRoute(options, 'token')` sets `config.secretParams`); every registered route's
 * declaration becomes one pattern, and every log line is rewritten just before it is written
 * (pino's `streamWrite` hook), whatever wrote it (request logs, error stacks, Fastify's own
 * warnings, a job): the secret segments become `[redacted]` (`/backd/checkout/[redacted]`), and
 * so does every query-string value (`?phone_number=[redacted]`), keeping the route's shape.
 * Headers that carry credentials are redacted by path too, should anything log them, and an
 * error's raw request bytes (which Node attaches to parse errors) are never written.
 */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import pino from 'pino';

export const REDACTED = '[redacted]';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Path parameters that are secrets (a credential or a bearer token): redacted from every log
     * line, and a 404 on the route counts as a failed authentication (src/http/auth-throttle.ts).
     */
    secretParams?: readonly string[];
  }
}

/** Options of a route whose path parameters `names` are secrets. */
export function secretRoute<T extends RouteShorthandOptions>(
  options: T,
  ...names: readonly string[]
): T {
  return { ...options, config: { ...options.config, secretParams: names } };
}

/** What ends a path segment or a query value inside a log line (which is JSON). */
const SEGMENT = String.raw`[^/?#&\s"\\]+`;
const QUERY_VALUE = new RegExp(String.raw`([?&][^=?&#\s"\\]*=)([^&#\s"\\]*)`, 'g');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface SecretPattern {
  readonly regex: RegExp;
  /** For each capture group, whether it is a secret parameter. */
  readonly secret: readonly boolean[];
}

/**
 * The secret-bearing path patterns of the registered routes, and the rewriting of log lines.
 * Filled by an onRoute hook, so a route declared secret is covered wherever it is registered.
 */
export class SecretPaths {
  private readonly patterns = new Map<string, SecretPattern>();

  /** Adds a route pattern (`/backd/checkout/:token`) whose `names` parameters are secrets. */
  add(url: string, names: readonly string[]): void {
    if (names.length === 0 || this.patterns.has(url)) return;
    // Up to the last secret parameter, each piece is one group; a URL that goes on past it (a
    // longer, unknown path) is redacted all the same.
    const parts = url.split(/(:[A-Za-z_][A-Za-z0-9_]*)/);
    const isSecret = parts.map((p) => p.startsWith(':') && names.includes(p.slice(1)));
    const last = isSecret.lastIndexOf(true);
    if (last < 0) throw new Error(`${url} has no parameter named ${names.join(', ')}`);
    const source = parts
      .slice(0, last + 1)
      .map((p) => `(${p.startsWith(':') ? SEGMENT : escapeRegExp(p)})`)
      .join('');
    this.patterns.set(url, { regex: new RegExp(source, 'g'), secret: isSecret.slice(0, last + 1) });
  }

  /** The route patterns registered as secret-bearing. */
  get urls(): string[] {
    return [...this.patterns.keys()];
  }

  /** `text` with every secret path segment and every query value replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const { regex, secret } of this.patterns.values()) {
      out = out.replace(regex, (...match: unknown[]) =>
        secret.map((hidden, i) => (hidden ? REDACTED : (match[i + 1] as string))).join(''),
      );
    }
    return out.replace(QUERY_VALUE, `$1${REDACTED}`);
  }

  /** Collects every route's `config.secretParams` as it is registered. */
  collectFrom(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const names = route.config?.secretParams;
      if (names) this.add(route.url, names);
    });
  }
}

/**
 * Headers that carry credentials, wherever a request or response object is logged: the admin
 * face's and the outgoing webhooks' here, each dialect's in its registration (`secretHeaders`,
 * src/http/dialects/registry.ts).
 */
const SECRET_HEADERS = ['authorization', 'cookie', 'x-csrf-token', 'x-webhook-secret'];

function redactPaths(faceHeaders: readonly string[]): string[] {
  const headers = [...new Set([...SECRET_HEADERS, ...faceHeaders])];
  const inbound = [...new Set(['authorization', ...faceHeaders, 'cookie'])];
  return [
    ...headers.map((h) => `req.headers["${h}"]`),
    'res.headers["set-cookie"]',
    ...inbound.map((h) => `headers["${h}"]`),
  ];
}

/**
 * An error as pino writes it, without what may hold request data verbatim: Node's parse errors
 * carry the raw request bytes (`rawPacket`, headers included), and PostgreSQL repeats the values
 * of a violating row (`detail`: "Failing row contains (…)", "Key (col)=(value) …").
 */
function serializeError(error: Error): pino.SerializedError {
  const out = { ...pino.stdSerializers.err(error) };
  delete out['rawPacket'];
  if (typeof out['detail'] === 'string') {
    out['detail'] = out['detail']
      .replace(/^Failing row contains .*/s, `Failing row contains ${REDACTED}`)
      .replace(/=\(.*\)/s, `=(${REDACTED})`);
  }
  return out;
}

/**
 * pino options of the server's logger: level, redaction of headers (the common ones and the
 * faces' `faceHeaders`), errors and lines.
 */
export function loggerOptions(
  level: string,
  secretPaths: SecretPaths,
  faceHeaders: readonly string[],
) {
  return {
    level,
    redact: { paths: redactPaths(faceHeaders), censor: REDACTED },
    serializers: { err: serializeError },
    hooks: { streamWrite: (line: string) => secretPaths.redact(line) },
  };
}
