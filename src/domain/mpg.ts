/**
 * Rules of the Moyasar Payment Gateway face that the core planners do not cover: extending an
 * authorization's hold and reversing a transaction whose outcome is unknown
 * (docs/decisions/mpg.md#void-refund-reverse).
 */
import { BOUNDS } from './bounds.js';
import { domainError, type DomainError } from './errors.js';
import {
  capturableMinor,
  type Change,
  type Order,
  planNoMoney,
  type TransactionStatus,
  type TransactionType,
} from './order.js';
import { err, ok, type Result } from './result.js';

/** Order-creating amounts: one full major unit at least, and MPG's documented max (bounds.ts). */
export const MPG_CREATE_AMOUNT_MIN = BOUNDS.mpgCreateAmountMinorMin;
export const MPG_AMOUNT_MAX = BOUNDS.mpgAmountMinorMax;

export const MPG_SOURCE_TYPES = ['internet', 'merchant', 'moto'] as const;
/** How the card was presented: card-not-present with 3DS, merchant-initiated, mail/phone order. */
export type MpgSourceType = (typeof MPG_SOURCE_TYPES)[number];

export const MPG_REVERSE_REASONS = [
  'request_timeout',
  'gateway_timeout',
  'response_error',
  'delivery_error',
] as const;
export type MpgReverseReason = (typeof MPG_REVERSE_REASONS)[number];

/** Statuses whose outcome is unknown, so a scheme-level reversal is the right tool. */
const UNCERTAIN: readonly TransactionStatus[] = ['initiated', 'timeout', 'system_error'];

/** A ledger row as these rules need it. */
export interface MpgRow {
  readonly id: string;
  readonly type: TransactionType;
  readonly status: TransactionStatus;
  readonly amountMinor: number;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Extend the hold of an authorization. "The first transaction on the order must be an approved
 * authorize", and some of it must still be held (neither captured nor voided). A non-zero
 * `deltaMinor` is the part of that held money whose hold the scheme is advised to extend
 * (docs/decisions/mpg.md, "Extend"): at most what is still held, since the order's amount is
 * immutable. The row records the delta and moves no money.
 * Errors: order.not_extendable, capture.exceeds_capturable (the delta is above what is held:
 * the same bound a capture has, `capturableMinor` in its details).
 */
export function planExtension(
  order: Order,
  rows: readonly MpgRow[],
  deltaMinor = 0,
): Result<Change, DomainError> {
  const first = rows[0];
  if (!first || first.type !== 'authorize' || first.status !== 'approved') {
    return err(domainError('order.not_extendable'));
  }
  const heldMinor = capturableMinor(order);
  if (heldMinor === 0) return err(domainError('order.not_extendable'));
  if (deltaMinor > heldMinor) {
    return err(domainError('capture.exceeds_capturable', { capturableMinor: heldMinor }));
  }
  return ok(planNoMoney(order, [{ type: 'extension', amountMinor: deltaMinor, points: 0 }]));
}

/**
 * Reverse a transaction of this order whose outcome is unknown (initiated, timeout, system
 * error). Such a row never counted toward the totals, so the reversal moves no money either.
 * A transaction with a known outcome is voided or refunded instead; one is reversed at most once.
 * Errors: transaction.not_found (not on this order), transaction.not_reversible.
 */
export function planReversal(
  order: Order,
  rows: readonly MpgRow[],
  targetId: string,
): Result<Change, DomainError> {
  const target = rows.find((r) => r.id === targetId);
  if (!target) return err(domainError('transaction.not_found'));
  const reversedAlready = rows.some(
    (r) =>
      r.type === 'reversal' &&
      r.status === 'approved' &&
      r.details['reversed_transaction_id'] === targetId,
  );
  if (target.type === 'reversal' || !UNCERTAIN.includes(target.status) || reversedAlready) {
    return err(domainError('transaction.not_reversible', { status: target.status }));
  }
  return ok(planNoMoney(order, [{ type: 'reversal', amountMinor: target.amountMinor, points: 0 }]));
}

/**
 * MPG shows a merchant's short numeric id (`merchant.merchant_id`, "60052" in the docs). Unwind
 * derives a stable 8-digit one from the random tail of the merchant's UUID.
 */
export function mpgMerchantNumber(merchantId: string): string {
  const tail = merchantId.replace(/-/g, '').slice(-12);
  const n = Number.parseInt(tail, 16);
  return Number.isSafeInteger(n) ? String(n % 100_000_000).padStart(8, '0') : '00000000';
}
