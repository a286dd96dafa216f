/**
 * MPG API keys with a chosen subset of permissions and an optional IP whitelist, issued beside
 * the merchant's keys (docs/dialects/mpg.md, "Keys, permissions and IP whitelists"), and any one
 * credential of a merchant revoked on its own. The secret is returned once and stored only as its
 * hash, like every credential; each issue and revocation is an admin action (never the secret).
 */
import { domainError } from '../domain/errors.js';
import { type Credential, MPG_PERMISSIONS, type MpgPermission } from '../domain/merchant.js';
import { err, ok } from '../domain/result.js';
import { type AdminAudit, recordAdminAction } from './admin-actions.js';
import type { UseCase } from './context.js';
import type { DialectHooks } from './dialect-hooks.js';
import type { MerchantStore } from './ports/merchants.js';
import type { OperatorStore } from './ports/operators.js';
import { issueSecret } from './secrets.js';

/** The tag of an MPG merchant key (G3 shows `acquirer_key_…` for acquirers). */
export const MPG_KEY_TAG = 'merchant_key_';

/**
 * MPG's hooks: one API key per merchant, which at creation has every permission
 * (docs/decisions/mpg.md#auth). MPG's own tables (body-id claims, search columns) are written by
 * its use cases, so it fills no other hook.
 */
export const MPG_HOOKS: DialectHooks = {
  dialect: 'mpg',
  credentials: { tags: { api_key: MPG_KEY_TAG }, permissions: MPG_PERMISSIONS },
};

export interface IssueMpgKeyCommand {
  readonly merchantId: string;
  /** At least one, each once (the face checks the route's permission against this list). */
  readonly permissions: readonly MpgPermission[];
  /** Validated addresses and CIDR blocks; null admits every address. */
  readonly ipWhitelist: readonly string[] | null;
  /** Who asked; recorded as `mpg_key.issued` with the key's prefix, permissions and whitelist. */
  readonly audit: AdminAudit;
}

export interface IssuedMpgKey {
  readonly credential: Credential;
  /** The plaintext key, shown once. */
  readonly apiKey: string;
}

/** What an admin action says of a credential: never its secret or hash. */
const described = (c: Credential) => ({
  dialect: c.dialect,
  kind: c.kind,
  prefix: c.prefix,
  permissions: c.permissions,
  ip_whitelist: c.ipWhitelist,
});

/**
 * Issues one more MPG key for the merchant; its other keys keep working.
 * Errors: merchant.not_found.
 */
export const issueMpgKey =
  (cmd: IssueMpgKeyCommand): UseCase<IssuedMpgKey, MerchantStore & OperatorStore> =>
  async (tx, run) => {
    if (!(await tx.findMerchant(cmd.merchantId))) return err(domainError('merchant.not_found'));
    const secret = issueSecret(MPG_KEY_TAG);
    const credential: Credential = {
      id: run.newId(),
      merchantId: cmd.merchantId,
      dialect: 'mpg',
      kind: 'api_key',
      prefix: secret.prefix,
      secretHash: secret.hash,
      permissions: [...new Set(cmd.permissions)],
      ipWhitelist: cmd.ipWhitelist === null ? null : [...cmd.ipWhitelist],
      createdAt: run.now,
      revokedAt: null,
    };
    await tx.insertCredential(credential);
    await recordAdminAction(tx, run, cmd.audit, {
      action: 'mpg_key.issued',
      merchantId: cmd.merchantId,
      orderId: null,
      subjectId: credential.id,
      details: described(credential),
    });
    return ok({ credential, apiKey: secret.plaintext });
  };

/**
 * Revokes one credential of the merchant at once (any face, any kind); the merchant's other keys
 * keep working. Revoking a revoked credential is harmless and records nothing more.
 * Errors: merchant.not_found, credential.not_found (no such credential of this merchant).
 */
export const revokeCredential =
  (
    merchantId: string,
    credentialId: string,
    audit: AdminAudit,
  ): UseCase<Credential, MerchantStore & OperatorStore> =>
  async (tx, run) => {
    if (!(await tx.findMerchant(merchantId))) return err(domainError('merchant.not_found'));
    const credential = (await tx.listCredentials(merchantId)).find((c) => c.id === credentialId);
    if (!credential) return err(domainError('credential.not_found'));
    if ((await tx.revokeCredential(credential.id, run.now)) === 0) return ok(credential);
    await recordAdminAction(tx, run, audit, {
      action: 'credential.revoked',
      merchantId,
      orderId: null,
      subjectId: credential.id,
      details: described(credential),
    });
    return ok({ ...credential, revokedAt: run.now });
  };
