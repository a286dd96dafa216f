/**
 * The store port implemented once, in portable SQL, over a minimal session that each engine
 * adapter provides. Placeholders are `?`; `FOR UPDATE` and `SKIP LOCKED` are written out and the
 * SQLite adapter removes them (its BEGIN IMMEDIATE already serialises writers). These are the
 * only engine differences, and they live in the adapters.
 */
import type { StoreTx, TransactionSum } from '../../app/ports/store.js';
import { createClaimSql } from './claims-sql.js';
import { createLedgerSql } from './ledger-sql.js';
import { createMerchantSql } from './merchants-sql.js';
import { createOperatorSql } from './operators-sql.js';
import { createOutboxSql } from './outbox-sql.js';
import { createWebhookSql } from './webhooks-sql.js';
import { createPointsStatements } from './points-statements.js';
import { createCheckoutStatements } from './points-checkout-statements.js';
import { createBackdStatements } from './backd-statements.js';
import { createMpgStatements } from './mpg-statements.js';
import { createReconciliationSql } from './reconciliation-sql.js';
import { createAdminStatements } from './admin-statements.js';
import { createBatchReadStatements } from './batch-read-statements.js';
import { createBoundsStatements } from './bounds-statements.js';
import { int, str } from './rows.js';
import { type SqlSession, exactSum, exactSumOf, SUM_SPLIT, marks } from './sql-helpers.js';

export function createSqlStoreTx(db: SqlSession): StoreTx {
  return {
    // Each provider face's statements live in a file of their own, spread in here:
    // ...createPointsStatements(db), ...createBackdStatements(db), ...createMpgStatements(db),
    ...createLedgerSql(db),
    ...createOutboxSql(db),
    ...createWebhookSql(db),
    ...createClaimSql(db),
    ...createMerchantSql(db),
    ...createOperatorSql(db),
    ...createPointsStatements(db),
    ...createCheckoutStatements(db),
    ...createBackdStatements(db),
    ...createMpgStatements(db),
    ...createReconciliationSql(db),
    ...createAdminStatements(db),
    ...createBatchReadStatements(db),
    ...createBoundsStatements(db),

    async transactionSums(orderIds) {
      if (orderIds.length === 0) return [];
      const rows = await db.all(
        `SELECT order_id, type, status, ${exactSum('amount_minor', 'amount_minor')},
           ${exactSum('points', 'points')}, COUNT(*) AS n
         FROM transactions WHERE order_id IN (${marks(orderIds.length)})
         GROUP BY order_id, type, status`,
        orderIds,
      );
      return rows.map((r) => ({
        orderId: str(r, 'order_id'),
        type: str(r, 'type') as TransactionSum['type'],
        status: str(r, 'status'),
        amountMinor: exactSumOf(r, 'amount_minor'),
        points: exactSumOf(r, 'points'),
        count: int(r, 'n'),
      }));
    },
    async orderEventCounts(orderIds, excludedTypes) {
      if (orderIds.length === 0) return [];
      const excluded = excludedTypes.length
        ? `AND type NOT IN (${marks(excludedTypes.length)})`
        : '';
      const rows = await db.all(
        `SELECT order_id, COUNT(*) AS n FROM events
         WHERE order_id IN (${marks(orderIds.length)}) ${excluded}
         GROUP BY order_id`,
        [...orderIds, ...excludedTypes],
      );
      return rows.map((r) => ({ orderId: str(r, 'order_id'), count: int(r, 'n') }));
    },
    async walletMismatches(limit) {
      // balance − Σ points, in the two parts of `exactSum` (a plain SUM may overflow on SQLite):
      // (balance / S − Σ hi) × S + (balance % S − Σ lo), which is 0 exactly when they agree.
      const rows = await db.all(
        `SELECT c.phone, CAST(c.balance AS TEXT) AS balance, ${exactSum('e.points', 'entries')}
         FROM points_customers c LEFT JOIN points_customer_entries e ON e.phone = c.phone
         GROUP BY c.phone, c.balance
         HAVING (c.balance / ${SUM_SPLIT} - COALESCE(SUM(e.points / ${SUM_SPLIT}), 0)) * ${SUM_SPLIT}
           + (c.balance % ${SUM_SPLIT} - COALESCE(SUM(e.points % ${SUM_SPLIT}), 0)) <> 0
         ORDER BY c.phone LIMIT ?`,
        [limit],
      );
      return rows.map((r) => ({
        phone: str(r, 'phone'),
        balance: str(r, 'balance'),
        entriesSum: exactSumOf(r, 'entries').toString(),
      }));
    },
  };
}
