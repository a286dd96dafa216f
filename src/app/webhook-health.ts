/**
 * Webhook endpoints with their health, for the operators: how their deliveries fared over the
 * last hours (attempts, 2xx answers, the latest failure) and what waits now (pending, dead).
 */
import type { WebhookEndpoint } from '../domain/webhooks.js';
import { type AppDeps, query } from './context.js';
import { LIMITS } from './limits.js';
import type { EndpointHealth, AdminReadStore } from './ports/reads.js';

export type { EndpointHealth } from './ports/reads.js';

export const HEALTH_WINDOW_HOURS_DEFAULT = 24;
/** Longest window one request may ask for: 30 days. */
export const HEALTH_WINDOW_HOURS_MAX = 720;
/** Endpoints `GET /admin/webhooks` lists without a merchant: every merchant's, to this bound. */
export const LIVE_ENDPOINTS_LISTED_MAX = 10_000;

export interface EndpointWithHealth {
  readonly endpoint: WebhookEndpoint;
  readonly health: EndpointHealth;
  readonly windowHours: number;
}

const noActivity = (endpointId: string): EndpointHealth => ({
  endpointId,
  attempts: 0,
  succeeded: 0,
  pending: 0,
  dead: 0,
  lastFailure: null,
});

async function withHealth(
  tx: AdminReadStore,
  now: number,
  endpoints: readonly WebhookEndpoint[],
  windowHours: number,
  merchantId: string | undefined,
): Promise<EndpointWithHealth[]> {
  const health = new Map(
    (
      await tx.webhookHealth({
        ...(merchantId === undefined ? {} : { merchantId }),
        fromAt: now - windowHours * 3_600_000,
        toAt: now + 1,
      })
    ).map((h) => [h.endpointId, h]),
  );
  return endpoints.map((endpoint) => ({
    endpoint,
    health: health.get(endpoint.id) ?? noActivity(endpoint.id),
    windowHours,
  }));
}

/** Every endpoint that is not deleted (of one merchant, when given), with its health. */
export function liveEndpointsWithHealth(
  deps: AppDeps,
  filter: { readonly merchantId?: string; readonly windowHours: number },
): Promise<EndpointWithHealth[]> {
  return query(deps, async (tx, now) =>
    withHealth(
      tx,
      now,
      await tx.listLiveWebhookEndpoints(LIVE_ENDPOINTS_LISTED_MAX, filter.merchantId),
      filter.windowHours,
      filter.merchantId,
    ),
  );
}

/** One merchant's endpoints with their health; undefined when the merchant does not exist. */
export function merchantEndpointsWithHealth(
  deps: AppDeps,
  merchantId: string,
  windowHours: number,
): Promise<EndpointWithHealth[] | undefined> {
  return query(deps, async (tx, now) => {
    const merchant = await tx.findMerchant(merchantId);
    if (!merchant) return undefined;
    const endpoints = await tx.listWebhookEndpoints(merchant.id, LIMITS.webhookEndpointsMax);
    return withHealth(tx, now, endpoints, windowHours, merchant.id);
  });
}
