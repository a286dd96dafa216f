/**
 * MPG's idempotency by body id (docs/decisions/mpg.md#body-ids): `order_id` on create,
 * `transaction_id` on capture, void, refund, extend and reverse.
 *
 * - The id is a claim (src/app/claims.ts), scoped `mpg-body-ids:<merchant id>` and keyed
 *   `<kind>:<id>`. It is written in the request's own transaction, after the use case and before
 *   the commit, already completed with the order it names: one transaction per request, and a
 *   claim exists exactly when its change committed. A refusal rolls everything
 *   back, claim included, so nothing is ever written before a refusal and a retry runs afresh.
 * - The use case passes the id to the core as its idempotency key and as the new row's id, so the
 *   ledger answers a repeated request as a replay (the order as it is now, nothing created) and a
 *   second change cannot be written even when a claim is gone (past its retention).
 * - Concurrent duplicates meet in the database: on PostgreSQL the second waits on the first's
 *   order lock (or the key's unique index) until the first commits, then replays; SQLite runs
 *   writers one at a time. A different request under the same id is `idempotency.key_reused`.
 * - A claim still `in_progress` was written by an earlier release, which claimed in a transaction
 *   of its own (migration 19 moved such claims as they were): while its lease lasts a duplicate polls for up to `LIMITS.mpgDuplicateWaitMs` of
 *   wall time, then gets `idempotency.still_processing` (the documented 400 "Initial request is
 *   still processing."); once it has expired the request takes it over.
 * - The `mpg-request-id-reaper` job deletes claims older than the retention setting (default 7
 *   days): a body id's claim has no expiry of its own, so a changed setting applies to all.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { domainError, type DomainError } from '../domain/errors.js';
import { err, type Result } from '../domain/result.js';
import {
  type ClaimOutcome,
  type ClaimRequest,
  claimCompletedBehind,
  claimOnce,
  existingClaim,
} from './claims.js';
import { type AppDeps, execute, type UseCase } from './context.js';
import { LIMITS } from './limits.js';

export type MpgRequestIdKind = 'order_id' | 'transaction_id';

export interface BodyIdRequest {
  readonly merchantId: string;
  readonly kind: MpgRequestIdKind;
  /** The client's id, lower-cased. */
  readonly requestId: string;
  readonly fingerprint: string;
}

/** The claim a body id is: one scope per merchant, one key per kind and id. */
export const bodyIdClaim = (request: BodyIdRequest): ClaimRequest => ({
  scope: `mpg-body-ids:${request.merchantId}`,
  key: `${request.kind}:${request.requestId}`,
  fingerprint: request.fingerprint,
});

/** A claim held by a running request of an earlier release: wait, then answer 400. */
const BUSY = domainError('idempotency.still_processing');

/** The refusal an existing claim's verdict means, or null when the request may go on. */
function refusal(request: BodyIdRequest, outcome: ClaimOutcome | null): DomainError | null {
  if (outcome?.kind === 'reused')
    return domainError('idempotency.key_reused', { field: request.kind });
  return outcome?.kind === 'held' ? BUSY : null;
}

/**
 * `useCase`, then its claim, in one transaction. Errors: idempotency.key_reused (details.field =
 * the id's name), idempotency.still_processing (a live claim of an earlier release), and those
 * of the use case.
 */
const claimed =
  <T>(
    request: BodyIdRequest,
    useCase: UseCase<T>,
    claimOf: (value: T) => ClaimedChange,
  ): UseCase<T> =>
  async (tx, run) => {
    const result = await useCase(tx, run);
    const claim = bodyIdClaim(request);
    if (!result.ok) {
      // A refusal may come from the id's earlier use (the ledger's key, the row's primary key):
      // the claim under it, if any, says which answer is documented.
      const refused = refusal(request, await existingClaim(tx, claim, run.now));
      return refused ? err(refused) : result;
    }
    // Completed at once with the order it names. A new change's claim goes behind: nothing can
    // be in its way but an earlier release's lease, which the retry answers. On a replay, or on
    // that retry, an expired claim of an earlier release is completed by this request, and a
    // claim already done by the same request is the ledger's replay.
    const { orderId, replayed } = claimOf(result.value);
    const done = { status: null, body: orderId };
    if (!replayed && !run.afterConflict) {
      await claimCompletedBehind(tx, claim, done, run.now);
      return result;
    }
    const outcome = await claimOnce(tx, claim, { result: done }, { now: run.now, expiresAt: null });
    const refused = refusal(request, outcome);
    return refused ? err(refused) : result;
  };

/** What a body id's claim needs of the use case's result. */
export interface ClaimedChange {
  /** The order the result belongs to. */
  readonly orderId: string;
  /** The ledger answered a replay: nothing new was written. */
  readonly replayed: boolean;
}

/**
 * Runs `useCase` at most once per body id (see above). `claimOf` names the order the result
 * belongs to, and whether it was a replay. Errors: idempotency.key_reused (details.field = the id's name),
 * idempotency.still_processing, and those of the use case.
 */
export async function runWithBodyId<T>(
  deps: AppDeps,
  request: BodyIdRequest,
  useCase: UseCase<T>,
  claimOf: (value: T) => ClaimedChange,
): Promise<Result<T, DomainError>> {
  const deadline = Date.now() + LIMITS.mpgDuplicateWaitMs;
  for (;;) {
    const result = await execute(deps, claimed(request, useCase, claimOf));
    if (result.ok || result.error !== BUSY) return result;
    // The wait is measured in real time, not on the business clock: it bounds a client's
    // latency, and a test clock stands still.
    if (Date.now() >= deadline) return err(domainError('idempotency.still_processing'));
    await sleep(LIMITS.mpgDuplicatePollMs);
  }
}
