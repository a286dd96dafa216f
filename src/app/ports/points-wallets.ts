/**
 * The Points wallets' port: a customer's points balance, shared by every merchant, and its
 * entries. Orders' points rows move wallets in the order's transaction
 * (src/app/points-customers.ts). The SQL is src/store/sql/points-wallets-sql.ts.
 */
import type { PointsCustomer, PointsCustomerEntry } from '../../domain/points-records.js';

/** Customers' points wallets and their entries. */
export interface PointsWalletStore {
  findPointsCustomer(phone: string): Promise<PointsCustomer | undefined>;
  /** Reads the wallet, creating an empty one if missing, and locks it until the transaction ends. */
  lockPointsCustomer(phone: string, now: number): Promise<PointsCustomer>;
  /** Appends an entry and sets the wallet's balance to its `balanceAfter`. */
  insertPointsCustomerEntry(entry: PointsCustomerEntry): Promise<void>;
  /** The wallet's entries, newest first. */
  listPointsCustomerEntries(phone: string, limit: number): Promise<PointsCustomerEntry[]>;
}
