/**
 * An order's whole story for operators and the dashboard: its ledger rows, its Backd refund
 * requests, its events (each with actor, reason and the status before and after), each event's
 * webhook deliveries with their attempts, and the operators' actions on it (replays of its
 * deliveries, with actor and reason), merged in time order.
 */
import type { BackdOrder } from '../domain/backd-order.js';
import type { Order } from '../domain/order.js';
import type { RefundRequest } from '../domain/refund-request.js';
import type { Delivery, DeliveryAttempt } from '../domain/webhooks.js';
import { type AppDeps, query } from './context.js';
import { groupBy } from './group-by.js';
import { LIMITS } from './limits.js';
import type { AdminActionRecord } from './ports/operators.js';
import type { EventRecord } from './ports/outbox.js';
import type { LedgerTransaction } from './ports/ledger.js';

export type HistoryEntry =
  | { readonly kind: 'transaction'; readonly at: number; readonly transaction: LedgerTransaction }
  | { readonly kind: 'refund_request'; readonly at: number; readonly refundRequest: RefundRequest }
  | { readonly kind: 'event'; readonly at: number; readonly event: EventRecord }
  | {
      readonly kind: 'delivery';
      readonly at: number;
      readonly delivery: Delivery;
      readonly attempts: readonly DeliveryAttempt[];
    }
  | { readonly kind: 'admin_action'; readonly at: number; readonly adminAction: AdminActionRecord };

export interface OrderHistory {
  readonly order: Order;
  readonly entries: readonly HistoryEntry[];
  /** A Backd order's own state and its refund requests (the active one is what may still move). */
  readonly backd: { readonly order: BackdOrder; readonly refunds: readonly RefundRequest[] } | null;
  /** The instant the history was read (a draft past its deadline already counts as approved). */
  readonly now: number;
}

/**
 * Kinds that happen together sort in the order they are caused: rows, then events, then sends,
 * then what an operator did about them.
 */
const KIND_ORDER: Record<HistoryEntry['kind'], number> = {
  refund_request: 0,
  transaction: 1,
  event: 2,
  delivery: 3,
  admin_action: 4,
};

/** The history of an order, or null when there is no such order. */
export function orderHistory(deps: AppDeps, orderId: string): Promise<OrderHistory | null> {
  return query(deps, async (tx, now) => {
    const order = await tx.findOrder(orderId);
    if (!order) return null;
    const backdOrder =
      order.dialect === 'backd' ? await tx.findBackdOrderByOrderId(order.id) : null;
    // One query after another: the reads share one connection.
    const transactions = await tx.listTransactions(order.id);
    const refundRequests = await tx.listBackdRefundRequests(order.id);
    const events = await tx.listEvents({ orderId: order.id, limit: LIMITS.pageSizeMax * 20 });
    const deliveries = await tx.listDeliveries({
      orderId: order.id,
      limit: LIMITS.pageSizeMax * 20,
    });
    const attemptsByDelivery = groupBy(
      await tx.listDeliveryAttemptsFor(deliveries.map((d) => d.id)),
      (a) => a.deliveryId,
    );
    const adminActions = await tx.listAdminActions({
      orderId: order.id,
      limit: LIMITS.pageSizeMax * 20,
    });
    const entries: HistoryEntry[] = [
      ...transactions.map((t) => ({
        kind: 'transaction' as const,
        at: t.createdAt,
        transaction: t,
      })),
      ...refundRequests.map((r) => ({
        kind: 'refund_request' as const,
        at: r.createdAt,
        refundRequest: r,
      })),
      ...events.map((e) => ({ kind: 'event' as const, at: e.createdAt, event: e })),
      ...deliveries.map((d) => ({
        kind: 'delivery' as const,
        at: d.createdAt,
        delivery: d,
        attempts: attemptsByDelivery.get(d.id) ?? [],
      })),
      ...adminActions.map((a) => ({
        kind: 'admin_action' as const,
        at: a.createdAt,
        adminAction: a,
      })),
    ];
    entries.sort((a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    const backd = backdOrder ? { order: backdOrder, refunds: refundRequests } : null;
    return { order, entries, backd, now };
  });
}
