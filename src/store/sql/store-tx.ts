/**
 * The store's ports implemented once, in portable SQL, over a minimal session that each engine
 * adapter provides: one file of statements per port (<aggregate>-sql.ts, none importing another;
 * shared pieces are in sql-helpers.ts and rows.ts), composed here. Placeholders are `?`;
 * `FOR UPDATE [OF …]` and `SKIP LOCKED` are written out and the SQLite adapter removes them (its
 * BEGIN IMMEDIATE already serialises writers). The other engine difference is `writeChange`: here
 * the writes in turn, which the PostgreSQL adapter replaces with one statement. Both live in the
 * adapters.
 */
import type { StoreTx } from '../../app/ports/store.js';
import { createClaimSql } from './claims-sql.js';
import { createLedgerSql } from './ledger-sql.js';
import { createMerchantSql } from './merchants-sql.js';
import { createOperatorSql } from './operators-sql.js';
import { createOperatorAccountSql } from './operator-accounts-sql.js';
import { createRefundApprovalSql } from './refund-approvals-sql.js';
import { createOutboxSql } from './outbox-sql.js';
import { createAdminReadSql } from './reads-sql.js';
import { createWebhookSql } from './webhooks-sql.js';
import { createPointsSql } from './points-sql.js';
import { createPointsWalletSql } from './points-wallets-sql.js';
import { createPointsCheckoutSql } from './points-checkout-sql.js';
import { createBackdSql } from './backd-sql.js';
import { createMpgSql } from './mpg-sql.js';
import { createReconciliationSql } from './reconciliation-sql.js';
import { type SqlSession } from './sql-helpers.js';
import { writeChangeInTurn, writeEventInTurn } from './write-change-sql.js';

export function createSqlStoreTx(db: SqlSession): StoreTx {
  const ledger = createLedgerSql(db);
  const webhooks = createWebhookSql(db);
  const eventRows = createOutboxSql(db);
  const outbox = { ...eventRows, writeEvent: writeEventInTurn({ ...eventRows, ...webhooks }) };
  return {
    ...ledger,
    writeChange: writeChangeInTurn({ ...ledger, ...outbox }),
    ...outbox,
    ...webhooks,
    ...createClaimSql(db),
    ...createMerchantSql(db),
    ...createOperatorSql(db),
    ...createOperatorAccountSql(db),
    ...createRefundApprovalSql(db),
    ...createPointsWalletSql(db),
    ...createPointsSql(db),
    ...createPointsCheckoutSql(db),
    ...createBackdSql(db),
    ...createMpgSql(db),
    ...createReconciliationSql(db),
    ...createAdminReadSql(db),
  };
}
