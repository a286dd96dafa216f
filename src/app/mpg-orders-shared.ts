/** What the MPG face's use cases share: keys, the answer's view, the MPG index, refusals. */
import { domainError, type DomainError } from '../domain/errors.js';
import type { MpgSourceType } from '../domain/mpg.js';
import type { Order } from '../domain/order.js';
import { err, type Result } from '../domain/result.js';
import type { OrderChangeTx, OrderOutcome } from './ledger.js';
import type { BodyIdRequest } from './mpg-request-ids.js';
import type { MpgTransactionDetails } from './mpg-references.js';
import { lockOwnedOrder } from './order-owner.js';
import type { LedgerStore, LedgerTransaction } from './ports/ledger.js';
import type { MpgStore } from './ports/mpg.js';

/** What the MPG face's use cases touch: an order change, and MPG's search columns. */
export type MpgTx = OrderChangeTx & MpgStore;

/** Namespaces MPG body ids in the core's per-merchant idempotency keys. */
export const coreKey = (kind: BodyIdRequest['kind'], id: string): string => `mpg:${kind}:${id}`;

/** What an MPG operation answers: the order as it is now, with its ledger. */
export interface MpgOrderView {
  readonly order: Order;
  readonly transactions: readonly LedgerTransaction[];
  /** The transaction this request is about (reverse answers with it); null when unknown. */
  readonly transaction: LedgerTransaction | null;
  readonly replayed: boolean;
}

export async function indexTransactions(
  tx: MpgStore,
  rows: readonly LedgerTransaction[],
): Promise<void> {
  for (const row of rows) {
    const d = row.details as Partial<MpgTransactionDetails>;
    if (typeof d.retrieval_reference !== 'string' || typeof d.stan !== 'string') continue;
    await tx.insertMpgTransaction({
      transactionId: row.id,
      orderId: row.orderId,
      retrievalReference: d.retrieval_reference,
      stan: d.stan,
      authCode: d.auth_code ?? null,
      responseCode: d.response_code ?? null,
    });
  }
}

export async function view(
  tx: LedgerStore,
  outcome: OrderOutcome,
  transactionId: string | null,
): Promise<MpgOrderView> {
  return viewOf(await tx.listTransactions(outcome.order.id), outcome, transactionId);
}

/** The view of `outcome` with the order's whole ledger, `transactions`. */
function viewOf(
  transactions: readonly LedgerTransaction[],
  outcome: OrderOutcome,
  transactionId: string | null,
): MpgOrderView {
  const transaction =
    (transactionId && transactions.find((t) => t.id === transactionId)) ||
    outcome.transactions[0] ||
    null;
  return { order: outcome.order, transactions, transaction, replayed: outcome.replayed };
}

/**
 * The order's ledger as listed by `LedgerStore.listTransactions` (created_at, then the event's
 * id, then the row's; ids are lower-case UUIDs, whose order is the same in SQL and here).
 */
const ledgerOrder = (a: LedgerTransaction, b: LedgerTransaction): number =>
  a.createdAt - b.createdAt ||
  (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * `view` without reading: from the order's ledger as read under its lock (`ledgerWithLock`) and
 * the rows this command appended, which is the ledger as the transaction leaves it.
 */
export function viewFrom(
  before: readonly LedgerTransaction[],
  outcome: OrderOutcome,
  transactionId: string | null,
): MpgOrderView {
  return viewOf([...before, ...outcome.transactions].sort(ledgerOrder), outcome, transactionId);
}

/** What an MPG operation reads right behind its order's lock. */
export interface ReadWithLock {
  /** The order's ledger, for the answer. */
  readonly ledger: readonly LedgerTransaction[];
  /** The row under the client's transaction id, if any: none means the id is free. */
  readonly idRow: LedgerTransaction | undefined;
}

/**
 * Reads the order's ledger and the row under the client's transaction id, to be called right
 * after the lock is sent (see `lockWithReplay`): on PostgreSQL they leave with the lock and come
 * back in its round trip, and, statements of their own issued after the lock's, they read once
 * it is held. A missing or foreign order's rows are read for nothing and dropped.
 */
export function readWithLock(
  tx: LedgerStore,
  orderId: string,
  transactionId: string | undefined,
): Promise<ReadWithLock> {
  const ledger = tx.listTransactions(orderId);
  const idRow = transactionId ? tx.findLedgerTransaction(transactionId) : undefined;
  const both = Promise.all([ledger, idRow]).then(([l, r]) => ({ ledger: l, idRow: r }));
  // Awaited after the lock; a failed lock must not leave this rejection unhandled.
  both.catch(() => undefined);
  return both;
}

/**
 * A client-assigned transaction id is the new ledger row's id, so it may name no row of another
 * merchant or another order: the core's per-merchant replay could not see that row, and the
 * row's primary key would refuse the insert. A row of the same order under the same id is the
 * core's business: a replay, or a key reused for another request.
 */
export async function transactionIdTaken(
  tx: LedgerStore,
  merchantId: string,
  orderId: string | undefined,
  transactionId: string | undefined,
): Promise<boolean> {
  if (transactionId === undefined) return false;
  const row = await tx.findLedgerTransaction(transactionId);
  if (row === undefined) return false;
  if (row.merchantId !== merchantId) return true;
  return orderId !== undefined && row.orderId !== orderId;
}

/** The core's key reuse says which body id was reused. */
export function naming<T>(result: Result<T, DomainError>, field: string): Result<T, DomainError> {
  if (result.ok || result.error.code !== 'idempotency.key_reused') return result;
  return err(domainError('idempotency.key_reused', { field }));
}

/** The idempotency key and row id a client-assigned transaction id gives a new row. */
export const keyed = (transactionId: string | undefined) =>
  transactionId ? { transactionId, idempotencyKey: coreKey('transaction_id', transactionId) } : {};

/** The order's transaction type as MPG sees it (`source_type` of every row of the order). */
export const sourceTypeOf = (order: Order): MpgSourceType => {
  const mpg = order.details['mpg'] as { transaction_type?: MpgSourceType } | undefined;
  return mpg?.transaction_type ?? 'internet';
};

/** Loads an MPG order for an operation; other faces' orders do not exist here. */
export const lockMpgOrder = (
  tx: LedgerStore,
  merchantId: string | null,
  orderId: string,
  locked?: Order,
): Promise<Result<Order, DomainError>> =>
  lockOwnedOrder(tx, { merchantId, dialect: 'mpg' }, orderId, locked);
