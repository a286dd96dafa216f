/**
 * The admin bearer token. Either ADMIN_TOKEN from the environment, or a token generated on first
 * start and stored as a hash: the plaintext is printed once and never again.
 */
import { BOOTSTRAP_PRINCIPAL, type Principal } from '../domain/operators.js';
import { ok } from '../domain/result.js';
import { type AppDeps, execute, query } from './context.js';
import { tokenPrincipal } from './operator-tokens.js';
import { hashesEqual, hashSecret, issueSecret } from './secrets.js';

export const ADMIN_TOKEN_TAG = 'unwind_admin_';

/** Issues a new token and revokes every earlier generated one. Returns the plaintext once. */
export async function issueAdminToken(deps: AppDeps): Promise<string> {
  const result = await execute(deps, async (tx, run) => {
    await tx.revokeAdminTokens(run.now);
    const secret = issueSecret(ADMIN_TOKEN_TAG);
    await tx.insertAdminToken({
      id: run.newId(),
      prefix: secret.prefix,
      secretHash: secret.hash,
      createdAt: run.now,
      revokedAt: null,
    });
    return ok(secret.plaintext);
  });
  if (!result.ok) throw new Error('issuing an admin token cannot fail');
  return result.value;
}

/** On first start without ADMIN_TOKEN: issues a token and returns it; otherwise null. */
export async function ensureAdminToken(deps: AppDeps): Promise<string | null> {
  const active = await query(deps, (tx) => tx.countActiveAdminTokens());
  return active > 0 ? null : issueAdminToken(deps);
}

export interface AdminAuthenticator {
  verify(presented: string): Promise<boolean>;
  /** Whom a bearer token stands for: the bootstrap admin, an API token's principal, or null. */
  principalFor(presented: string): Promise<Principal | null>;
  /** The hash of the presented token when it is valid now, else null. */
  acceptedHash(presented: string): Promise<string | null>;
  /** Whether a token known by its hash (a dashboard session's) is still valid. */
  hashStillValid(tokenHash: string): Promise<boolean>;
}

export function adminAuthenticator(
  deps: AppDeps,
  envToken: string | undefined,
): AdminAuthenticator {
  const envHash = envToken ? hashSecret(envToken) : null;
  const hashStillValid = async (tokenHash: string): Promise<boolean> => {
    if (envHash !== null) return hashesEqual(envHash, tokenHash);
    const token = await query(deps, (tx) => tx.findAdminTokenByHash(tokenHash));
    return !!token && token.revokedAt === null && hashesEqual(token.secretHash, tokenHash);
  };
  const acceptedHash = async (presented: string): Promise<string | null> => {
    const presentedHash = hashSecret(presented);
    return (await hashStillValid(presentedHash)) ? presentedHash : null;
  };
  return {
    acceptedHash,
    hashStillValid,
    async verify(presented) {
      return (await acceptedHash(presented)) !== null;
    },
    async principalFor(presented) {
      if ((await acceptedHash(presented)) !== null) return BOOTSTRAP_PRINCIPAL;
      return tokenPrincipal(deps, presented);
    },
  };
}
