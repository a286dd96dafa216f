/**
 * Who an order exists for. A merchant sees only its own orders, and a face only the orders made
 * through it: to Points an MPG order's id names nothing, so every such answer is
 * `order.not_found`, the same as for an id that was never issued. The check lives here, once,
 * and runs where an order is loaded: locked for a change (`lockOwnedOrder`, which `changeOrder`
 * uses) or read for an answer (`ownedOrder`).
 */
import { domainError, type DomainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import type { Dialect } from '../domain/order-model.js';
import { err, ok, type Result } from '../domain/result.js';
import type { LedgerStore } from './ports/ledger.js';

export interface OrderOwner {
  /**
   * The merchant asking; another merchant's order does not exist for it. Null is the admin,
   * acting for whichever merchant owns the order (an order's merchant never changes).
   */
  readonly merchantId: string | null;
  /** The face asking; another face's order does not exist for it. Omitted: any face's. */
  readonly dialect?: Dialect;
}

/** The order when `owner` may see it, else null. */
export function ownedOrder(order: Order | null | undefined, owner: OrderOwner): Order | null {
  if (!order) return null;
  if (owner.merchantId !== null && order.merchantId !== owner.merchantId) return null;
  if (owner.dialect !== undefined && order.dialect !== owner.dialect) return null;
  return order;
}

/**
 * Locks the order for a change (or takes `locked`, the order the caller already locked in this
 * transaction) when `owner` may change it; `order.not_found` otherwise.
 */
export async function lockOwnedOrder(
  tx: Pick<LedgerStore, 'lockOrder'>,
  owner: OrderOwner,
  orderId: string,
  locked?: Order,
): Promise<Result<Order, DomainError>> {
  const order = locked?.id === orderId ? locked : await tx.lockOrder(orderId);
  const owned = ownedOrder(order, owner);
  return owned ? ok(owned) : err(domainError('order.not_found'));
}
