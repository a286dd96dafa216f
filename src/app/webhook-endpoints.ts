/**
 * Webhook endpoints: the admin API and the Points `/v1/webhooks` API both manage them here.
 * The signing secret is returned on creation and rotation. A rotation keeps the old secret
 * signing for 24 hours, so receivers can switch without losing a delivery.
 */
import crypto from 'node:crypto';
import { endpointChangeAction, endpointChanges } from '../domain/admin-actions.js';
import { HEALTHY } from '../domain/delivery-schedule.js';
import { domainError } from '../domain/errors.js';
import { err, ok } from '../domain/result.js';
import { normaliseHttpUrl } from '../domain/urls.js';
import {
  privateWebhookUrlError,
  type RetryPolicy,
  SECRET_ROTATION_OVERLAP_MS,
  type WebhookEndpoint,
  type WebhookFormat,
} from '../domain/webhooks.js';
import { type AdminAudit, recordAdminAction } from './admin-actions.js';
import { type AppDeps, query, type UseCase } from './context.js';
import { LIMITS } from './limits.js';
import type { MerchantStore } from './ports/merchants.js';
import type { OperatorStore } from './ports/operators.js';
import type { WebhookStore } from './ports/webhooks.js';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `whsec_${crypto.randomBytes(32).toString('base64')}`;

export interface CreateWebhookCommand {
  readonly merchantId: string;
  readonly url: string;
  readonly name?: string | null;
  readonly format?: WebhookFormat;
  readonly retryPolicy?: RetryPolicy;
  readonly enabled?: boolean;
  /** The URL may name a private or local host (UNWIND_WEBHOOK_ALLOW_PRIVATE); default: refused. */
  readonly allowPrivateUrl?: boolean;
  /** An operator's registration (the admin API) is an admin action; a merchant's own is not. */
  readonly audit?: AdminAudit;
}

/**
 * The URL to store: the one rule of src/domain/urls.ts, so the endpoint keeps (and the sender
 * follows, and duplicates are compared in) the very URL that was validated. The refusal names
 * why in `details.reason`. Unless private delivery is allowed, a URL whose host can only be
 * private or local is `webhook.private_url`; `current` (the stored URL, on update) is not judged
 * again, so an endpoint registered while private delivery was allowed can still be changed.
 */
function endpointUrl(url: string, allowPrivate: boolean, current: string | null) {
  const normalised = normaliseHttpUrl(url, LIMITS.urlLengthMax);
  if (!normalised.ok) return err(domainError('webhook.invalid_url', { reason: normalised.error }));
  const refused =
    allowPrivate || normalised.value === current ? null : privateWebhookUrlError(normalised.value);
  return refused ? err(refused) : normalised;
}

/**
 * Errors: merchant.not_found, webhook.invalid_url, webhook.private_url, webhook.duplicate_url,
 * validation.failed (the merchant already has the most endpoints allowed).
 */
export const createWebhookEndpoint =
  (
    cmd: CreateWebhookCommand,
  ): UseCase<WebhookEndpoint, WebhookStore & MerchantStore & OperatorStore> =>
  async (tx, run) => {
    // The merchant's row lock serialises its endpoint changes on every node, so the count and
    // the duplicate check below hold when the insert lands (never read-then-write).
    if (!(await tx.lockMerchant(cmd.merchantId))) return err(domainError('merchant.not_found'));
    const url = endpointUrl(cmd.url, cmd.allowPrivateUrl === true, null);
    if (!url.ok) return url;
    if ((await tx.countWebhookEndpoints(cmd.merchantId)) >= LIMITS.webhookEndpointsMax) {
      return err(domainError('validation.failed', { limit: LIMITS.webhookEndpointsMax }));
    }
    if (await hasUrl(tx, cmd.merchantId, url.value, null)) {
      return err(domainError('webhook.duplicate_url'));
    }
    const endpoint: WebhookEndpoint = {
      id: run.newId(),
      merchantId: cmd.merchantId,
      url: url.value,
      name: cmd.name ?? null,
      format: cmd.format ?? 'standard',
      retryPolicy: cmd.retryPolicy ?? 'standard',
      enabled: cmd.enabled ?? true,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      disabledReason: null,
      disabledAt: cmd.enabled === false ? run.now : null,
      health: HEALTHY,
      createdAt: run.now,
      updatedAt: run.now,
      deletedAt: null,
    };
    await tx.insertWebhookEndpoint(endpoint);
    if (cmd.audit) {
      await recordAdminAction(tx, run, cmd.audit, {
        action: 'webhook.created',
        merchantId: cmd.merchantId,
        orderId: null,
        subjectId: endpoint.id,
        details: { url: endpoint.url, format: endpoint.format },
      });
    }
    return ok(endpoint);
  };

async function hasUrl(tx: WebhookStore, merchantId: string, url: string, exceptId: string | null) {
  const all = await tx.listWebhookEndpoints(merchantId, LIMITS.webhookEndpointsMax);
  return all.some((e) => e.url === url && e.id !== exceptId);
}

/**
 * Loads an endpoint of this merchant; another merchant's endpoint does not exist. `lock` takes
 * its row for a change, so two changes racing on one endpoint (a rotation and a rename) both
 * land instead of the later overwriting the earlier.
 */
async function ownEndpoint(
  tx: WebhookStore,
  merchantId: string,
  endpointId: string,
  lock: 'lock' | 'read',
) {
  const endpoint =
    lock === 'lock'
      ? await tx.lockWebhookEndpoint(endpointId)
      : await tx.findWebhookEndpoint(endpointId);
  return endpoint && endpoint.merchantId === merchantId && endpoint.deletedAt === null
    ? endpoint
    : undefined;
}

export interface UpdateWebhookCommand {
  readonly merchantId: string;
  readonly endpointId: string;
  readonly url?: string;
  readonly name?: string | null;
  readonly format?: WebhookFormat;
  readonly retryPolicy?: RetryPolicy;
  readonly enabled?: boolean;
  readonly rotateSecret?: boolean;
  /** As for creation: a new URL may name a private or local host; default: refused. */
  readonly allowPrivateUrl?: boolean;
  /**
   * An operator's change (the admin API) is recorded as an admin action with what changed; a
   * merchant's own change (Points' `/v1/webhooks`) is not an operator's action and has none.
   */
  readonly audit?: AdminAudit;
}

/**
 * Errors: webhook.not_found, webhook.invalid_url, webhook.private_url, webhook.duplicate_url. An
 * unchanged URL is not judged again, so an endpoint registered while private delivery was allowed
 * can still be renamed or disabled; the sender refuses it anyway.
 */
export const updateWebhookEndpoint =
  (cmd: UpdateWebhookCommand): UseCase<WebhookEndpoint, WebhookStore & OperatorStore> =>
  async (tx, run) => {
    const endpoint = await ownEndpoint(tx, cmd.merchantId, cmd.endpointId, 'lock');
    if (!endpoint) return err(domainError('webhook.not_found'));
    let url = endpoint.url;
    if (cmd.url !== undefined) {
      const normalised = endpointUrl(cmd.url, cmd.allowPrivateUrl === true, endpoint.url);
      if (!normalised.ok) return normalised;
      url = normalised.value;
      if (url !== endpoint.url && (await hasUrl(tx, cmd.merchantId, url, endpoint.id))) {
        return err(domainError('webhook.duplicate_url'));
      }
    }
    const rotated = cmd.rotateSecret
      ? {
          secret: newWebhookSecret(),
          previousSecret: endpoint.secret,
          previousSecretExpiresAt: run.now + SECRET_ROTATION_OVERLAP_MS,
        }
      : {};
    const enabling = cmd.enabled === true && !endpoint.enabled;
    const updated: WebhookEndpoint = {
      ...endpoint,
      url,
      ...(cmd.name !== undefined ? { name: cmd.name } : {}),
      ...(cmd.format !== undefined ? { format: cmd.format } : {}),
      ...(cmd.retryPolicy !== undefined ? { retryPolicy: cmd.retryPolicy } : {}),
      ...(cmd.enabled !== undefined ? { enabled: cmd.enabled } : {}),
      ...(enabling ? { disabledReason: null, disabledAt: null, health: HEALTHY } : {}),
      ...(cmd.enabled === false && endpoint.enabled ? { disabledAt: run.now } : {}),
      ...rotated,
      updatedAt: run.now,
    };
    await tx.updateWebhookEndpoint(updated);
    // A re-enabled endpoint starts with a clean record: its old failures must not disable it again.
    if (enabling) await tx.updateEndpointHealth(endpoint.id, HEALTHY);
    if (cmd.audit) {
      await recordAdminAction(tx, run, cmd.audit, {
        action: endpointChangeAction(cmd),
        merchantId: endpoint.merchantId,
        orderId: null,
        subjectId: endpoint.id,
        details: {
          changes: endpointChanges(endpoint, updated),
          secret_rotated: cmd.rotateSecret === true,
        },
      });
    }
    return ok(updated);
  };

/** Deletes an endpoint; its pending deliveries are cancelled. Errors: webhook.not_found. */
export const deleteWebhookEndpoint =
  (merchantId: string, endpointId: string): UseCase<WebhookEndpoint, WebhookStore> =>
  async (tx, run) => {
    const endpoint = await ownEndpoint(tx, merchantId, endpointId, 'lock');
    if (!endpoint) return err(domainError('webhook.not_found'));
    const deleted = { ...endpoint, enabled: false, deletedAt: run.now, updatedAt: run.now };
    await tx.updateWebhookEndpoint(deleted);
    await tx.cancelPendingDeliveries(endpoint.id, run.now);
    return ok(deleted);
  };

/** Errors: webhook.not_found. */
export const getWebhookEndpoint =
  (merchantId: string, endpointId: string): UseCase<WebhookEndpoint, WebhookStore> =>
  async (tx) => {
    const endpoint = await ownEndpoint(tx, merchantId, endpointId, 'read');
    return endpoint ? ok(endpoint) : err(domainError('webhook.not_found'));
  };

/**
 * One page of the merchant's endpoints that are not deleted, oldest first, with how many there
 * are in all (Points' `GET /v1/webhooks`).
 */
export const pageOfWebhookEndpoints = (
  deps: AppDeps,
  merchantId: string,
  limit: number,
  offset: number,
): Promise<{ total: number; endpoints: WebhookEndpoint[] }> =>
  query(deps, async (tx) => ({
    total: await tx.countWebhookEndpoints(merchantId),
    endpoints: await tx.listWebhookEndpoints(merchantId, limit, offset),
  }));
