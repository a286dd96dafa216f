/**
 * The admin API calls of the API keys page (issue 16): a merchant's credentials as
 * `GET /admin/merchants/:id` lists them (prefixes, never secrets), an MPG key issued with some
 * permissions and an optional IP whitelist, and one credential revoked. And the whitelist as the
 * operator types it, one entry a line, judged by the rule the admin API applies
 * (src/domain/ip-entries.ts).
 */
import { IP_WHITELIST_ENTRIES_MAX, isAddressOrBlock } from '../domain/ip-entries.js';
import type { MpgPermission } from '../domain/merchant.js';
import { api } from './api.js';

export interface CredentialJson {
  readonly id: string;
  readonly dialect: 'points' | 'backd' | 'mpg';
  readonly kind: 'api_key' | 'public_key' | 'secret_key';
  readonly prefix: string;
  readonly permissions: readonly string[];
  readonly ip_whitelist: readonly string[] | null;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

export interface IssuedKeyJson {
  readonly id: string;
  readonly prefix: string;
  readonly permissions: readonly string[];
  readonly ip_whitelist: readonly string[] | null;
  /** The key itself: in this answer only (a replay shows its prefix). */
  readonly api_key: string;
}

const merchantPath = (merchantId: string) => `/merchants/${encodeURIComponent(merchantId)}`;

export const merchantCredentials = (merchantId: string) =>
  api<{ credentials: CredentialJson[] }>(merchantPath(merchantId)).then((m) => m.credentials);

export const issueMpgKey = (
  merchantId: string,
  body: { permissions: readonly MpgPermission[]; ip_whitelist: readonly string[] | null },
  idempotencyKey: string,
) =>
  api<IssuedKeyJson>(`${merchantPath(merchantId)}/mpg-keys`, {
    method: 'POST',
    body,
    idempotencyKey,
  });

export const revokeCredential = (
  merchantId: string,
  credentialId: string,
  reason: string,
  idempotencyKey: string,
) =>
  api<CredentialJson>(
    `${merchantPath(merchantId)}/credentials/${encodeURIComponent(credentialId)}/revoke`,
    { method: 'POST', body: { reason }, idempotencyKey },
  );

/** The whitelist typed one entry a line: its entries, and the lines that are not entries. */
export interface TypedWhitelist {
  /** Null when no line holds anything: every address may use the key. */
  readonly entries: readonly string[] | null;
  /** The line number (from 1) of each entry, to name it when the server refuses one. */
  readonly lines: readonly number[];
  readonly invalid: readonly { readonly line: number; readonly entry: string }[];
  readonly tooMany: boolean;
}

export function parseWhitelist(text: string): TypedWhitelist {
  const entries: string[] = [];
  const lines: number[] = [];
  const invalid: { line: number; entry: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === '') return;
    if (!isAddressOrBlock(entry)) invalid.push({ line: index + 1, entry });
    entries.push(entry);
    lines.push(index + 1);
  });
  return {
    entries: entries.length === 0 ? null : entries,
    lines,
    invalid,
    tooMany: entries.length > IP_WHITELIST_ENTRIES_MAX,
  };
}
