/**
 * Claims: the one way a request is done once (docs/decisions/general.md#idempotency-key,
 * docs/decisions/engineering.md#one-claim-mechanism). A claim is (scope, key) in one table,
 * fingerprinted by the request that made it, and either runs under a lease or is completed with
 * its result. Its users:
 * - the faces' `Idempotency-Key` header (src/app/idempotency.ts), which claims under a lease in a
 *   short transaction of its own, runs the use case, then completes the claim with the response;
 * - MPG's body ids (src/app/mpg-request-ids.ts), claimed already completed, inside the request's
 *   own transaction, after its use case.
 * Their scopes never meet: a header key's scope is a `KeyScope`, a body id's is
 * `mpg-body-ids:<merchant id>`.
 *
 * The lease protocol, the same for both:
 * - claim: insert (scope, key) unless it exists. An existing claim with another fingerprint is a
 *   reuse; a completed one is done (replay its result); a live lease is held by a request still
 *   running; an expired lease belonged to a request that died, and is taken over;
 * - take over: by its expired lease token, in one conditional update, so only one taker wins;
 * - complete: with the result, only while the caller's lease still holds it;
 * - release: delete it, only while the caller's lease still holds it, so a retry runs afresh;
 * - reap: the reaper jobs delete claims past their retention that no live lease holds.
 *
 * The ledger's own keys (command keys on events, Points' order numbers) are not claims: they are
 * the ledger's permanent uniqueness, checked on the locked order (docs/decisions/engineering.md).
 */
import type { AppDeps } from './context.js';
import { LIMITS } from './limits.js';
import type { Claim, ClaimCutoff, ClaimStore } from './ports/claims.js';

export type { Claim } from './ports/claims.js';

/** What is claimed: a key in a scope, for one request. */
export interface ClaimRequest {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** A claim's result: a stored HTTP response, or (status null) the order a body id names. */
export interface ClaimResult {
  readonly status: number | null;
  readonly body: string;
}

/** How a new claim starts: running under a lease, or completed at once with its result. */
export type ClaimStart =
  | { readonly lease: { readonly token: string; readonly expiresAt: number } }
  | { readonly result: ClaimResult };

/** What claiming answered. */
export type ClaimOutcome =
  /** Ours now: inserted, or taken over from an expired lease. */
  | { readonly kind: 'claimed' }
  /** Completed earlier by the same request: answer its result. */
  | { readonly kind: 'done'; readonly claim: Claim }
  /** The key was used for a different request. */
  | { readonly kind: 'reused' }
  /** A live lease holds it: the first request still runs. */
  | { readonly kind: 'held' };

const CLAIMED = { kind: 'claimed' } as const;
const REUSED = { kind: 'reused' } as const;
const HELD = { kind: 'held' } as const;

/** What an existing claim says of `request`, or 'expired' when its lease may be taken over. */
function verdict(claim: Claim, request: ClaimRequest, now: number): ClaimOutcome | 'expired' {
  if (claim.fingerprint !== request.fingerprint) return REUSED;
  if (claim.state === 'completed') return { kind: 'done', claim };
  return (claim.leaseExpiresAt ?? 0) > now ? HELD : 'expired';
}

/** The row of a new claim of `request`, started as `start`. */
function claimRow(
  request: ClaimRequest,
  start: ClaimStart,
  times: { readonly now: number; readonly expiresAt: number | null },
): Claim {
  const leased = 'lease' in start ? start.lease : null;
  const result = 'result' in start ? start.result : null;
  return {
    ...request,
    state: leased ? 'in_progress' : 'completed',
    leaseToken: leased?.token ?? null,
    leaseExpiresAt: leased?.expiresAt ?? null,
    resultStatus: result?.status ?? null,
    result: result?.body ?? null,
    createdAt: times.now,
    expiresAt: times.expiresAt,
  };
}

/**
 * Claims `request` once, in the caller's transaction: one insert, and only on a conflict a read
 * (and, for an expired lease, one update). `expiresAt` is when the reaper may delete the claim;
 * null keeps it for a retention counted from `now` (see ClaimCutoff).
 */
export async function claimOnce(
  tx: ClaimStore,
  request: ClaimRequest,
  start: ClaimStart,
  times: { readonly now: number; readonly expiresAt: number | null },
): Promise<ClaimOutcome> {
  const leased = 'lease' in start ? start.lease : null;
  const result = 'result' in start ? start.result : null;
  const { inserted, claim } = await tx.insertClaim(claimRow(request, start, times));
  if (inserted) return CLAIMED;
  const found = verdict(claim, request, times.now);
  if (found !== 'expired') return found;
  // A request that died left its lease: take the claim over, running or completed as we start.
  const taken = leased
    ? await tx.renewClaimLease(claim, leased.token, leased.expiresAt, times.now)
    : await tx.completeClaim(claim.scope, claim.key, claim.leaseToken!, result!);
  return taken ? CLAIMED : HELD;
}

/**
 * Claims `request`, completed with `result`, where no claim can be in the way, without waiting
 * for an answer (written behind on PostgreSQL, no round trip of its own). For the claim of a
 * change the ledger has just written under the same key, not a replay of one: a completed claim
 * exists only with its change, so a claim already there can only be an earlier release's lease.
 * Then the key's unique index fails the transaction with a UniqueViolation, and the caller's
 * retry (see RunContext.afterConflict) claims with `claimOnce`, which answers it.
 */
export async function claimCompletedBehind(
  tx: ClaimStore,
  request: ClaimRequest,
  result: ClaimResult,
  now: number,
): Promise<void> {
  await tx.insertClaimBehind(claimRow(request, { result }, { now, expiresAt: null }));
}

/** What an existing claim says of `request` without claiming; null when there is none to heed. */
export async function existingClaim(
  tx: ClaimStore,
  request: ClaimRequest,
  now: number,
): Promise<ClaimOutcome | null> {
  const claim = await tx.findClaim(request.scope, request.key);
  if (claim === undefined) return null;
  const found = verdict(claim, request, now);
  return found === 'expired' ? null : found;
}

/**
 * The reaper jobs' step: deletes claims past their expiry (no `retentionMs`: header keys), or
 * kept only by a retention setting and older than it (MPG body ids), in a bounded batch; returns
 * how many.
 */
export function reapExpiredClaims(deps: AppDeps, retentionMs?: number): Promise<number> {
  return deps.store.transaction((tx) => {
    const now = deps.clock.now();
    const cutoff: ClaimCutoff =
      retentionMs === undefined ? { expiredBy: now } : { retainedOnlyBefore: now - retentionMs };
    return tx.deleteExpiredClaims(cutoff, now, LIMITS.reaperBatchSize);
  });
}
