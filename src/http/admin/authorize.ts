/**
 * Authorization on the admin face, in one place: every admin route requires one permission
 * (src/domain/operators.ts), declared with `requires(permission, options)` or taken from the
 * method (GET and HEAD need `read`; everything else `admin`, so a route that forgets to say is
 * closed to all but admins). `public` routes (signing in, accepting an invite) need none. The
 * principal (who is asking) is set by authentication (src/http/admin/session.ts); a refusal is
 * 403 `auth.role_forbidden` in the admin shape, before the handler runs.
 */
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { actorOf } from '../../app/operators.js';
import type { Actor } from '../../app/context.js';
import { type Permission, permits, type Principal } from '../../domain/operators.js';
import { assert } from '../../domain/result.js';
import { send } from '../faces.js';
import { renderRoleForbidden } from './admin-errors.js';

export type RouteRequirement = Permission | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission an admin route requires (src/http/admin/authorize.ts). */
    permission?: RouteRequirement;
  }
  interface FastifyRequest {
    /** Who is asking on the admin face; null before authentication and on public routes. */
    principal: Principal | null;
  }
}

/** Route options requiring `permission`: `app.post(url, requires('orders', documented(…)), …)`. */
export function requires<T extends RouteShorthandOptions>(
  permission: RouteRequirement,
  options: T,
): T {
  return { ...options, config: { ...options.config, permission } };
}

export const requirementOf = (request: FastifyRequest): RouteRequirement =>
  request.routeOptions.config.permission ??
  (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'admin');

/** Answers 403 when the principal lacks the route's permission; returns the reply if it did. */
export function authorize(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const requirement = requirementOf(request);
  if (requirement === 'public') return undefined;
  const principal = request.principal;
  assert(principal !== null, 'authentication sets the principal before authorization');
  if (permits(principal, requirement)) return undefined;
  return send(
    reply,
    renderRoleForbidden(
      { permission: requirement, role: principal.role, scopes: principal.scopes },
      request.id,
    ),
  );
}

/** The principal of an authorized request (every non-public admin route has one). */
export function principalOf(request: FastifyRequest): Principal {
  assert(request.principal !== null, 'an authorized admin request has a principal');
  return request.principal;
}

/** Whom the request's changes are recorded as. */
export const actorFor = (request: FastifyRequest): Actor => actorOf(principalOf(request));
