/**
 * The MPG order and transaction objects, field for field and in the order of G2's example
 * (docs/decisions/mpg.md#doc-generations). Timestamps are UTC with second precision
 * (`2024-09-15T12:27:45Z`). The card authentication object is G2's 3-D Secure show page's.
 */
import type { LedgerTransaction } from '../../../app/ledger.js';
import type { MpgCardAuth } from '../../../app/mpg-card-auths.js';
import type { Merchant } from '../../../domain/merchant.js';
import { mpgMerchantNumber } from '../../../domain/mpg.js';
import type { Order } from '../../../domain/order.js';

/** Unwind is its own (simulated) acquirer: one fixed id for every merchant. */
export const UNWIND_ACQUIRER_ID = '0191f5a7-0000-7000-8000-756e77696e64';

export const isoSeconds = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Json = Record<string, unknown>;
const field = (o: Json | null | undefined, key: string): unknown => o?.[key] ?? null;

export function mpgTransactionJson(t: LedgerTransaction) {
  const d = t.details as Json;
  return {
    id: t.id,
    status: t.status,
    type: t.type,
    source_type: field(d, 'source_type'),
    reverse_reason: field(d, 'reverse_reason'),
    justification: field(d, 'justification'),
    reversed_transaction_id: field(d, 'reversed_transaction_id'),
    message: field(d, 'message'),
    response_code: field(d, 'response_code'),
    retrieval_reference: field(d, 'retrieval_reference'),
    stan: field(d, 'stan'),
    auth_code: field(d, 'auth_code'),
    amount: t.amountMinor,
    // The seed's capture keeps `refunded_amount: 0` after a full refund: the order-level total
    // is the authoritative one, and Unwind shows 0 here likewise.
    refunded_amount: 0,
    created_at: isoSeconds(t.createdAt),
  };
}

/** The merchant block of MPG's objects (orders, card authentications). */
export const mpgMerchantJson = (merchant: Merchant) => ({
  id: merchant.id,
  acquirer_id: UNWIND_ACQUIRER_ID,
  name: merchant.name,
  arabic_name: merchant.name,
  merchant_id: mpgMerchantNumber(merchant.id),
  rule_precedence: 'mixed',
});

export function mpgOrderJson(
  merchant: Merchant,
  order: Order,
  transactions: readonly LedgerTransaction[],
) {
  const mpg = (order.details['mpg'] ?? {}) as Json;
  const source = (mpg['source'] ?? {}) as Json;
  const sub = mpg['sub_merchant'] as Json | null | undefined;
  return {
    id: order.id,
    merchant: mpgMerchantJson(merchant),
    currency: order.currency,
    amount: order.amountMinor,
    captured_amount: order.capturedMinor,
    refunded_amount: order.refundedMinor,
    voided_amount: order.voidedMinor,
    description: field(mpg, 'description'),
    created_at: isoSeconds(order.createdAt),
    updated_at: isoSeconds(order.updatedAt),
    source: {
      type: field(source, 'type'),
      issuer: null,
      card_type: null,
      category: null,
      country_alpha2: null,
      scheme: field(source, 'scheme'),
      first_digits: field(source, 'first_digits'),
      last_digits: field(source, 'last_digits'),
      month: field(source, 'month'),
      year: field(source, 'year'),
    },
    reauthorized_order_id: field(mpg, 'reauthorized_order_id'),
    airline: field(mpg, 'airline'),
    sub_merchant: sub
      ? {
          id: field(sub, 'id'),
          registered_name: field(sub, 'registered_name'),
          trading_name: field(sub, 'trading_name'),
          email: field(sub, 'email'),
        }
      : null,
    agreement: field(mpg, 'agreement'),
    transactions: transactions.map(mpgTransactionJson),
  };
}

/** The keyset cursor of GET /v1/orders: the last order's sort value and id, base64url JSON. */
export function encodeCursor(value: number | string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { value: number | string; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A number is a sort value of an integer column (amounts, times): anything else (1.5, 1e300)
    // would reach the database as a parameter its column type cannot take.
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (Number.isSafeInteger(parsed[0]) || typeof parsed[0] === 'string') &&
      typeof parsed[1] === 'string'
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: not a cursor of ours
  }
  return null;
}

/** A card authentication (3-D Secure) in the show page's object and key order. */
export const cardAuthJson = (merchant: Merchant, a: MpgCardAuth, publicUrl: string) => ({
  id: a.id,
  merchant: mpgMerchantJson(merchant),
  status: a.status,
  amount: a.amountMinor,
  currency: a.currency,
  return_url: a.returnUrl,
  message: a.message,
  failure_reason: a.failureReason,
  challenge_preference: a.challengePreference,
  is_frictionless: a.isFrictionless,
  challenge: a.challenge
    ? { url: `${publicUrl}${a.challenge['url'] ?? ''}`, creq: a.challenge['creq'] ?? '' }
    : null,
  auth: a.auth,
  created_at: isoSeconds(a.createdAt),
  updated_at: isoSeconds(a.updatedAt),
});
