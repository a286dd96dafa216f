/**
 * MPG API keys with a chosen subset of permissions and an optional IP whitelist, issued beside
 * the merchant's keys (docs/dialects/mpg.md, "Keys, permissions and IP whitelists"). The
 * secret is returned once and stored only as its hash, like every credential.
 */
import { domainError } from '../domain/errors.js';
import { type Credential, MPG_PERMISSIONS, type MpgPermission } from '../domain/merchant.js';
import { err, ok } from '../domain/result.js';
import type { UseCase } from './context.js';
import type { DialectHooks } from './dialect-hooks.js';
import type { MerchantStore } from './ports/merchants.js';
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
}

export interface IssuedMpgKey {
  readonly credential: Credential;
  /** The plaintext key, shown once. */
  readonly apiKey: string;
}

/**
 * Issues one more MPG key for the merchant; its other keys keep working.
 * Errors: merchant.not_found.
 */
export const issueMpgKey =
  (cmd: IssueMpgKeyCommand): UseCase<IssuedMpgKey, MerchantStore> =>
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
    return ok({ credential, apiKey: secret.plaintext });
  };
