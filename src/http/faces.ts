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
}

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
