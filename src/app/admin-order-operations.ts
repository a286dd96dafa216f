/**
 * What an operator asks of an order (the admin API's authorize, capture, void, cancel and refund,
 * which the dashboard calls), applied under the lifecycle of the face the order belongs to, so
 * that the face's own records see every change its clients can read:
 *
 * - admin orders: the core operations as they are;
 * - Backd: money leaves only through refund requests, so a refund is refused with the active
 *   request named (order.refund_via_request), and an operator refunds by submitting a request
 *   (src/app/backd-refund-requests.ts); a cancel is Backd's own cancel_order (allowed only where
 *   Backd allows it, and Backd's status follows); Backd has no authorize, capture or void;
 * - Points: Points' state machine decides first (the same table its API uses); Points has no
 *   void and captures the whole authorization, so those are refused;
 * - MPG: capture, void and refund are MPG's own operations (each row with MPG's references, in
 *   MPG's search); MPG has no authorize after creation and no cancel.
 *
 * The order is locked first and each decision is made under that lock, in the operation's one
 * transaction (docs/dialects/backd.md "Refunds by operators").
 */
import { domainError, type DomainError } from '../domain/errors.js';
import { capturableMinor, type Dialect, type Order } from '../domain/order.js';
import { refundRequestSummary } from '../domain/refund-request.js';
import { err, ok, type Result } from '../domain/result.js';
import { cancelBackdOrder } from './backd-orders.js';
import { type Actor, mapUseCase, type RunContext, type UseCase } from './context.js';
import type { OrderOutcome } from './ledger.js';
import { mpgAmountOperation } from './mpg-orders.js';
import {
  authorizeOrder,
  cancelOrder,
  captureOrder,
  type OrderCommand,
  refundOrder,
  voidOrder,
} from './order-operations.js';
import { pointsRefusal } from './points-orders.js';
import type { LedgerTransaction, StoreTx } from './ports/store.js';

export const ADMIN_OPERATIONS = ['authorize', 'capture', 'void', 'cancel', 'refund'] as const;
export type AdminOperation = (typeof ADMIN_OPERATIONS)[number];

export interface AdminOperationCommand {
  readonly orderId: string;
  readonly operation: AdminOperation;
  readonly actor: Actor;
  readonly reason: string | null;
  /** Capture, void and refund: omitted means all that remains. */
  readonly amountMinor?: number;
}

/** The order afterwards and the ledger rows this operation appended. */
export interface AdminOperationResult {
  readonly order: Order;
  readonly transactions: readonly LedgerTransaction[];
}

type Operate = (
  tx: StoreTx,
  run: RunContext,
  order: Order,
  cmd: AdminOperationCommand,
) => ReturnType<UseCase<AdminOperationResult>>;

/**
 * Errors: order.not_found, order.refund_via_request (Backd; details: orderId, backdOrderId,
 * activeRefundRequest), order.not_in_lifecycle (details: dialect, operation), the refusals of
 * Backd's and Points' state machines, and those of the core planners.
 */
export const operateAsAdmin =
  (cmd: AdminOperationCommand): UseCase<AdminOperationResult> =>
  async (tx, run) => {
    const order = await tx.lockOrder(cmd.orderId);
    if (!order) return err(domainError('order.not_found'));
    return BY_DIALECT[order.dialect](tx, run, order, cmd);
  };

const notInLifecycle = (dialect: Dialect, operation: string): Result<never, DomainError> =>
  err(domainError('order.not_in_lifecycle', { dialect, operation }));

const appended = (outcome: OrderOutcome): AdminOperationResult => ({
  order: outcome.order,
  transactions: outcome.transactions,
});

/** The core operation, after `guard` (a face's own refusal) on the locked order. */
function coreOperation(
  cmd: AdminOperationCommand,
  guard?: OrderCommand['guard'],
): UseCase<AdminOperationResult> {
  const base: OrderCommand = {
    merchantId: null,
    orderId: cmd.orderId,
    actor: cmd.actor,
    reason: cmd.reason,
    ...(guard ? { guard } : {}),
  };
  const amount = cmd.amountMinor === undefined ? {} : { amountMinor: cmd.amountMinor };
  const useCase = {
    authorize: () => authorizeOrder(base),
    capture: () => captureOrder({ ...base, ...amount }),
    void: () => voidOrder({ ...base, ...amount }),
    cancel: () => cancelOrder(base),
    refund: () => refundOrder({ ...base, ...amount }),
  }[cmd.operation]();
  return mapUseCase<OrderOutcome, AdminOperationResult>(useCase, appended);
}

const backd: Operate = async (tx, run, order, cmd) => {
  switch (cmd.operation) {
    case 'refund': {
      const active = await tx.findActiveBackdRefundRequest(order.id);
      return err(
        domainError('order.refund_via_request', {
          orderId: order.id,
          backdOrderId: order.backdOrderId,
          activeRefundRequest: active ? refundRequestSummary(active, run.now) : null,
        }),
      );
    }
    case 'cancel':
      return mapUseCase(
        cancelBackdOrder({
          merchantId: null,
          orderId: order.id,
          actor: cmd.actor,
          reason: cmd.reason,
        }),
        (changed) => appended(changed.outcome),
      )(tx, run);
    default:
      return notInLifecycle('backd', cmd.operation);
  }
};

const points: Operate = async (tx, run, order, cmd) => {
  if (cmd.operation === 'void') return notInLifecycle('points', 'void');
  const partial = cmd.amountMinor !== undefined && cmd.amountMinor < capturableMinor(order);
  if (cmd.operation === 'capture' && partial) return notInLifecycle('points', 'partial_capture');
  const operation = cmd.operation;
  return coreOperation(cmd, (locked) => pointsRefusal(operation, locked))(tx, run);
};

const mpg: Operate = async (tx, run, _order, cmd) => {
  if (cmd.operation === 'authorize' || cmd.operation === 'cancel') {
    return notInLifecycle('mpg', cmd.operation);
  }
  const done = await mpgAmountOperation(cmd.operation, {
    merchantId: null,
    orderId: cmd.orderId,
    actor: cmd.actor,
    reason: cmd.reason,
    ...(cmd.amountMinor === undefined ? {} : { amountMinor: cmd.amountMinor }),
  })(tx, run);
  if (!done.ok) return done;
  // An MPG operation appends exactly one row: the one it answers with.
  const row = done.value.transaction;
  return ok({ order: done.value.order, transactions: row ? [row] : [] });
};

const BY_DIALECT: Readonly<Record<Dialect, Operate>> = {
  admin: (tx, run, _order, cmd) => coreOperation(cmd)(tx, run),
  backd,
  points,
  mpg,
};
