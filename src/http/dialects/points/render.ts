/**
 * JSON shapes of the Points face: the success envelope, the order resource (integer `id`, `uuid`,
 * integer `type`, SAR numbers, Laravel timestamps and display helpers) and the webhook resource.
 */
import type { PointsOrderView } from '../../../app/points-orders.js';
import { minorToMajorNumber } from '../../../domain/money.js';
import {
  pointsApiOrderType,
  pointsOfOrder,
  pointsStatusOf,
  shippingStatusNumber,
} from '../../../domain/points.js';
import type { WebhookEndpoint } from '../../../domain/webhooks.js';

/** `{status: true, message, appended_data: {}, data}`. */
export const envelope = (data: unknown, message = '') => ({
  status: true,
  message,
  appended_data: {},
  ...(data === undefined ? {} : { data }),
});

/** Laravel's JSON timestamp: microseconds, UTC (`2026-04-20T10:00:00.000000Z`). */
export const laravelTime = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

// Points is a Saudi service; its display helpers are in Riyadh time (UTC+3, no daylight saving).
const RIYADH_OFFSET_MS = 3 * 3_600_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `"Monday,23 Dec"`, as the Points fixture shows it. */
export function displayDate(ms: number): string {
  const d = new Date(ms + RIYADH_OFFSET_MS);
  return `${WEEKDAYS[d.getUTCDay()]},${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** `"05:50 am"`. */
export function displayTime(ms: number): string {
  const d = new Date(ms + RIYADH_OFFSET_MS);
  const hours = d.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(h12)}:${pad(d.getUTCMinutes())} ${hours < 12 ? 'am' : 'pm'}`;
}

/** Carbon's `diffForHumans` as Points shows it: `"2 hours ago"`. */
export function since(ms: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - ms) / 1000));
  const units: [string, number][] = [
    ['year', 365 * 86_400],
    ['month', 30 * 86_400],
    ['week', 7 * 86_400],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return '0 seconds ago';
}

interface StoredProduct {
  product_name?: unknown;
  product_price?: unknown;
  quantity?: unknown;
}

/** The API order resource (provider-apis.md §1.5). */
export function orderResource(view: PointsOrderView, now: number): Record<string, unknown> {
  const { order, record } = view;
  const details = order.details;
  const products = details['products'] as StoredProduct[] | null | undefined;
  const custom =
    record.labelAr !== null || record.labelEn !== null
      ? { ar: record.labelAr, en: record.labelEn }
      : null;
  const updatedAt = Math.max(order.updatedAt, record.updatedAt);
  return {
    id: record.number,
    uuid: order.id,
    reference_number: (details['reference_number'] as string | undefined) ?? null,
    order_status: pointsStatusOf(order),
    order_number: order.orderNumber ?? record.reviewReference,
    type: pointsApiOrderType(order.kind),
    total_price: minorToMajorNumber(order.amountMinor, order.currency),
    total_points: pointsOfOrder(order),
    metadata: (details['metadata'] as Record<string, unknown> | null | undefined) ?? null,
    date: displayDate(order.createdAt),
    time: displayTime(order.createdAt),
    since: since(order.createdAt, now),
    settlement_status: null,
    status: record.shippingStatus === null ? null : shippingStatusNumber(record.shippingStatus),
    status_label: record.labelAr,
    custom_status: custom,
    created_at: laravelTime(order.createdAt),
    updated_at: laravelTime(updatedAt),
    ...(Array.isArray(products)
      ? {
          items: products.map((p) => ({
            product_name: p.product_name ?? null,
            product_price: p.product_price ?? null,
            quantity: p.quantity ?? null,
          })),
        }
      : {}),
  };
}

/**
 * The webhook resource; Points returns the secret on every read. `merchant_id` is the merchant's
 * integer on this face (src/app/points-merchants.ts), as the OpenAPI declares it.
 */
export const webhookResource = (e: WebhookEndpoint, merchantNumber: number) => ({
  uuid: e.id,
  merchant_id: merchantNumber,
  name: e.name,
  url: e.url,
  secret: e.secret,
  created_at: laravelTime(e.createdAt),
  updated_at: laravelTime(e.updatedAt),
});
