/**
 * The store: transactions over the ports of src/app/ports, one per aggregate (ledger.ts,
 * outbox.ts, webhooks.ts, claims.ts, merchants.ts, operators.ts, reconciliation.ts, reads.ts,
 * and the faces' points-wallets.ts, points.ts, points-checkout.ts, backd.ts, mpg.ts), each owned
 * by the use cases that need it. SQLite and PostgreSQL implement them with the same SQL
 * (src/store/sql/<aggregate>-sql.ts); one contract suite (test/contract) holds them together.
 */
import type { BackdStore } from './backd.js';
import type { ClaimStore } from './claims.js';
import type { LedgerStore } from './ledger.js';
import type { MerchantStore } from './merchants.js';
import type { MpgStore } from './mpg.js';
import type { OperatorStore } from './operators.js';
import type { OperatorAccountStore } from './operator-accounts.js';
import type { RefundApprovalStore } from './refund-approvals.js';
import type { OutboxStore } from './outbox.js';
import type { PointsStore } from './points.js';
import type { PointsCheckoutStore } from './points-checkout.js';
import type { PointsWalletStore } from './points-wallets.js';
import type { AdminReadStore } from './reads.js';
import type { ReconciliationStore } from './reconciliation.js';
import type { StoreCounters } from './store-counters.js';
import type { WebhookStore } from './webhooks.js';

/**
 * Everything a use case may do inside one database transaction: the composition of the ports
 * above, each owned by the use cases that need it. A use case names the narrowest of them it
 * uses (`tx: LedgerStore & OutboxStore`); `StoreTx` is what a transaction provides.
 */
export type StoreTx = LedgerStore &
  OutboxStore &
  WebhookStore &
  ClaimStore &
  MerchantStore &
  OperatorStore &
  OperatorAccountStore &
  RefundApprovalStore &
  ReconciliationStore &
  AdminReadStore &
  PointsWalletStore &
  PointsStore &
  PointsCheckoutStore &
  BackdStore &
  MpgStore;

/**
 * Thrown by a store when a unique constraint refuses a write: two requests raced for the same
 * key, reference or id. The app layer retries the use case once, which then sees the winner.
 */
export class UniqueViolation extends Error {
  override readonly name = 'UniqueViolation';
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`);
  }
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one transaction: committed when it returns, rolled back when it throws.
   * On SQLite transactions are serialised (BEGIN IMMEDIATE); on PostgreSQL row locks order them.
   */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs reads outside any write transaction; they see committed data only. */
  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Applies pending migrations; returns the versions applied. */
  migrate(): Promise<number[]>;
  /** True when the database answers and every migration is applied. */
  ready(): Promise<boolean>;
  /** What the store has sent to its database since it opened (a snapshot; cheap to call). */
  counters(): StoreCounters;
  close(): Promise<void>;
}
