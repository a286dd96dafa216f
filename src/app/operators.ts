/**
 * Operator accounts (issue 17): an admin invites an operator by name with a role (and, for
 * support, a refund limit); the invite token is shown once and only its hash is kept; the
 * operator accepts it by choosing a password (src/app/passwords.ts). Admins change roles and
 * limits and disable or enable operators; disabling signs every session of that operator out
 * (no one else's) and stops its API tokens. Every change is an admin action in its own
 * transaction.
 */
import { domainError } from '../domain/errors.js';
import type { OperatorRole, Principal } from '../domain/operators.js';
import { err, ok } from '../domain/result.js';
import { recordAdminAction } from './admin-actions.js';
import {
  type Actor,
  actorLabel,
  type AppDeps,
  execute,
  operatorPolicy,
  query,
  type RunContext,
  type UseCase,
} from './context.js';
import { hashPassword } from './passwords.js';
import type { OperatorAccount, OperatorAccountStore } from './ports/operator-accounts.js';
import type { OperatorStore } from './ports/operators.js';
import { hashSecret, issueSecret } from './secrets.js';

export type { OperatorAccount } from './ports/operator-accounts.js';

export const OPERATOR_INVITE_TAG = 'unwind_invite_';

/** Whom a principal's changes are recorded as: the bootstrap token stays `admin`. */
export const actorOf = (principal: Principal): Actor =>
  principal.kind === 'bootstrap'
    ? { kind: 'admin' }
    : { kind: principal.kind, name: principal.name };

/** The principal a signed-in operator acts as: its role and limit as they are now. */
export const operatorPrincipal = (
  operator: OperatorAccount,
  scopes: Principal['scopes'] = null,
): Principal => ({
  kind: 'operator',
  operatorId: operator.id,
  name: operator.name,
  role: operator.role,
  scopes,
  limitMinor: operator.limitMinor,
});

type Tx = OperatorAccountStore & OperatorStore;

const audit = (actor: Actor) => ({ actor, reason: null });

const recordOperatorAction = (
  tx: Tx,
  run: RunContext,
  actor: Actor,
  action: Parameters<typeof recordAdminAction>[3]['action'],
  operator: OperatorAccount,
  details: Readonly<Record<string, unknown>>,
) =>
  recordAdminAction(tx, run, audit(actor), {
    action,
    merchantId: null,
    orderId: null,
    subjectId: operator.id,
    details: { name: operator.name, ...details },
  });

export interface InviteCommand {
  readonly name: string;
  readonly role: OperatorRole;
  readonly limitMinor: number | null;
  readonly actor: Actor;
}

/** Errors: operator.name_taken. The invite token is in the answer only. */
export const inviteOperator =
  (
    cmd: InviteCommand,
    inviteTtlMs: number,
  ): UseCase<{ operator: OperatorAccount; inviteToken: string }, Tx> =>
  async (tx, run) => {
    if (await tx.findOperatorByName(cmd.name)) return err(domainError('operator.name_taken'));
    const invite = issueSecret(OPERATOR_INVITE_TAG);
    const operator: OperatorAccount = {
      id: run.newId(),
      name: cmd.name,
      role: cmd.role,
      limitMinor: cmd.limitMinor,
      passwordHash: null,
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      inviteHash: invite.hash,
      inviteExpiresAt: run.now + inviteTtlMs,
      disabledAt: null,
      createdBy: actorLabel(cmd.actor),
      createdAt: run.now,
      updatedAt: run.now,
    };
    await tx.insertOperator(operator);
    await recordOperatorAction(tx, run, cmd.actor, 'operator.invited', operator, {
      role: cmd.role,
      limit_minor: cmd.limitMinor,
    });
    return ok({ operator, inviteToken: invite.plaintext });
  };

export const runInviteOperator = (deps: AppDeps, cmd: InviteCommand) =>
  execute(deps, inviteOperator(cmd, operatorPolicy(deps).inviteTtlMs));

/**
 * Accepts an invite: sets the password (hashed before the transaction: it takes time and
 * memory), ends the invite. Errors: operator.invite_invalid (unknown, used, expired, disabled).
 */
export async function acceptInvite(deps: AppDeps, token: string, password: string) {
  const passwordHash = await hashPassword(password);
  return execute(deps, async (tx, run) => {
    const found = await tx.findOperatorByInviteHash(hashSecret(token));
    const operator = found && (await tx.lockOperator(found.id));
    if (
      !operator ||
      operator.inviteHash !== hashSecret(token) ||
      operator.disabledAt !== null ||
      operator.inviteExpiresAt === null ||
      run.now >= operator.inviteExpiresAt
    )
      return err(domainError('operator.invite_invalid'));
    const accepted = {
      ...operator,
      passwordHash,
      inviteHash: null,
      inviteExpiresAt: null,
      updatedAt: run.now,
    };
    await tx.updateOperator(accepted);
    const actor: Actor = { kind: 'operator', name: operator.name };
    await recordOperatorAction(tx, run, actor, 'operator.invite_accepted', accepted, {});
    return ok(accepted);
  });
}

export interface OperatorChange {
  readonly role?: OperatorRole;
  readonly limitMinor?: number | null;
  readonly disabled?: boolean;
}

/**
 * Changes an operator's role, limit or access. Disabling signs out that operator's sessions at
 * once (its tokens stop with it: they act as the operator). Errors: operator.not_found.
 */
export const changeOperator =
  (
    id: string,
    change: OperatorChange,
    actor: Actor,
    /** Wall-clock time: sessions never run on the test clock (src/app/admin-sessions.ts). */
    sessionsNow: number,
  ): UseCase<OperatorAccount, Tx> =>
  async (tx, run) => {
    const before = await tx.lockOperator(id);
    if (!before) return err(domainError('operator.not_found'));
    const disabledAt =
      change.disabled === undefined
        ? before.disabledAt
        : change.disabled
          ? (before.disabledAt ?? run.now)
          : null;
    const after: OperatorAccount = {
      ...before,
      role: change.role ?? before.role,
      limitMinor: change.limitMinor === undefined ? before.limitMinor : change.limitMinor,
      disabledAt,
      updatedAt: run.now,
    };
    await tx.updateOperator(after);
    if (disabledAt !== null && before.disabledAt === null) {
      await tx.revokeOperatorSessions(id, sessionsNow);
    }
    const action =
      change.disabled === undefined
        ? 'operator.updated'
        : change.disabled
          ? 'operator.disabled'
          : 'operator.enabled';
    await recordOperatorAction(tx, run, actor, action, after, {
      changes: operatorChanges(before, after),
    });
    return ok(after);
  };

function operatorChanges(before: OperatorAccount, after: OperatorAccount) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.role !== after.role) changes['role'] = { from: before.role, to: after.role };
  if (before.limitMinor !== after.limitMinor)
    changes['limit_minor'] = { from: before.limitMinor, to: after.limitMinor };
  if (before.disabledAt !== after.disabledAt)
    changes['disabled'] = { from: before.disabledAt !== null, to: after.disabledAt !== null };
  return changes;
}

export const listOperators = (deps: AppDeps) => query(deps, (tx) => tx.listOperators());
export const findOperator = (deps: AppDeps, id: string) => query(deps, (tx) => tx.findOperator(id));
