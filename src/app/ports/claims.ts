/**
 * The claims' port: idempotency keys of the faces' `Idempotency-Key` header
 * (src/app/idempotency.ts) and MPG's body ids (src/app/mpg-request-ids.ts), each claimed with a
 * lease before its request runs. The SQL is src/store/sql/claims-sql.ts.
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

  /** Inserts an in-progress body id unless it exists; returns the row as it now stands. */
  claimMpgRequestId(record: MpgRequestId): Promise<{ inserted: boolean; record: MpgRequestId }>;
  /** Takes over an in-progress id whose lease has expired; false if someone else holds it. */
  renewMpgRequestLease(
    record: MpgRequestId,
    newToken: string,
    leaseExpiresAt: number,
    now: number,
  ): Promise<boolean>;
  /** Marks the id completed for `orderId`; false when the caller no longer holds the lease. */
  completeMpgRequestId(record: MpgRequestId, leaseToken: string, orderId: string): Promise<boolean>;
  /** Deletes an in-progress id held with `leaseToken` (the request failed; it may be retried). */
  releaseMpgRequestId(record: MpgRequestId, leaseToken: string): Promise<void>;
  findMpgRequestId(
    merchantId: string,
    kind: MpgRequestIdKind,
    requestId: string,
  ): Promise<MpgRequestId | undefined>;
  /** Deletes ids claimed at or before `createdBefore` that no running request holds. */
  deleteExpiredMpgRequestIds(createdBefore: number, now: number, limit: number): Promise<number>;
}
