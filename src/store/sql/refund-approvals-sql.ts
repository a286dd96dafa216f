/** The four-eyes statements (RefundApprovalStore). */
import type { RefundApproval, RefundApprovalStore } from '../../app/ports/refund-approvals.js';
import { int, intOrNull, type Row, str, strOrNull } from './rows.js';
import { allOf, firstOf, type SqlSession } from './sql-helpers.js';

const rowToApproval = (r: Row): RefundApproval => ({
  id: str(r, 'id'),
  merchantId: str(r, 'merchant_id'),
  orderId: str(r, 'order_id'),
  amountMinor: int(r, 'amount_minor'),
  currency: str(r, 'currency'),
  reason: strOrNull(r, 'reason'),
  requestedBy: str(r, 'requested_by'),
  requestedByOperator: strOrNull(r, 'requested_by_operator'),
  state: str(r, 'state') as RefundApproval['state'],
  decidedBy: strOrNull(r, 'decided_by'),
  decidedByOperator: strOrNull(r, 'decided_by_operator'),
  decisionReason: strOrNull(r, 'decision_reason'),
  decidedAt: intOrNull(r, 'decided_at'),
  expiresAt: int(r, 'expires_at'),
  createdAt: int(r, 'created_at'),
});

const insertRefundApproval =
  (db: SqlSession): RefundApprovalStore['insertRefundApproval'] =>
  async (a) => {
    await db.run(
      `INSERT INTO refund_approvals (id, merchant_id, order_id, amount_minor, currency, reason,
         requested_by, requested_by_operator, state, decided_by, decided_by_operator,
         decision_reason, decided_at, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        a.merchantId,
        a.orderId,
        a.amountMinor,
        a.currency,
        a.reason,
        a.requestedBy,
        a.requestedByOperator,
        a.state,
        a.decidedBy,
        a.decidedByOperator,
        a.decisionReason,
        a.decidedAt,
        a.expiresAt,
        a.createdAt,
      ],
    );
  };

const listRefundApprovals =
  (db: SqlSession): RefundApprovalStore['listRefundApprovals'] =>
  (f) => {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.pendingAt !== undefined) {
      where.push(`state = 'pending' AND expires_at > ?`);
      params.push(f.pendingAt);
    }
    if (f.orderId !== undefined) {
      where.push('order_id = ?');
      params.push(f.orderId);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return allOf(
      db,
      `SELECT * FROM refund_approvals ${clause} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...params, f.limit],
      rowToApproval,
    );
  };

export const createRefundApprovalSql = (db: SqlSession): RefundApprovalStore => ({
  insertRefundApproval: insertRefundApproval(db),
  lockRefundApproval: (id) =>
    firstOf(db, `SELECT * FROM refund_approvals WHERE id = ? FOR UPDATE`, [id], rowToApproval),
  decideRefundApproval: async (id, d) => {
    await db.run(
      `UPDATE refund_approvals SET state = ?, decided_by = ?, decided_by_operator = ?,
         decision_reason = ?, decided_at = ? WHERE id = ? AND state = 'pending'`,
      [d.state, d.decidedBy, d.decidedByOperator, d.decisionReason, d.decidedAt, id],
    );
  },
  listRefundApprovals: listRefundApprovals(db),
});
