/**
 * A Backd order's own lifecycle (docs/decisions/backd.md#order-statuses), kept
 * beside the core order it belongs to. The core holds the money (a purchase of the whole total at
 * confirm, a cancel, refunds); this module holds what Backd adds on top: the buyer's terms, the
 * merchant's placement and confirmation, and the rules of `update_order`.
 */
import { formatUtcSeconds } from './business-days.js';
import { domainError, type DomainError } from './errors.js';
import { assert, err, ok, type Result } from './result.js';

export const BACKD_ORDER_STATUSES = [
  'created', // create_order answered; the buyer has not picked terms yet
  'terms_selected', // the buyer picked net30/net60/net90 on the terms page
  'order_placed', // the merchant placed it (POST /order_placed); update, confirm or cancel next
  'order_confirmed', // confirmed: the whole order_total is captured; refunds may be requested
  'order_canceled', // cancelled while placed; terminal
  'refund', // at least one refund request has settled; more may follow while money remains
] as const;
export type BackdOrderStatus = (typeof BACKD_ORDER_STATUSES)[number];

export const BACKD_TERMS = ['net30', 'net60', 'net90'] as const;
/** The payment terms a buyer picks on the terms page. */
export type BackdTerms = (typeof BACKD_TERMS)[number];

/** What a merchant or buyer asks of a Backd order, each with the statuses it is allowed from. */
export const BACKD_ACTIONS = [
  'select_terms',
  'place',
  'update',
  'confirm',
  'cancel',
  'request_refund',
  'delete_refund',
  'settle_refund',
] as const;
export type BackdAction = (typeof BACKD_ACTIONS)[number];

/** The transition table: where each action may start, and where it leads. */
const TRANSITIONS: Readonly<
  Record<BackdAction, { from: readonly BackdOrderStatus[]; to: BackdOrderStatus | 'same' }>
> = {
  // A buyer may change their mind until the merchant places the order.
  select_terms: { from: ['created', 'terms_selected'], to: 'terms_selected' },
  place: { from: ['terms_selected'], to: 'order_placed' },
  update: { from: ['order_placed'], to: 'same' },
  confirm: { from: ['order_placed'], to: 'order_confirmed' },
  cancel: { from: ['order_placed'], to: 'order_canceled' },
  // docs/decisions/backd.md#order-statuses: refund requests are accepted in order_confirmed and
  // refund.
  request_refund: { from: ['order_confirmed', 'refund'], to: 'same' },
  delete_refund: { from: ['order_confirmed', 'refund'], to: 'same' },
  settle_refund: { from: ['order_confirmed', 'refund'], to: 'refund' },
};

/**
 * The status after `action`, or `backd_order.invalid_state` (details: action, status) when the
 * order is not in a status the action is allowed from.
 */
export function transitionBackdOrder(
  status: BackdOrderStatus,
  action: BackdAction,
): Result<BackdOrderStatus, DomainError> {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) {
    return err(domainError('backd_order.invalid_state', { action, status }));
  }
  return ok(rule.to === 'same' ? status : rule.to);
}

/** Amounts of a Backd order in minor units; `order_total = cart + tax + shipping − discount`. */
export interface BackdAmounts {
  readonly orderTotalMinor: number;
  readonly cartAmountMinor: number;
  readonly taxAmountMinor: number;
  readonly shippingAmountMinor: number;
  readonly discountAmountMinor: number;
}

/** A shipping or billing contact as the seed's schema gives it; kept as sent. */
export interface BackdContact {
  readonly name: { readonly first: string; readonly last: string };
  readonly company_name: string;
  readonly address: {
    readonly line1: string;
    readonly line2?: string;
    readonly city: string;
    readonly state: string;
    readonly zipcode: string;
    readonly country: string;
  };
  readonly phone_number: string;
  readonly email: string;
}

/** A line item; its price in minor units (the decimal was parsed strictly at the edge). */
export interface BackdItem {
  readonly displayName: string;
  readonly sku: string;
  readonly unitPriceMinor: number;
  readonly qty: number;
  readonly itemImageUrl?: string;
  readonly itemUrl?: string;
}

/** create_order's `mode`: only the redirect flow exists. */
export interface BackdMode {
  readonly type: 'redirect';
  readonly orderSuccessUrl: string;
  readonly orderCloseUrl: string;
}

/** Backd's state of one core order (the core order holds the money). */
export interface BackdOrder extends BackdAmounts {
  /** The core order's id. */
  readonly orderId: string;
  readonly merchantId: string;
  readonly backdOrderId: string;
  readonly merchantOrderId: string;
  readonly merchantOrderStatus: string | null;
  readonly status: BackdOrderStatus;
  readonly terms: BackdTerms | null;
  /** SHA-256 of the terms page token in `customer_url`. */
  readonly checkoutTokenHash: string;
  readonly currency: string;
  /** The total agreed at creation; update_order's increase limit is measured from it. */
  readonly initialTotalMinor: number;
  readonly shipping: BackdContact | null;
  readonly billing: BackdContact;
  readonly items: readonly BackdItem[];
  readonly mode: BackdMode;
  readonly notifyCustomer: boolean | null;
  readonly customerEmail: string | null;
  readonly termsSelectedAt: number | null;
  readonly placedAt: number | null;
  readonly confirmedAt: number | null;
  readonly canceledAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Incremented by every change; the store refuses an update from a stale version. */
  readonly version: number;
}

/**
 * Checks Backd's identity `order_total = cart_amount + tax_amount + shipping_amount −
 * discount_amount` and that the total is positive.
 * Errors: validation.failed (details: field, reason).
 */
export function checkBackdAmounts(a: BackdAmounts): Result<BackdAmounts, DomainError> {
  const parts = [
    a.orderTotalMinor,
    a.cartAmountMinor,
    a.taxAmountMinor,
    a.shippingAmountMinor,
    a.discountAmountMinor,
  ];
  assert(
    parts.every((n) => Number.isSafeInteger(n) && n >= 0),
    'amounts are non-negative integers',
  );
  if (a.orderTotalMinor <= 0) {
    return err(domainError('validation.failed', { field: 'order_total', reason: 'not_positive' }));
  }
  const sum = a.cartAmountMinor + a.taxAmountMinor + a.shippingAmountMinor - a.discountAmountMinor;
  if (sum !== a.orderTotalMinor) {
    return err(
      domainError('validation.failed', {
        field: 'order_total',
        reason: 'sum_mismatch',
        expectedMinor: sum,
      }),
    );
  }
  return ok(a);
}

/**
 * Whether `update_order` may move the total from the agreed one (`initialTotalMinor`, the total at
 * creation) to `newTotalMinor`: a decrease always may; an increase may by at most
 * `limitPercent` % of the agreed total, measured from the agreed total so that several small
 * increases cannot add up past the limit. Integer arithmetic, no rounding.
 * Errors: backd_order.increase_exceeds_limit (details: limitPercent, maxTotalMinor).
 */
export function checkTotalIncrease(
  initialTotalMinor: number,
  newTotalMinor: number,
  limitPercent: number,
): Result<number, DomainError> {
  assert(Number.isSafeInteger(limitPercent) && limitPercent >= 0, 'limit is a whole percentage');
  if (newTotalMinor <= initialTotalMinor) return ok(newTotalMinor);
  // floor(initial × (100 + limit) / 100), computed exactly.
  const maxTotalMinor = Number((BigInt(initialTotalMinor) * BigInt(100 + limitPercent)) / 100n);
  if (newTotalMinor > maxTotalMinor) {
    return err(domainError('backd_order.increase_exceeds_limit', { limitPercent, maxTotalMinor }));
  }
  return ok(newTotalMinor);
}

/**
 * Backd's order id, in the docs' shape `BO-YYYYMMDD-…`: the UTC creation date, then the 16 hex
 * digits at the end of a fresh UUIDv7 (62 random bits), so ids never collide in practice and a
 * collision meets a unique index and is retried.
 */
export function backdOrderIdFor(uuid: string, createdAtMs: number): string {
  const hex = uuid.replace(/-/g, '').toUpperCase();
  assert(/^[0-9A-F]{32}$/.test(hex), 'a UUID');
  const date = formatUtcSeconds(createdAtMs).slice(0, 10).replace(/-/g, '');
  return `BO-${date}-${hex.slice(16)}`;
}
