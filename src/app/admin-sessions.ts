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
import { ok } from '../domain/result.js';
import type { AdminAuthenticator } from './admin-tokens.js';
import { type AppDeps, execute, query } from './context.js';
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
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export const csrfTokenFor = (sessionSecret: string): string =>
  crypto.createHash('sha256').update(`csrf\u0000${sessionSecret}`).digest('base64url');

/** Compares a presented CSRF token with the session's in constant time. */
export const csrfTokenMatches = (session: ActiveAdminSession, presented: string): boolean =>
  hashesEqual(hashSecret(session.csrfToken), hashSecret(presented));

/** Opens a session for a valid admin token; null when the token is not valid. */
export async function openAdminSession(
  deps: AppDeps,
  auth: AdminAuthenticator,
  input: { readonly token: string; readonly userAgent: string | null; readonly now: number },
): Promise<OpenedAdminSession | null> {
  const tokenHash = await auth.acceptedHash(input.token);
  if (tokenHash === null) return null;
  const secret = issueSecret(ADMIN_SESSION_TAG);
  const expiresAt = input.now + ADMIN_SESSION_LIFETIME_MS;
  const result = await execute(deps, async (tx, run) => {
    // Housekeeping rides on sign-in: expired sessions are useless and only grow the table.
    await tx.deleteExpiredAdminSessions(input.now);
    await tx.insertAdminSession({
      id: run.newId(),
      secretHash: secret.hash,
      tokenHash,
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

/** The live session a cookie names, or null: unknown, expired, signed out or token revoked. */
export async function findActiveAdminSession(
  deps: AppDeps,
  auth: AdminAuthenticator,
  secret: string,
  now: number,
): Promise<ActiveAdminSession | null> {
  const session = await query(deps, (tx) => tx.findAdminSessionByHash(hashSecret(secret)));
  if (!session || session.revokedAt !== null || session.expiresAt <= now) return null;
  if (!(await auth.hashStillValid(session.tokenHash))) return null;
  return {
    id: session.id,
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
