/**
 * The authenticated caller of a face's request (Points, Backd, MPG): each face's auth hook admits
 * it once it has authenticated the key, and the route handlers read it back.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../app/context.js';
import { type KeyScope, merchantKeyScope } from '../app/idempotency.js';
import type { Authenticated } from '../app/merchants.js';
import { HttpProblem } from './faces.js';
import { limitCaller } from './rate-limit.js';

const callers = new WeakMap<FastifyRequest, Authenticated>();

/**
 * Counts the request against its credential's rate limit (429 when over), then remembers the
 * caller for the handler. Checks the face makes after this (IP allow-list, permissions) still
 * refuse the request.
 */
export function admitCaller(request: FastifyRequest, auth: Authenticated): void {
  limitCaller(request, auth.credential.id);
  callers.set(request, auth);
}

/** The caller admitted for this request; a route without the face's auth hook gets 401. */
export function callerOf(request: FastifyRequest): Authenticated {
  const caller = callers.get(request);
  if (!caller) throw new HttpProblem('auth_missing');
  return caller;
}

/** Who the audit trail names for a write made with this credential. */
export const credentialActor = (auth: Pick<Authenticated, 'credential'>): Actor => ({
  kind: 'credential',
  prefix: auth.credential.prefix,
});

/**
 * Whose `Idempotency-Key`s a caller's writes use: the merchant's on the face it called, whichever
 * of the merchant's credentials (before or after a rotation) it presented.
 */
export const callerKeyScope = (auth: Pick<Authenticated, 'credential'>): KeyScope =>
  merchantKeyScope(auth.credential.dialect, auth.credential.merchantId);
