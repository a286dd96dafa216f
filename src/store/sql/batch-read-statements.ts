/**
 * Reads of one kind of child row for a whole list of parents in one query, for screens and
 * checks that would otherwise ask once per parent (an order's history with its deliveries'
 * attempts, the verifier's page of Backd orders with their refund requests).
 */
import type { StoreTx } from '../../app/ports/store.js';
import { REFUND_REQUEST_COLUMNS, rowToRefundRequest } from './backd-statements.js';
import { marks, type SqlSession } from './sql-helpers.js';

type BatchReadStatements = Pick<StoreTx, 'listBackdRefundRequestsFor'>;

export function createBatchReadStatements(db: SqlSession): BatchReadStatements {
  return {
    async listBackdRefundRequestsFor(orderIds) {
      if (orderIds.length === 0) return [];
      const rows = await db.all(
        `SELECT ${REFUND_REQUEST_COLUMNS} FROM backd_refund_requests
         WHERE order_id IN (${marks(orderIds.length)}) ORDER BY order_id, created_at, id`,
        orderIds,
      );
      return rows.map(rowToRefundRequest);
    },
  };
}
