/**
 * Reads of orders for the admin face: a filtered page of orders, and one order with its ledger
 * rows. Each runs against committed data, outside any write transaction.
 */
import type { Order } from '../domain/order.js';
import { type AppDeps, query } from './context.js';
import type { LedgerTransaction, OrderFilter } from './ports/ledger.js';

export type { ListDirection } from './ports/ledger.js';

/** One page of orders matching the filter, in the filter's keyset order. */
export const listOrders = (deps: AppDeps, filter: OrderFilter): Promise<Order[]> =>
  query(deps, (tx) => tx.listOrders(filter));

/** An order with its ledger rows in the order they were written; undefined when there is none. */
export const getOrderWithLedger = (
  deps: AppDeps,
  orderId: string,
): Promise<{ order: Order; transactions: LedgerTransaction[] } | undefined> =>
  query(deps, async (tx) => {
    const order = await tx.findOrder(orderId);
    return order && { order, transactions: await tx.listTransactions(order.id) };
  });
