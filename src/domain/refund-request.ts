/**
 * Backd refund requests (docs/decisions/backd.md#refund-requests): a state machine
 * as data, and the pure rules of submitting, deleting, locking and settling a request.
 *
 * One request per order is active (`draft` or `approved`) at a time. A request locks at its
 * `lockedAt` deadline (business-days.ts): from then on it can be neither replaced nor deleted,
 * whether or not the locking job has already marked it `approved`, because lockedness is decided
 * by time (`now >= lockedAt`), the stored status only records it.
 */
import { type BackdOrderStatus, transitionBackdOrder } from './backd-order.js';
import { isLockedAt, lockDeadline } from './business-days.js';
import { domainError, type DomainError } from './errors.js';
import { type OrderTotals, refundableMinor } from './order.js';
import { assert, err, ok, type Result } from './result.js';

export const REFUND_REQUEST_STATUSES = [
  'draft', // submitted; active; replaceable and deletable until its lockedAt
  'approved', // locked at lockedAt; still active; waits for settlement
  'refunded', // settled: the money left the ledger; terminal
  'declined', // replaced by a newer request or deleted by the merchant; terminal
] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

/**
 * Why a request was declined:
 * - replaced:       the merchant submitted a newer request while this one was unlocked;
 * - deleted:        the merchant deleted it while it was unlocked;
 * - not_refundable: it was approved, but at settlement it no longer fit the order (see
 *                   `settlementObstacle`); only the system declines so.
 */
export type DeclineReason = 'replaced' | 'deleted' | 'not_refundable';

/** The transition table. Anything not listed is an illegal transition. */
const NEXT: Readonly<Record<RefundRequestStatus, readonly RefundRequestStatus[]>> = {
  draft: ['approved', 'declined'],
  // A locked request is never declined by the merchant; the system declines it (reason
  // not_refundable) when its money can no longer be refunded, so it cannot stay stuck.
  approved: ['refunded', 'declined'],
  refunded: [],
  declined: [],
};

export const ACTIVE_REFUND_REQUEST_STATUSES: readonly RefundRequestStatus[] = ['draft', 'approved'];

export const isActiveStatus = (status: RefundRequestStatus): boolean =>
  ACTIVE_REFUND_REQUEST_STATUSES.includes(status);

export interface RefundRequest {
  readonly id: string;
  readonly orderId: string;
  readonly merchantId: string;
  readonly amountMinor: number;
  readonly currency: string;
  /**
   * The order's refunded total when the request was submitted. Every later refund of a Backd
   * order is the settlement of one request, so at settlement a different total means money left
   * the order another way since, and settling would refund the same return twice.
   */
  readonly baseRefundedMinor: number;
  readonly status: RefundRequestStatus;
  /** When the request locks (17:00 America/Chicago of a business day), epoch ms. */
  readonly lockedAt: number;
  /** When settlement is due once approved: lockedAt plus the merchant's delay; null before. */
  readonly settleAt: number | null;
  readonly declineReason: DeclineReason | null;
  /** The request that replaced this one, when declined as `replaced`. */
  readonly replacedBy: string | null;
  readonly createdAt: number;
  readonly approvedAt: number | null;
  readonly refundedAt: number | null;
  readonly declinedAt: number | null;
  readonly updatedAt: number;
}

/** Whether the request can no longer be replaced or deleted at `now`. */
export const isLocked = (r: RefundRequest, now: number): boolean =>
  r.status !== 'draft' || isLockedAt(r.lockedAt, now);

/**
 * The status a client sees at `now`: a draft past its deadline is `approved` already, even if
 * the locking job has not run yet, so what is shown never contradicts what is enforced.
 */
export const visibleStatus = (r: RefundRequest, now: number): RefundRequestStatus =>
  r.status === 'draft' && isLockedAt(r.lockedAt, now) ? 'approved' : r.status;

/**
 * Moves a request to `to` at `now`, filling the timestamps of the new status.
 * Errors: refund_request.invalid_transition (details: from, to).
 */
export function transitionRefundRequest(
  r: RefundRequest,
  to: RefundRequestStatus,
  now: number,
  extra: { declineReason?: DeclineReason; replacedBy?: string | null; settleAt?: number } = {},
): Result<RefundRequest, DomainError> {
  if (!NEXT[r.status].includes(to)) {
    return err(domainError('refund_request.invalid_transition', { from: r.status, to }));
  }
  switch (to) {
    case 'approved':
      assert(extra.settleAt !== undefined, 'approval sets when settlement is due');
      return ok({ ...r, status: to, approvedAt: now, settleAt: extra.settleAt, updatedAt: now });
    case 'refunded':
      return ok({ ...r, status: to, refundedAt: now, updatedAt: now });
    case 'declined':
      assert(extra.declineReason !== undefined, 'a decline has a reason');
      if (r.status === 'approved' && extra.declineReason !== 'not_refundable') {
        return err(domainError('refund_request.locked'));
      }
      return ok({
        ...r,
        status: to,
        declinedAt: now,
        declineReason: extra.declineReason,
        replacedBy: extra.replacedBy ?? null,
        updatedAt: now,
      });
    case 'draft':
      // No status leads back to draft; NEXT refuses it above.
      return err(domainError('refund_request.invalid_transition', { from: r.status, to }));
  }
}

/** What submitting a request decided: the new draft, and the active draft it replaces, if any. */
export interface SubmitPlan {
  readonly created: RefundRequest;
  readonly declined: RefundRequest | null;
}

/** What an operator's refusal shows of a request: enough to find it and to act on it. */
export interface RefundRequestSummary {
  readonly id: string;
  /** As a client sees it at `now` (`visibleStatus`). */
  readonly status: RefundRequestStatus;
  readonly amountMinor: number;
  readonly currency: string;
  readonly lockedAt: number;
}

export const refundRequestSummary = (r: RefundRequest, now: number): RefundRequestSummary => ({
  id: r.id,
  status: visibleStatus(r, now),
  amountMinor: r.amountMinor,
  currency: r.currency,
  lockedAt: r.lockedAt,
});

/**
 * The operator's guard against acting on a screen that is out of date: `expectedId` is the id of
 * the active request they mean (null: they expect none). Undefined skips the check (Backd's own
 * API replaces and deletes whatever is active, as Backd documents).
 * Errors: refund_request.active_changed (details: activeRefundRequest, a summary or null).
 */
function checkExpectedActive(
  active: RefundRequest | null,
  expectedId: string | null | undefined,
  now: number,
): DomainError | null {
  if (expectedId === undefined || (active?.id ?? null) === expectedId) return null;
  return domainError('refund_request.active_changed', {
    activeRefundRequest: active && refundRequestSummary(active, now),
  });
}

/**
 * Submits a request of `amountMinor` on an order whose refundable rest (captured minus settled
 * refunds) is `refundableMinor` and whose refunded total is `refundedMinor`, with `active` the
 * order's active request if any. The amount is the amount of this request, not a running total
 * (docs/decisions/backd.md#refund-amount). An active unlocked draft is declined and replaced; a
 * locked one refuses the submission. `replaces` (operators only) must name the active draft, or be
 * null when there is none: an operator never replaces a draft they have not seen.
 * Errors: refund.amount_not_positive, refund_request.locked (details: lockedAt),
 * refund_request.active_changed, refund.exceeds_refundable (details: refundableMinor).
 */
export function planSubmit(input: {
  readonly id: string;
  readonly orderId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly amountMinor: number;
  readonly refundableMinor: number;
  readonly refundedMinor: number;
  readonly active: RefundRequest | null;
  readonly replaces?: string | null;
  readonly holidays: readonly string[];
  readonly now: number;
}): Result<SubmitPlan, DomainError> {
  const { active, now } = input;
  assert(Number.isSafeInteger(input.amountMinor), 'amount is integer minor units');
  if (input.amountMinor <= 0) return err(domainError('refund.amount_not_positive'));
  if (active && isLocked(active, now)) {
    return err(domainError('refund_request.locked', { lockedAt: active.lockedAt }));
  }
  const changed = checkExpectedActive(active, input.replaces, now);
  if (changed) return err(changed);
  if (input.amountMinor > input.refundableMinor) {
    return err(
      domainError('refund.exceeds_refundable', { refundableMinor: input.refundableMinor }),
    );
  }
  const created: RefundRequest = {
    id: input.id,
    orderId: input.orderId,
    merchantId: input.merchantId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    baseRefundedMinor: input.refundedMinor,
    status: 'draft',
    lockedAt: lockDeadline(now, input.holidays),
    settleAt: null,
    declineReason: null,
    replacedBy: null,
    createdAt: now,
    approvedAt: null,
    refundedAt: null,
    declinedAt: null,
    updatedAt: now,
  };
  if (!active) return ok({ created, declined: null });
  const declined = transitionRefundRequest(active, 'declined', now, {
    declineReason: 'replaced',
    replacedBy: created.id,
  });
  if (!declined.ok) return declined;
  return ok({ created, declined: declined.value });
}

/**
 * Deletes (declines) the order's active request; `expectedId` (operators only) must name it.
 * Errors: refund_request.none_active, refund_request.active_changed,
 * refund_request.locked (details: lockedAt).
 */
export function planDelete(
  active: RefundRequest | null,
  now: number,
  expectedId?: string,
): Result<RefundRequest, DomainError> {
  if (!active) return err(domainError('refund_request.none_active'));
  const changed = checkExpectedActive(active, expectedId, now);
  if (changed) return err(changed);
  if (isLocked(active, now)) {
    return err(domainError('refund_request.locked', { lockedAt: active.lockedAt }));
  }
  return transitionRefundRequest(active, 'declined', now, { declineReason: 'deleted' });
}

/** What the locking and settlement job does to a request at `now`, if anything. */
export type DueStep = 'approve' | 'settle' | null;

/**
 * A draft is approved once its deadline has come; an approved request is settled once its
 * settlement time has come. Anything else has nothing due.
 */
export function dueStep(r: RefundRequest, now: number): DueStep {
  if (r.status === 'draft' && isLockedAt(r.lockedAt, now)) return 'approve';
  if (r.status === 'approved' && r.settleAt !== null && now >= r.settleAt) return 'settle';
  return null;
}

/** When an approved request settles: its deadline plus the merchant's delay. */
export function settlementDueAt(lockedAt: number, delaySeconds: number): number {
  assert(Number.isSafeInteger(delaySeconds) && delaySeconds >= 0, 'delay is whole seconds ≥ 0');
  return lockedAt + delaySeconds * 1000;
}

/**
 * Why an approved request can no longer settle, re-checked under the order's row lock at the
 * moment of settlement, or null when it may:
 * - refunded_since_submission: the order's refunded total is not what the request was submitted
 *   against, so money left the order another way since (on a Backd order only a settlement may
 *   refund; anything else is outside the lifecycle): settling would refund the return twice;
 * - exceeds_refundable: the refundable rest no longer covers the amount;
 * - order_state: Backd's state machine does not allow a refund to settle from the order's status.
 * Each declines the request (reason not_refundable) instead of moving money.
 */
export type SettlementObstacle = 'refunded_since_submission' | 'exceeds_refundable' | 'order_state';

export function settlementObstacle(
  r: RefundRequest,
  order: OrderTotals,
  backdStatus: BackdOrderStatus,
): SettlementObstacle | null {
  if (order.refundedMinor !== r.baseRefundedMinor) return 'refunded_since_submission';
  if (r.amountMinor > refundableMinor(order)) return 'exceeds_refundable';
  if (!transitionBackdOrder(backdStatus, 'settle_refund').ok) return 'order_state';
  return null;
}
