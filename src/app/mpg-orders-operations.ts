/** MPG's follow-up operations on an order: capture, void, refund, extend and reverse. */
import { APPROVED } from '../domain/cards.js';
import { domainError } from '../domain/errors.js';
import { type MpgReverseReason, planExtension, planReversal } from '../domain/mpg.js';
import type { Order } from '../domain/order.js';
import { err, ok } from '../domain/result.js';
import type { Actor, UseCase } from './context.js';
import { changeOrder, lockWithReplay } from './ledger.js';
import { mpgOutcome } from './mpg-references.js';
import {
  coreKey,
  indexTransactions,
  keyed,
  lockMpgOrder,
  type MpgOrderView,
  type MpgTx,
  naming,
  readWithLock,
  sourceTypeOf,
  transactionIdTaken,
  view,
  viewFrom,
} from './mpg-orders-shared.js';
import { captureOrder, refundOrder, voidOrder } from './order-operations.js';
import type { MerchantStore } from './ports/merchants.js';

export type MpgAmountOperation = 'capture' | 'void' | 'refund';

export interface MpgOperationCommand {
  /** The merchant asking; null is an operator, acting on any merchant's MPG order. */
  readonly merchantId: string | null;
  readonly actor: Actor;
  readonly orderId: string;
  readonly transactionId?: string;
  /** An operator's reason, recorded on the row and the event; MPG's API sends none. */
  readonly reason?: string | null;
  /** The order as the caller already locked it in this transaction (an operator's route). */
  readonly locked?: Order;
}

/**
 * Capture, void or refund `amountMinor`: MPG's API requires the amount; an operator may leave it
 * out for all that remains. Either way the row carries MPG's references and is indexed, so MPG's
 * order object and search show it like any other. The issuer approves follow-up operations on an
 * approved order; the business rules are the core's.
 * Errors: order.not_found, order.duplicate_reference (transaction_id of another merchant),
 * idempotency.key_reused, and those of planCapture, planVoid, planRefund.
 */
export const mpgAmountOperation =
  (
    operation: MpgAmountOperation,
    cmd: MpgOperationCommand & { readonly amountMinor?: number },
  ): UseCase<MpgOrderView, MpgTx & MerchantStore> =>
  async (tx, run) => {
    const idempotencyKey = cmd.transactionId && coreKey('transaction_id', cmd.transactionId);
    // The key's earlier event, the order's ledger and the id's row come with the lock (one round
    // trip on PostgreSQL), unless the caller already holds the lock.
    const locking = lockWithReplay(
      tx,
      { merchantId: cmd.merchantId, ...(idempotencyKey ? { idempotencyKey } : {}) },
      () => lockMpgOrder(tx, cmd.merchantId, cmd.orderId, cmd.locked),
    );
    const reading = cmd.locked ? undefined : readWithLock(tx, cmd.orderId, cmd.transactionId);
    const { locked, earlier } = await locking;
    if (!locked.ok) return locked;
    const read = await reading;
    // A transaction_id already taken is found by the core: its key (this order's earlier
    // request) or the row's primary key (anything else), so the common case reads nothing more.
    const core = {
      merchantId: cmd.merchantId,
      orderId: cmd.orderId,
      locked: locked.value,
      actor: cmd.actor,
      reason: cmd.reason ?? null,
      ...(cmd.amountMinor !== undefined ? { amountMinor: cmd.amountMinor } : {}),
      outcome: mpgOutcome(operation, APPROVED, sourceTypeOf(locked.value)),
      ...(cmd.transactionId && idempotencyKey
        ? { transactionId: cmd.transactionId, idempotencyKey }
        : {}),
      ...(earlier !== undefined ? { earlier } : {}),
      ...(read && cmd.transactionId && read.idRow === undefined ? { transactionIdFree: true } : {}),
    };
    const outcome =
      operation === 'capture'
        ? await captureOrder(core)(tx, run)
        : operation === 'void'
          ? await voidOrder(core)(tx, run)
          : await refundOrder(core)(tx, run);
    if (!outcome.ok) {
      // The key was used on another of the merchant's orders: its row is taken there.
      const elsewhere =
        outcome.error.code === 'idempotency.key_reused' &&
        (await transactionIdTaken(tx, locked.value.merchantId, cmd.orderId, cmd.transactionId));
      if (elsewhere) {
        return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
      }
      return naming(outcome, 'transaction_id');
    }
    if (!outcome.value.replayed) await indexTransactions(tx, outcome.value.transactions);
    const transactionId = cmd.transactionId ?? null;
    return ok(
      read
        ? viewFrom(read.ledger, outcome.value, transactionId)
        : await view(tx, outcome.value, transactionId),
    );
  };

/**
 * Extend the hold of the order's authorization, for `amountMinor` of the held money when it is
 * not 0 (planExtension: the order's amount is immutable, so the authorization cannot grow).
 * Errors: order.not_found, order.not_extendable, capture.exceeds_capturable,
 * order.duplicate_reference, idempotency.key_reused.
 */
export const mpgExtendOrder =
  (cmd: MpgOperationCommand & { readonly amountMinor?: number }): UseCase<MpgOrderView, MpgTx> =>
  async (tx, run) => {
    const locked = await lockMpgOrder(tx, cmd.merchantId, cmd.orderId);
    if (!locked.ok) return locked;
    if (await transactionIdTaken(tx, locked.value.merchantId, cmd.orderId, cmd.transactionId)) {
      return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
    }
    const rows = await tx.listTransactions(cmd.orderId);
    const outcome = await changeOrder(tx, run, {
      orderId: cmd.orderId,
      command: {
        merchantId: cmd.merchantId,
        actor: cmd.actor,
        outcome: mpgOutcome('extension', APPROVED, sourceTypeOf(locked.value)),
        ...keyed(cmd.transactionId),
      },
      eventType: 'order.extended',
      request: { amountMinor: cmd.amountMinor ?? 0 },
      plan: (order) => planExtension(order, rows, cmd.amountMinor ?? 0),
    });
    if (!outcome.ok) return naming(outcome, 'transaction_id');
    if (!outcome.value.replayed) await indexTransactions(tx, outcome.value.transactions);
    return ok(await view(tx, outcome.value, cmd.transactionId ?? null));
  };

/**
 * Reverse a transaction whose outcome is unknown. Answers with the reversal transaction.
 * Errors: transaction.not_found (unknown or another merchant's), transaction.not_reversible,
 * order.duplicate_reference, idempotency.key_reused.
 */
export const mpgReverseTransaction =
  (cmd: {
    readonly merchantId: string;
    readonly actor: Actor;
    readonly targetId: string;
    readonly reason: MpgReverseReason;
    readonly transactionId?: string;
  }): UseCase<MpgOrderView, MpgTx> =>
  async (tx, run) => {
    const target = await tx.findLedgerTransaction(cmd.targetId);
    if (!target || target.merchantId !== cmd.merchantId) {
      return err(domainError('transaction.not_found'));
    }
    const locked = await lockMpgOrder(tx, cmd.merchantId, target.orderId);
    if (!locked.ok) return err(domainError('transaction.not_found'));
    if (await transactionIdTaken(tx, cmd.merchantId, target.orderId, cmd.transactionId)) {
      return err(domainError('order.duplicate_reference', { field: 'transaction_id' }));
    }
    const rows = await tx.listTransactions(target.orderId);
    const outcome = await changeOrder(tx, run, {
      orderId: target.orderId,
      command: {
        merchantId: cmd.merchantId,
        actor: cmd.actor,
        outcome: mpgOutcome('reversal', APPROVED, sourceTypeOf(locked.value), {
          reason: cmd.reason,
          transactionId: cmd.targetId,
        }),
        ...keyed(cmd.transactionId),
      },
      eventType: 'order.transaction_reversed',
      request: { targetId: cmd.targetId, reason: cmd.reason },
      plan: (order) => planReversal(order, rows, cmd.targetId),
    });
    if (!outcome.ok) return naming(outcome, 'transaction_id');
    if (!outcome.value.replayed) await indexTransactions(tx, outcome.value.transactions);
    return ok(await view(tx, outcome.value, cmd.transactionId ?? null));
  };
