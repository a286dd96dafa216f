/**
 * The four-eyes port: refunds above the approval threshold wait here for a second operator. The
 * SQL is src/store/sql/refund-approvals-sql.ts; the use cases are src/app/refund-approvals.ts.
 */
export interface RefundApproval {
  readonly id: string;
  readonly merchantId: string;
  readonly orderId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string | null;
  /** The requester's actor label and, for a named operator, its id. */
  readonly requestedBy: string;
  readonly requestedByOperator: string | null;
  /** Stored state; `expired` is derived from expiresAt (src/domain/operators.ts). */
  readonly state: 'pending' | 'approved' | 'declined';
  readonly decidedBy: string | null;
  readonly decidedByOperator: string | null;
  readonly decisionReason: string | null;
  readonly decidedAt: number | null;
  readonly expiresAt: number;
  readonly createdAt: number;
}

export interface RefundApprovalFilter {
  /** Only those still pending (and not expired) at `pendingAt`. */
  readonly pendingAt?: number;
  readonly orderId?: string;
  readonly limit: number;
}

export interface RefundApprovalStore {
  insertRefundApproval(approval: RefundApproval): Promise<void>;
  /** Locks the approval's row for the rest of the transaction. */
  lockRefundApproval(id: string): Promise<RefundApproval | undefined>;
  /** Records the decision of a pending approval. */
  decideRefundApproval(
    id: string,
    decision: Pick<
      RefundApproval,
      'state' | 'decidedBy' | 'decidedByOperator' | 'decisionReason' | 'decidedAt'
    >,
  ): Promise<void>;
  /** Newest first. */
  listRefundApprovals(filter: RefundApprovalFilter): Promise<RefundApproval[]>;
}
