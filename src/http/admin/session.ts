/**
 * Dashboard sign-in on the admin API. `POST /admin/session` exchanges the admin token for an
 * HttpOnly, SameSite=Strict session cookie and a CSRF token; every other admin route then accepts
 * that cookie in place of the bearer token, provided the request comes from this origin and, when
 * it changes anything, carries the CSRF token in `X-CSRF-Token`. Bearer-token callers are
 * untouched: a cookie is never consulted when an Authorization header is present.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminAuthenticator } from '../../app/admin-tokens.js';
import {
  ADMIN_SESSION_LIFETIME_MS,
  type ActiveAdminSession,
  closeAdminSession,
  csrfTokenMatches,
  findActiveAdminSession,
  openAdminSession,
} from '../../app/admin-sessions.js';
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

const signInSchema = z.strictObject({ token: z.string().min(1).max(512) });

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
    if (!match || !(await options.adminAuth.verify(match[1]!))) {
      throw new HttpProblem('auth_invalid');
    }
    limitCaller(request, 'admin');
    return undefined;
  }
  const signingIn = request.method === 'POST' && request.routeOptions.url === '/admin/session';
  if (!fromOwnOrigin(request, options.publicUrl))
    return refuse(request, reply, 'auth.cross_origin');
  if (signingIn) return undefined;
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
  limitCaller(request, 'admin');
  return undefined;
}

const sessionJson = (s: { csrfToken: string; expiresAt: number; createdAt?: number }) => ({
  csrf_token: s.csrfToken,
  expires_at: new Date(s.expiresAt).toISOString(),
});

export const sessionRoutes: FastifyPluginAsync<SessionAuthOptions> = async (app, options) => {
  // Its own limiter, always on (the general one may be switched off), on the service's clock
  // like the general one.
  const signInAttempts = new RateLimiter(
    LIMITS.signInAttemptsPerMinute,
    LIMITS.rateLimitWindowMs,
    options.deps.clock,
  );
  app.post(
    '/session',
    documented({
      summary: 'Sign in to the dashboard: exchange the admin token for a session cookie',
      description:
        'Sets an HttpOnly, SameSite=Strict cookie and returns the CSRF token that every ' +
        'mutating request made with the cookie must carry in `X-CSRF-Token`. Refused from ' +
        'another origin.',
      tag: 'Dashboard session',
      body: signInSchema,
      responses: { 201: { description: 'Signed in' }, 401: { description: 'Token not valid' } },
    }),
    async (request, reply) => {
      // Sign-in attempts are limited per client address, before the token is checked.
      takeOrRefuse(signInAttempts, request.ip);
      const { token } = parseOrThrow(signInSchema, request.body);
      const opened = await openAdminSession(options.deps, options.adminAuth, {
        token,
        userAgent: request.headers['user-agent'] ?? null,
        now: Date.now(),
      });
      if (!opened) throw new HttpProblem('auth_invalid');
      setCookie(
        reply,
        isHttps(request, options.publicUrl),
        opened.secret,
        Math.floor(ADMIN_SESSION_LIFETIME_MS / 1000),
      );
      return reply.code(201).header('cache-control', 'no-store').send(sessionJson(opened));
    },
  );

  app.get(
    '/session',
    documented({
      summary: "The dashboard session's CSRF token and expiry (after a page reload)",
      tag: 'Dashboard session',
    }),
    async (request, reply) => {
      const session = request.adminSession;
      if (!session) return refuse(request, reply, 'auth.session_invalid');
      return reply.header('cache-control', 'no-store').send(sessionJson(session));
    },
  );

  app.delete(
    '/session',
    documented({ summary: 'Sign out of the dashboard', tag: 'Dashboard session' }),
    async (request, reply) => {
      const session = request.adminSession;
      if (!session) return refuse(request, reply, 'auth.session_invalid');
      await closeAdminSession(options.deps, session.id, Date.now());
      setCookie(reply, isHttps(request, options.publicUrl), '', 0);
      return reply.code(204).send();
    },
  );
};
