/** The admin API calls the dashboard makes, typed. Everything goes through `api()`. */
import { api } from './api.js';
import type {
  ClockJson,
  DeliveryJson,
  HistoryJson,
  MerchantJson,
  OrderJson,
  Page,
  RefundRequestResultJson,
  RunJson,
  RunWithFindingsJson,
  StatsJson,
  WebhookJson,
} from './types.js';

/** `?a=1&b=2` from the set values of `params`, or ''. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const id = encodeURIComponent;

export const getClock = () => api<ClockJson>('/clock');

export interface OrderSearch {
  readonly q?: string;
  readonly status?: string;
  readonly dialect?: string;
  readonly merchant_id?: string;
  readonly created_from?: string;
  readonly created_to?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export const searchOrders = (search: OrderSearch) =>
  api<Page<OrderJson>>(`/orders${queryString({ ...search, order: 'desc' })}`);

export const orderHistory = (orderId: string) => api<HistoryJson>(`/orders/${id(orderId)}/history`);

export const cancelOrder = (orderId: string, reason: string, idempotencyKey: string) =>
  api<OrderJson>(`/orders/${id(orderId)}/cancel`, {
    method: 'POST',
    body: { reason },
    idempotencyKey,
  });

/** A refund of `amountMinor`, or of everything refundable when it is undefined. */
export const refundOrder = (
  orderId: string,
  amountMinor: number | undefined,
  reason: string,
  idempotencyKey: string,
) =>
  api<OrderJson>(`/orders/${id(orderId)}/refund`, {
    method: 'POST',
    body: amountMinor === undefined ? { reason } : { amount_minor: amountMinor, reason },
    idempotencyKey,
  });

/**
 * A Backd refund request of `amountMinor` on the merchant's behalf; `replaces` names the active
 * draft it replaces (null when the operator saw none).
 */
export const submitRefundRequest = (
  orderId: string,
  amountMinor: number,
  replaces: string | null,
  reason: string,
  idempotencyKey: string,
) =>
  api<RefundRequestResultJson>(`/orders/${id(orderId)}/refund-requests`, {
    method: 'POST',
    body: { amount_minor: amountMinor, replaces, reason },
    idempotencyKey,
  });

/** Withdraws the draft request `requestId` (declined as deleted). */
export const withdrawRefundRequest = (
  orderId: string,
  requestId: string,
  reason: string,
  idempotencyKey: string,
) =>
  api<RefundRequestResultJson>(`/orders/${id(orderId)}/refund-requests/${id(requestId)}/withdraw`, {
    method: 'POST',
    body: { reason },
    idempotencyKey,
  });

export const replayDelivery = (deliveryId: string, reason: string, idempotencyKey: string) =>
  api<DeliveryJson>(`/deliveries/${id(deliveryId)}/replay`, {
    method: 'POST',
    body: { reason },
    idempotencyKey,
  });

/** Merchants are few; the pickers list them all (at most `maxPages` pages). */
export async function allMerchants(maxPages = 20): Promise<MerchantJson[]> {
  const merchants: MerchantJson[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await api<Page<MerchantJson>>(
      `/merchants${queryString({ limit: 100, cursor })}`,
    );
    merchants.push(...result.data);
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return merchants;
}

let merchantsLoaded: Promise<MerchantJson[]> | null = null;

/** The merchants, loaded once per page load (a failed load is tried again next time). */
export function merchantsOnce(): Promise<MerchantJson[]> {
  merchantsLoaded ??= allMerchants().catch((error: unknown) => {
    merchantsLoaded = null;
    throw error;
  });
  return merchantsLoaded;
}

export const listWebhooks = (merchantId: string | undefined, windowHours: number) =>
  api<{ data: readonly WebhookJson[] }>(
    `/webhooks${queryString({ merchant_id: merchantId, window_hours: windowHours })}`,
  );

export const setWebhookEnabled = (
  endpoint: WebhookJson,
  enabled: boolean,
  reason: string,
  idempotencyKey: string,
) =>
  api<WebhookJson>(`/merchants/${id(endpoint.merchant_id)}/webhooks/${id(endpoint.id)}`, {
    method: 'PATCH',
    body: { enabled, reason },
    idempotencyKey,
  });

export interface ReplaySinceResult {
  readonly reset: number;
  readonly created: number;
  readonly next_cursor: string | null;
}

/**
 * Replays every event since `since` to one endpoint, following the server's cursor. Each call is
 * recorded as an admin action of its own, each with the reason.
 */
export async function replayWebhookSince(
  endpointId: string,
  since: string,
  reason: string,
  idempotencyKey: string,
  maxCalls = 100,
): Promise<{ reset: number; created: number }> {
  let reset = 0;
  let created = 0;
  let cursor: string | null = null;
  for (let call = 0; call < maxCalls; call++) {
    const result: ReplaySinceResult = await api<ReplaySinceResult>(
      `/webhooks/${id(endpointId)}/replay`,
      {
        method: 'POST',
        body: cursor ? { since, cursor, reason } : { since, reason },
        // Each continuation is its own request, so its own key derived from the confirmation's.
        idempotencyKey: call === 0 ? idempotencyKey : `${idempotencyKey}:${call}`,
      },
    );
    reset += result.reset;
    created += result.created;
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return { reset, created };
}

export interface DeliverySearch {
  readonly merchant_id?: string;
  readonly endpoint_id?: string;
  readonly type?: string;
  readonly status?: string;
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** The delivery log, newest first. */
export const listDeliveries = (search: DeliverySearch) =>
  api<Page<DeliveryJson>>(`/deliveries${queryString({ ...search, order: 'desc' })}`);

export const dailyStats = (from: string, to: string, tz: string) =>
  api<StatsJson>(`/stats/daily${queryString({ from, to, tz })}`);

/** A dry run of one merchant's report from one face, over [from, to). */
export const startReconciliation = (
  scope: { readonly merchantId: string; readonly dialect: string },
  from: string,
  to: string,
  file: File,
) =>
  api<RunJson>(
    `/reconciliations${queryString({ merchant_id: scope.merchantId, dialect: scope.dialect, from, to })}`,
    {
      method: 'POST',
      raw: { contentType: reportMediaType(file), data: file },
    },
  );

/** The report's media type: NDJSON by its type or extension, else CSV. */
export function reportMediaType(file: { readonly name: string; readonly type: string }): string {
  if (file.type === 'application/x-ndjson' || /\.(nd)?jsonl?$/i.test(file.name)) {
    return 'application/x-ndjson';
  }
  return 'text/csv';
}

export const getRun = (runId: string) => api<RunWithFindingsJson>(`/reconciliations/${id(runId)}`);

export const applyRun = (runId: string, idempotencyKey: string) =>
  api<RunJson>(`/reconciliations/${id(runId)}/apply`, { method: 'POST', idempotencyKey });

export const listRuns = (cursor?: string) =>
  api<Page<RunJson>>(`/reconciliations${queryString({ limit: 20, cursor })}`);

/** A plain link to the export: the session cookie authenticates GETs. */
export const runExportUrl = (runId: string, format: 'csv' | 'json') =>
  `/admin/reconciliations/${id(runId)}?format=${format}`;

/** Registers an endpoint; the answer carries its secret, shown once. */
export const createWebhook = (
  merchantId: string,
  body: { url: string; name: string | null; format: string; retry_policy: string },
) => api<WebhookJson>(`/merchants/${id(merchantId)}/webhooks`, { method: 'POST', body });

/** A new signing secret; the answer carries it, shown once. */
export const rotateWebhookSecret = (
  endpoint: WebhookJson,
  reason: string,
  idempotencyKey: string,
) =>
  api<WebhookJson>(`/merchants/${id(endpoint.merchant_id)}/webhooks/${id(endpoint.id)}`, {
    method: 'PATCH',
    body: { rotate_secret: true, reason },
    idempotencyKey,
  });
