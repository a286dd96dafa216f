/**
 * What an operator did outside the ledger (replays, endpoint changes), kept as an append-only
 * audit trail beside the ledger's own actor and reason. Pure: no I/O.
 */
import type { WebhookEndpoint } from './webhooks.js';

export const ADMIN_ACTIONS = [
  'delivery.replayed', // one delivery sent again
  'webhook.replayed_since', // one call of "replay every event since" to an endpoint
  'webhook.disabled',
  'webhook.enabled',
  'webhook.secret_rotated',
  'webhook.updated', // url, name, format or retry policy
  // Issue 17: every change of merchants, credentials, endpoints and operators, and four-eyes.
  'merchant.created',
  'merchant.updated',
  'credentials.rotated',
  'webhook.created',
  'operator.invited',
  'operator.invite_accepted',
  'operator.updated', // role or limit
  'operator.disabled',
  'operator.enabled',
  'operator.totp_enabled',
  'operator.totp_removed',
  'token.created',
  'token.revoked',
  'refund.approval_requested',
  'refund.approved',
  'refund.declined',
  // Issue 16: MPG keys with some permissions, issued and revoked one by one.
  'mpg_key.issued',
  'credential.revoked',
] as const;
export type AdminActionType = (typeof ADMIN_ACTIONS)[number];

/** What a change to an endpoint asked for: the fields of an admin PATCH. */
export interface EndpointChangeRequest {
  readonly url?: string;
  readonly name?: string | null;
  readonly format?: string;
  readonly retryPolicy?: string;
  readonly enabled?: boolean;
  readonly rotateSecret?: boolean;
}

/**
 * The action an endpoint change is recorded as, by what was asked: `enabled` names it disabled
 * or enabled (whatever else came along), then a secret rotation, else a plain update. Asking for
 * the state the endpoint is already in still names the action; its `changes` are then empty.
 */
export function endpointChangeAction(request: EndpointChangeRequest): AdminActionType {
  if (request.enabled !== undefined)
    return request.enabled ? 'webhook.enabled' : 'webhook.disabled';
  if (request.rotateSecret) return 'webhook.secret_rotated';
  return 'webhook.updated';
}

const AUDITED_FIELDS = ['url', 'name', 'format', 'retryPolicy', 'enabled'] as const;
const FIELD_NAMES: Record<(typeof AUDITED_FIELDS)[number], string> = {
  url: 'url',
  name: 'name',
  format: 'format',
  retryPolicy: 'retry_policy',
  enabled: 'enabled',
};

/**
 * The fields that differ between two states of an endpoint, by their API names, each with its
 * value before and after. Secrets are never listed (a rotation is a flag of its own).
 */
export function endpointChanges(
  before: WebhookEndpoint,
  after: WebhookEndpoint,
): Record<string, { readonly from: unknown; readonly to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of AUDITED_FIELDS) {
    if (before[field] !== after[field]) {
      changes[FIELD_NAMES[field]] = { from: before[field], to: after[field] };
    }
  }
  return changes;
}
