/** Merchants, their settings and credential kinds. */
import { PROVIDER_DIALECTS } from './order-model.js';

/** A merchant holds credentials on every provider's face, and on no other. */
export const CREDENTIAL_DIALECTS = PROVIDER_DIALECTS;
export type CredentialDialect = (typeof CREDENTIAL_DIALECTS)[number];
export type CredentialKind = 'api_key' | 'public_key' | 'secret_key';

export const MPG_PERMISSIONS = [
  'orders_read',
  'orders_create',
  'orders_capture',
  'orders_void',
  'orders_refund',
  'orders_extend',
  'transactions_reverse',
] as const;
export type MpgPermission = (typeof MPG_PERMISSIONS)[number];

export interface MerchantSettings {
  /**
   * Points earned per 1 unit of the currency on earning orders (docs/decisions/points.md#earning).
   */
  readonly pointsPerUnit: number;
  /** Value of one point in minor units on replacing orders (0.1 SAR = 10 halalas, the default). */
  readonly minorPerPoint: number;
  /** Days after capture in which refunds are accepted; 0 means no window (default 365). */
  readonly refundWindowDays: number;
  /** Dates (YYYY-MM-DD, merchant's business calendar) skipped like weekends by Backd locking. */
  readonly holidays: readonly string[];
  /** Client IPs allowed on the Points API; null means no allow-list. */
  readonly ipAllowList: readonly string[] | null;
  /**
   * Backd update_order: how far a placed order's total may rise above the total agreed at
   * creation, in whole percent (default 10; 0 allows no increase). Decreases are always allowed.
   */
  readonly orderTotalIncreaseLimitPercent: number;
  /** Backd: seconds after a refund request locks before it settles (default 0). */
  readonly refundSettlementDelaySeconds: number;
  /**
   * Reconciliation: hours after capture before a replacing Points order whose payment record is
   * missing from the settlement report is refunded automatically (default 48).
   */
  readonly autoRefundGraceHours: number;
  /**
   * Points sandbox mode: Points' test numbers (500000001..3) act as its sandbox accounts at the
   * hosted checkout, and their codes stay in the development outbox (default false).
   */
  readonly sandbox: boolean;
  /**
   * Points' rating channels: the flat points a store rating and a product rating award, or null
   * when the merchant has not enabled the channel (403). Defaults 50 and 25.
   */
  readonly storeRatingPoints: number | null;
  readonly productRatingPoints: number | null;
  /**
   * Four-eyes: an operator's refund above this many minor units needs a second operator's
   * approval; null follows the service's setting (UNWIND_REFUND_APPROVAL_ABOVE_MINOR).
   */
  readonly refundApprovalAboveMinor: number | null;
  /**
   * What completing Points' hosted checkout does to the order it creates
   * (docs/decisions/points.md#checkout-completion): `automatic` approves it (webhook `approved`),
   * `authorize` reserves it for the merchant's /capture (`authorized`, then `captured`), `manual`
   * leaves it `new` for the merchant's /complete or /authorize. Default `automatic`.
   */
  readonly checkoutCapture: CheckoutCapture;
}

export const CHECKOUT_CAPTURE_MODES = ['automatic', 'authorize', 'manual'] as const;
export type CheckoutCapture = (typeof CHECKOUT_CAPTURE_MODES)[number];

export const DEFAULT_MERCHANT_SETTINGS: MerchantSettings = {
  pointsPerUnit: 10,
  minorPerPoint: 10,
  refundWindowDays: 365,
  holidays: [],
  ipAllowList: null,
  orderTotalIncreaseLimitPercent: 10,
  refundSettlementDelaySeconds: 0,
  autoRefundGraceHours: 48,
  sandbox: false,
  storeRatingPoints: 50,
  productRatingPoints: 25,
  refundApprovalAboveMinor: null,
  checkoutCapture: 'automatic',
};

export interface Merchant {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
  readonly settings: MerchantSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A stored credential: only a hash of the secret and a short visible prefix are kept. */
export interface Credential {
  readonly id: string;
  readonly merchantId: string;
  readonly dialect: CredentialDialect;
  readonly kind: CredentialKind;
  readonly prefix: string;
  readonly secretHash: string;
  readonly permissions: readonly string[];
  /** MPG: addresses and CIDR blocks the key may be used from; null admits every address. */
  readonly ipWhitelist: readonly string[] | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}
