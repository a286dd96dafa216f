import type { FastifyReply } from 'fastify';
/**
 * A face is one API surface under a path prefix (admin, Points, Backd, MPG). Each face renders
 * every error, including the framework's own (unknown route, wrong method, malformed JSON, wrong
 * content type, oversized body), in its own error shape, so a client never sees a foreign shape.
 */

/** Errors that arise in HTTP handling before any use case runs. */
export const HTTP_ERROR_KINDS = [
  'route_not_found',
  'method_not_allowed',
  'malformed_url',
  'uri_too_long',
  'malformed_json',
  'unsupported_media_type',
  'body_too_large',
  'auth_missing',
  'auth_invalid',
  'forbidden',
  'validation_failed',
  'rate_limited',
  'internal',
] as const;
export type HttpErrorKind = (typeof HTTP_ERROR_KINDS)[number];

/** A validation problem at one field path (dot notation, as `products.0.quantity`). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Issues grouped by field, `{field: [messages]}`, as own properties only: a field named like an
 * Object.prototype member (`toString`, `__proto__`, sent by a client as a body key) is a field
 * like any other, never the prototype's.
 */
export function messagesByField(
  issues: readonly FieldIssue[],
  fieldOf: (issue: FieldIssue) => string = (issue) => issue.path,
): Record<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const issue of issues) {
    const field = fieldOf(issue);
    grouped.set(field, [...(grouped.get(field) ?? []), issue.message]);
  }
  return Object.fromEntries(grouped);
}

export interface RenderedError {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ErrorContext {
  readonly requestId: string;
  readonly issues?: readonly FieldIssue[];
  /** Methods the path accepts, for 405. */
  readonly allow?: readonly string[];
  /** For 404: the face's route nearest to the unknown path (src/http/route-suggestion.ts). */
  readonly didYouMean?: string;
}

/** The sentence faces whose error shape has only a message add to their 404. */
export const didYouMeanSentence = (context: ErrorContext): string =>
  context.didYouMean ? ` Did you mean ${context.didYouMean}?` : '';

export interface Face {
  readonly name: string;
  /** Path prefix the face owns, e.g. `/admin`. */
  readonly prefix: string;
  renderHttpError(kind: HttpErrorKind, context: ErrorContext): RenderedError;
}

/** Picks the face owning a URL path: the longest matching prefix wins. */
export function faceFor(faces: readonly Face[], fallback: Face, url: string): Face {
  const path = url.split('?')[0] ?? url;
  let best: Face = fallback;
  for (const face of faces) {
    const owns = path === face.prefix || path.startsWith(`${face.prefix}/`);
    if (owns && face.prefix.length > best.prefix.length) best = face;
  }
  return best;
}

/** Thrown by a handler to answer with one of the HTTP error kinds in its face's shape. */
export class HttpProblem extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    readonly issues?: readonly FieldIssue[],
    /** Extra response headers, e.g. `retry-after` of a 429. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(kind);
  }
}

/** The face's 429, with `Retry-After` in whole seconds (at least 1). */
export const rateLimited = (retryAfterMs: number): HttpProblem =>
  new HttpProblem('rate_limited', undefined, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });

export function send(reply: FastifyReply, rendered: RenderedError): FastifyReply {
  if (rendered.headers) reply.headers(rendered.headers);
  return reply.code(rendered.status).send(rendered.body);
}
