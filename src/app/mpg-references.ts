/**
 * The per-transaction facts of the Moyasar Payment Gateway face: retrieval reference (12 digits),
 * STAN (6 digits), authorization code (6 characters; none on refunds or unapproved answers),
 * response code and message. References are random, so they come from here, not from the domain.
 */
import crypto from 'node:crypto';
import type { IssuerAnswer } from '../domain/cards.js';
import type { MpgReverseReason, MpgSourceType } from '../domain/mpg.js';
import type { TransactionOutcome, TransactionType } from '../domain/order.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(crypto.randomInt(0, 10))).join('');

/** The ledger row details of one MPG transaction, as the order object shows them. */
export interface MpgTransactionDetails {
  readonly source_type: MpgSourceType;
  readonly message: string;
  readonly response_code: string;
  readonly retrieval_reference: string;
  readonly stan: string;
  readonly auth_code: string | null;
  readonly reverse_reason: MpgReverseReason | null;
  readonly justification: string | null;
  readonly reversed_transaction_id: string | null;
}

export function mpgOutcome(
  type: TransactionType,
  answer: IssuerAnswer,
  sourceType: MpgSourceType,
  reversal?: { readonly reason: MpgReverseReason; readonly transactionId: string },
): TransactionOutcome {
  const details: MpgTransactionDetails = {
    source_type: sourceType,
    message: answer.message,
    response_code: answer.responseCode,
    retrieval_reference: digits(12),
    stan: digits(6),
    auth_code: type === 'refund' || answer.status !== 'approved' ? null : digits(6),
    reverse_reason: reversal?.reason ?? null,
    justification: null,
    reversed_transaction_id: reversal?.transactionId ?? null,
  };
  return { status: answer.status, details: { ...details } };
}
