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

export const MPG_CARD_AUTH_STATUSES = [
  'draft',
  'available',
  'in_progress',
  'authenticated',
  'failed',
] as const;
export type MpgCardAuthStatus = (typeof MPG_CARD_AUTH_STATUSES)[number];
/** What the simulated directory server answers for a card (docs/dialects/mpg.md, test cards). */
export type MpgCardAuthOutcome = 'frictionless' | 'challenge' | 'failure';

/** A 3-D Secure card authentication (`/v1/3ds`); the card is kept masked only. */
export interface MpgCardAuth {
  readonly id: string;
  readonly merchantId: string;
  readonly status: MpgCardAuthStatus;
  readonly amountMinor: number;
  readonly currency: string;
  readonly scheme: string;
  readonly firstDigits: string;
  readonly lastDigits: string;
  readonly month: number;
  readonly year: number;
  readonly outcome: MpgCardAuthOutcome;
  readonly returnUrl: string | null;
  readonly challengePreference: string;
  readonly isFrictionless: boolean | null;
  readonly challenge: Readonly<Record<string, string>> | null;
  readonly auth: Readonly<Record<string, string>> | null;
  readonly failureReason: string | null;
  readonly message: string;
  /** The order that used this authentication; each backs one order. */
  readonly orderId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** MPG orders' and transactions' search columns, and card authentications. */
export interface MpgStore {
  insertMpgOrder(row: MpgOrderIndex): Promise<void>;
  insertMpgTransaction(row: MpgTransactionIndex): Promise<void>;
  /** The merchant's MPG orders matching the filter, in the filter's order. */
  listMpgOrders(filter: MpgOrderFilter): Promise<Order[]>;
  insertMpgCardAuth(auth: MpgCardAuth): Promise<void>;
  /** The card authentication, locked for the transaction's change (SELECT … FOR UPDATE). */
  lockMpgCardAuth(id: string): Promise<MpgCardAuth | undefined>;
  findMpgCardAuth(id: string): Promise<MpgCardAuth | undefined>;
  updateMpgCardAuth(auth: MpgCardAuth): Promise<void>;
}
