/**
 * The rules of the hosted checkout's phone verification (docs/dialects/points.md "Hosted
 * checkout"): the state a session is in, the one-time code's form, the fixed windows that count
 * sends and wrong codes per phone, what one verification attempt decides, and Points' sandbox
 * test identities. Pure: the clock, the random code and the hash comparison come in as values.
 */
import type { CheckoutSession } from './points-records.js';

/** Where a session stands. Only `open` shows anything but its final state. */
export type CheckoutState = 'open' | 'completed' | 'cancelled' | 'expired';

/** Completed and cancelled are stored; expired follows from the clock (`now >= expiresAt`). */
export function checkoutState(
  session: Pick<CheckoutSession, 'status' | 'expiresAt'>,
  now: number,
): CheckoutState {
  if (session.status !== 'open') return session.status;
  return now >= session.expiresAt ? 'expired' : 'open';
}

/** Digits of a one-time code. */
export const CHECKOUT_CODE_DIGITS = 6;
/** How many different codes there are (10^6): what an attempt limit is measured against. */
export const CHECKOUT_CODE_SPACE = 10 ** CHECKOUT_CODE_DIGITS;

/** The code as typed: six ASCII digits, spaces around or between ignored; null otherwise. */
export function parseCheckoutCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const compact = input.replace(/\s/g, '');
  return /^[0-9]{6}$/.test(compact) ? compact : null;
}

/** A random integer in [0, CHECKOUT_CODE_SPACE) as the code the customer types. */
export function formatCheckoutCode(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value >= CHECKOUT_CODE_SPACE) {
    throw new RangeError('code value out of range');
  }
  return String(value).padStart(CHECKOUT_CODE_DIGITS, '0');
}

/** The text of the message that carries the code (English and Arabic, like Points' own). */
export function checkoutCodeText(code: string, ttlSeconds: number): string {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  return (
    `Points checkout code: ${code}. It expires in ${minutes} min. Do not share it.\n` +
    `رمز التحقق لبوينتس: ${code}. لا تشاركه مع أحد.`
  );
}

/** A normalised phone (`5XXXXXXXX`) in international form, as SMS gateways take it. */
export const internationalPhone = (phone: string): string => `+966${phone}`;

/** The counters of one phone in the current fixed window. */
export interface PhoneWindow {
  readonly windowStartedAt: number;
  /** Codes sent to the phone in the window. */
  readonly sends: number;
  /** Wrong codes entered for the phone in the window. */
  readonly failures: number;
}

/**
 * The phone's window at `now`: the stored one while it lasts, a fresh one (starting now, zero
 * counts) from the instant it ends (`now >= windowStartedAt + windowMs`).
 */
export function currentPhoneWindow(
  stored: PhoneWindow | undefined,
  now: number,
  windowMs: number,
): PhoneWindow {
  if (stored && now < stored.windowStartedAt + windowMs) return stored;
  return { windowStartedAt: now, sends: 0, failures: 0 };
}

/** Milliseconds until the window ends and its counts start again from zero. */
export const phoneWindowRetryAfterMs = (window: PhoneWindow, now: number, windowMs: number) =>
  Math.max(1, window.windowStartedAt + windowMs - now);

/** The limits one verification attempt is judged by (the UNWIND_CHECKOUT_* settings). */
export interface VerifyLimits {
  /** Wrong codes a session accepts; the last one closes it. */
  readonly codeAttempts: number;
  /** Wrong codes a phone accepts per window, over every session. */
  readonly phoneFailuresPerWindow: number;
  readonly phoneWindowMs: number;
}

export type VerifyDecision =
  | { readonly kind: 'no_code' }
  | { readonly kind: 'phone_limited'; readonly retryAfterMs: number }
  | { readonly kind: 'code_expired' }
  | {
      readonly kind: 'incorrect';
      /** Wrong codes the session may still take; 0 closes it. */
      readonly attemptsLeft: number;
    }
  | { readonly kind: 'exhausted' }
  | { readonly kind: 'verified' };

/**
 * What one attempt decides, in this order: a session without a code has nothing to compare; a
 * session that has used its wrong codes (the limit was lowered under it) closes; a
 * phone over its wrong-code limit is refused before the code is looked at (so a guess cannot be
 * confirmed after the limit); a code is dead from `codeExpiresAt` on; then the comparison.
 */
export function decideVerification(input: {
  readonly session: Pick<CheckoutSession, 'codeHash' | 'codeExpiresAt' | 'codeFailures'>;
  readonly phone: PhoneWindow;
  readonly now: number;
  readonly limits: VerifyLimits;
  /** Whether the presented code's hash equals the stored one (compared in constant time). */
  readonly matches: boolean;
}): VerifyDecision {
  const { session, phone, now, limits } = input;
  if (session.codeHash === null || session.codeExpiresAt === null) return { kind: 'no_code' };
  if (session.codeFailures >= limits.codeAttempts) return { kind: 'exhausted' };
  if (phone.failures >= limits.phoneFailuresPerWindow) {
    return {
      kind: 'phone_limited',
      retryAfterMs: phoneWindowRetryAfterMs(phone, now, limits.phoneWindowMs),
    };
  }
  if (now >= session.codeExpiresAt) return { kind: 'code_expired' };
  if (!input.matches) {
    return { kind: 'incorrect', attemptsLeft: limits.codeAttempts - session.codeFailures - 1 };
  }
  return { kind: 'verified' };
}

/**
 * Points' sandbox test numbers (its testing/credentials page). They mean something only for a
 * merchant in sandbox mode; for every other merchant they are ordinary numbers.
 */
export const SANDBOX_PHONES = {
  /** An active account with a balance: the redemption flow. */
  withBalance: '500000001',
  /** An active account with no balance: the earning flow. */
  noBalance: '500000002',
  /** No account on Points: the customer is told so and cannot pay with points. */
  noAccount: '500000003',
} as const;

/** What Points shows the sandbox number without an account ("Unfortunately you have no account"). */
export const NO_ACCOUNT_MESSAGE = 'للاسف ما عندك حساب في بوينتس';

/** The balance the sandbox number `500000001` starts with when its wallet does not exist yet. */
export const SANDBOX_STARTING_BALANCE_POINTS = 10_000;

export type SandboxIdentity = 'with_balance' | 'no_balance' | 'no_account';

/** The sandbox identity of a phone at a merchant, or null: an ordinary number. */
export function sandboxIdentity(phone: string, sandboxMode: boolean): SandboxIdentity | null {
  if (!sandboxMode) return null;
  switch (phone) {
    case SANDBOX_PHONES.withBalance:
      return 'with_balance';
    case SANDBOX_PHONES.noBalance:
      return 'no_balance';
    case SANDBOX_PHONES.noAccount:
      return 'no_account';
    default:
      return null;
  }
}
