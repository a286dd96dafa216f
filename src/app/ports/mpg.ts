/**
 * The MPG face's port: the search columns it keeps beside the core ledger (migration 005) for
 * `GET /v1/orders` (src/app/mpg-orders.ts). Its body-id claims are in the claims' port
 * (claims.ts). The SQL is src/store/sql/mpg-sql.ts.
 */
import type { Order } from '../../domain/order.js';

/** Search columns of an MPG order, for `GET /v1/orders`. */
export interface MpgOrderIndex {
  readonly orderId: string;
  readonly merchantId: string;
  readonly description: string;
  readonly sourceType: string;
  readonly scheme: string;
  readonly firstDigits: string;
  readonly lastDigits: string;
  readonly subMerchantId: string | null;
  readonly deviceIp: string;
  readonly agreementId: string | null;
}

/** Search columns of an MPG transaction. */
export interface MpgTransactionIndex {
  readonly transactionId: string;
  readonly orderId: string;
  readonly retrievalReference: string;
  readonly stan: string;
  readonly authCode: string | null;
  readonly responseCode: string | null;
}

export const MPG_SORT_FIELDS = [
  'merchant_id',
  'amount',
  'captured_amount',
  'refunded_amount',
  'currency',
  'created_at',
  'updated_at',
] as const;
export type MpgSortField = (typeof MPG_SORT_FIELDS)[number];

/** Equality filters of `GET /v1/orders` that Unwind records. */
export interface MpgOrderEquals {
  readonly id?: string;
  readonly currency?: string;
  readonly description?: string;
  readonly sourceType?: string;
  readonly scheme?: string;
  readonly firstDigits?: string;
  readonly lastDigits?: string;
  readonly subMerchantId?: string;
  readonly deviceIp?: string;
  readonly agreementId?: string;
  readonly retrievalReference?: string;
  readonly stan?: string;
  readonly authCode?: string;
  readonly responseCode?: string;
}

export interface MpgOrderFilter {
  readonly merchantId: string;
  readonly equals: MpgOrderEquals;
  readonly amountGte?: number;
  readonly amountLte?: number;
  readonly createdGte?: number;
  readonly createdLte?: number;
  readonly updatedGte?: number;
  readonly updatedLte?: number;
  readonly sortField: MpgSortField;
  readonly sortDir: 'asc' | 'desc';
  /** Keyset cursor: orders strictly after this (sort value, id) pair in the chosen order. */
  readonly after?: { readonly value: number | string; readonly id: string };
  /** Page-number pagination: rows skipped before the first one returned (0 by default). */
  readonly offset?: number;
  readonly limit: number;
}

/** MPG orders' and transactions' search columns. */
export interface MpgStore {
  insertMpgOrder(row: MpgOrderIndex): Promise<void>;
  insertMpgTransaction(row: MpgTransactionIndex): Promise<void>;
  /** The merchant's MPG orders matching the filter, in the filter's order. */
  listMpgOrders(filter: MpgOrderFilter): Promise<Order[]>;
}
