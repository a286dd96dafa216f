import { DEFAULT_OPERATOR_POLICY, type OperatorPolicy } from '../app/context.js';
import { BOUNDS } from '../domain/bounds.js';
import { integer, type Env } from './parse.js';

/**
 * Operators (issue 17): refunds above UNWIND_REFUND_APPROVAL_ABOVE_MINOR (unset: no four-eyes
 * unless a merchant sets its own) wait UNWIND_REFUND_APPROVAL_TTL_MS for a second operator; an
 * invite can be accepted for UNWIND_OPERATOR_INVITE_TTL_MS.
 */
export function operatorConfig(env: Env): OperatorPolicy {
  const above = env['UNWIND_REFUND_APPROVAL_ABOVE_MINOR'];
  return {
    approvalAboveMinor:
      above === undefined || above === ''
        ? DEFAULT_OPERATOR_POLICY.approvalAboveMinor
        : integer(env, 'UNWIND_REFUND_APPROVAL_ABOVE_MINOR', 0, 0, BOUNDS.amountMinorMax),
    approvalTtlMs: integer(
      env,
      'UNWIND_REFUND_APPROVAL_TTL_MS',
      DEFAULT_OPERATOR_POLICY.approvalTtlMs,
      60_000,
      30 * 86_400_000,
    ),
    inviteTtlMs: integer(
      env,
      'UNWIND_OPERATOR_INVITE_TTL_MS',
      DEFAULT_OPERATOR_POLICY.inviteTtlMs,
      60_000,
      30 * 86_400_000,
    ),
  };
}
