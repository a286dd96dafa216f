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
import type { CheckoutOptions } from '../app/points-checkout-codes.js';
import { LIMITS } from '../app/limits.js';
import { AssertionFailure } from '../domain/result.js';
import {
  adminFace,
  type FeatureGate,
  renderFeatureDisabled,
  rootFace,
} from './admin/admin-errors.js';
import { TEST_CLOCK_GATE } from './admin/clock.js';
import { adminRoutes } from './admin/routes.js';
import { dashboardRoutes } from './dashboard/static.js';
import {
  type ErrorContext,
  type Face,
  faceFor,
  type HttpErrorKind,
  HttpProblem,
  send,
} from './faces.js';
import { DIALECT_MODULES } from './dialects/registry.js';
import { healthRoutes } from './health.js';
import { AuthThrottle, registerAuthThrottle } from './auth-throttle.js';
import { addressMatcher } from './client-address.js';
import {
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  guardConnections,
  timeoutOptions,
} from './connections.js';
import { HttpCounters } from './http-counters.js';
import { loggerOptions, SecretPaths } from './log-redaction.js';
import { RateLimiter } from './rate-limit.js';
import { registerDocs, type RouteDoc, type FaceDoc } from './openapi.js';
import { suggestRoute } from './route-suggestion.js';

const ADMIN_DOC: FaceDoc = {
  name: 'admin',
  title: 'Unwind admin API',
  prefix: '/admin',
  description: "Unwind's own API: merchants, orders, events, webhooks, deliveries, jobs, clock.",
  security: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
};

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
  /** Base URL for links to hosted pages (PUBLIC_URL). */
  readonly publicUrl: string;
  /** pino options, or false for no logs (tests). */
  readonly logger: false | { level: string };
  /** Requests per credential per minute in this process; 0 or absent: no limit. */
  readonly rateLimitPerMinute?: number;
  /** The Points hosted checkout's code senders and limits; its outbox is read at /admin/points/otp. */
  readonly checkout: CheckoutOptions;
  /** Failed authentications per client address and face per minute; 0 or absent: no limit. */
  readonly authFailuresPerMinute?: number;
  /** Proxies (addresses, CIDRs) whose X-Forwarded-For names the client (none when absent). */
  readonly trustedProxies?: readonly string[];
  /** Timeouts and connection caps; absent: the defaults of src/app/limits.ts. */
  readonly connections?: ConnectionLimits;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** One registered route: its method and its path pattern (`/admin/orders/:id`). */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  /** The route's OpenAPI description (`config.openapi`); undefined when it has none. */
  readonly doc: RouteDoc | false | undefined;
  /** Its path parameters that are secrets (`config.secretParams`, src/http/log-redaction.ts). */
  readonly secretParams: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on this server, in registration order. */
    readonly unwindRoutes: readonly RouteEntry[];
  }
}
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

const FRAMEWORK_ERRORS: Record<string, HttpErrorKind> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
};

const FACES: readonly Face[] = [adminFace, ...DIALECT_MODULES.map((d) => d.face)];
const DIALECT_SECRET_HEADERS = DIALECT_MODULES.flatMap((d) => d.secretHeaders);

/** An error of `kind` in the shape of the face that owns `url`. */
const renderFor = (url: string, kind: HttpErrorKind, context: ErrorContext) =>
  faceFor(FACES, rootFace, url).renderHttpError(kind, context);

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const secretPaths = new SecretPaths();
  const connections = options.connections ?? DEFAULT_CONNECTION_LIMITS;
  const trustedProxies = [...(options.trustedProxies ?? [])];
  const app = createFastify(options, secretPaths, connections, trustedProxies);
  // JSON is the only body type of every face; Fastify's default text/plain parser would let
  // a string through to the schemas instead of answering 415.
  app.removeContentTypeParser('text/plain');
  secretPaths.collectFrom(app);
  guardConnections(app, connections, addressMatcher(trustedProxies));
  const httpCounters = new HttpCounters();
  httpCounters.register(app);
  registerAuthThrottle(app, authThrottleOf(options));
  const { routeIndex, routes } = trackRoutes(app, options);
  registerEdgeHooks(app);
  registerNotFoundHandler(app, options, routeIndex, routes);
  registerErrorHandler(app);
  await mountFaces(app, options, routes, httpCounters);
  return app;
}

function createFastify(
  options: ServerOptions,
  secretPaths: SecretPaths,
  connections: ConnectionLimits,
  trustedProxies: string[],
): FastifyInstance {
  return Fastify({
    logger: options.logger
      ? loggerOptions(options.logger.level, secretPaths, DIALECT_SECRET_HEADERS)
      : false,
    // request.ip follows X-Forwarded-For only through these hops (src/http/client-address.ts).
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    ...timeoutOptions(connections),
    bodyLimit: options.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    return503OnClosing: true,
    // Ids are at most 255 characters; a longer path segment is refused in the face's shape.
    routerOptions: { maxParamLength: 300 },
    // URL errors found before routing are rendered like every other error.
    frameworkErrors: (error, request, reply) => {
      const kind = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'malformed_url';
      reply.header('x-request-id', request.id);
      return send(reply, renderFor(request.url, kind, { requestId: request.id }));
    },
  });
}

/** Failed authentications per address and face, or null when the setting is off. */
function authThrottleOf(options: ServerOptions): AuthThrottle | null {
  const failuresPerMinute = options.authFailuresPerMinute ?? 0;
  return failuresPerMinute > 0
    ? new AuthThrottle(
        new RateLimiter(failuresPerMinute, LIMITS.rateLimitWindowMs, options.deps.clock),
        (url) => {
          const face = faceFor(FACES, rootFace, url);
          return face === rootFace ? null : face.name;
        },
      )
    : null;
}

/**
 * Every route's path and methods, to tell a wrong method (405) from an unknown path (404),
 * and to list the routes (the fuzzer and the OpenAPI check walk them).
 */
function trackRoutes(app: FastifyInstance, options: ServerOptions) {
  const routeIndex = FindMyWay();
  const routes: RouteEntry[] = [];
  app.decorate('unwindRoutes', routes);
  const perMinute = options.rateLimitPerMinute ?? 0;
  app.decorate(
    'unwindRateLimiter',
    perMinute > 0 ? new RateLimiter(perMinute, LIMITS.rateLimitWindowMs, options.deps.clock) : null,
  );
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods as FindMyWay.HTTPMethod[]) {
      if (!routeIndex.hasRoute(method, route.url))
        routeIndex.on(method, route.url, () => undefined);
      if (method === 'HEAD') continue;
      const secretParams = route.config?.secretParams ?? [];
      routes.push({ method, url: route.url, doc: route.config?.openapi, secretParams });
    }
  });
  return { routeIndex, routes };
}

/** Hooks every request passes: NUL characters refused, request id echoed, closing honoured. */
function registerEdgeHooks(app: FastifyInstance): void {
  // NUL characters are refused at the edge: PostgreSQL cannot store them in text, and SQLite
  // miscounts strings that contain them, so they would otherwise surface as a 500.
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url)) throw new HttpProblem('malformed_url');
  });
  app.addHook('preValidation', async (request) => {
    const path = findNul(request.body);
    if (path !== null) {
      throw new HttpProblem('validation_failed', [
        { path, message: 'Must not contain NUL characters.' },
      ]);
    }
  });

  // While shutting down, every answer closes its connection: a keep-alive socket that was busy
  // when close() began would otherwise hold the server open until the grace period ends.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
}

/** 404 or 405 in the face's shape, with a feature gate's setting or a route suggestion. */
function registerNotFoundHandler(
  app: FastifyInstance,
  options: ServerOptions,
  routeIndex: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>,
  routes: readonly RouteEntry[],
): void {
  // Routes that exist only with a setting, while it is off: they answer which setting it is.
  const gates: FeatureGate[] = options.testClock ? [] : [TEST_CLOCK_GATE];
  const gateIndex = FindMyWay();
  gates.forEach((gate, at) => {
    for (const url of gate.paths) gateIndex.on(METHODS.slice(), url, () => undefined, { at });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const gated = gateIndex.find(request.method as FindMyWay.HTTPMethod, path);
    const gate = gated ? gates[(gated.store as { at: number }).at] : undefined;
    if (gate) return send(reply, renderFeatureDisabled(gate, request.id));
    const allow = METHODS.filter((m) => routeIndex.find(m, path) !== null);
    if (allow.length) {
      return send(
        reply,
        renderFor(request.url, 'method_not_allowed', { requestId: request.id, allow }),
      );
    }
    const face = faceFor(FACES, rootFace, request.url);
    const didYouMean = suggestRoute(routes, face.prefix, request.method, path);
    return send(
      reply,
      face.renderHttpError('route_not_found', {
        requestId: request.id,
        ...(didYouMean ? { didYouMean } : {}),
      }),
    );
  });
}

/** Every other error, rendered by the face that owns the path; details only in the log. */
function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const context: ErrorContext = { requestId: request.id };
    if (error instanceof HttpProblem) {
      // A wrong credential counts against its address; one over the limit is answered 429.
      const problem =
        error.kind === 'auth_invalid'
          ? (app.unwindAuthThrottle?.countFailure(request) ?? error)
          : error;
      const issues = problem.issues ? { issues: problem.issues } : {};
      const rendered = renderFor(request.url, problem.kind, { ...context, ...issues });
      return send(
        reply,
        problem.headers
          ? { ...rendered, headers: { ...rendered.headers, ...problem.headers } }
          : rendered,
      );
    }
    const kind = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (kind) return send(reply, renderFor(request.url, kind, context));
    // The connection closed before the body arrived (the client left, or a timeout cut it off,
    // src/http/connections.ts): no one is left to answer, and it is no fault of the server.
    if (error.code === 'ECONNRESET' && request.raw.destroyed) {
      request.log.info({ code: error.code }, 'connection closed before the request arrived');
      return send(reply, renderFor(request.url, 'malformed_json', context));
    }
    // Anything else is a bug or an outage: log it in full, answer without details.
    request.log.error(
      { err: error, assertion: error instanceof AssertionFailure },
      'request failed',
    );
    return send(reply, renderFor(request.url, 'internal', context));
  });
}

/** Health, docs, the admin API, the dashboard and every dialect's face, in that order. */
async function mountFaces(
  app: FastifyInstance,
  options: ServerOptions,
  routes: readonly RouteEntry[],
  httpCounters: HttpCounters,
): Promise<void> {
  await app.register(healthRoutes, { deps: options.deps });
  registerDocs(
    app,
    [
      ADMIN_DOC,
      ...DIALECT_MODULES.flatMap((d) =>
        d.openapi ? [{ ...d.openapi, prefix: d.face.prefix }] : [],
      ),
    ],
    () => routes,
    options.publicUrl,
  );
  await app.register(adminRoutes, { prefix: '/admin', ...options, httpCounters });
  await app.register(dashboardRoutes);
  for (const dialect of DIALECT_MODULES) {
    await dialect.register(app, {
      deps: options.deps,
      publicUrl: options.publicUrl,
      checkout: options.checkout,
    });
  }
}

/** The dot path of the first string containing a NUL character in a parsed body, or null. */
function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  // Only what JSON.parse makes is walked. A streamed body (a reconciliation report) is an
  // IncomingMessage, whose socket and server reach half the process: walking that graph 32
  // levels deep blocked the event loop for good.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
    const found = findNul(item, path ? `${path}.${key}` : key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
