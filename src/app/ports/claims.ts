/**
 * The claims' port: one table of things done once (src/app/claims.ts), whoever claims them: the
 * faces' `Idempotency-Key` headers, claimed with a lease before the request runs
 * (src/app/idempotency.ts), and MPG's body ids, claimed completed in the request's own
 * transaction (src/app/mpg-request-ids.ts). The SQL is src/store/sql/claims-sql.ts.
 */

/** One claim: (scope, key) done once, running under a lease or completed with its result. */
export interface Claim {
  /** Whose claim this is: a header key's `KeyScope`, or a merchant's MPG body ids. */
  readonly scope: string;
  readonly key: string;
  /** Fingerprint of the request: the same key with another fingerprint is a reuse. */
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  /** The running request's lease; both null once completed. */
  readonly leaseToken: string | null;
  readonly leaseExpiresAt: number | null;
  /** A stored HTTP response's status; null for a body id. */
  readonly resultStatus: number | null;
  /** What completed it: a stored response's body, or the order a body id names. */
  readonly result: string | null;
  readonly createdAt: number;
  /**
   * When the reaper may delete it; null keeps it for a retention setting counted from
   * `createdAt` (MPG body ids, `UNWIND_MPG_ID_RETENTION_DAYS`).
   */
  readonly expiresAt: number | null;
}

/** Which expired claims the reaper deletes; a claim still under a live lease never is. */
export type ClaimCutoff = { readonly expiredBy: number } | { readonly retainedOnlyBefore: number };

/** Claims: insert once, then take over, complete or release under the lease. */
export interface ClaimStore {
  /**
   * Inserts the claim unless (scope, key) exists; returns the row as it now stands (read only
   * when it existed).
   */
  insertClaim(claim: Claim): Promise<{ inserted: boolean; claim: Claim }>;
  /**
   * Inserts the claim without an answer (written behind on PostgreSQL): an existing claim under
   * (scope, key) fails the transaction with a UniqueViolation, at the latest at its COMMIT.
   */
  insertClaimBehind(claim: Claim): Promise<void>;
  findClaim(scope: string, key: string): Promise<Claim | undefined>;
  /** Takes over an in-progress claim whose lease has expired; false if someone else holds it. */
  renewClaimLease(
    claim: Claim,
    newToken: string,
    leaseExpiresAt: number,
    now: number,
  ): Promise<boolean>;
  /** Completes an in-progress claim with its result; false when `leaseToken` no longer holds it. */
  completeClaim(
    scope: string,
    key: string,
    leaseToken: string,
    result: { readonly status: number | null; readonly body: string },
  ): Promise<boolean>;
  /** Deletes an in-progress claim `leaseToken` still holds, so a retry may claim it afresh. */
  releaseClaim(scope: string, key: string, leaseToken: string): Promise<void>;
  /** Deletes up to `limit` claims past `cutoff` that no live lease holds; returns how many. */
  deleteExpiredClaims(cutoff: ClaimCutoff, now: number, limit: number): Promise<number>;
}
