/**
 * The audit trail of operators' actions that move no money (replays, endpoint changes): each use
 * case that performs one writes its row here, inside its own transaction, so an action and its
 * record commit or roll back together.
 */
import type { AdminActionType } from '../domain/admin-actions.js';
import { type Actor, actorLabel, type AppDeps, query, type RunContext } from './context.js';
import type { AdminActionFilter, AdminActionRecord, OperatorStore } from './ports/operators.js';

export type { AdminActionRecord } from './ports/operators.js';

/** Who asked for an action and why (the reason is optional over the API, required by the dashboard). */
export interface AdminAudit {
  readonly actor: Actor;
  readonly reason: string | null;
}

export async function recordAdminAction(
  tx: OperatorStore,
  run: RunContext,
  audit: AdminAudit,
  action: {
    readonly action: AdminActionType;
    readonly merchantId: string | null;
    readonly orderId: string | null;
    readonly subjectId: string;
    readonly details: Readonly<Record<string, unknown>>;
  },
): Promise<AdminActionRecord> {
  const record: AdminActionRecord = {
    id: run.newId(),
    ...action,
    actor: actorLabel(audit.actor),
    reason: audit.reason,
    createdAt: run.now,
  };
  await tx.insertAdminAction(record);
  return record;
}

/** One page of operators' actions matching the filter, in its keyset order. */
export const listAdminActions = (
  deps: AppDeps,
  filter: AdminActionFilter,
): Promise<AdminActionRecord[]> => query(deps, (tx) => tx.listAdminActions(filter));
