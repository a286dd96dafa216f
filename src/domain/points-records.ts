/**
 * The records the Points face keeps beside the core order: customers' points wallets and their
 * entries, the Points view of an order (integer id, shipping status, rating reference) and hosted
 * checkout sessions. Plain readonly objects; the store maps them to rows.
 */
import type { CustomerEntryType, ShippingStatus } from './points.js';

/** A customer's points wallet, shared by every merchant (keyed by the normalised phone). */
export interface PointsCustomer {
  readonly phone: string;
  /** The sum of the customer's entries; may be negative after an earning reversal. */
  readonly balance: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One change of a wallet. Append-only; the balance after it is kept for the statement. */
export interface PointsCustomerEntry {
  readonly id: string;
  readonly phone: string;
  readonly type: CustomerEntryType;
  /** Signed: positive gives points to the customer, negative takes them. Never 0. */
  readonly points: number;
  readonly balanceAfter: number;
  readonly merchantId: string | null;
  readonly orderId: string | null;
  /** The order ledger row that moved the points; null for adjustments. */
  readonly transactionId: string | null;
  readonly createdAt: number;
}

export const POINTS_CHANNELS = ['earning', 'store_rating', 'product_rating', 'checkout'] as const;
/** How a Points order came to be. */
export type PointsChannel = (typeof POINTS_CHANNELS)[number];

/**
 * An earning queued for a phone without an activated Points account (no wallet), as Points answers
 * `pending_client_activation`; awarded (its order created) when the account is activated.
 */
export interface PendingEarning {
  /** `pending_earning_order.id`: drawn from a sequence. */
  readonly number: number;
  readonly merchantId: string;
  /** Normalised `5XXXXXXXX`. */
  readonly phone: string;
  readonly channel: Exclude<PointsChannel, 'checkout'>;
  /** The merchant's order number, or the rating's `review_reference`. */
  readonly orderNumber: string;
  readonly reviewReference: string | null;
  readonly amountMinor: number;
  readonly totalPoints: number;
  readonly details: Readonly<Record<string, unknown>>;
  /** The order that awarded it; null while it waits. */
  readonly orderId: string | null;
  readonly createdAt: number;
  readonly awardedAt: number | null;
}

/** What Points shows of an order besides the core order. */
export interface PointsOrderRecord {
  /** The API's integer `id` ("internal"): drawn from a sequence, stable for the order's life. */
  readonly number: number;
  readonly orderId: string;
  readonly merchantId: string;
  readonly channel: PointsChannel;
  /** The rating channels' dedupe key. */
  readonly reviewReference: string | null;
  readonly shippingStatus: ShippingStatus | null;
  readonly labelAr: string | null;
  readonly labelEn: string | null;
  /** `payment_method` given to /complete ("1".."10"). */
  readonly paymentMethod: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * A hosted checkout: created by whoever holds the merchant's public key, so its URL proves
 * nothing about the customer. The customer proves the phone with a one-time code; only then does
 * the page show the wallet, and only the verified phone's points can be spent, once.
 */
export interface CheckoutSession {
  /** Random, unguessable: the session URL. */
  readonly id: string;
  readonly merchantId: string;
  readonly orderNumber: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** The phone the merchant passed, if any, to prefill the page. */
  readonly phone: string | null;
  readonly callbackUrl: string | null;
  /** The order's details (name, products, addresses, metadata, amounts) as the merchant sent them. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly orderId: string | null;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly completedAt: number | null;
  readonly cancelledAt: number | null;
  /** The phone the current code was sent to; null before the first code. */
  readonly codePhone: string | null;
  /** SHA-256 of the session, phone and code; null when no code is pending (never the code). */
  readonly codeHash: string | null;
  readonly codeExpiresAt: number | null;
  /** Codes sent for this session, and wrong codes entered in it. */
  readonly codesSent: number;
  readonly codeFailures: number;
  /** The phone proven by a code; the only wallet this session may spend. */
  readonly verifiedPhone: string | null;
  /** SHA-256 of the verification token the verified browser holds; null when not verified. */
  readonly verificationHash: string | null;
  readonly verifiedAt: number | null;
}
