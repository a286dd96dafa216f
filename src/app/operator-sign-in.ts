/**
 * An operator's own sign-in (name, password and, once enrolled, a TOTP code) and TOTP enrolment.
 * A TOTP code works once: the step it belongs to is stored, and a code of that step or an earlier
 * one is refused, under the operator's row lock. Enrolment shows a fresh secret (pending) and
 * takes effect only when a code from it is confirmed, so a mistyped secret never locks anyone out.
 */
import crypto from 'node:crypto';
import { domainError } from '../domain/errors.js';
import { err, ok } from '../domain/result.js';
import { base32Decode, base32Encode, matchingTotpStep, totpUri } from '../domain/totp.js';
import { recordAdminAction } from './admin-actions.js';
import { type Actor, type AppDeps, execute, query, type UseCase } from './context.js';
import { verifyPassword } from './passwords.js';
import { hmacSha1 } from './secrets.js';
import type { OperatorAccount, OperatorAccountStore } from './ports/operator-accounts.js';
import type { OperatorStore } from './ports/operators.js';

export const TOTP_ISSUER = 'Unwind';
const TOTP_SECRET_BYTES = 20;

export type SignInOutcome =
  | { readonly ok: true; readonly operator: OperatorAccount }
  | { readonly ok: false; readonly reason: 'invalid' | 'code_required' | 'code_invalid' };

/**
 * Checks an operator's name, password and code. `invalid` says nothing about which part was
 * wrong; `code_required` and `code_invalid` come only after the right password.
 */
export async function signInOperator(
  deps: AppDeps,
  input: { readonly name: string; readonly password: string; readonly code?: string },
): Promise<SignInOutcome> {
  const found = await query(deps, (tx) => tx.findOperatorByName(input.name));
  const passwordOk = await verifyPassword(input.password, found?.passwordHash ?? null);
  if (!found || !passwordOk || found.disabledAt !== null) return { ok: false, reason: 'invalid' };
  if (found.totpSecret === null) return { ok: true, operator: found };
  if (input.code === undefined) return { ok: false, reason: 'code_required' };
  const code = input.code;
  const result = await execute(deps, async (tx, run) => {
    const operator = await tx.lockOperator(found.id);
    const secret = operator?.totpSecret ? base32Decode(operator.totpSecret) : null;
    const step = secret && matchingTotpStep(hmacSha1, secret, code, run.now);
    if (!operator || step === null || step <= (operator.totpLastStep ?? -1))
      return err(domainError('operator.totp_invalid'));
    await tx.updateOperator({ ...operator, totpLastStep: step });
    return ok(operator);
  });
  return result.ok ? { ok: true, operator: result.value } : { ok: false, reason: 'code_invalid' };
}

type Tx = OperatorAccountStore & OperatorStore;

/** Starts (or restarts) enrolment: a new pending secret, shown once with its otpauth URI. */
export const startTotpEnrolment =
  (operatorId: string): UseCase<{ secret: string; uri: string }, Tx> =>
  async (tx, run) => {
    const operator = await tx.lockOperator(operatorId);
    if (!operator) return err(domainError('operator.not_found'));
    const secret = crypto.randomBytes(TOTP_SECRET_BYTES);
    const encoded = base32Encode(secret);
    await tx.updateOperator({ ...operator, totpPendingSecret: encoded, updatedAt: run.now });
    return ok({ secret: encoded, uri: totpUri(TOTP_ISSUER, operator.name, secret) });
  };

/** Confirms enrolment with a code from the pending secret. Errors: operator.totp_invalid. */
export const confirmTotpEnrolment =
  (operatorId: string, code: string): UseCase<OperatorAccount, Tx> =>
  async (tx, run) => {
    const operator = await tx.lockOperator(operatorId);
    if (!operator) return err(domainError('operator.not_found'));
    const secret = operator.totpPendingSecret ? base32Decode(operator.totpPendingSecret) : null;
    const step = secret && matchingTotpStep(hmacSha1, secret, code, run.now);
    if (step === null) return err(domainError('operator.totp_invalid'));
    const enrolled: OperatorAccount = {
      ...operator,
      totpSecret: operator.totpPendingSecret,
      totpPendingSecret: null,
      totpLastStep: step,
      updatedAt: run.now,
    };
    await tx.updateOperator(enrolled);
    const actor: Actor = { kind: 'operator', name: operator.name };
    await recordTotpAction(tx, run, enrolled, 'operator.totp_enabled', actor);
    return ok(enrolled);
  };

/** An admin removes an operator's TOTP (a lost phone); the operator may enrol again. */
export const removeTotp =
  (operatorId: string, actor: Actor): UseCase<OperatorAccount, Tx> =>
  async (tx, run) => {
    const operator = await tx.lockOperator(operatorId);
    if (!operator) return err(domainError('operator.not_found'));
    const removed = { ...operator, totpSecret: null, totpPendingSecret: null, updatedAt: run.now };
    await tx.updateOperator(removed);
    await recordTotpAction(tx, run, removed, 'operator.totp_removed', actor);
    return ok(removed);
  };

const recordTotpAction = (
  tx: Tx,
  run: Parameters<UseCase<unknown>>[1],
  operator: OperatorAccount,
  action: 'operator.totp_enabled' | 'operator.totp_removed',
  actor: Actor,
) =>
  recordAdminAction(
    tx,
    run,
    { actor, reason: null },
    {
      action,
      merchantId: null,
      orderId: null,
      subjectId: operator.id,
      details: { name: operator.name },
    },
  );
