/**
 * Applying a reconciliation run (issue 7): each auto-refund candidate of the run is re-checked
 * and refunded in a transaction of its own, only when it is still the run's merchant's order on
 * the run's face. Reading and matching a report is src/app/reconciliation.ts.
 */
import { domainError, type DomainError } from '../domain/errors.js';
import {
  AUTO_REFUND_REASON,
  autoRefundDecision,
  autoRefundKey,
  type Finding,
  type FindingAction,
  inScope,
  type ReconciliationRun,
  type ReconciliationScope,
} from '../domain/reconciliation.js';
import { err, ok, type Result } from '../domain/result.js';
import { type Actor, type AppDeps, execute, type RunContext } from './context.js';
import { refundOrder } from './order-operations.js';
import type { OrderChangeTx } from './ledger.js';
import type { MerchantStore } from './ports/merchants.js';
import type { ReconciliationStore } from './ports/reconciliation.js';

/** Candidates read per page. */
const CANDIDATE_PAGE_SIZE = 500;

export const RECONCILIATION_ACTOR: Actor = { kind: 'job', name: 'reconciliation' };

/**
 * Applies a completed (or already applied) run: every auto-refund candidate is re-checked now
 * (still refundable, grace period over) and, if due, refunded in full through the core refund
 * with the key `auto-refund:<order id>`, so no order is ever reversed twice, whichever run or
 * node applies it. Candidates still inside their grace period stay pending for a later apply.
 * Errors: reconciliation.not_found, reconciliation.not_applicable (a run that failed or is still
 * being read, or one stored before runs had a scope, whose findings may name any merchant's
 * orders: `details.reason` says which), all decided before anything is written.
 *
 * Each candidate commits in a transaction of its own, by design: a run may hold millions, and one
 * transaction over all of them would hold their orders' locks for as long. No candidate refuses
 * (a refund the ledger refuses is recorded as `skipped`), so only an outage can stop an apply part
 * way. The run then stays `completed` and each order's finding says truly whether it was
 * refunded; applying again finishes the rest, and the key `auto-refund:<order id>` keeps any
 * order from being refunded twice.
 */
export async function applyReconciliation(
  deps: AppDeps,
  runId: string,
): Promise<Result<ReconciliationRun, DomainError>> {
  const run = await deps.store.read((tx) => tx.findReconciliationRun(runId));
  if (!run) return err(domainError('reconciliation.not_found'));
  if (run.status !== 'completed' && run.status !== 'applied') {
    return err(domainError('reconciliation.not_applicable', { reason: `run is ${run.status}` }));
  }
  const scope = run.scope;
  if (!scope) {
    return err(
      domainError('reconciliation.not_applicable', {
        reason: 'run has no merchant and face; reconcile the report again with its scope',
      }),
    );
  }
  let afterSeq = 0;
  for (;;) {
    const cursor = afterSeq;
    const candidates = await deps.store.read((tx) =>
      tx.listFindings(runId, cursor, CANDIDATE_PAGE_SIZE, ['pending_grace', 'auto_refund']),
    );
    for (const candidate of candidates) {
      const done = await execute(deps, applyFinding(candidate, scope));
      if (!done.ok) return done;
    }
    const last = candidates.at(-1);
    if (!last || candidates.length < CANDIDATE_PAGE_SIZE) break;
    afterSeq = last.seq;
  }
  const applied = await execute(deps, async (tx, ctx) => {
    const locked = await tx.lockReconciliationRun(runId);
    if (!locked) return err(domainError('reconciliation.not_found'));
    const actions = await tx.countFindingActions(runId);
    const count = (a: FindingAction) => actions.find((x) => x.action === a)?.count ?? 0;
    const next: ReconciliationRun = {
      ...locked,
      status: 'applied',
      appliedAt: ctx.now,
      summary: {
        ...locked.summary,
        pending_grace: count('pending_grace'),
        auto_refund: count('auto_refund'),
        auto_refunded: count('auto_refunded'),
        skipped: count('skipped'),
      },
    };
    await tx.updateReconciliationRun(next);
    return ok(next);
  });
  return applied;
}

/**
 * One candidate, in one transaction: re-check, refund, record what happened. The order is
 * refunded only as the scope's merchant and only when it is the scope's, a second wall behind
 * the scoped reads that made the candidate.
 */
const applyFinding =
  (candidate: Finding, scope: ReconciliationScope) =>
  async (
    tx: ReconciliationStore & OrderChangeTx & MerchantStore,
    ctx: RunContext,
  ): Promise<Result<null, never>> => {
    const orderId = candidate.orderId;
    if (!orderId) return ok(null);
    const order = await tx.lockOrder(orderId);
    // Another apply may have handled this candidate while we waited for the lock.
    const [current] = await tx.listFindings(candidate.runId, candidate.seq - 1, 1);
    if (!order || !current || current.seq !== candidate.seq) return ok(null);
    if (current.action !== 'pending_grace' && current.action !== 'auto_refund') return ok(null);
    const record = (action: FindingAction, detail: string | null) =>
      tx.updateFindingAction(candidate.runId, candidate.seq, action, detail, ctx.now);
    if (!inScope(order, scope)) {
      await record('skipped', "not the run's merchant and face");
      return ok(null);
    }
    const merchant = await tx.findMerchant(scope.merchantId);
    const grace = merchant?.settings.autoRefundGraceHours ?? 0;
    const decision = autoRefundDecision(order, grace, ctx.now);
    if (decision === 'pending_grace') {
      await record('pending_grace', current.actionDetail);
      return ok(null);
    }
    if (decision === 'none') {
      await record('skipped', `nothing to refund now (order ${order.status})`);
      return ok(null);
    }
    const refunded = await refundOrder({
      merchantId: scope.merchantId,
      orderId,
      actor: RECONCILIATION_ACTOR,
      reason: AUTO_REFUND_REASON,
      idempotencyKey: autoRefundKey(orderId),
      eventType: 'order.auto_refunded',
    })(tx, ctx);
    if (!refunded.ok) await record('skipped', `refund refused: ${refunded.error.code}`);
    else if (refunded.value.replayed) await record('skipped', 'already auto-refunded');
    else await record('auto_refunded', `event ${refunded.value.event.id}`);
    return ok(null);
  };
