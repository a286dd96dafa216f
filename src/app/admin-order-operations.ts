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
import { type AdminOperation, OPERATOR_ROUTES } from '../domain/operator-operations.js';
import { capturableMinor, type Dialect, type Order } from '../domain/order.js';
import { refundRequestSummary } from '../domain/refund-request.js';
import { assert, err, ok, type Result } from '../domain/result.js';
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
import type { StoreTx } from './ports/store.js';
import type { LedgerTransaction } from './ports/ledger.js';
import type { BackdStore } from './ports/backd.js';

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
    return operateOnLocked(cmd, order)(tx, run);
  };

/** `operateAsAdmin` on an order the caller has already locked in this transaction. */
export const operateOnLocked =
  (cmd: AdminOperationCommand, order: Order): UseCase<AdminOperationResult> =>
  async (tx, run) => {
    switch (OPERATOR_ROUTES[order.dialect][cmd.operation]) {
      case 'core':
        return coreOperation(cmd, order)(tx, run);
      case 'face':
        return FACE_OPERATIONS[order.dialect](tx, run, order, cmd);
      case 'refund_request':
        return refundViaRequest(tx, run, order);
      case 'not_in_lifecycle':
        return notInLifecycle(order.dialect, cmd.operation);
    }
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
  locked: Order,
  guard?: OrderCommand['guard'],
): UseCase<AdminOperationResult> {
  const base: OrderCommand = {
    merchantId: null,
    orderId: cmd.orderId,
    locked,
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

/** A Backd refund: refused, naming the request that will (or could) refund the return. */
async function refundViaRequest(tx: BackdStore, run: RunContext, order: Order) {
  const active = await tx.findActiveBackdRefundRequest(order.id);
  return err(
    domainError('order.refund_via_request', {
      orderId: order.id,
      backdOrderId: order.backdOrderId,
      activeRefundRequest: active ? refundRequestSummary(active, run.now) : null,
    }),
  );
}

/** Backd's own operation for an operator: cancel_order (only while placed). */
const backd: Operate = (tx, run, order, cmd) => {
  assert(cmd.operation === 'cancel', 'Backd routes only its cancel here');
  return mapUseCase(
    cancelBackdOrder({ merchantId: null, orderId: order.id, actor: cmd.actor, reason: cmd.reason }),
    (changed) => appended(changed.outcome),
  )(tx, run);
};

/** Points' own state table first; Points captures only the whole authorization. */
const points: Operate = async (tx, run, order, cmd) => {
  const operation = cmd.operation;
  assert(operation !== 'void', 'Points has no void');
  const partial = cmd.amountMinor !== undefined && cmd.amountMinor < capturableMinor(order);
  if (operation === 'capture' && partial) return notInLifecycle('points', 'partial_capture');
  return coreOperation(cmd, order, (locked) => pointsRefusal(operation, locked))(tx, run);
};

/** MPG's own capture, void and refund: the row carries MPG's references and is indexed. */
const mpg: Operate = async (tx, run, order, cmd) => {
  const operation = cmd.operation;
  assert(operation !== 'authorize' && operation !== 'cancel', 'MPG has no such operation');
  const done = await mpgAmountOperation(operation, {
    merchantId: null,
    orderId: cmd.orderId,
    locked: order,
    actor: cmd.actor,
    reason: cmd.reason,
    ...(cmd.amountMinor === undefined ? {} : { amountMinor: cmd.amountMinor }),
  })(tx, run);
  if (!done.ok) return done;
  // An MPG operation appends exactly one row: the one it answers with.
  const row = done.value.transaction;
  return ok({ order: done.value.order, transactions: row ? [row] : [] });
};

/** Each face's own operations (OPERATOR_ROUTES says which); Unwind's own orders have none. */
const FACE_OPERATIONS: Readonly<Record<Dialect, Operate>> = {
  admin: (tx, run, order, cmd) => coreOperation(cmd, order)(tx, run),
  backd,
  points,
  mpg,
};
