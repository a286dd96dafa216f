/**
 * The admin reads' port: aggregates behind the dashboard's charts and webhook health, and the
 * verifier's checks over many orders at once (src/app/verify.ts). Every figure is computed by the
 * database; the SQL is src/store/sql/reads-sql.ts.
 */
import type { TransactionType } from '../../domain/order.js';

/** One endpoint's delivery figures: attempts in a time window, and its backlog now. */
export interface EndpointHealth {
  readonly endpointId: string;
  readonly attempts: number;
  /** Attempts answered with a 2xx (the dispatcher's own rule, `judgeAttempt`). */
  readonly succeeded: number;
  /** Deliveries pending now, whatever their age. */
  readonly pending: number;
  /** Deliveries dead now (retry policy spent or endpoint gone), whatever their age. */
  readonly dead: number;
  /** The latest attempt in the window that was not a 2xx. */
  readonly lastFailure: {
    readonly at: number;
    readonly deliveryId: string;
    readonly statusCode: number | null;
    readonly error: string | null;
  } | null;
}

/** A half-open range of instants [fromAt, toAt): one local day of a chart. */
export interface DayRange {
  readonly fromAt: number;
  readonly toAt: number;
}

/** Approved ledger rows of one type and currency on one day (`day`: index into the ranges). */
export interface DailyLedgerCount {
  readonly day: number;
  readonly type: 'refund' | 'cancel' | 'void';
  readonly currency: string;
  readonly count: number;
  /** A sum over any number of rows: exact, whatever its size. */
  readonly amountMinor: bigint;
}

/** Webhook delivery attempts on one day (`day`: index into the ranges). */
export interface DailyAttemptCount {
  readonly day: number;
  readonly attempts: number;
  readonly succeeded: number;
}

/** Sum of one order's ledger rows of one type and status (for the verifier). */
export interface TransactionSum {
  readonly orderId: string;
  readonly type: TransactionType;
  readonly status: string;
  /** Exact: forged or corrupted rows may add up past any bound, and the verifier must say so. */
  readonly amountMinor: bigint;
  readonly points: bigint;
  readonly count: number;
}

/** A stored figure outside its bound (src/domain/bounds.ts), read as text so it is exact. */
export interface FigureOutOfBounds {
  readonly table: string;
  /** The row's key: its id, a wallet's phone, a Backd order's order id, `run:line`, `run:seq`. */
  readonly id: string;
  readonly column: string;
  /** Exactly as stored. */
  readonly value: string;
  readonly min: number;
  readonly max: number;
}

/** Aggregates for the dashboard and the verifier. */
export interface AdminReadStore {
  /**
   * Health of the endpoints (of one merchant, or all) that have any attempt in [fromAt, toAt)
   * or any pending or dead delivery; endpoints with neither are absent.
   */
  webhookHealth(filter: {
    readonly merchantId?: string;
    readonly fromAt: number;
    readonly toAt: number;
  }): Promise<EndpointHealth[]>;
  /** Approved refund, cancel and void rows per day, type and currency; empty days absent. */
  dailyLedgerCounts(days: readonly DayRange[], merchantId?: string): Promise<DailyLedgerCount[]>;
  /** Delivery attempts per day (started in the day); empty days absent. */
  dailyAttemptCounts(days: readonly DayRange[], merchantId?: string): Promise<DailyAttemptCount[]>;
  /** Verifier reads: aggregates over many orders in one query each. */
  transactionSums(orderIds: readonly string[]): Promise<TransactionSum[]>;
  /** How many events each order has, leaving out `excludedTypes`; absent means none. */
  orderEventCounts(
    orderIds: readonly string[],
    excludedTypes: readonly string[],
  ): Promise<{ orderId: string; count: number }[]>;
  /**
   * Points wallets whose balance is not the sum of their entries (at most `limit`), both exact
   * as decimal text: a corrupted balance may be beyond what a number carries.
   */
  walletMismatches(
    limit: number,
  ): Promise<{ phone: string; balance: string; entriesSum: string }[]>;
  /** Stored amounts and points outside their bounds, every table's, at most `limit` of each. */
  figuresOutOfBounds(limit: number): Promise<FigureOutOfBounds[]>;
}
