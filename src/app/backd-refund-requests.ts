/**
 * Backd refund requests (docs/decisions/backd.md#refund-requests): submit (POST /refund), delete
 * (DELETE /refund), and the locking and settlement step the job runs. Every one runs with the core
 * order's row locked, so requests on one order are serialised across every process; the partial
 * unique index on active requests is the second wall. Lockedness is decided by time
 * (`now >= lockedAt`), so a request past its deadline refuses replacement and deletion even before
 * the job has run.
 */
import { type BackdOrder, transitionBackdOrder } from '../domain/backd-order.js';
import type { DomainError } from '../domain/errors.js';
import { type EventType, eventTime } from '../domain/events.js';
import { formatMinor } from '../domain/money.js';
import { type Order, refundableMinor } from '../domain/order.js';
import {
  dueStep,
  planDelete,
  planSubmit,
  type RefundRequest,
  type RefundRequestStatus,
  settlementDueAt,
  type SettlementObstacle,
  settlementObstacle,
  transitionRefundRequest,
} from '../domain/refund-request.js';
import { assert, ok, type Result } from '../domain/result.js';
import { type BackdOrderView, backdViewOf } from './backd-orders.js';
import {
  backdOrderJson,
  type BackdTarget,
  type BackdTx,
  lockBackdOrderWithActive,
} from './backd-state.js';
import {
  type Actor,
  type AppDeps,
  execute,
  query,
  type RunContext,
  type UseCase,
} from './context.js';
import { changeWithoutMoney } from './ledger.js';
import { refundOrder } from './order-operations.js';
import type { MerchantStore } from './ports/merchants.js';

/** A refund request as events carry it. */
export function refundRequestJson(r: RefundRequest): Record<string, unknown> {
  return {
    id: r.id,
    amount: formatMinor(r.amountMinor, r.currency),
    amount_minor: r.amountMinor,
    currency: r.currency,
    base_refunded_minor: r.baseRefundedMinor,
    status: r.status,
    locked_at: eventTime(r.lockedAt),
    settle_at: eventTime(r.settleAt),
    decline_reason: r.declineReason,
    replaced_by: r.replacedBy,
    created_at: eventTime(r.createdAt),
  };
}

export type SubmitRefundRequestCommand = BackdTarget & {
  readonly actor: Actor;
  readonly amountMinor: number;
  /** Recorded on the events (an operator's reason); Backd's API sends none. */
  readonly reason?: string | null;
  /**
   * Operators only: the id of the active draft this request replaces, or null when they expect
   * none (refund_request.active_changed otherwise). Backd's API leaves it out and replaces
   * whatever draft is active, as Backd documents.
   */
  readonly replaces?: string | null;
  /**
   * The merchant's business holidays as its credential's read found them this request (Backd's
   * API); omitted (an operator), the order's merchant is read in the transaction.
   */
  readonly holidays?: readonly string[];
};

/**
 * POST /refund, and an operator's submission on the merchant's behalf: a new draft request of
 * `amountMinor` (this request's amount, not a running total), declining and replacing the active
 * draft if it is not locked yet.
 * Errors: order.not_found, backd_order.merchant_order_id_mismatch, order.not_in_lifecycle,
 * backd_order.invalid_state, refund.amount_not_positive, refund_request.locked,
 * refund_request.active_changed, refund.exceeds_refundable.
 */
export const submitRefundRequest =
  (cmd: SubmitRefundRequestCommand): UseCase<BackdOrderView, BackdTx & MerchantStore> =>
  async (tx, run) => {
    const locked = await lockBackdOrderWithActive(tx, cmd);
    if (!locked.ok) return locked;
    const { order, backd, active } = locked.value;
    const allowed = transitionBackdOrder(backd.status, 'request_refund');
    if (!allowed.ok) return allowed;
    const holidays = cmd.holidays ?? (await merchantOf(tx, order.merchantId)).settings.holidays;
    const plan = planSubmit({
      id: run.newId(),
      orderId: order.id,
      merchantId: order.merchantId,
      currency: order.currency,
      amountMinor: cmd.amountMinor,
      // Settled requests are core refunds, so this is order_total minus what has settled.
      refundableMinor: refundableMinor(order),
      refundedMinor: order.refundedMinor,
      active,
      ...(cmd.replaces !== undefined ? { replaces: cmd.replaces } : {}),
      holidays,
      now: run.now,
    });
    if (!plan.ok) return plan;
    const { created, declined } = plan.value;
    const step = { backd, actor: cmd.actor, reason: cmd.reason ?? null };
    // Two changes (the decline, then the new request): two events, two versions.
    let current = order;
    if (declined) {
      current = await writeRequestStep(tx, run, {
        ...step,
        order: current,
        request: declined,
        from: 'draft',
        eventType: 'refund_request.declined',
      });
    }
    current = await writeRequestStep(tx, run, {
      ...step,
      order: current,
      request: created,
      from: null,
      eventType: 'refund_request.submitted',
      facts: { replaces: declined?.id ?? null },
    });
    // The answer from what this transaction holds: the order as the events left it, the Backd
    // order (a submission does not change it), and the requests as they now stand.
    const refunds = await tx.listBackdRefundRequests(order.id);
    return ok({ order: current, backd, refunds, now: run.now });
  };

async function merchantOf(tx: MerchantStore, merchantId: string) {
  const merchant = await tx.findMerchant(merchantId);
  assert(merchant !== undefined, 'an order has a merchant');
  return merchant;
}

/** One step of a refund request: its new state, and the event that names it. */
interface RequestStep {
  readonly order: Order;
  readonly backd: BackdOrder;
  readonly request: RefundRequest;
  /** The status the request must still have; null for a new request. */
  readonly from: RefundRequestStatus | null;
  readonly eventType: EventType;
  readonly actor: Actor;
  readonly reason?: string | null;
  /** Facts the event carries beside the Backd order and the request. */
  readonly facts?: Readonly<Record<string, unknown>>;
}

/**
 * Writes a request's step and its event, one change of the order that moves no money; returns
 * the order as now stored. Every step of a request goes through here.
 */
async function writeRequestStep(tx: BackdTx, run: RunContext, step: RequestStep): Promise<Order> {
  const { order, backd, request } = step;
  if (step.from === null) await tx.insertBackdRefundRequest(request);
  else await tx.updateBackdRefundRequest(request, step.from);
  return changeWithoutMoney(tx, run, {
    eventType: step.eventType,
    actor: step.actor,
    order,
    reason: step.reason ?? null,
    eventData: {
      backd_order: backdOrderJson(backd, backd.status),
      refund_request: refundRequestJson(request),
      ...step.facts,
    },
  });
}

export type DeleteRefundRequestCommand = BackdTarget & {
  readonly actor: Actor;
  readonly reason?: string | null;
  /** Operators only: the id of the draft they withdraw (refund_request.active_changed if not). */
  readonly expectedId?: string;
};

/**
 * DELETE /refund, and an operator withdrawing a draft: declines the order's active request
 * unless it is locked.
 * Errors: order.not_found, backd_order.merchant_order_id_mismatch, order.not_in_lifecycle,
 * backd_order.invalid_state, refund_request.none_active, refund_request.active_changed,
 * refund_request.locked.
 */
export const deleteRefundRequest =
  (cmd: DeleteRefundRequestCommand): UseCase<BackdOrderView, BackdTx> =>
  async (tx, run) => {
    const locked = await lockBackdOrderWithActive(tx, cmd);
    if (!locked.ok) return locked;
    const { order, backd, active } = locked.value;
    const allowed = transitionBackdOrder(backd.status, 'delete_refund');
    if (!allowed.ok) return allowed;
    const declined = planDelete(active, run.now, cmd.expectedId);
    if (!declined.ok) return declined;
    await writeRequestStep(tx, run, {
      order,
      backd,
      request: declined.value,
      from: 'draft',
      eventType: 'refund_request.declined',
      actor: cmd.actor,
      reason: cmd.reason ?? null,
    });
    return ok(await backdViewOf(tx, run, order.id));
  };

/** What one job step did to one request. */
export type AdvanceOutcome = 'approved' | 'settled' | 'declined' | 'not_due' | 'busy';

const JOB_ACTOR: Actor = { kind: 'job', name: 'refund-request-locker' };

/** The declined event's reason for each obstacle a settlement can meet. */
const OBSTACLE_REASONS: Readonly<Record<SettlementObstacle, string>> = {
  refunded_since_submission:
    'Money left the order another way after this request was submitted; settling it would refund the same return twice.',
  exceeds_refundable: 'The refundable rest of the order no longer covers this request.',
  order_state: "The Backd order's status no longer allows a refund to settle.",
};

/**
 * The job's step for one request, with the order's row locked without waiting (another node or a
 * request in flight holds it: `busy`, retried on a later step). A draft past its deadline becomes
 * `approved` with its settlement time (deadline + the merchant's delay); an approved request due
 * to settle becomes `refunded` in the same transaction as the core refund it posts, and the order
 * becomes `refund`.
 * Errors: refund_request.invalid_transition, backd_order.invalid_state and the core refund's
 * errors, none of which correct data can produce (the submission checked them).
 */
export const advanceRefundRequest =
  (requestId: string, orderId: string): UseCase<AdvanceOutcome, BackdTx & MerchantStore> =>
  async (tx, run) => {
    if (!(await tx.tryLockBackdOrder(orderId))) return ok('busy');
    const request = await tx.findBackdRefundRequest(requestId);
    const backd = await tx.findBackdOrderByOrderId(orderId);
    const order = await tx.findOrder(orderId);
    assert(request && backd && order, `refund request ${requestId} without its order`);
    const step = dueStep(request, run.now);
    if (step === null) return ok('not_due');
    const locked = { request, backd, order };
    if (step === 'approve') return approveRequest(tx, run, locked);
    // Re-checked here, under the row lock, from the order as it is now: a request that no longer
    // fits is declined rather than refunding twice or more than is left, and rather than failing
    // every step.
    const obstacle = settlementObstacle(request, order, backd.status);
    if (obstacle !== null) return declineRequest(tx, run, locked, obstacle);
    return settleRequest(tx, run, locked);
  };

/** A request and its orders, under the order's row lock. */
interface LockedRequest {
  readonly request: RefundRequest;
  readonly backd: BackdOrder;
  readonly order: Order;
}

/** A draft past its deadline: approved, to settle after the merchant's delay. */
async function approveRequest(
  tx: BackdTx & MerchantStore,
  run: RunContext,
  { request, backd, order }: LockedRequest,
): Promise<Result<AdvanceOutcome, DomainError>> {
  const merchant = await tx.findMerchant(order.merchantId);
  assert(merchant !== undefined, 'an order has a merchant');
  const approved = transitionRefundRequest(request, 'approved', run.now, {
    settleAt: settlementDueAt(request.lockedAt, merchant.settings.refundSettlementDelaySeconds),
  });
  if (!approved.ok) return approved;
  await writeRequestStep(tx, run, {
    order,
    backd,
    request: approved.value,
    from: 'draft',
    eventType: 'refund_request.locked',
    actor: JOB_ACTOR,
  });
  return ok('approved');
}

/** An approved request that no longer fits the order: declined, with why. */
async function declineRequest(
  tx: BackdTx,
  run: RunContext,
  { request, backd, order }: LockedRequest,
  obstacle: NonNullable<ReturnType<typeof settlementObstacle>>,
): Promise<Result<AdvanceOutcome, DomainError>> {
  const declined = transitionRefundRequest(request, 'declined', run.now, {
    declineReason: 'not_refundable',
  });
  if (!declined.ok) return declined;
  await writeRequestStep(tx, run, {
    order,
    backd,
    request: declined.value,
    from: 'approved',
    eventType: 'refund_request.declined',
    actor: JOB_ACTOR,
    reason: OBSTACLE_REASONS[obstacle],
    facts: { obstacle },
  });
  return ok('declined');
}

/** An approved request due to settle: refunded with the core refund it posts. */
async function settleRequest(
  tx: BackdTx & MerchantStore,
  run: RunContext,
  { request, backd, order }: LockedRequest,
): Promise<Result<AdvanceOutcome, DomainError>> {
  const status = transitionBackdOrder(backd.status, 'settle_refund');
  if (!status.ok) return status;
  const refunded = transitionRefundRequest(request, 'refunded', run.now);
  if (!refunded.ok) return refunded;
  await tx.updateBackdRefundRequest(refunded.value, 'approved');
  const after = { ...backd, status: status.value, updatedAt: run.now, version: backd.version + 1 };
  await tx.updateBackdOrder(after);
  // A refusal here rolls back the request's and Backd's writes with it (execute's Rollback).
  const posted = await refundOrder({
    merchantId: order.merchantId,
    orderId: order.id,
    actor: JOB_ACTOR,
    amountMinor: request.amountMinor,
    reason: `Backd refund request ${request.id} settled`,
    eventData: {
      backd_order: backdOrderJson(after, backd.status),
      refund_request: refundRequestJson(refunded.value),
    },
  })(tx, run);
  if (!posted.ok) return posted;
  return ok('settled');
}

/** Requests with a step due now, for the job. */
export function listDueRefundRequests(deps: AppDeps, limit: number) {
  return query(deps, (tx, now) => tx.listDueBackdRefundRequests(now, limit));
}

/**
 * One bounded batch of the locking and settlement work: each due request advances in its own
 * transaction. Returns how many advanced; a failure of one request (only a bug can cause one) is
 * reported through `onFailure` and does not stop the others.
 */
export async function advanceDueRefundRequests(
  deps: AppDeps,
  limit: number,
  onFailure: (requestId: string, failure: DomainError | unknown) => void,
): Promise<number> {
  let advanced = 0;
  for (const due of await listDueRefundRequests(deps, limit)) {
    try {
      const result: Result<AdvanceOutcome, DomainError> = await execute(
        deps,
        advanceRefundRequest(due.id, due.orderId),
      );
      if (!result.ok) onFailure(due.id, result.error);
      else if (['approved', 'settled', 'declined'].includes(result.value)) advanced += 1;
    } catch (error) {
      // An assertion (a bug) or an outage: report it and go on with the other requests.
      onFailure(due.id, error);
    }
  }
  return advanced;
}
