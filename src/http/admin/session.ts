/**
 * Dashboard sign-in on the admin API. `POST /admin/session` exchanges the admin token for an
 * HttpOnly, SameSite=Strict session cookie and a CSRF token; every other admin route then accepts
 * that cookie in place of the bearer token, provided the request comes from this origin and, when
 * it changes anything, carries the CSRF token in `X-CSRF-Token`. Bearer-token callers are
 * untouched: a cookie is never consulted when an Authorization header is present.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminAuthenticator } from '../../app/admin-tokens.js';
import {
  ADMIN_SESSION_LIFETIME_MS,
  type ActiveAdminSession,
  closeAdminSession,
  csrfTokenMatches,
  findActiveAdminSession,
  openAdminSession,
  type OpenedAdminSession,
  openOperatorSession,
} from '../../app/admin-sessions.js';
import { signInOperator } from '../../app/operator-sign-in.js';
import { operatorPrincipal } from '../../app/operators.js';
import { PASSWORD_LENGTH_MAX } from '../../app/passwords.js';
import { BOOTSTRAP_PRINCIPAL, type Principal } from '../../domain/operators.js';
import { requirementOf, requires } from './authorize.js';
import type { AppDeps } from '../../app/context.js';
import { LIMITS } from '../../app/limits.js';
import { countAuthFailure } from '../auth-throttle.js';
import { HttpProblem, send } from '../faces.js';
import { documented } from '../openapi.js';
import { limitCaller, RateLimiter, takeOrRefuse } from '../rate-limit.js';
import { parseOrThrow } from '../validation.js';
import { type AdminSessionErrorCode, renderAdminSessionError } from './admin-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The dashboard session that authenticated this admin request, if a cookie did. */
    adminSession: ActiveAdminSession | null;
  }
}

/** The cookie's name; `__Host-` (Secure, Path=/, no Domain) whenever the service runs on https. */
const COOKIE = 'unwind_session';
const SECURE_COOKIE = '__Host-unwind_session';
const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const signInSchema = z.union([
  z.strictObject({ token: z.string().min(1).max(512) }),
  z.strictObject({
    name: z.string().min(1).max(64),
    password: z.string().min(1).max(PASSWORD_LENGTH_MAX),
    code: z
      .string()
      .regex(/^[0-9]{6}$/)
      .optional(),
  }),
]);

export interface SessionAuthOptions {
  readonly deps: AppDeps;
  readonly adminAuth: AdminAuthenticator;
  /** PUBLIC_URL: its origin is accepted beside the request's own Host. */
  readonly publicUrl: string;
}

const isHttps = (request: FastifyRequest, publicUrl: string) =>
  request.protocol === 'https' || publicUrl.startsWith('https:');

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

const sessionSecret = (request: FastifyRequest): string | null =>
  readCookie(request.headers.cookie, SECURE_COOKIE) ?? readCookie(request.headers.cookie, COOKIE);

function setCookie(reply: FastifyReply, secure: boolean, value: string, maxAgeSeconds: number) {
  const name = secure ? SECURE_COOKIE : COOKIE;
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) attributes.push('Secure');
  reply.header('set-cookie', `${name}=${value}; ${attributes.join('; ')}`);
}

/**
 * Whether a browser request comes from this service's own pages. `Origin` is sent by browsers on
 * every cross-origin request and on same-origin writes; `Sec-Fetch-Site` on every request of a
 * modern browser. Either one naming another site is enough to refuse.
 */
function fromOwnOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === new URL(publicUrl).origin || origin === requestOrigin(request);
}

/** The origin the request was addressed to (its Host), normalised as browsers send Origin. */
function requestOrigin(request: FastifyRequest): string | null {
  if (!request.headers.host) return null;
  try {
    return new URL(`${request.protocol}://${request.headers.host}`).origin;
  } catch {
    return null;
  }
}

const refuse = (request: FastifyRequest, reply: FastifyReply, code: AdminSessionErrorCode) =>
  send(reply, renderAdminSessionError(code, request.id));

/**
 * The admin face's authentication: a bearer token, or a dashboard session cookie with the origin
 * and CSRF checks. Returns the reply when it has answered (refused), else undefined.
 */
export async function authenticateAdmin(
  request: FastifyRequest,
  reply: FastifyReply,
  options: SessionAuthOptions,
): Promise<FastifyReply | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer (\S+)$/i.exec(header);
    const principal = match ? await options.adminAuth.principalFor(match[1]!) : null;
    if (!principal) throw new HttpProblem('auth_invalid');
    request.principal = principal;
    limitCaller(request, 'admin');
    return undefined;
  }
  if (!fromOwnOrigin(request, options.publicUrl))
    return refuse(request, reply, 'auth.cross_origin');
  // Signing in and accepting an invite come before any session.
  if (requirementOf(request) === 'public') return undefined;
  const secret = sessionSecret(request);
  if (secret === null) throw new HttpProblem('auth_missing');
  const session = await findActiveAdminSession(options.deps, options.adminAuth, secret, Date.now());
  if (!session) {
    countAuthFailure(request);
    setCookie(reply, isHttps(request, options.publicUrl), '', 0);
    return refuse(request, reply, 'auth.session_invalid');
  }
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || presented === '') {
      return refuse(request, reply, 'auth.csrf_missing');
    }
    if (!csrfTokenMatches(session, presented)) {
      countAuthFailure(request);
      return refuse(request, reply, 'auth.csrf_invalid');
    }
  }
  request.adminSession = session;
  request.principal = session.principal;
  limitCaller(request, 'admin');
  return undefined;
}

const sessionJson = (
  s: { csrfToken: string; expiresAt: number; createdAt?: number },
  principal: Principal,
) => ({
  csrf_token: s.csrfToken,
  expires_at: new Date(s.expiresAt).toISOString(),
  operator: principalJson(principal),
});

/** POST /session: sign in. */
function signInRoute(app: FastifyInstance, options: SessionAuthOptions): void {
  // Its own limiter, always on (the general one may be switched off), on the service's clock
  // like the general one.
  const signInAttempts = new RateLimiter(
    LIMITS.signInAttemptsPerMinute,
    LIMITS.rateLimitWindowMs,
    options.deps.clock,
  );
  app.post(
    '/session',
    requires(
      'public',
      documented({
        summary: "Sign in to the dashboard: an operator's name and password, or the admin token",
        description:
          'Sets an HttpOnly, SameSite=Strict cookie and returns the CSRF token that every ' +
          'mutating request made with the cookie must carry in `X-CSRF-Token`, and who signed ' +
          'in. An operator with TOTP sends `code` too: without it the answer is 401 ' +
          '`auth.code_required`. Refused from another origin.',
        tag: 'Dashboard session',
        body: signInSchema,
        responses: {
          201: { description: 'Signed in' },
          401: { description: 'Token, name, password or code not valid' },
        },
      }),
    ),
    async (request, reply) => {
      // Sign-in attempts are limited per client address, before the token is checked.
      takeOrRefuse(signInAttempts, request.ip);
      const body = parseOrThrow(signInSchema, request.body);
      const opened = await signIn(options.deps, options.adminAuth, body, request);
      if (!opened.ok) {
        if (opened.refusal === 'invalid') throw new HttpProblem('auth_invalid');
        countAuthFailure(request);
        return refuse(request, reply, opened.refusal);
      }
      setCookie(
        reply,
        isHttps(request, options.publicUrl),
        opened.session.secret,
        Math.floor(ADMIN_SESSION_LIFETIME_MS / 1000),
      );
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(sessionJson(opened.session, opened.principal));
    },
  );
}

/** GET and DELETE /session. */
function sessionStateRoutes(app: FastifyInstance, options: SessionAuthOptions): void {
  app.get(
    '/session',
    requires(
      'read',
      documented({
        summary: "The dashboard session's CSRF token and expiry (after a page reload)",
        tag: 'Dashboard session',
      }),
    ),
    async (request, reply) => {
      const session = request.adminSession;
      if (!session) return refuse(request, reply, 'auth.session_invalid');
      return reply
        .header('cache-control', 'no-store')
        .send(sessionJson(session, session.principal));
    },
  );

  app.delete(
    '/session',
    requires(
      'read',
      documented({ summary: 'Sign out of the dashboard', tag: 'Dashboard session' }),
    ),
    async (request, reply) => {
      const session = request.adminSession;
      if (!session) return refuse(request, reply, 'auth.session_invalid');
      await closeAdminSession(options.deps, session.id, Date.now());
      setCookie(reply, isHttps(request, options.publicUrl), '', 0);
      return reply.code(204).send();
    },
  );
}

export const sessionRoutes: FastifyPluginAsync<SessionAuthOptions> = async (app, options) => {
  signInRoute(app, options);
  sessionStateRoutes(app, options);
};

export const principalJson = (p: Principal) => ({
  id: p.operatorId,
  name: p.name,
  kind: p.kind,
  role: p.role,
  scopes: p.scopes,
  limit_minor: p.limitMinor,
});

type SignInBody = z.infer<typeof signInSchema>;
type SignedIn =
  | { ok: true; session: OpenedAdminSession; principal: Principal }
  | { ok: false; refusal: 'invalid' | 'auth.code_required' | 'auth.code_invalid' };

/** The bootstrap admin token, or an operator's name, password and code. */
async function signIn(
  deps: AppDeps,
  adminAuth: AdminAuthenticator,
  body: SignInBody,
  request: FastifyRequest,
): Promise<SignedIn> {
  const meta = { userAgent: request.headers['user-agent'] ?? null, now: Date.now() };
  if ('token' in body) {
    const session = await openAdminSession(deps, adminAuth, { token: body.token, ...meta });
    return session
      ? { ok: true, session, principal: BOOTSTRAP_PRINCIPAL }
      : { ok: false, refusal: 'invalid' };
  }
  const outcome = await signInOperator(deps, {
    name: body.name,
    password: body.password,
    ...(body.code === undefined ? {} : { code: body.code }),
  });
  if (!outcome.ok) {
    const refusal = {
      invalid: 'invalid',
      code_required: 'auth.code_required',
      code_invalid: 'auth.code_invalid',
    } as const;
    return { ok: false, refusal: refusal[outcome.reason] };
  }
  const session = await openOperatorSession(deps, outcome.operator.id, meta);
  return { ok: true, session, principal: operatorPrincipal(outcome.operator) };
}
