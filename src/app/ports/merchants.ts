/**
 * The merchants' port: merchants with their settings, their API credentials (stored as hashes),
 * and the service's own settings table. The SQL is src/store/sql/merchants-sql.ts.
 */
import type { Credential, CredentialDialect, Merchant } from '../../domain/merchant.js';

/** Merchants, credentials and settings. */
export interface MerchantStore {
  insertMerchant(merchant: Merchant): Promise<void>;
  findMerchant(id: string): Promise<Merchant | undefined>;
  /**
   * Reads the merchant and locks its row until the transaction ends (FOR UPDATE on PostgreSQL;
   * SQLite's one writer already serialises): what a per-merchant count limit is checked under.
   */
  lockMerchant(id: string): Promise<Merchant | undefined>;
  updateMerchant(merchant: Merchant): Promise<void>;
  /** Merchants ordered by name, then id, strictly after the `after` pair. */
  listMerchants(
    limit: number,
    after?: { readonly name: string; readonly id: string },
  ): Promise<Merchant[]>;
  insertCredential(credential: Credential): Promise<void>;
  /**
   * The credentials whose hash is one of `secretHashes`, each with its merchant, in one statement
   * (a request's authentication is one round trip, and reads no cache a revocation could miss).
   */
  findCredentialsByHash(
    secretHashes: readonly string[],
  ): Promise<{ credential: Credential; merchant: Merchant }[]>;
  listCredentials(merchantId: string): Promise<Credential[]>;
  revokeCredentials(merchantId: string, dialect: CredentialDialect, at: number): Promise<number>;
  /** Revokes one credential unless it is revoked already; how many rows changed (0 or 1). */
  revokeCredential(id: string, at: number): Promise<number>;
  getSetting(name: string): Promise<string | undefined>;
  putSetting(name: string, value: string, at: number): Promise<void>;
}
