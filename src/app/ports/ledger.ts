/**
 * The ledger's port: orders with their totals, and the append-only ledger rows behind them.
 * Every change to an order goes through `changeOrder` (src/app/ledger.ts), which locks the row
 * first; the SQL is src/store/sql/ledger-sql.ts.
 */
import type {
  Dialect,
  Order,
  OrderKind,
  OrderStatus,
  TransactionStatus,
  TransactionType,
} from '../../domain/order.js';
import type { Merchant } from '../../domain/merchant.js';
import type { EventFanOut, EventRecord } from './outbox.js';

export interface LedgerTransaction {
  readonly id: string;
  readonly orderId: string;
  readonly merchantId: string;
  readonly type: TransactionType;
  /** Only approved rows count toward the order's totals. */
  readonly status: TransactionStatus;
  readonly amountMinor: number;
  readonly points: number;
  readonly currency: string;
  readonly reason: string | null;
  /** Who made the change: `admin`, `credential:<prefix>` or `job:<name>`. */
  readonly actor: string;
  /** The event (state change) this row belongs to. */
  readonly eventId: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** The order lists are read in: (created_at, id) ascending (oldest first) or descending. */
export type ListDirection = 'asc' | 'desc';

/**
 * What an order search matches exactly: `text` against id, order_number, merchant_order_id and
 * backd_order_id; `phones` (forms of the same text) against customer_ref.
 */
export interface OrderSearch {
  readonly text: string;
  readonly phones: readonly string[];
}

export interface OrderFilter {
  readonly merchantId?: string;
  readonly dialect?: Dialect;
  readonly kind?: OrderKind;
  readonly status?: OrderStatus;
  /** created_at at or after this instant (ms). */
  readonly createdFrom?: number;
  /** created_at before this instant (ms). */
  readonly createdTo?: number;
  readonly search?: OrderSearch;
  /** Default `asc`. */
  readonly direction?: ListDirection;
  /** Cursor: return orders strictly after this (createdAt, id) pair in `direction`. */
  readonly after?: { readonly createdAt: number; readonly id: string };
  /**
   * Only orders whose amount and points are within the bounds (src/domain/bounds.ts), so every
   * figure read is a safe integer: `unwind verify` reports the others from `figuresOutOfBounds`.
   */
  readonly withinBounds?: true;
  readonly limit: number;
}

/** Orders and their ledger rows. */

/** The writes of one change of an order, planned and checked before any of them is made. */
export type { EventFanOut };

export interface OrderChangeWrite {
  /** The order after the change. */
  readonly order: Order;
  /**
   * insert: a new order; update: from `version - 1`; none: the order is not written (an event
   * that only names a change already written).
   */
  readonly orderWrite: 'insert' | 'update' | 'none';
  /** Only the first row may carry a client-assigned id, which may already be taken. */
  readonly transactions: readonly LedgerTransaction[];
  /**
   * The first row's id is the client's (MPG's `transaction_id`) and may be taken: the write then
   * answers whether it went in. Otherwise (every id new, or the client's found free under the
   * order's lock) an existing order's change cannot be refused: PostgreSQL writes it behind
   * (`SqlSession.write`), checked by the statement itself, and an id taken meanwhile by a racing
   * request is a UniqueViolation, which `execute` retries.
   */
  readonly firstIdMayBeTaken: boolean;
  readonly event: EventRecord;
  readonly fanOut: EventFanOut;
}

export interface LedgerStore {
  /**
   * Writes a change: the ledger rows, the order (inserted or updated, guarded by its version),
   * the event and its pending deliveries. On PostgreSQL this is one statement (one round trip,
   * or none when it can go behind: see `firstIdMayBeTaken`); SQLite, in process, sends them in
   * turn. False when the first row's id is already taken: then nothing at all is written (a
   * refusal never follows a write).
   */
  writeChange(write: OrderChangeWrite): Promise<boolean>;

  insertOrder(order: Order): Promise<void>;
  findOrder(id: string): Promise<Order | undefined>;
  /** Reads the order and locks its row until the transaction ends (FOR UPDATE on PostgreSQL). */
  lockOrder(id: string): Promise<Order | undefined>;
  /** lockOrder with the order's merchant read in the same statement (one round trip). */
  lockOrderWithMerchant(id: string): Promise<{ order: Order; merchant: Merchant } | undefined>;
  /** Writes new totals and status; fails unless the stored version is `order.version - 1`. */
  updateOrder(order: Order): Promise<void>;
  findOrderByNumber(
    merchantId: string,
    dialect: Dialect,
    orderNumber: string,
  ): Promise<Order | undefined>;
  listOrders(filter: OrderFilter): Promise<Order[]>;

  /**
   * Appends a row; false (and nothing written) when a row with its id exists: a client-assigned
   * id (MPG's `transaction_id`) already taken, which the primary key answers in the same statement.
   */
  insertTransaction(row: LedgerTransaction): Promise<boolean>;
  listTransactions(orderId: string): Promise<LedgerTransaction[]>;
  /** One ledger row by id, whatever its order. */
  findLedgerTransaction(id: string): Promise<LedgerTransaction | undefined>;
}
