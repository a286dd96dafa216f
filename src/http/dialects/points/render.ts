/**
 * JSON shapes of the Points face: the success envelope, the order resource (integer `id`, `uuid`,
 * integer `type`, SAR numbers, Laravel timestamps and display helpers) and the webhook resource.
 */
import { POINTS_CURRENCY, type PointsOrderView } from '../../../app/points-orders.js';
import { minorToMajorNumber } from '../../../domain/money.js';
import {
  pointsApiOrderType,
  pointsOfOrder,
  pointsStatusOf,
  shippingStatusNumber,
} from '../../../domain/points.js';
import type { PendingEarning } from '../../../domain/points-records.js';
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

/**
 * `"2024-12-23"`: the OpenAPI's `format: date`. The SDK's fixture shows `"Monday,23 Dec"`; the
 * OpenAPI is the contract (docs/dialects/points.md "Where Points' documents disagree").
 */
export const displayDate = (ms: number): string =>
  new Date(ms + RIYADH_OFFSET_MS).toISOString().slice(0, 10);

/** `"10:00:00"`, as the OpenAPI's example shows it (the SDK's fixture: `"05:50 am"`). */
export const displayTime = (ms: number): string =>
  new Date(ms + RIYADH_OFFSET_MS).toISOString().slice(11, 19);

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

/** The API order resource (docs/dialects/points.md#the-order-resource). */
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
 * The answer of an earning for a phone without an activated account (the OpenAPI's
 * PendingEarningResponse `data`): the queued earning, awarded when the account is activated.
 */
export const pendingEarningResource = (p: PendingEarning) => ({
  pending_client_activation: true,
  pending_earning_order: {
    id: p.number,
    merchant_order_number: p.orderNumber,
    total_price: minorToMajorNumber(p.amountMinor, POINTS_CURRENCY),
    total_points: p.totalPoints,
  },
});

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
