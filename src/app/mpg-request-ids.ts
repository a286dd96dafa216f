/**
 * MPG's idempotency by body id (docs/decisions/mpg.md#body-ids): `order_id` on create,
 * `transaction_id` on capture, void, refund, extend and reverse.
 *
 * - A request claims its id (merchant, kind, id) with a lease in a short transaction of its own.
 *   The claim's primary key is the wall two racing duplicates meet, on any number of processes.
 * - The use case then runs in a second transaction that also marks the claim completed, so a
 *   committed change and a completed claim cannot disagree. The use case itself passes the id to
 *   the core as its idempotency key, so the ledger refuses a second change even if a claim were
 *   lost: the claim decides who waits, the ledger decides what is written.
 * - A duplicate that finds the claim completed replays: the use case runs again and the core
 *   answers with the order as it is now, creating nothing. A different request under the same id
 *   is `idempotency.key_reused`. A duplicate that finds the claim still held polls for up to
 *   `LIMITS.mpgDuplicateWaitMs` of wall time, then gets `idempotency.still_processing` (the
 *   documented 400 "Initial request is still processing."). The wait is measured in real time,
 *   not on the business clock: it bounds a client's latency, and a test clock stands still.
 * - A request that fails (expected or not) releases its claim, so a retry runs afresh. A process
 *   that dies mid-request leaves a lease that expires, after which a retry takes the id over.
 * - The reaper job deletes claims older than the retention setting (default 7 days).
 *
 * The claim commits on its own, before the change, by design: a duplicate on another process
 * must see it while the first request still runs. It is the only thing written before the use
 * case, and no client reads it as a change to the order: a failure after it releases it (or its
 * lease expires), and the order is as it was. Everything that can refuse runs in the use case's
 * transaction, whose answer is built inside it (the caller passes an `answering` use case).
 */
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { domainError, type DomainError } from '../domain/errors.js';
import { err, type Result } from '../domain/result.js';
import { type AppDeps, execute, type UseCase } from './context.js';
import { LIMITS } from './limits.js';
import type { MpgRequestId, MpgRequestIdKind } from './ports/claims.js';

export interface BodyIdRequest {
  readonly merchantId: string;
  readonly kind: MpgRequestIdKind;
  /** The client's id, lower-cased. */
  readonly requestId: string;
  readonly fingerprint: string;
}

class LeaseLost extends Error {}

type Claim =
  | { readonly kind: 'run'; readonly record: MpgRequestId; readonly leaseToken: string }
  | { readonly kind: 'replay' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'refused'; readonly error: DomainError };

async function claim(deps: AppDeps, request: BodyIdRequest): Promise<Claim> {
  const leaseToken = crypto.randomUUID();
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const { inserted, record } = await tx.claimMpgRequestId({
      ...request,
      state: 'in_progress',
      leaseToken,
      leaseExpiresAt: now + LIMITS.mpgRequestLeaseMs,
      orderId: null,
      createdAt: now,
    });
    if (inserted) return { kind: 'run', record, leaseToken } as const;
    if (record.fingerprint !== request.fingerprint) {
      return {
        kind: 'refused',
        error: domainError('idempotency.key_reused', { field: request.kind }),
      } as const;
    }
    if (record.state === 'completed') return { kind: 'replay' } as const;
    const takenOver = await tx.renewMpgRequestLease(
      record,
      leaseToken,
      now + LIMITS.mpgRequestLeaseMs,
      now,
    );
    return takenOver ? ({ kind: 'run', record, leaseToken } as const) : ({ kind: 'busy' } as const);
  });
}

/**
 * Runs `useCase` at most once per body id. `orderIdOf` names the order the result belongs to.
 * Errors: idempotency.key_reused (details.field = the id's name), idempotency.still_processing,
 * and those of the use case.
 */
export async function runWithBodyId<T>(
  deps: AppDeps,
  request: BodyIdRequest,
  useCase: UseCase<T>,
  orderIdOf: (value: T) => string,
): Promise<Result<T, DomainError>> {
  const deadline = Date.now() + LIMITS.mpgDuplicateWaitMs;
  for (;;) {
    const claimed = await claim(deps, request);
    if (claimed.kind === 'refused') return err(claimed.error);
    if (claimed.kind === 'replay') return execute(deps, useCase);
    if (claimed.kind === 'busy') {
      if (Date.now() >= deadline) return err(domainError('idempotency.still_processing'));
      await sleep(LIMITS.mpgDuplicatePollMs);
      continue;
    }
    const { record, leaseToken } = claimed;
    const release = () =>
      deps.store.transaction((tx) => tx.releaseMpgRequestId(record, leaseToken));
    let result: Result<T, DomainError>;
    try {
      result = await execute(deps, useCase, async (tx, value) => {
        const completed = await tx.completeMpgRequestId(record, leaseToken, orderIdOf(value));
        // Our lease expired and another request took the id over: undo our change.
        if (!completed) throw new LeaseLost();
      });
    } catch (error) {
      await release();
      if (error instanceof LeaseLost) return err(domainError('idempotency.still_processing'));
      throw error;
    }
    if (!result.ok) await release();
    return result;
  }
}

/** The reaper job's step: deletes body ids past their retention in a bounded batch. */
export function reapExpiredMpgRequestIds(deps: AppDeps, retentionMs: number): Promise<number> {
  return deps.store.transaction((tx) => {
    const now = deps.clock.now();
    return tx.deleteExpiredMpgRequestIds(now - retentionMs, now, LIMITS.reaperBatchSize);
  });
}
