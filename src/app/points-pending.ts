/**
 * Earnings for a phone without an activated Points account (docs/dialects/points.md "Pending
 * earnings"). Points does not open a wallet for a phone it does not know: it answers
 * `pending_client_activation` and queues the earning, which is awarded when the customer
 * activates the account. Unwind's account is the wallet: an operator opening it
 * (`POST /admin/points/customers`) or the customer proving the phone at the hosted checkout
 * activates it, and in that same transaction every earning waiting for the phone becomes its
 * order (`approved`, its points in the wallet, its webhook through the outbox).
 */
import { domainError, type DomainError } from '../domain/errors.js';
import type { PendingEarning } from '../domain/points-records.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor, RunContext, UseCase } from './context.js';
import type { OrderChangeTx } from './ledger.js';
import { type CustomerWallet, getCustomerWallet, setCustomerBalance } from './points-customers.js';
import { createPointsOrder } from './points-orders.js';
import type { MerchantStore } from './ports/merchants.js';
import type { PointsStore } from './ports/points.js';

/** One batch of an activation's waiting earnings; an activation awards batch after batch. */
const AWARD_BATCH = 100;

export interface PendingOutcome {
  readonly pending: PendingEarning;
  /** True when an earlier identical request queued it and nothing was written. */
  readonly replayed: boolean;
}

/** What queueing needs of an earning command (src/app/points-orders.ts). */
export interface PendingCommand {
  readonly merchantId: string;
  readonly channel: PendingEarning['channel'];
  readonly phone: string;
  readonly amountMinor: number;
  readonly orderNumber: string | null;
  readonly reviewReference: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The queue's key: the order number, or the rating's review reference. */
const keyOf = (cmd: PendingCommand): string => cmd.orderNumber ?? cmd.reviewReference ?? '';

/**
 * The earning already queued under the command's order number or review reference: the same
 * request again is its replay; another request under the same key is a duplicate, as for orders.
 */
export async function queuedBefore(
  tx: PointsStore,
  cmd: PendingCommand,
): Promise<Result<PendingOutcome, DomainError> | null> {
  const earlier = await tx.findPendingEarning(cmd.merchantId, cmd.channel, keyOf(cmd));
  if (!earlier) return null;
  const field = cmd.channel === 'earning' ? 'order_number' : 'review_reference';
  const same =
    earlier.phone === cmd.phone &&
    earlier.amountMinor === cmd.amountMinor &&
    cmd.channel === 'earning';
  if (!same || earlier.awardedAt !== null) {
    return err(domainError('order.duplicate_reference', { field }));
  }
  return ok({ pending: earlier, replayed: true });
}

/** Queues the earning for its phone's activation. */
export async function queueEarning(
  tx: PointsStore,
  run: RunContext,
  cmd: PendingCommand,
  totalPoints: number,
): Promise<PendingOutcome> {
  const pending = await tx.insertPendingEarning({
    merchantId: cmd.merchantId,
    phone: cmd.phone,
    channel: cmd.channel,
    orderNumber: keyOf(cmd),
    reviewReference: cmd.reviewReference,
    amountMinor: cmd.amountMinor,
    totalPoints,
    details: cmd.details,
    createdAt: run.now,
  });
  return { pending, replayed: false };
}

/**
 * Awards every earning waiting for `phone`, whose wallet the caller has just opened in this
 * transaction: each becomes its order as an earning would have. An order number another order
 * took meanwhile leaves its earning waiting (it cannot be the same order twice). Returns how many
 * were awarded.
 */
export async function awardPendingEarnings(
  tx: OrderChangeTx & PointsStore & MerchantStore,
  run: RunContext,
  phone: string,
  actor: Actor,
): Promise<Result<number, DomainError>> {
  let awarded = 0;
  for (;;) {
    const waiting = await tx.listWaitingPendingEarnings(phone, AWARD_BATCH);
    let progressed = false;
    for (const pending of waiting) {
      if (pending.channel === 'earning') {
        const taken = await tx.findOrderByNumber(pending.merchantId, 'points', pending.orderNumber);
        if (taken) continue;
      }
      const created = await createPointsOrder(tx, run, {
        merchantId: pending.merchantId,
        actor,
        channel: pending.channel,
        reviewReference: pending.reviewReference,
        kind: 'earning',
        amountMinor: pending.amountMinor,
        capture: pending.amountMinor > 0 ? 'purchase' : 'none',
        totalPoints: pending.totalPoints,
        redeemedPoints: 0,
        redeemedMinor: 0,
        phone,
        orderNumber: pending.channel === 'earning' ? pending.orderNumber : null,
        details: pending.details,
      });
      if (!created.ok) return created;
      await tx.markPendingEarningAwarded(pending.number, created.value.order.id, run.now);
      awarded += 1;
      progressed = true;
    }
    if (waiting.length < AWARD_BATCH || !progressed) return ok(awarded);
  }
}

/**
 * An operator opens (or sets) a customer's wallet: the account is activated, and the earnings
 * waiting for the phone are awarded on top of the balance set, in the same transaction. Errors:
 * those of setCustomerBalance and of the awards (points.balance_out_of_bounds).
 */
export const activateCustomerWallet =
  (
    phone: string,
    balance: number,
  ): UseCase<CustomerWallet, OrderChangeTx & PointsStore & MerchantStore> =>
  async (tx, run) => {
    const set = await setCustomerBalance(phone, balance)(tx, run);
    if (!set.ok) return set;
    const awarded = await awardPendingEarnings(tx, run, phone, { kind: 'admin' });
    if (!awarded.ok) return awarded;
    if (awarded.value === 0) return set;
    return getCustomerWallet(phone)(tx, run);
  };
