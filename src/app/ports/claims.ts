/**
 * The claims' port: idempotency keys of the faces' `Idempotency-Key` header
 * (src/app/idempotency.ts), claimed with a lease before the request runs, and MPG's body ids
 * (src/app/mpg-request-ids.ts), claimed in the request's own transaction. The SQL is
 * src/store/sql/claims-sql.ts.
 */

export interface IdempotencyRecord {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  readonly leaseToken: string | null;
  readonly leaseExpiresAt: number | null;
  readonly responseStatus: number | null;
  readonly responseBody: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export type MpgRequestIdKind = 'order_id' | 'transaction_id';

/** A body id (`order_id`, `transaction_id`) claimed by the request that uses it. */
export interface MpgRequestId {
  readonly merchantId: string;
  readonly kind: MpgRequestIdKind;
  readonly requestId: string;
  /** Fingerprint of the request's meaningful parameters (never the full card number). */
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  /** The running request's lease; null once completed. */
  readonly leaseToken: string | null;
  readonly leaseExpiresAt: number | null;
  /** The order the completed request created or changed. */
  readonly orderId: string | null;
  readonly createdAt: number;
}

/** Claims of idempotency keys and of MPG body ids. */
export interface ClaimStore {
  /** Inserts an in-progress key unless one exists; returns the row as it now stands. */
  claimIdempotencyKey(
    record: IdempotencyRecord,
  ): Promise<{ inserted: boolean; record: IdempotencyRecord }>;
  /** Takes over an in-progress key whose lease has expired. Returns false if someone else holds it. */
  renewIdempotencyLease(
    scope: string,
    key: string,
    oldToken: string | null,
    newToken: string,
    leaseExpiresAt: number,
    now: number,
  ): Promise<boolean>;
  /** Stores the response; returns false when the caller no longer holds the lease. */
  completeIdempotencyKey(
    scope: string,
    key: string,
    leaseToken: string,
    status: number,
    body: string,
  ): Promise<boolean>;
  releaseIdempotencyKey(scope: string, key: string, leaseToken: string): Promise<void>;
  deleteExpiredIdempotencyKeys(now: number, limit: number): Promise<number>;

  /**
   * Inserts a body id unless it exists; returns the row as it now stands (read only when it
   * existed). The faces insert it completed, in the transaction of the change it names.
   */
  claimMpgRequestId(record: MpgRequestId): Promise<{ inserted: boolean; record: MpgRequestId }>;
  /**
   * Completes an expired in-progress id (claimed by an earlier release in a transaction of its
   * own) for `orderId`; false when `leaseToken` no longer holds it.
   */
  completeMpgRequestId(record: MpgRequestId, leaseToken: string, orderId: string): Promise<boolean>;
  findMpgRequestId(
    merchantId: string,
    kind: MpgRequestIdKind,
    requestId: string,
  ): Promise<MpgRequestId | undefined>;
  /** Deletes ids claimed at or before `createdBefore` that no running request holds. */
  deleteExpiredMpgRequestIds(createdBefore: number, now: number, limit: number): Promise<number>;
}
