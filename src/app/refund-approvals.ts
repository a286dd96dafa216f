/**
 * Operators' order operations with their limits, and four-eyes refunds (issue 17).
 *
 * `operateAsOperator` locks the order and, before anything is written: refuses a refund, void or
 * cancel above the operator's own limit (operator.limit_exceeded); turns a refund above the
 * approval threshold (the merchant's `refund_approval_above_minor`, else the service's
 * UNWIND_REFUND_APPROVAL_ABOVE_MINOR) into a pending approval instead of a refund; and otherwise
 * runs `operateAsAdmin` on the order it holds. A second operator, never the requester, approves (the refund runs then,
 * in the approval's transaction, so both commit or neither) or declines; both are admin actions
 * on the order. A request not decided within UNWIND_REFUND_APPROVAL_TTL_MS expires: it can no
 * longer be approved, and it leaves the pending list.
 */
import { domainError } from '../domain/errors.js';
import { OPERATOR_ROUTES } from '../domain/operator-operations.js';
import {
  approvalState,
  limitedAmountMinor,
  type Principal,
  refundNeedsApproval,
  withinOperatorLimit,
} from '../domain/operators.js';
import { refundableMinor } from '../domain/order.js';
import { err, ok } from '../domain/result.js';
import { recordAdminAction } from './admin-actions.js';
import {
  type AdminOperationCommand,
  type AdminOperationResult,
  operateAsAdmin,
  operateOnLocked,
} from './admin-order-operations.js';
import { actorLabel, type AppDeps, type OperatorPolicy, query, type UseCase } from './context.js';
import { actorOf } from './operators.js';
import type { RefundApproval } from './ports/refund-approvals.js';

export type { RefundApproval } from './ports/refund-approvals.js';

export type OperatorOutcome =
  | { readonly kind: 'done'; readonly result: AdminOperationResult }
  | { readonly kind: 'pending'; readonly approval: RefundApproval };

/**
 * Errors: those of operateAsAdmin, and operator.limit_exceeded (details: amountMinor,
 * limitMinor).
 */
export const operateAsOperator =
  (
    cmd: Omit<AdminOperationCommand, 'actor'>,
    principal: Principal,
    policy: OperatorPolicy,
  ): UseCase<OperatorOutcome> =>
  async (tx, run) => {
    const actor = actorOf(principal);
    // The merchant comes with the lock (one statement): a refund reads its approval threshold.
    const locked = await tx.lockOrderWithMerchant(cmd.orderId);
    if (!locked) return err(domainError('order.not_found'));
    const { order, merchant } = locked;
    const moved = limitedAmountMinor(order, cmd.operation, cmd.amountMinor);
    if (moved !== null && !withinOperatorLimit(principal, moved)) {
      return err(
        domainError('operator.limit_exceeded', {
          amountMinor: moved,
          limitMinor: principal.limitMinor,
        }),
      );
    }
    const refundRoute = OPERATOR_ROUTES[order.dialect].refund;
    const refundable = refundRoute === 'core' || refundRoute === 'face';
    if (cmd.operation === 'refund' && refundable && moved !== null) {
      const threshold = merchant.settings.refundApprovalAboveMinor ?? null;
      if (
        moved > 0 &&
        moved <= refundableMinor(order) &&
        refundNeedsApproval(moved, threshold, policy.approvalAboveMinor)
      ) {
        const approval: RefundApproval = {
          id: run.newId(),
          merchantId: order.merchantId,
          orderId: order.id,
          amountMinor: moved,
          currency: order.currency,
          reason: cmd.reason,
          requestedBy: actorLabel(actor),
          requestedByOperator: principal.operatorId,
          state: 'pending',
          decidedBy: null,
          decidedByOperator: null,
          decisionReason: null,
          decidedAt: null,
          expiresAt: run.now + policy.approvalTtlMs,
          createdAt: run.now,
        };
        await tx.insertRefundApproval(approval);
        await recordApprovalAction(tx, run, approval, 'refund.approval_requested', principal);
        return ok({ kind: 'pending', approval });
      }
    }
    const done = await operateOnLocked({ ...cmd, actor }, order)(tx, run);
    return done.ok ? ok({ kind: 'done', result: done.value }) : done;
  };

export interface Decision {
  readonly approvalId: string;
  readonly approve: boolean;
  readonly reason: string | null;
}

/**
 * Approves (the refund runs now, as the approver) or declines a pending request. Errors:
 * approval.not_found, approval.not_pending, approval.expired, approval.same_operator,
 * operator.limit_exceeded (the approver's own limit), and the refund's own refusals (the order
 * changed since the request): then nothing is written and the request stays pending.
 */
export const decideRefund =
  (
    decision: Decision,
    principal: Principal,
  ): UseCase<{
    approval: RefundApproval;
    result: AdminOperationResult | null;
  }> =>
  async (tx, run) => {
    const approval = await tx.lockRefundApproval(decision.approvalId);
    if (!approval) return err(domainError('approval.not_found'));
    const state = approvalState(approval.state, approval.expiresAt, run.now);
    if (state === 'expired') return err(domainError('approval.expired'));
    if (state !== 'pending') return err(domainError('approval.not_pending', { state }));
    const actor = actorOf(principal);
    if (actorLabel(actor) === approval.requestedBy)
      return err(domainError('approval.same_operator'));
    let result: AdminOperationResult | null = null;
    if (decision.approve) {
      if (!withinOperatorLimit(principal, approval.amountMinor)) {
        return err(
          domainError('operator.limit_exceeded', {
            amountMinor: approval.amountMinor,
            limitMinor: principal.limitMinor,
          }),
        );
      }
      const refunded = await operateAsAdmin({
        orderId: approval.orderId,
        operation: 'refund',
        actor,
        reason: approval.reason,
        amountMinor: approval.amountMinor,
      })(tx, run);
      if (!refunded.ok) return refunded;
      result = refunded.value;
    }
    const decided: RefundApproval = {
      ...approval,
      state: decision.approve ? 'approved' : 'declined',
      decidedBy: actorLabel(actor),
      decidedByOperator: principal.operatorId,
      decisionReason: decision.reason,
      decidedAt: run.now,
    };
    await tx.decideRefundApproval(approval.id, decided);
    const action = decision.approve ? 'refund.approved' : 'refund.declined';
    await recordApprovalAction(tx, run, decided, action, principal);
    return ok({ approval: decided, result });
  };

function recordApprovalAction(
  tx: Parameters<UseCase<unknown>>[0],
  run: Parameters<UseCase<unknown>>[1],
  approval: RefundApproval,
  action: 'refund.approval_requested' | 'refund.approved' | 'refund.declined',
  principal: Principal,
) {
  const reason = action === 'refund.approval_requested' ? approval.reason : approval.decisionReason;
  return recordAdminAction(
    tx,
    run,
    { actor: actorOf(principal), reason },
    {
      action,
      merchantId: approval.merchantId,
      orderId: approval.orderId,
      subjectId: approval.id,
      details: {
        amount_minor: approval.amountMinor,
        currency: approval.currency,
        requested_by: approval.requestedBy,
      },
    },
  );
}

/** Approvals newest first: every one, those pending now, or one order's; with the time read. */
export const listRefundApprovals = (
  deps: AppDeps,
  filter: { readonly pendingOnly: boolean; readonly orderId?: string; readonly limit: number },
) =>
  query(deps, async (tx, now) => ({
    now,
    approvals: await tx.listRefundApprovals({
      limit: filter.limit,
      ...(filter.pendingOnly ? { pendingAt: now } : {}),
      ...(filter.orderId ? { orderId: filter.orderId } : {}),
    }),
  }));
