/**
 * API tokens per operator or service (issue 17). Shown once; only the SHA-256 hash is kept (256
 * random bits, like credentials: src/app/secrets.ts). An operator's token acts as that operator,
 * with the operator's role and limit as they are at each request, narrowed to the token's scopes;
 * a service token has its own role, scopes and limit. Each is revoked on its own, at once.
 */
import { domainError } from '../domain/errors.js';
import {
  type OperatorRole,
  type Permission,
  type Principal,
  scopesWithin,
} from '../domain/operators.js';
import { err, ok } from '../domain/result.js';
import { recordAdminAction } from './admin-actions.js';
import { type Actor, actorLabel, type AppDeps, query, type UseCase } from './context.js';
import { operatorPrincipal } from './operators.js';
import type { OperatorAccountStore, OperatorToken } from './ports/operator-accounts.js';
import type { OperatorStore } from './ports/operators.js';
import { hashSecret, issueSecret } from './secrets.js';

export type { OperatorToken } from './ports/operator-accounts.js';

export const OPERATOR_TOKEN_TAG = 'unwind_op_';

export interface IssueTokenCommand {
  /** The operator the token acts as; null for a service token. */
  readonly operatorId: string | null;
  readonly name: string;
  /** A service token's role (an operator's token takes the operator's). */
  readonly role: OperatorRole;
  readonly scopes: readonly Permission[];
  readonly limitMinor: number | null;
  readonly actor: Actor;
}

type Tx = OperatorAccountStore & OperatorStore;

/**
 * Errors: operator.not_found; validation.failed when the scopes exceed the role (a token never
 * grants more than its owner has).
 */
export const issueOperatorToken =
  (cmd: IssueTokenCommand): UseCase<{ token: OperatorToken; secret: string }, Tx> =>
  async (tx, run) => {
    const operator = cmd.operatorId === null ? null : await tx.findOperator(cmd.operatorId);
    if (cmd.operatorId !== null && !operator) return err(domainError('operator.not_found'));
    const role = operator?.role ?? cmd.role;
    if (!scopesWithin(role, cmd.scopes))
      return err(domainError('validation.failed', { field: 'scopes', role }));
    const secret = issueSecret(OPERATOR_TOKEN_TAG);
    const token: OperatorToken = {
      id: run.newId(),
      operatorId: cmd.operatorId,
      name: cmd.name,
      role,
      scopes: cmd.scopes,
      limitMinor: operator ? null : cmd.limitMinor,
      prefix: secret.prefix,
      secretHash: secret.hash,
      createdBy: actorLabel(cmd.actor),
      createdAt: run.now,
      revokedAt: null,
    };
    await tx.insertOperatorToken(token);
    await recordAdminAction(
      tx,
      run,
      { actor: cmd.actor, reason: null },
      {
        action: 'token.created',
        merchantId: null,
        orderId: null,
        subjectId: token.id,
        details: { name: token.name, operator_id: token.operatorId, scopes: token.scopes },
      },
    );
    return ok({ token, secret: secret.plaintext });
  };

/** Errors: token.not_found. Revoking a revoked token is harmless and records nothing more. */
export const revokeOperatorToken =
  (id: string, actor: Actor): UseCase<OperatorToken, Tx> =>
  async (tx, run) => {
    const token = await tx.findOperatorToken(id);
    if (!token) return err(domainError('token.not_found'));
    if ((await tx.revokeOperatorToken(id, run.now)) === 0) return ok(token);
    await recordAdminAction(
      tx,
      run,
      { actor, reason: null },
      {
        action: 'token.revoked',
        merchantId: null,
        orderId: null,
        subjectId: id,
        details: { name: token.name, prefix: token.prefix },
      },
    );
    return ok({ ...token, revokedAt: run.now });
  };

export const listOperatorTokens = (deps: AppDeps) => query(deps, (tx) => tx.listOperatorTokens());

/** The principal a presented API token stands for, or null (unknown, revoked, owner disabled). */
export async function tokenPrincipal(deps: AppDeps, presented: string): Promise<Principal | null> {
  if (!presented.startsWith(OPERATOR_TOKEN_TAG)) return null;
  return query(deps, async (tx) => {
    const token = await tx.findOperatorTokenByHash(hashSecret(presented));
    if (!token || token.revokedAt !== null) return null;
    if (token.operatorId === null) {
      return {
        kind: 'service',
        operatorId: null,
        name: token.name,
        role: token.role,
        scopes: token.scopes,
        limitMinor: token.limitMinor,
      };
    }
    const operator = await tx.findOperator(token.operatorId);
    if (!operator || operator.disabledAt !== null) return null;
    return operatorPrincipal(operator, token.scopes);
  });
}
