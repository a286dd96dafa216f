/**
 * An order's shape and its totals: the dialects, kinds and statuses, the ledger row types, and
 * the rules that derive an order's totals and status from its rows. The planners that change an
 * order are in src/domain/order.ts (vocabulary in docs/architecture.md).
 */
import { unreachable } from './result.js';

/**
 * The providers' dialects, the one list of them: each has its credentials, its face (a folder of
 * src/http/dialects/) and its hooks (src/app/dialects.ts); a test holds the three to this list.
 * Adding one is a step of docs/architecture.md "Adding a dialect".
 */
export const PROVIDER_DIALECTS = ['points', 'backd', 'mpg'] as const;
export const DIALECTS = [...PROVIDER_DIALECTS, 'admin'] as const;
/**
 * The API face an order was created through. `admin` is Unwind's own generic face, so this is a
 * face, not a dialect: the older name stays until it is renamed (docs/glossary.md#dialect).
 */
export type Dialect = (typeof DIALECTS)[number];

export const ORDER_KINDS = ['earning', 'replacing', 'bnpl', 'card', 'standard'] as const;
/**
 * - earning:   a Points order that awards points for a purchase paid elsewhere.
 * - replacing: a Points redeem order, paid partly with points and partly in cash.
 * - bnpl:      a Backd buy-now-pay-later order.
 * - card:      a Moyasar Payment Gateway card order.
 * - standard:  an order created through the admin API.
 */
export type OrderKind = (typeof ORDER_KINDS)[number];

export const ORDER_STATUSES = [
  'pending', // created; nothing reserved or captured yet
  'authorized', // money reserved, nothing captured
  'captured', // money captured (possibly in part), nothing refunded
  'partially_refunded', // some captured money returned
  'refunded', // all captured money returned; terminal
  'voided', // the whole reservation released without capture; terminal
  'cancelled', // stopped before capture; terminal
] as const;
/** Derived from the amounts and the cancel flag by `deriveStatus`, so it cannot disagree with them. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Totals of an order. Each equals the sum of its approved ledger rows of the matching types. */
export interface OrderTotals {
  readonly authorizedMinor: number;
  readonly capturedMinor: number;
  readonly voidedMinor: number;
  readonly refundedMinor: number;
  /** Points the customer earned with this order. */
  readonly totalPoints: number;
  /** Earned points taken back by refunds. */
  readonly pointsReversed: number;
  /** Points the customer spent on this order (replacing orders). */
  readonly redeemedPoints: number;
  /** Redeemed points given back to the customer by refunds or a cancel. */
  readonly pointsReturned: number;
}

export interface Order extends OrderTotals {
  readonly id: string;
  readonly merchantId: string;
  readonly dialect: Dialect;
  readonly kind: OrderKind;
  readonly currency: string;
  /** The order's total price. Changes only before any money moves (`planAmendAmount`). */
  readonly amountMinor: number;
  /** The part of `amountMinor` paid with points (replacing orders); the rest is cash. */
  readonly redeemedMinor: number;
  readonly status: OrderStatus;
  readonly orderNumber: string | null;
  readonly merchantOrderId: string | null;
  readonly backdOrderId: string | null;
  /** The customer's normalised phone number, for points ledgers. */
  readonly customerRef: string | null;
  /** Face data the core does not interpret: items, addresses, masked card source, ... */
  readonly details: Readonly<Record<string, unknown>>;
  /** When money was first captured; the refund window counts from here. */
  readonly capturedAt: number | null;
  /** How money was first captured: in one step (purchase) or after an authorization. */
  readonly captureMethod: CaptureMethod | null;
  readonly cancelledAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Incremented by every change; the store refuses an update from a stale version. */
  readonly version: number;
}

export const TRANSACTION_TYPES = [
  'authorize', // reserves amount
  'capture', // captures amount of the reservation
  'purchase', // authorizes and captures amount in one step
  'void', // releases amount of the reservation
  'cancel', // marks the order cancelled; amount is always 0 (the void row carries money)
  'refund', // returns amount of captured money
  'points_award', // awards points to the customer
  'points_redeem', // takes points from the customer to pay part of the order
  'points_reversal', // takes back earned points on a refund
  'points_return', // gives redeemed points back on a refund or a cancel
  'verify', // checks a card with the issuer (MPG); moves no money, whatever its amount
  'extension', // extends the hold period of a reservation (MPG); moves no money
  'reversal', // scheme-level reversal of a transaction whose outcome was unknown (MPG); moves no money
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = [
  'initiated', // sent, no answer yet: counts toward nothing
  'approved', // the operation happened: the only status that counts toward the totals
  'failed', // declined by the scheme or the issuer: counts toward nothing
  'timeout', // no answer in time, outcome unknown: counts toward nothing (MPG reverses these)
  'system_error', // an internal processing error: counts toward nothing
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** How an attempted operation ended, with the dialect's per-row facts (MPG: references, codes). */
export interface TransactionOutcome {
  readonly status: TransactionStatus;
  readonly details: Readonly<Record<string, unknown>>;
}

export type CaptureMethod = 'purchase' | 'capture';

/** A ledger row before it is written. Ids, time and actor are added by the app layer. */
export interface TransactionDraft {
  readonly type: TransactionType;
  readonly amountMinor: number;
  readonly points: number;
  /** Omitted means `approved`. Only approved rows count toward the totals. */
  readonly status?: TransactionStatus;
  /** Dialect facts kept on the row (MPG: retrieval reference, STAN, response code, …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a planner decided: rows to append and the order's totals afterwards. */
export interface Change {
  readonly transactions: readonly TransactionDraft[];
  readonly totals: OrderTotals;
  readonly cancelled: boolean;
  /** Set when this change is the first capture. */
  readonly capturedAt: number | null;
  readonly captureMethod: CaptureMethod | null;
}

/** The single source of an order's status: amounts and the cancel flag decide it. */
export function deriveStatus(
  totals: Pick<OrderTotals, 'authorizedMinor' | 'capturedMinor' | 'voidedMinor' | 'refundedMinor'>,
  cancelled: boolean,
): OrderStatus {
  if (cancelled) return 'cancelled';
  if (totals.capturedMinor > 0) {
    if (totals.refundedMinor === totals.capturedMinor) return 'refunded';
    return totals.refundedMinor > 0 ? 'partially_refunded' : 'captured';
  }
  if (totals.authorizedMinor > 0) {
    return totals.voidedMinor === totals.authorizedMinor ? 'voided' : 'authorized';
  }
  return 'pending';
}

/** Money still reserved and neither captured nor voided. */
export const capturableMinor = (o: OrderTotals): number =>
  o.authorizedMinor - o.capturedMinor - o.voidedMinor;

/** Captured money not yet refunded. */
export const refundableMinor = (o: OrderTotals): number => o.capturedMinor - o.refundedMinor;

/**
 * Applies ledger rows to totals: the same arithmetic the verifier uses to recompute an order.
 * Only approved rows count: a declined, timed-out or failed row is history, not money.
 */
export function applyTransactions(
  totals: OrderTotals,
  rows: readonly TransactionDraft[],
): OrderTotals {
  let t = pickTotals(totals);
  for (const row of rows) {
    if ((row.status ?? 'approved') !== 'approved') continue;
    switch (row.type) {
      case 'authorize':
        t = { ...t, authorizedMinor: t.authorizedMinor + row.amountMinor };
        break;
      case 'capture':
        t = { ...t, capturedMinor: t.capturedMinor + row.amountMinor };
        break;
      case 'purchase':
        t = {
          ...t,
          authorizedMinor: t.authorizedMinor + row.amountMinor,
          capturedMinor: t.capturedMinor + row.amountMinor,
        };
        break;
      case 'void':
        t = { ...t, voidedMinor: t.voidedMinor + row.amountMinor };
        break;
      case 'cancel':
        break;
      case 'refund':
        t = { ...t, refundedMinor: t.refundedMinor + row.amountMinor };
        break;
      case 'points_award':
        t = { ...t, totalPoints: t.totalPoints + row.points };
        break;
      case 'points_redeem':
        t = { ...t, redeemedPoints: t.redeemedPoints + row.points };
        break;
      case 'points_reversal':
        t = { ...t, pointsReversed: t.pointsReversed + row.points };
        break;
      case 'points_return':
        t = { ...t, pointsReturned: t.pointsReturned + row.points };
        break;
      case 'verify':
      case 'extension':
      case 'reversal':
        // Recorded for the audit trail; none of them moves money (a reversal only ever targets a
        // row whose outcome was unknown, which never counted either).
        break;
      default:
        unreachable(row.type);
    }
  }
  return t;
}

/** Only the totals of an order (or of anything that has them). */
export const pickTotals = (o: OrderTotals): OrderTotals => ({
  authorizedMinor: o.authorizedMinor,
  capturedMinor: o.capturedMinor,
  voidedMinor: o.voidedMinor,
  refundedMinor: o.refundedMinor,
  totalPoints: o.totalPoints,
  pointsReversed: o.pointsReversed,
  redeemedPoints: o.redeemedPoints,
  pointsReturned: o.pointsReturned,
});

export const ZERO_TOTALS: OrderTotals = {
  authorizedMinor: 0,
  capturedMinor: 0,
  voidedMinor: 0,
  refundedMinor: 0,
  totalPoints: 0,
  pointsReversed: 0,
  redeemedPoints: 0,
  pointsReturned: 0,
};

/**
 * The invariants (docs/decisions/general.md#ledger-invariants) that one order's totals must
 * satisfy. Empty when all hold.
 */
export function totalsViolations(amountMinor: number, totals: OrderTotals): string[] {
  const t = pickTotals(totals);
  const v: string[] = [];
  const nonNegative = Object.entries(t).filter(([, n]) => !Number.isSafeInteger(n) || n < 0);
  for (const [name] of nonNegative) v.push(`${name} must be a non-negative integer`);
  if (t.authorizedMinor > amountMinor) v.push('authorized exceeds the order amount');
  if (t.capturedMinor + t.voidedMinor > t.authorizedMinor)
    v.push('captured + voided exceeds authorized');
  if (t.refundedMinor > t.capturedMinor) v.push('refunded exceeds captured');
  if (t.pointsReversed > t.totalPoints) v.push('points reversed exceed points earned');
  if (t.pointsReturned > t.redeemedPoints) v.push('points returned exceed points redeemed');
  return v;
}
