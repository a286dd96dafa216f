/**
 * MPG's 3-D Secure card authentications (`/v1/3ds`, docs/dialects/mpg.md "3-D Secure"): create
 * one for a card and an amount, authenticate it (the simulated directory server answers by test
 * card: frictionless, challenge or failure), show it, and use an authenticated one once on a
 * purchase or an authorization (`source.card_auth_id`), in that order's transaction.
 */
import crypto from 'node:crypto';
import { detectScheme, maskCard } from '../domain/cards.js';
import { domainError, type DomainError } from '../domain/errors.js';
import { err, ok, type Result } from '../domain/result.js';
import { type AppDeps, query, type RunContext, type UseCase } from './context.js';
import {
  type MpgCard,
  type MpgCreateCommand,
  mpgCreateOrder,
  type MpgOrderView,
  mpgRequestProblem,
} from './mpg-orders.js';
import type { MerchantStore } from './ports/merchants.js';
import type { MpgCardAuth, MpgCardAuthOutcome, MpgStore } from './ports/mpg.js';

/** Test cards of the simulated directory server; every other card authenticates frictionlessly. */
export const CARD_AUTH_TEST_CARDS: Readonly<Record<string, MpgCardAuthOutcome>> = {
  '4000000000003220': 'challenge',
  '5200000000001096': 'challenge',
  '4000008400001629': 'failure',
  '5200000000001005': 'failure',
};

export const CHALLENGE_PREFERENCES = [
  'no_preference',
  'no_challenge',
  'preferred',
  'mandated',
] as const;
export type ChallengePreference = (typeof CHALLENGE_PREFERENCES)[number];

const refuse = (field: string, rule: string): Result<never, DomainError> =>
  err(domainError('validation.failed', { field, rule }));

export interface CreateCardAuthCommand {
  readonly merchantId: string;
  /** The client's id (`card_auth_id`): the authentication's id, and its idempotency key. */
  readonly id: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly card: Pick<MpgCard, 'number' | 'month' | 'year'>;
  readonly returnUrl: string | null;
  readonly challengePreference: ChallengePreference;
}

/**
 * Creates a card authentication, `available` for the card. The same id with the same request
 * answers the authentication as it is now; with another request, or another merchant's, 422.
 * Errors: merchant.not_found, validation.failed (currency, year, number, card_auth_id).
 */
export const createMpgCardAuth =
  (cmd: CreateCardAuthCommand): UseCase<MpgCardAuth, MpgStore & MerchantStore> =>
  async (tx, run) => {
    const problem = await mpgRequestProblem(
      tx,
      cmd.merchantId,
      cmd.currency,
      cmd.card,
      run.now,
      'year',
    );
    if (problem) return err(problem);
    const scheme = detectScheme(cmd.card.number);
    if (!scheme) return refuse('number', 'scheme');
    const masked = maskCard(cmd.card.number, scheme);
    const existing = await tx.lockMpgCardAuth(cmd.id);
    if (existing) {
      const same =
        existing.merchantId === cmd.merchantId &&
        existing.amountMinor === cmd.amountMinor &&
        existing.currency === cmd.currency &&
        existing.firstDigits === masked.firstDigits &&
        existing.lastDigits === masked.lastDigits &&
        existing.month === cmd.card.month &&
        existing.year === cmd.card.year;
      return same ? ok(existing) : refuse('card_auth_id', 'taken');
    }
    const auth: MpgCardAuth = {
      id: cmd.id,
      merchantId: cmd.merchantId,
      status: 'available',
      amountMinor: cmd.amountMinor,
      currency: cmd.currency,
      scheme,
      firstDigits: masked.firstDigits,
      lastDigits: masked.lastDigits,
      month: cmd.card.month,
      year: cmd.card.year,
      outcome: CARD_AUTH_TEST_CARDS[cmd.card.number] ?? 'frictionless',
      returnUrl: cmd.returnUrl,
      challengePreference: cmd.challengePreference,
      isFrictionless: null,
      challenge: null,
      auth: null,
      failureReason: null,
      message: 'Authentication is available.',
      orderId: null,
      createdAt: run.now,
      updatedAt: run.now,
    };
    await tx.insertMpgCardAuth(auth);
    return ok(auth);
  };

/** A stable value derived from the authentication's id, so a replay shows the same one. */
const derived = (id: string, what: string, bytes: number) =>
  crypto.createHash('sha256').update(`${what}:${id}`).digest().subarray(0, bytes);

const derivedUuid = (id: string, what: string) => {
  const h = derived(id, what, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The EMV 3-D Secure values of a successful authentication (what a purchase carries). */
function authValues(a: MpgCardAuth, now: number): Record<string, string> {
  const iso = new Date(now).toISOString();
  return {
    value: derived(a.id, 'cavv', 20).toString('base64'),
    status: 'Y',
    eci: a.scheme === 'mastercard' ? '02' : '05',
    version: '2.2.0',
    ds_transaction_id: derivedUuid(a.id, 'ds'),
    acs_transaction_id: derivedUuid(a.id, 'acs'),
    ds_reference_number: 'UNWIND-DS-SIMULATOR',
    acs_reference_number: 'UNWIND-ACS-SIMULATOR',
    tds_purchase_date: iso.slice(0, 19).replace(/[-T:]/g, ''),
  };
}

export interface AuthenticateCardAuthCommand {
  readonly merchantId: string;
  readonly id: string;
  readonly returnUrl?: string | undefined;
  readonly challengePreference?: ChallengePreference | undefined;
}

/** What authenticating `a` ends in, by its test card and the challenge preference. */
function authenticated(a: MpgCardAuth, run: RunContext): MpgCardAuth {
  const base = { ...a, updatedAt: run.now };
  if (a.outcome === 'failure') {
    return {
      ...base,
      status: 'failed',
      isFrictionless: false,
      failureReason: 'denied',
      message: 'Authentication denied by the issuer.',
    };
  }
  if (a.outcome === 'challenge' || a.challengePreference === 'mandated') {
    return {
      ...base,
      status: 'in_progress',
      isFrictionless: false,
      challenge: {
        url: `/mpg/v1/3ds/${a.id}/challenge`,
        creq: Buffer.from(
          JSON.stringify({ threeDSServerTransID: derivedUuid(a.id, 'ds'), messageType: 'CReq' }),
        ).toString('base64url'),
      },
      message: 'Challenge required.',
    };
  }
  return {
    ...base,
    status: 'authenticated',
    isFrictionless: true,
    auth: authValues(a, run.now),
    message: 'Authenticated successfully.',
  };
}

/**
 * Authenticates an `available` card authentication. Errors: order.not_found (unknown or another
 * merchant's), validation.failed (not available: `id`, card_auth_state).
 */
export const authenticateMpgCardAuth =
  (cmd: AuthenticateCardAuthCommand): UseCase<MpgCardAuth, MpgStore> =>
  async (tx, run) => {
    const found = await tx.lockMpgCardAuth(cmd.id);
    if (!found || found.merchantId !== cmd.merchantId) return err(domainError('order.not_found'));
    if (found.status !== 'available') return refuse('id', 'card_auth_state');
    const next = authenticated(
      {
        ...found,
        returnUrl: cmd.returnUrl ?? found.returnUrl,
        challengePreference: cmd.challengePreference ?? found.challengePreference,
      },
      run,
    );
    await tx.updateMpgCardAuth(next);
    return ok(next);
  };

/**
 * The cardholder's answer to a challenge, as the (simulated) access control server reports it:
 * an `in_progress` authentication ends `authenticated` (not frictionless) or `failed`.
 * Errors: order.not_found (unknown or another merchant's), validation.failed (not in progress).
 */
export const completeMpgCardAuthChallenge =
  (cmd: {
    readonly merchantId: string;
    readonly id: string;
    readonly passed: boolean;
  }): UseCase<MpgCardAuth, MpgStore> =>
  async (tx, run) => {
    const found = await tx.lockMpgCardAuth(cmd.id);
    if (!found || found.merchantId !== cmd.merchantId) return err(domainError('order.not_found'));
    if (found.status !== 'in_progress') return refuse('id', 'card_auth_no_challenge');
    const next: MpgCardAuth = cmd.passed
      ? {
          ...found,
          status: 'authenticated',
          auth: authValues(found, run.now),
          message: 'Authenticated successfully.',
          updatedAt: run.now,
        }
      : {
          ...found,
          status: 'failed',
          failureReason: 'denied',
          message: 'Authentication denied by the cardholder.',
          updatedAt: run.now,
        };
    await tx.updateMpgCardAuth(next);
    return ok(next);
  };

/** The merchant's card authentication, or null (another merchant's is null too). */
export function findMpgCardAuth(
  deps: AppDeps,
  merchantId: string,
  id: string,
): Promise<MpgCardAuth | null> {
  return query(deps, async (tx) => {
    const found = await tx.findMpgCardAuth(id);
    return found && found.merchantId === merchantId ? found : null;
  });
}

type CreateTx = Parameters<ReturnType<typeof mpgCreateOrder>>[0];

/** Whether the authentication was made for this card, amount and currency. */
function matches(a: MpgCardAuth, cmd: MpgCreateCommand): boolean {
  const scheme = detectScheme(cmd.card.number);
  if (!scheme) return false;
  const masked = maskCard(cmd.card.number, scheme);
  return (
    a.firstDigits === masked.firstDigits &&
    a.lastDigits === masked.lastDigits &&
    a.month === cmd.card.month &&
    a.year === cmd.card.year &&
    a.amountMinor === cmd.amountMinor &&
    a.currency === cmd.currency
  );
}

/**
 * A purchase or authorization backed by an authenticated card authentication: the order carries
 * its 3-D Secure values, and the authentication is used up by that order in the same
 * transaction (a replay of the same order_id is still a replay).
 * Errors: those of mpgCreateOrder, and validation.failed on `source.card_auth_id`
 * (card_auth_not_found, card_auth_used, card_auth_not_authenticated, card_auth_mismatch).
 */
export const mpgCreateOrderWithCardAuth =
  (cmd: MpgCreateCommand, cardAuthId: string): UseCase<MpgOrderView, CreateTx> =>
  async (tx, run) => {
    const field = 'source.card_auth_id';
    const found = await tx.lockMpgCardAuth(cardAuthId);
    if (!found || found.merchantId !== cmd.merchantId) return refuse(field, 'card_auth_not_found');
    const replay = found.orderId !== null && found.orderId === cmd.orderId;
    if (!replay) {
      if (found.orderId !== null) return refuse(field, 'card_auth_used');
      if (found.status !== 'authenticated' || !found.auth) {
        return refuse(field, 'card_auth_not_authenticated');
      }
      if (!matches(found, cmd)) return refuse(field, 'card_auth_mismatch');
    }
    const values = found.auth ?? {};
    // The order keeps the 3-D Secure result as a purchase's `source.auth` carries it.
    const auth = {
      status: values['status'],
      eci: values['eci'],
      version: values['version'],
      cavv: values['value'],
      ds_transaction_id: values['ds_transaction_id'],
      acs_transaction_id: values['acs_transaction_id'],
      card_auth_id: found.id,
    };
    const created = await mpgCreateOrder({ ...cmd, card: { ...cmd.card, auth } })(tx, run);
    if (!created.ok || created.value.replayed || replay) return created;
    await tx.updateMpgCardAuth({ ...found, orderId: created.value.order.id, updatedAt: run.now });
    return created;
  };

export type { MpgCardAuth } from './ports/mpg.js';
