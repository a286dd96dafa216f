/**
 * The hosted checkout's phone verification: a one-time code sent to the phone the customer
 * types, entered on the page, and a verification token for the browser that entered it. Limits
 * (docs/security.md "The Points hosted checkout"): codes live `codeTtlMs`; a session sends at most
 * `codeSends` codes and takes at most `codeAttempts` wrong codes (the last one closes it); a phone
 * is sent at most `phoneSendsPerWindow` codes and takes at most `phoneFailuresPerWindow` wrong
 * codes per window, over every session and merchant. Codes and tokens are stored only as
 * SHA-256 hashes and compared in constant time.
 */
import crypto from 'node:crypto';
import { domainError, type DomainError } from '../domain/errors.js';
import {
  checkoutCodeText,
  currentPhoneWindow,
  decideVerification,
  formatCheckoutCode,
  CHECKOUT_CODE_SPACE,
  phoneWindowRetryAfterMs,
  SANDBOX_STARTING_BALANCE_POINTS,
  sandboxIdentity,
} from '../domain/points-checkout.js';
import type { CheckoutSession } from '../domain/points-records.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import { type AppDeps, execute, type RunContext, type UseCase } from './context.js';
import { LIMITS } from './limits.js';
import { checkoutCustomer, type CheckoutCustomer, lockOpenSession } from './points-checkout.js';
import { setCustomerBalance } from './points-customers.js';
import { awardPendingEarnings } from './points-pending.js';
import type { OrderChangeTx } from './ledger.js';
import type { PointsStore } from './ports/points.js';
import type { PointsWalletStore } from './ports/points-wallets.js';
import type { SmsOutbox, SmsSender } from './ports/sms.js';
import { hashesEqual, hashSecret } from './secrets.js';
import type { MerchantStore } from './ports/merchants.js';
import type { PointsCheckoutStore } from './ports/points-checkout.js';

/** The verification limits (UNWIND_CHECKOUT_* settings; defaults in src/config.ts). */
export interface CheckoutPolicy {
  readonly codeTtlMs: number;
  readonly codeSends: number;
  readonly codeAttempts: number;
  readonly phoneSendsPerWindow: number;
  readonly phoneFailuresPerWindow: number;
  readonly phoneWindowMs: number;
}

/** The hash kept for a code: bound to its session and phone, so it verifies nothing else. */
export const checkoutCodeHash = (sessionId: string, phone: string, code: string): string =>
  hashSecret(`points-checkout:${sessionId}:${phone}:${code}`);

export interface IssuedCode {
  readonly session: CheckoutSession;
  readonly phone: string;
  /** Only for the sender, after commit; never stored. */
  readonly code: string;
  readonly sentAt: number;
  readonly expiresAt: number;
  /** A sandbox number at a sandbox merchant: the code stays in the development outbox. */
  readonly sandbox: boolean;
}

/**
 * Draws a code for `phone` and stores its hash as the session's pending code, replacing any
 * earlier code and verification (a new phone must be proven anew). Errors:
 * points.checkout_session_not_found, the refusals of a closed session, points.checkout_code_limit,
 * points.phone_limited (details.retryAfterMs).
 */
export const issueCheckoutCode =
  (
    sessionId: string,
    phone: string,
    policy: CheckoutPolicy,
  ): UseCase<IssuedCode, PointsCheckoutStore & MerchantStore> =>
  async (tx, run) => {
    const locked = await lockOpenSession(tx, sessionId, run.now);
    if (!locked.ok) return locked;
    const session = locked.value;
    if (session.codesSent >= policy.codeSends)
      return err(domainError('points.checkout_code_limit'));
    const merchant = await tx.findMerchant(session.merchantId);
    assert(merchant !== undefined, 'checkout session without merchant');
    const window = currentPhoneWindow(
      await tx.lockCheckoutPhoneLimit(phone, run.now),
      run.now,
      policy.phoneWindowMs,
    );
    if (window.sends >= policy.phoneSendsPerWindow) {
      const retryAfterMs = phoneWindowRetryAfterMs(window, run.now, policy.phoneWindowMs);
      return err(domainError('points.phone_limited', { retryAfterMs }));
    }
    const code = formatCheckoutCode(crypto.randomInt(0, CHECKOUT_CODE_SPACE));
    const expiresAt = run.now + policy.codeTtlMs;
    const next: CheckoutSession = {
      ...session,
      codePhone: phone,
      codeHash: checkoutCodeHash(session.id, phone, code),
      codeExpiresAt: expiresAt,
      codesSent: session.codesSent + 1,
      verifiedPhone: null,
      verificationHash: null,
      verifiedAt: null,
    };
    assert(await tx.updateOpenCheckoutSession(next), 'checkout session changed under its lock');
    await tx.updateCheckoutPhoneLimit(phone, { ...window, sends: window.sends + 1 });
    const sandbox = sandboxIdentity(phone, merchant.settings.sandbox) !== null;
    return ok({ session: next, phone, code, sentAt: run.now, expiresAt, sandbox });
  };

/** Where codes go: the configured sender, and the outbox that keeps sandbox numbers' codes. */
export interface CodeSenders {
  readonly sender: SmsSender;
  readonly sandbox: SmsSender;
}

/** What the hosted checkout is built with (src/main.ts, from the UNWIND_SMS_* and UNWIND_CHECKOUT_* settings). */
export interface CheckoutOptions {
  readonly senders: CodeSenders;
  /** The development outbox, read by operators through `GET /admin/points/otp`. */
  readonly outbox: SmsOutbox;
  readonly policy: CheckoutPolicy;
  /** Code requests and code checks one client address may make per window, in this process. */
  readonly addressRequestsPerHour: number;
}

export interface SentCode {
  readonly phone: string;
  readonly expiresAt: number;
}

/**
 * Issues a code in one transaction, then sends it (never inside the transaction: a slow gateway
 * must not hold the session's lock). A send that fails still counts against the limits, so a
 * failing gateway cannot be hammered through the page. Errors: those of `issueCheckoutCode`, and
 * points.checkout_code_not_sent (details.reason, for the log only).
 */
export async function sendCheckoutCode(
  deps: AppDeps,
  senders: CodeSenders,
  input: { readonly sessionId: string; readonly phone: string; readonly policy: CheckoutPolicy },
): Promise<Result<SentCode, DomainError>> {
  const issued = await execute(deps, issueCheckoutCode(input.sessionId, input.phone, input.policy));
  if (!issued.ok) return issued;
  const { code, phone, sentAt, expiresAt, sandbox, session } = issued.value;
  const sender = sandbox ? senders.sandbox : senders.sender;
  const outcome = await sender.send({
    phone,
    code,
    expiresAt,
    text: checkoutCodeText(code, input.policy.codeTtlMs / 1000),
    sessionId: session.id,
    sentAt,
  });
  if (!outcome.ok)
    return err(domainError('points.checkout_code_not_sent', { reason: outcome.reason }));
  return ok({ phone, expiresAt });
}

export type VerifyOutcome =
  | {
      readonly kind: 'verified';
      /** For the customer's browser only; the session keeps its hash. */
      readonly verificationToken: string;
      readonly customer: CheckoutCustomer;
    }
  /** A sandbox number without an account: the code was right, there is nothing to spend. */
  | { readonly kind: 'no_account'; readonly phone: string }
  /** A wrong code, counted; `closed` when it was the session's last. */
  | { readonly kind: 'incorrect'; readonly attemptsLeft: number; readonly closed: boolean };

/**
 * Checks a code against the session's pending one. A wrong code is counted against the session
 * and the phone and committed (so the outcome is a value, not an error); the session's last
 * allowed wrong code cancels it. A right code is used up, and the session remembers the phone
 * and the hash of a new verification token. Errors: points.checkout_session_not_found, the
 * refusals of a closed session, points.checkout_code_missing, points.checkout_code_expired,
 * points.phone_limited (details.retryAfterMs). A session that has already taken as many wrong
 * codes as the limit allows (the limit was lowered under it) is cancelled, like its last wrong
 * code would have.
 */
export const verifyCheckoutCode =
  (
    sessionId: string,
    code: string,
    policy: CheckoutPolicy,
  ): UseCase<VerifyOutcome, PointsCheckoutStore & MerchantStore & OrderChangeTx & PointsStore> =>
  async (tx, run) => {
    const locked = await lockOpenSession(tx, sessionId, run.now);
    if (!locked.ok) return locked;
    const session = locked.value;
    const phone = session.codePhone;
    if (phone === null || session.codeHash === null) {
      return err(domainError('points.checkout_code_missing'));
    }
    const window = currentPhoneWindow(
      await tx.lockCheckoutPhoneLimit(phone, run.now),
      run.now,
      policy.phoneWindowMs,
    );
    const decision = decideVerification({
      session,
      phone: window,
      now: run.now,
      limits: policy,
      matches: hashesEqual(checkoutCodeHash(session.id, phone, code), session.codeHash),
    });
    const update = async (next: CheckoutSession) =>
      assert(await tx.updateOpenCheckoutSession(next), 'checkout session changed under its lock');
    const spent = { codeHash: null, codeExpiresAt: null } as const;
    switch (decision.kind) {
      case 'no_code':
        return err(domainError('points.checkout_code_missing'));
      case 'phone_limited':
        return err(domainError('points.phone_limited', { retryAfterMs: decision.retryAfterMs }));
      case 'code_expired':
        return err(domainError('points.checkout_code_expired'));
      case 'exhausted':
        await update({ ...session, ...spent, status: 'cancelled', cancelledAt: run.now });
        return ok({ kind: 'incorrect', attemptsLeft: 0, closed: true });
      case 'incorrect': {
        const last = decision.attemptsLeft === 0;
        await update({
          ...session,
          codeFailures: session.codeFailures + 1,
          ...(last ? { ...spent, status: 'cancelled', cancelledAt: run.now } : {}),
        });
        await tx.updateCheckoutPhoneLimit(phone, { ...window, failures: window.failures + 1 });
        return ok({ kind: 'incorrect', attemptsLeft: decision.attemptsLeft, closed: last });
      }
      case 'verified':
        return verified(tx, run, session, phone, update);
    }
  };

/** True when the phone's wallet exists and has moved at least once. */
const usedWallet = async (tx: PointsWalletStore, phone: string): Promise<boolean> =>
  (await tx.findPointsCustomer(phone)) !== undefined &&
  (await tx.listPointsCustomerEntries(phone, 1)).length > 0;

async function verified(
  tx: MerchantStore & OrderChangeTx & PointsStore,
  run: RunContext,
  session: CheckoutSession,
  phone: string,
  update: (next: CheckoutSession) => Promise<void>,
): Promise<Result<VerifyOutcome, DomainError>> {
  const merchant = await tx.findMerchant(session.merchantId);
  assert(merchant !== undefined, 'checkout session without merchant');
  const identity = sandboxIdentity(phone, merchant.settings.sandbox);
  if (identity === 'no_account') {
    await update({ ...session, codeHash: null, codeExpiresAt: null });
    return ok({ kind: 'no_account', phone });
  }
  if (identity === 'with_balance' && !(await usedWallet(tx, phone))) {
    // Points' sandbox account "with a balance" exists from its first use on (a wallet another
    // merchant's checkout opened, empty and never moved, is not a use).
    const opened = await setCustomerBalance(phone, SANDBOX_STARTING_BALANCE_POINTS)(tx, run);
    assert(opened.ok, 'opening the sandbox wallet failed');
  }
  // A proven phone is an activated account: its wallet is opened and its queued earnings awarded.
  await tx.lockPointsCustomer(phone, run.now);
  const awarded = await awardPendingEarnings(tx, run, phone, { kind: 'customer' });
  if (!awarded.ok) return awarded;
  const verificationToken = crypto.randomBytes(32).toString('base64url');
  await update({
    ...session,
    codeHash: null,
    codeExpiresAt: null,
    verifiedPhone: phone,
    verificationHash: hashSecret(verificationToken),
    verifiedAt: run.now,
  });
  return ok({
    kind: 'verified',
    verificationToken,
    customer: await checkoutCustomer(tx, session, phone),
  });
}

/**
 * Deletes one batch of phones' counters whose window has ended (a counter row exists for every
 * phone a code was ever asked for; without this the table would only grow). Returns how many.
 */
export function reapCheckoutPhoneLimits(deps: AppDeps, windowMs: number): Promise<number> {
  return deps.store.transaction((tx) =>
    tx.deleteCheckoutPhoneLimits(deps.clock.now() - windowMs, LIMITS.reaperBatchSize),
  );
}
