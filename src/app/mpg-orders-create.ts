/** MPG's purchase, authorize and verify: a new core order carrying the issuer's answer. */
import crypto from 'node:crypto';
import { cardExpired, detectScheme, issuerAnswerFor, maskCard } from '../domain/cards.js';
import { domainError, type DomainError } from '../domain/errors.js';
import type { MpgSourceType } from '../domain/mpg.js';
import type { TransactionType } from '../domain/order.js';
import { err, ok } from '../domain/result.js';
import type { Actor, UseCase } from './context.js';
import { createOrder } from './create-order.js';
import { mpgOutcome } from './mpg-references.js';
import {
  coreKey,
  indexTransactions,
  type MpgOrderView,
  type MpgTx,
  naming,
  transactionIdTaken,
  view,
} from './mpg-orders-shared.js';
import type { MerchantStore } from './ports/merchants.js';
import { fingerprint } from './secrets.js';

export type MpgCreateOperation = 'purchase' | 'authorize' | 'verify';

export interface MpgCard {
  /** The full number: used to check and mask the card here, never stored or logged. */
  readonly number: string;
  readonly month: number;
  readonly year: number;
  readonly securityCode: string;
  readonly holder?: string;
  /** The 3-D Secure result, as sent. */
  readonly auth?: Readonly<Record<string, unknown>>;
}

export interface MpgCreateCommand {
  readonly merchantId: string;
  readonly actor: Actor;
  readonly operation: MpgCreateOperation;
  readonly orderId?: string;
  readonly transactionId?: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly description: string;
  readonly sourceType: MpgSourceType;
  readonly card: MpgCard;
  readonly device: { readonly userAgent: string; readonly ipAddress: string };
  readonly airline?: { readonly reference: string } | undefined;
  readonly subMerchant?: Readonly<Record<string, unknown>> | undefined;
  readonly newAgreement?: Readonly<Record<string, unknown>> | undefined;
  readonly additionalData?: Readonly<Record<string, unknown>> | undefined;
}

/** A UUID-shaped id derived from `seed`, stable across replays. */
function derivedUuid(seed: string): string {
  const h = crypto.createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The UTC calendar month of an instant, for card expiry. */
function utcMonth(ms: number): { month: number; year: number } {
  const d = new Date(ms);
  return { month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}

/** The order's MPG facts as kept in `details.mpg` (no card number: only its masked form). */
function orderDetails(cmd: MpgCreateCommand, agreementId: string | null) {
  const scheme = detectScheme(cmd.card.number);
  if (scheme === null) return null;
  const masked = maskCard(cmd.card.number, scheme);
  return {
    description: cmd.description,
    transaction_type: cmd.sourceType,
    source: {
      type: 'card',
      scheme,
      first_digits: masked.firstDigits,
      last_digits: masked.lastDigits,
      month: cmd.card.month,
      year: cmd.card.year,
    },
    airline: cmd.airline ? { reference: cmd.airline.reference } : null,
    sub_merchant: cmd.subMerchant ?? null,
    agreement: cmd.newAgreement ? { id: agreementId, ...cmd.newAgreement } : null,
    device: { user_agent: cmd.device.userAgent, ip_address: cmd.device.ipAddress },
    reauthorized_order_id: null,
    ...(cmd.additionalData ? { additional_data: cmd.additionalData } : {}),
  };
}

/**
 * The fingerprint of a create request: everything it asks for, with the card reduced to what is
 * kept of it. The full number and the security code never enter a fingerprint: an unsalted hash
 * of a card number can be reversed by trying every number of its BIN.
 */
export function mpgCreateFingerprint(cmd: MpgCreateCommand): string {
  const { card, actor: _actor, ...rest } = cmd;
  const scheme = detectScheme(card.number);
  const masked = scheme ? maskCard(card.number, scheme) : null;
  return fingerprint({
    ...rest,
    card: { masked, month: card.month, year: card.year, holder: card.holder, auth: card.auth },
  });
}

const TYPE_OF: Record<MpgCreateOperation, TransactionType> = {
  purchase: 'purchase',
  authorize: 'authorize',
  verify: 'verify',
};

/**
 * The merchant's refusal of a request in `currency` for a card expiring `card` at `now`, or null:
 * merchant.not_found, validation.failed on `currency` (not the merchant's) or `yearField`.
 */
export async function mpgRequestProblem(
  tx: MerchantStore,
  merchantId: string,
  currency: string,
  card: { readonly month: number; readonly year: number },
  now: number,
  yearField: string,
): Promise<DomainError | null> {
  const merchant = await tx.findMerchant(merchantId);
  if (!merchant) return domainError('merchant.not_found');
  if (currency !== merchant.currency) {
    return domainError('validation.failed', {
      field: 'currency',
      rule: 'one_of',
      allowed: [merchant.currency],
    });
  }
  if (cardExpired(card, utcMonth(now))) {
    return domainError('validation.failed', { field: yearField, rule: 'card_expired' });
  }
  return null;
}

/**
 * Purchase, authorize or verify: a new order with one transaction carrying the issuer's answer
 * (a declined test card appends a `failed` row and moves no money).
 * Errors: validation.failed (details.field: `currency` not the merchant's, `source.number` of an
 * unsupported scheme, `source.year` expired), order.duplicate_reference (details.field
 * `order_id` or `transaction_id`: used by another merchant), idempotency.key_reused,
 * merchant.not_found.
 */
export const mpgCreateOrder =
  (cmd: MpgCreateCommand): UseCase<MpgOrderView, MpgTx & MerchantStore> =>
  async (tx, run) => {
    const problem = await mpgRequestProblem(
      tx,
      cmd.merchantId,
      cmd.currency,
      cmd.card,
      run.now,
      'source.year',
    );
    if (problem) return err(problem);
    // A replay must describe the same order, so an agreement's id follows from the order's.
    const agreementId = cmd.newAgreement
      ? cmd.orderId
        ? derivedUuid(`agreement:${cmd.merchantId}:${cmd.orderId}`)
        : run.newId()
      : null;
    const details = orderDetails(cmd, agreementId);
    if (details === null) {
      return err(domainError('validation.failed', { field: 'source.number', rule: 'scheme' }));
    }
    if (await transactionIdTaken(tx, cmd.merchantId, cmd.orderId, cmd.transactionId)) {
      return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
    }
    const type = TYPE_OF[cmd.operation];
    // The body id that makes the request safe to retry: order_id, else transaction_id.
    const bodyKey = cmd.orderId
      ? coreKey('order_id', cmd.orderId)
      : cmd.transactionId
        ? coreKey('transaction_id', cmd.transactionId)
        : undefined;
    const created = await createOrder({
      merchantId: cmd.merchantId,
      actor: cmd.actor,
      dialect: 'mpg',
      kind: 'card',
      currency: cmd.currency,
      amountMinor: cmd.amountMinor,
      capture: cmd.operation,
      details: { mpg: details },
      ...(cmd.orderId ? { orderId: cmd.orderId } : {}),
      ...(cmd.transactionId ? { transactionId: cmd.transactionId } : {}),
      ...(bodyKey ? { idempotencyKey: bodyKey } : {}),
      outcome: mpgOutcome(type, issuerAnswerFor(cmd.card.number), cmd.sourceType),
    })(tx, run);
    if (!created.ok) return naming(created, cmd.orderId ? 'order_id' : 'transaction_id');
    if (!created.value.replayed) {
      const o = created.value.order;
      await tx.insertMpgOrder({
        orderId: o.id,
        merchantId: o.merchantId,
        description: details.description,
        sourceType: details.transaction_type,
        scheme: details.source.scheme,
        firstDigits: details.source.first_digits,
        lastDigits: details.source.last_digits,
        subMerchantId: typeof cmd.subMerchant?.['id'] === 'string' ? cmd.subMerchant['id'] : null,
        deviceIp: details.device.ip_address,
        agreementId: details.agreement?.id ?? null,
      });
      await indexTransactions(tx, created.value.transactions);
    }
    return ok(await view(tx, created.value, null));
  };
