/**
 * MPG API keys with a chosen subset of permissions and an optional IP whitelist, issued beside
 * the merchant's keys (docs/dialects/mpg.md, "Keys, permissions and IP whitelists"). The
 * secret is returned once and stored only as its hash, like every credential.
 */
import { domainError } from '../domain/errors.js';
import type { Credential, MpgPermission } from '../domain/merchant.js';
import { err, ok } from '../domain/result.js';
import type { UseCase } from './context.js';
import { MPG_KEY_TAG } from './merchants.js';
import type { MerchantStore } from './ports/merchants.js';
import { issueSecret } from './secrets.js';

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
