/**
 * The HTTP server: one Fastify instance carrying every face. Errors of every kind are rendered by
 * the face that owns the path; a stack trace never reaches a client.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';
import type { AdminAuthenticator } from '../app/admin-tokens.js';
import type { TestClock } from '../app/clocks.js';
import type { AppDeps } from '../app/context.js';
import { AssertionFailure } from '../domain/result.js';
import { adminFace, rootFace } from './admin/admin-errors.js';
import { adminRoutes } from './admin/routes.js';
import {
  type ErrorContext,
  type Face,
  faceFor,
  type HttpErrorKind,
  HttpProblem,
  send,
} from './faces.js';
import { healthRoutes } from './health.js';

export interface JobsPort {
  runDue(): Promise<Record<string, number>>;
}

export interface ServerOptions {
  readonly deps: AppDeps;
  readonly adminAuth: AdminAuthenticator;
  /** Present when UNWIND_TEST_CLOCK=1: enables /admin/clock. */
  readonly testClock: TestClock | null;
  readonly jobs: JobsPort;
  readonly bodyLimitBytes: number;
  /** pino options, or false for no logs (tests). */
  readonly logger: false | { level: string };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

const FRAMEWORK_ERRORS: Record<string, HttpErrorKind> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
};

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: options.logger.level,
          redact: {
            paths: ['req.headers.authorization', 'req.headers["x-api-key"]'],
            censor: '[redacted]',
          },
        }
      : false,
    bodyLimit: options.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    return503OnClosing: true,
  });

  const faces: Face[] = [adminFace];
  const renderFor = (url: string, kind: HttpErrorKind, context: ErrorContext) =>
    faceFor(faces, rootFace, url).renderHttpError(kind, context);

  // Every route's path and methods, to tell a wrong method (405) from an unknown path (404).
  const routeIndex = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods as FindMyWay.HTTPMethod[]) {
      if (!routeIndex.hasRoute(method, route.url))
        routeIndex.on(method, route.url, () => undefined);
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allow = METHODS.filter((m) => routeIndex.find(m, path) !== null);
    const context = { requestId: request.id, ...(allow.length ? { allow } : {}) };
    return send(
      reply,
      renderFor(request.url, allow.length ? 'method_not_allowed' : 'route_not_found', context),
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const context: ErrorContext = { requestId: request.id };
    if (error instanceof HttpProblem) {
      const issues = error.issues ? { issues: error.issues } : {};
      return send(reply, renderFor(request.url, error.kind, { ...context, ...issues }));
    }
    const kind = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (kind) return send(reply, renderFor(request.url, kind, context));
    // Anything else is a bug or an outage: log it in full, answer without details.
    request.log.error(
      { err: error, assertion: error instanceof AssertionFailure },
      'request failed',
    );
    return send(reply, renderFor(request.url, 'internal', context));
  });

  await app.register(healthRoutes, { store: options.deps.store });
  await app.register(adminRoutes, { prefix: '/admin', ...options });
  return app;
}
