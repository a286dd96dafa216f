/**
 * Merchants and their credentials. Every secret is generated here, returned once to the caller,
 * and stored only as a SHA-256 hash with a short visible prefix.
 */
import { isCurrencyCode } from '../domain/currencies.js';
import { domainError } from '../domain/errors.js';
import {
  type Credential,
  type CredentialDialect,
  type CredentialKind,
  DEFAULT_MERCHANT_SETTINGS,
  type Merchant,
  type MerchantSettings,
} from '../domain/merchant.js';
import { err, ok } from '../domain/result.js';
import { type AppDeps, execute, query, type RunContext, type UseCase } from './context.js';
import { dialectHooks, hooksOf } from './dialect-hooks.js';
import { hashesEqual, hashSecret, issueSecret, VISIBLE_RANDOM_CHARS } from './secrets.js';
import type { MerchantStore } from './ports/merchants.js';
import type { OperatorStore } from './ports/operators.js';
import { type AdminAudit, recordAdminAction } from './admin-actions.js';

/**
 * Plaintext credentials, shown once at creation or rotation: per dialect, each kind's secret (the
 * kinds and their tags are each dialect's, src/app/dialect-hooks.ts).
 */
export type IssuedCredentials = Partial<
  Record<CredentialDialect, Partial<Record<CredentialKind, string>>>
>;

/** The visible prefix of a credential secret: its tag and a few random characters. */
export function visiblePrefix(secret: string): string {
  const tags = dialectHooks().flatMap((hooks) => Object.values(hooks.credentials.tags));
  const tag = tags.filter((t) => secret.startsWith(t)).sort((a, b) => b.length - a.length)[0];
  return secret.slice(0, (tag?.length ?? 0) + VISIBLE_RANDOM_CHARS);
}

async function issueFor(
  tx: MerchantStore,
  run: RunContext,
  merchantId: string,
  dialect: CredentialDialect,
  into: IssuedCredentials,
): Promise<void> {
  const issued: Record<string, string> = {};
  const { tags, permissions } = hooksOf(dialect).credentials;
  for (const [kind, tag] of Object.entries(tags) as [CredentialKind, string][]) {
    const secret = issueSecret(tag);
    const credential: Credential = {
      id: run.newId(),
      merchantId,
      dialect,
      kind,
      prefix: secret.prefix,
      secretHash: secret.hash,
      permissions: [...permissions],
      ipWhitelist: null,
      createdAt: run.now,
      revokedAt: null,
    };
    await tx.insertCredential(credential);
    issued[kind] = secret.plaintext;
  }
  Object.assign(into, { [dialect]: issued });
}

export interface CreateMerchantCommand {
  readonly name: string;
  readonly currency?: string;
  readonly settings?: Partial<MerchantSettings>;
  /** An operator's creation (the admin API) is an admin action; the CLI's is not recorded. */
  readonly audit?: AdminAudit;
}

/** Errors: validation.failed (unknown currency or empty name). */
export const createMerchant =
  (
    cmd: CreateMerchantCommand,
  ): UseCase<
    { merchant: Merchant; credentials: IssuedCredentials },
    MerchantStore & OperatorStore
  > =>
  async (tx, run) => {
    const currency = cmd.currency ?? 'SAR';
    if (!isCurrencyCode(currency) || cmd.name.trim().length === 0) {
      return err(domainError('validation.failed'));
    }
    const merchant: Merchant = {
      id: run.newId(),
      name: cmd.name,
      currency,
      settings: { ...DEFAULT_MERCHANT_SETTINGS, ...cmd.settings },
      createdAt: run.now,
      updatedAt: run.now,
    };
    await tx.insertMerchant(merchant);
    const credentials: IssuedCredentials = {};
    for (const { dialect } of dialectHooks()) {
      await issueFor(tx, run, merchant.id, dialect, credentials);
    }
    await auditMerchant(tx, run, cmd.audit, 'merchant.created', merchant.id, {
      name: merchant.name,
      currency,
    });
    return ok({ merchant, credentials });
  };

/**
 * Revokes a dialect's credentials at once (Points: "Regenerate revokes the old key immediately")
 * and issues new ones. Errors: merchant.not_found.
 */
export const rotateCredentials =
  (
    merchantId: string,
    dialect: CredentialDialect,
    audit?: AdminAudit,
  ): UseCase<IssuedCredentials, MerchantStore & OperatorStore> =>
  async (tx, run) => {
    const merchant = await tx.findMerchant(merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    await tx.revokeCredentials(merchantId, dialect, run.now);
    const credentials: IssuedCredentials = {};
    await issueFor(tx, run, merchantId, dialect, credentials);
    await auditMerchant(tx, run, audit, 'credentials.rotated', merchantId, { dialect });
    return ok(credentials);
  };

/** Changes a merchant's settings. Errors: merchant.not_found. */
export const updateMerchantSettings =
  (
    merchantId: string,
    settings: Partial<MerchantSettings>,
    audit?: AdminAudit,
  ): UseCase<Merchant, MerchantStore & OperatorStore> =>
  async (tx, run) => {
    const merchant = await tx.findMerchant(merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    const updated: Merchant = {
      ...merchant,
      settings: { ...merchant.settings, ...settings },
      updatedAt: run.now,
    };
    await tx.updateMerchant(updated);
    const changes = Object.fromEntries(
      Object.entries(settings).filter(
        ([key, value]) =>
          JSON.stringify(value) !==
          JSON.stringify(merchant.settings[key as keyof MerchantSettings]),
      ),
    );
    await auditMerchant(tx, run, audit, 'merchant.updated', merchantId, { settings: changes });
    return ok(updated);
  };

/** Records an operator's change of a merchant or its credentials (never the secrets). */
async function auditMerchant(
  tx: OperatorStore,
  run: RunContext,
  audit: AdminAudit | undefined,
  action: 'merchant.created' | 'merchant.updated' | 'credentials.rotated',
  merchantId: string,
  details: Readonly<Record<string, unknown>>,
) {
  if (!audit) return;
  await recordAdminAction(tx, run, audit, {
    action,
    merchantId,
    orderId: null,
    subjectId: merchantId,
    details,
  });
}

export interface Authenticated {
  readonly merchant: Merchant;
  readonly credential: Credential;
}

/**
 * Whether `found` is a live credential of `dialect` and `kind` whose hash is `presentedHash`. A
 * revoked key, a key of another dialect or of another kind matches nothing. The lookup was by
 * hash; the final comparison is constant-time.
 */
function isLive(
  found: Authenticated | undefined,
  dialect: CredentialDialect,
  kind: CredentialKind,
  presentedHash: string,
): found is Authenticated {
  if (!found) return false;
  const { credential } = found;
  return (
    credential.revokedAt === null &&
    credential.dialect === dialect &&
    credential.kind === kind &&
    hashesEqual(credential.secretHash, presentedHash)
  );
}

/**
 * Finds the merchant a presented key belongs to (see isLive for what matches). The credential
 * and its merchant come in one statement on every request, not from a cache, so a rotation or a
 * revocation holds at once on every process sharing the database.
 */
export function authenticateKey(
  deps: AppDeps,
  dialect: CredentialDialect,
  kind: CredentialKind,
  presented: string,
): Promise<Authenticated | null> {
  const presentedHash = hashSecret(presented);
  return query(deps, async (tx) => {
    const [found] = await tx.findCredentialsByHash([presentedHash]);
    return isLive(found, dialect, kind, presentedHash) ? found : null;
  });
}

/**
 * A public/secret key pair (Backd's HTTP Basic): both live keys of `dialect` and of the same
 * merchant, looked up in one statement. The caller is identified by the secret key.
 */
export function authenticateKeyPair(
  deps: AppDeps,
  dialect: CredentialDialect,
  publicKey: string,
  secretKey: string,
): Promise<Authenticated | null> {
  const publicHash = hashSecret(publicKey);
  const secretHash = hashSecret(secretKey);
  return query(deps, async (tx) => {
    const found = await tx.findCredentialsByHash([publicHash, secretHash]);
    const byHash = (hash: string) => found.find((f) => f.credential.secretHash === hash);
    const publicKeyFound = byHash(publicHash);
    const secretKeyFound = byHash(secretHash);
    if (
      !isLive(publicKeyFound, dialect, 'public_key', publicHash) ||
      !isLive(secretKeyFound, dialect, 'secret_key', secretHash) ||
      publicKeyFound.credential.merchantId !== secretKeyFound.credential.merchantId
    ) {
      return null;
    }
    return secretKeyFound;
  });
}

export function getMerchant(
  deps: AppDeps,
  merchantId: string,
): Promise<{ merchant: Merchant; credentials: Credential[] } | null> {
  return query(deps, async (tx) => {
    const merchant = await tx.findMerchant(merchantId);
    return merchant ? { merchant, credentials: await tx.listCredentials(merchantId) } : null;
  });
}

/** Merchants ordered by name, then id, strictly after the `after` pair (no credentials). */
export const listMerchants = (
  deps: AppDeps,
  limit: number,
  after?: { readonly name: string; readonly id: string },
): Promise<Merchant[]> => query(deps, (tx) => tx.listMerchants(limit, after));

export const runCreateMerchant = (deps: AppDeps, cmd: CreateMerchantCommand) =>
  execute(deps, createMerchant(cmd));
