/**
 * Dashboard sessions. Signing in exchanges the admin token for a random session secret that the
 * browser keeps in an HttpOnly cookie; only its hash is stored. The CSRF token is derived from the
 * secret (a one-way hash), so it needs no storage, a page reload can ask for it again, and
 * knowing it reveals nothing about the cookie.
 *
 * Sessions run on wall-clock time passed in by the caller, never on the test clock: moving the
 * test clock a week ahead must not sign the operator out.
 */
import crypto from 'node:crypto';
import { BOOTSTRAP_PRINCIPAL, type Principal } from '../domain/operators.js';
import { ok } from '../domain/result.js';
import type { AdminAuthenticator } from './admin-tokens.js';
import { type AppDeps, execute, query } from './context.js';
import { operatorPrincipal } from './operators.js';
import type { AdminSession } from './ports/operators.js';
import { hashesEqual, hashSecret, issueSecret } from './secrets.js';

export const ADMIN_SESSION_TAG = 'unwind_session_';
/** A session ends this long after sign-in, whatever happens in between. */
export const ADMIN_SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
const USER_AGENT_LENGTH_MAX = 255;

export interface OpenedAdminSession {
  /** The cookie value; shown only here. */
  readonly secret: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

export interface ActiveAdminSession {
  readonly id: string;
  /** Who signed in: the bootstrap admin (token sign-in) or a named operator. */
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export const csrfTokenFor = (sessionSecret: string): string =>
  crypto.createHash('sha256').update(`csrf\u0000${sessionSecret}`).digest('base64url');

/** Compares a presented CSRF token with the session's in constant time. */
export const csrfTokenMatches = (session: ActiveAdminSession, presented: string): boolean =>
  hashesEqual(hashSecret(session.csrfToken), hashSecret(presented));

/** Opens a session for a valid bootstrap admin token; null when the token is not valid. */
export async function openAdminSession(
  deps: AppDeps,
  auth: AdminAuthenticator,
  input: { readonly token: string; readonly userAgent: string | null; readonly now: number },
): Promise<OpenedAdminSession | null> {
  const tokenHash = await auth.acceptedHash(input.token);
  if (tokenHash === null) return null;
  return insertSession(deps, { tokenHash, operatorId: null }, input);
}

/** Opens a session for an operator whose sign-in succeeded (src/app/operator-sign-in.ts). */
export const openOperatorSession = (
  deps: AppDeps,
  operatorId: string,
  input: { readonly userAgent: string | null; readonly now: number },
): Promise<OpenedAdminSession> => insertSession(deps, { tokenHash: '', operatorId }, input);

async function insertSession(
  deps: AppDeps,
  owner: { readonly tokenHash: string; readonly operatorId: string | null },
  input: { readonly userAgent: string | null; readonly now: number },
): Promise<OpenedAdminSession> {
  const secret = issueSecret(ADMIN_SESSION_TAG);
  const expiresAt = input.now + ADMIN_SESSION_LIFETIME_MS;
  const result = await execute(deps, async (tx, run) => {
    // Housekeeping rides on sign-in: expired sessions are useless and only grow the table.
    await tx.deleteExpiredAdminSessions(input.now);
    await tx.insertAdminSession({
      id: run.newId(),
      secretHash: secret.hash,
      tokenHash: owner.tokenHash,
      operatorId: owner.operatorId,
      userAgent: input.userAgent?.slice(0, USER_AGENT_LENGTH_MAX) ?? null,
      createdAt: input.now,
      expiresAt,
      revokedAt: null,
    });
    return ok(undefined);
  });
  if (!result.ok) throw new Error('opening a session cannot fail');
  return { secret: secret.plaintext, csrfToken: csrfTokenFor(secret.plaintext), expiresAt };
}

/**
 * The live session a cookie names, or null: unknown, expired, signed out, its bootstrap token
 * revoked, or its operator disabled. An operator's role and limit are read as they are now.
 */
export async function findActiveAdminSession(
  deps: AppDeps,
  auth: AdminAuthenticator,
  secret: string,
  now: number,
): Promise<ActiveAdminSession | null> {
  const session = await query(deps, (tx) => tx.findAdminSessionByHash(hashSecret(secret)));
  if (!session || session.revokedAt !== null || session.expiresAt <= now) return null;
  const principal = await sessionPrincipal(deps, auth, session);
  if (!principal) return null;
  return {
    id: session.id,
    principal,
    csrfToken: csrfTokenFor(secret),
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
  };
}

/** Signs a session out; a second sign-out is harmless. */
export async function closeAdminSession(deps: AppDeps, id: string, now: number): Promise<void> {
  await execute(deps, async (tx) => {
    await tx.revokeAdminSession(id, now);
    return ok(undefined);
  });
}

async function sessionPrincipal(
  deps: AppDeps,
  auth: AdminAuthenticator,
  session: AdminSession,
): Promise<Principal | null> {
  if (session.operatorId === null) {
    return (await auth.hashStillValid(session.tokenHash)) ? BOOTSTRAP_PRINCIPAL : null;
  }
  const operatorId = session.operatorId;
  const operator = await query(deps, (tx) => tx.findOperator(operatorId));
  return operator && operator.disabledAt === null ? operatorPrincipal(operator) : null;
}
