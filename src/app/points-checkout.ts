/**
 * The hosted checkout of a replacing order (docs/dialects/points.md "Hosted checkout"). Anyone
 * holding the merchant's public key opens a session, so its URL proves nothing about the
 * customer: the page shows the order and nothing of any wallet until the customer has proven the
 * phone with a one-time code (points-checkout-codes.ts), and the spend takes points only from
 * that verified phone, for the session's merchant, once. A session completed, cancelled or
 * expired answers nothing but that state.
 */
import crypto from 'node:crypto';
import { domainError, type DomainError } from '../domain/errors.js';
import { maxRedeemablePoints, redeemedValueMinor } from '../domain/points.js';
import { type CheckoutState, checkoutState } from '../domain/points-checkout.js';
import type { CheckoutSession } from '../domain/points-records.js';
import type { CheckoutCapture } from '../domain/merchant.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import { type AppDeps, query, type UseCase } from './context.js';
import { createPointsOrder, POINTS_CURRENCY, type PointsOrderView } from './points-orders.js';
import { hashesEqual, hashSecret } from './secrets.js';
import type { LedgerStore } from './ports/ledger.js';
import type { MerchantStore } from './ports/merchants.js';
import type { OrderChangeTx } from './ledger.js';
import type { PointsCheckoutStore } from './ports/points-checkout.js';
import type { PointsStore } from './ports/points.js';
import type { PointsWalletStore } from './ports/points-wallets.js';

/** How long a hosted checkout session can be used after it was created. */
export const CHECKOUT_SESSION_TTL_MS = 30 * 60_000;

export interface CheckoutCommand {
  readonly merchantId: string;
  readonly amountMinor: number;
  readonly orderNumber: string;
  readonly phone: string | null;
  readonly callbackUrl: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** 32 random bytes: the session URL cannot be guessed. */
export const newCheckoutSessionId = (): string => crypto.randomBytes(32).toString('base64url');

/**
 * Opens a hosted checkout session for a replacing order; the order itself is created when the
 * customer pays. Errors: merchant.not_found, order.duplicate_reference (order_number used).
 */
export const createCheckoutSession =
  (
    cmd: CheckoutCommand,
  ): UseCase<CheckoutSession, PointsCheckoutStore & MerchantStore & LedgerStore & PointsStore> =>
  async (tx, run) => {
    const merchant = await tx.findMerchant(cmd.merchantId);
    if (!merchant) return err(domainError('merchant.not_found'));
    // A number an earning queued for a phone's activation is taken as well as one an order has.
    if (
      (await tx.findOrderByNumber(merchant.id, 'points', cmd.orderNumber)) ||
      (await tx.pendingOrderNumberTaken(merchant.id, cmd.orderNumber))
    ) {
      return err(domainError('order.duplicate_reference', { field: 'order_number' }));
    }
    const session: CheckoutSession = {
      id: newCheckoutSessionId(),
      merchantId: merchant.id,
      orderNumber: cmd.orderNumber,
      amountMinor: cmd.amountMinor,
      currency: POINTS_CURRENCY,
      phone: cmd.phone,
      callbackUrl: cmd.callbackUrl,
      details: cmd.details,
      status: 'open',
      orderId: null,
      expiresAt: run.now + CHECKOUT_SESSION_TTL_MS,
      createdAt: run.now,
      completedAt: null,
      cancelledAt: null,
      codePhone: null,
      codeHash: null,
      codeExpiresAt: null,
      codesSent: 0,
      codeFailures: 0,
      verifiedPhone: null,
      verificationHash: null,
      verifiedAt: null,
    };
    await tx.insertCheckoutSession(session);
    return ok(session);
  };

/** The refusal a session that is no longer open answers every step with; null when open. */
export function closedSessionError(session: CheckoutSession, now: number): DomainError | null {
  switch (checkoutState(session, now)) {
    case 'open':
      return null;
    case 'completed':
      return domainError('points.checkout_session_used');
    case 'cancelled':
      return domainError('points.checkout_session_cancelled');
    case 'expired':
      return domainError('points.checkout_session_expired');
  }
}

/**
 * Locks the session for a step that changes it: missing, or closed, it is refused with the
 * answer every step of a closed session gets.
 */
export async function lockOpenSession(
  tx: PointsCheckoutStore,
  sessionId: string,
  now: number,
): Promise<Result<CheckoutSession, DomainError>> {
  const session = await tx.lockCheckoutSession(sessionId);
  if (!session) return err(domainError('points.checkout_session_not_found'));
  const closed = closedSessionError(session, now);
  return closed ? err(closed) : ok(session);
}

/** The wallet a verified customer sees, and how much of it may go to this order. */
export interface CheckoutCustomer {
  readonly phone: string;
  readonly balance: number;
  readonly maxRedeemPoints: number;
}

export async function checkoutCustomer(
  tx: MerchantStore & PointsWalletStore,
  session: CheckoutSession,
  phone: string,
): Promise<CheckoutCustomer> {
  const merchant = await tx.findMerchant(session.merchantId);
  assert(merchant !== undefined, 'checkout session without merchant');
  const balance = (await tx.findPointsCustomer(phone))?.balance ?? 0;
  const cap = maxRedeemablePoints(session.amountMinor, merchant.settings.minorPerPoint);
  return { phone, balance, maxRedeemPoints: Math.max(0, Math.min(balance, cap)) };
}

/** What the page may show: the order while open, only the final state once closed. */
export type CheckoutPage =
  | {
      readonly state: 'open';
      readonly session: CheckoutSession;
      readonly merchantName: string;
      readonly minorPerPoint: number;
    }
  | { readonly state: Exclude<CheckoutState, 'open'> };

/** Errors: points.checkout_session_not_found. */
export const getCheckoutPage = (
  deps: AppDeps,
  sessionId: string,
): Promise<Result<CheckoutPage, DomainError>> =>
  query(deps, async (tx, now) => {
    const session = await tx.findCheckoutSession(sessionId);
    if (!session) return err(domainError('points.checkout_session_not_found'));
    const state = checkoutState(session, now);
    if (state !== 'open') return ok({ state });
    const merchant = await tx.findMerchant(session.merchantId);
    assert(merchant !== undefined, 'checkout session without merchant');
    return ok({
      state,
      session,
      merchantName: merchant.name,
      minorPerPoint: merchant.settings.minorPerPoint,
    });
  });

/** True when `token` is the verification token of the session's verified phone. */
export function holdsVerification(session: CheckoutSession, token: string | null): boolean {
  if (session.verifiedPhone === null || session.verificationHash === null || token === null) {
    return false;
  }
  return hashesEqual(hashSecret(token), session.verificationHash);
}

/**
 * The verified customer's wallet again (a page shown after a refused payment), or null when the
 * session is not open or `token` is not its verification token.
 */
export const getVerifiedCustomer = (
  deps: AppDeps,
  sessionId: string,
  token: string | null,
): Promise<CheckoutCustomer | null> =>
  query(deps, async (tx, now) => {
    const session = await tx.findCheckoutSession(sessionId);
    if (!session || closedSessionError(session, now) || !holdsVerification(session, token)) {
      return null;
    }
    return checkoutCustomer(tx, session, session.verifiedPhone!);
  });

export interface ConfirmCheckoutCommand {
  readonly sessionId: string;
  /** What the verification step gave the customer's browser. */
  readonly verificationToken: string | null;
  readonly redeemPoints: number;
}

export interface ConfirmedCheckout extends PointsOrderView {
  readonly session: CheckoutSession;
}

/** How the order a completed checkout creates is captured, by the merchant's `checkout_capture`. */
export function checkoutCreationCapture(
  mode: CheckoutCapture,
  amountMinor: number,
): 'none' | 'authorize' | 'purchase' {
  // A price of 0 has no money to take: the order waits `new` like a manual one.
  if (amountMinor === 0) return 'none';
  switch (mode) {
    case 'automatic':
      return 'purchase';
    case 'authorize':
      return 'authorize';
    case 'manual':
      return 'none';
  }
}

/**
 * The verified customer pays: the redeemed points leave the verified phone's wallet at once and
 * the replacing order is created for the session's merchant as its `checkout_capture` says:
 * `approved` (the `approved` webhook), `authorized` (`authorized`, the merchant captures), or `new`
 * for its /complete or /authorize + /capture. The event is the order's creation event, written
 * by the one event writer in the same transaction. The session row is locked first, so a second tab or a replayed post
 * finds it completed. Errors: points.checkout_session_not_found, points.checkout_session_used,
 * points.checkout_session_cancelled, points.checkout_session_expired,
 * points.checkout_not_verified, validation.failed (redeem value above the price; details.field,
 * details.max), points.insufficient_balance, order.duplicate_reference.
 */
export const confirmCheckout =
  (
    cmd: ConfirmCheckoutCommand,
  ): UseCase<
    ConfirmedCheckout,
    PointsCheckoutStore & OrderChangeTx & PointsStore & MerchantStore
  > =>
  async (tx, run) => {
    const locked = await lockOpenSession(tx, cmd.sessionId, run.now);
    if (!locked.ok) return locked;
    const session = locked.value;
    if (!holdsVerification(session, cmd.verificationToken)) {
      return err(domainError('points.checkout_not_verified'));
    }
    const phone = session.verifiedPhone!;
    const merchant = await tx.findMerchant(session.merchantId);
    assert(merchant !== undefined, 'checkout session without merchant');
    const minorPerPoint = merchant.settings.minorPerPoint;
    const max = maxRedeemablePoints(session.amountMinor, minorPerPoint);
    if (cmd.redeemPoints > max) {
      return err(domainError('validation.failed', { field: 'redeem_points', max }));
    }
    if (cmd.redeemPoints > 0) {
      // Locked until commit, so two checkouts cannot both spend the same points.
      const wallet = await tx.lockPointsCustomer(phone, run.now);
      if (wallet.balance < cmd.redeemPoints) {
        return err(domainError('points.insufficient_balance', { balance: wallet.balance }));
      }
    }
    const created = await createPointsOrder(tx, run, {
      merchantId: session.merchantId,
      actor: { kind: 'customer' },
      channel: 'checkout',
      reviewReference: null,
      kind: 'replacing',
      amountMinor: session.amountMinor,
      capture: checkoutCreationCapture(merchant.settings.checkoutCapture, session.amountMinor),
      totalPoints: 0,
      redeemedPoints: cmd.redeemPoints,
      redeemedMinor: redeemedValueMinor(cmd.redeemPoints, minorPerPoint),
      phone,
      orderNumber: session.orderNumber,
      details: session.details,
    });
    if (!created.ok) return created;
    const done = await tx.completeCheckoutSession(session.id, created.value.order.id, run.now);
    assert(done, 'checkout session changed under its lock');
    return ok({
      order: created.value.order,
      record: created.value.record,
      session: {
        ...session,
        status: 'completed',
        orderId: created.value.order.id,
        completedAt: run.now,
      },
    });
  };

/**
 * The customer leaves without paying: the session is closed for good. Errors:
 * points.checkout_session_not_found and the refusals of a closed session.
 */
export const cancelCheckout =
  (sessionId: string): UseCase<CheckoutSession, PointsCheckoutStore> =>
  async (tx, run) => {
    const locked = await lockOpenSession(tx, sessionId, run.now);
    if (!locked.ok) return locked;
    const cancelled: CheckoutSession = {
      ...locked.value,
      status: 'cancelled',
      cancelledAt: run.now,
      codeHash: null,
      codeExpiresAt: null,
      verificationHash: null,
      verifiedPhone: null,
      verifiedAt: null,
    };
    const done = await tx.updateOpenCheckoutSession(cancelled);
    assert(done, 'checkout session changed under its lock');
    return ok(cancelled);
  };
