/**
 * A Backd order under its core order's row lock, shared by the Backd use cases
 * (src/app/backd-orders.ts, src/app/backd-refund-requests.ts): which order a command targets (a
 * merchant's by Backd's id, or an operator's by the core id), locking it, Backd's state as events
 * carry it, and Backd's checks for `unwind verify` (its hooks, src/app/dialect-hooks.ts). A change
 * of Backd's state that moves no money is written by `changeWithoutMoney` (src/app/ledger.ts).
 */
import type { BackdOrder } from '../domain/backd-order.js';
import { domainError, type DomainError } from '../domain/errors.js';
import { formatMinor } from '../domain/money.js';
import type { Order } from '../domain/order.js';
import type { RefundRequest } from '../domain/refund-request.js';
import { assert, err, ok, type Result } from '../domain/result.js';
import { refundRequestViolations } from '../domain/ledger-checks.js';
import type { DialectHooks } from './dialect-hooks.js';
import { groupBy } from './group-by.js';
import { ownedOrder } from './order-owner.js';
import type { OrderChangeTx } from './ledger.js';
import type { BackdStore } from './ports/backd.js';
import type { LedgerStore } from './ports/ledger.js';

/** What the Backd face's use cases touch: an order change, and Backd's state of the order. */
export type BackdTx = OrderChangeTx & BackdStore;

/** The Backd order of `backdOrderId` if it belongs to `merchantId` (else: as if missing). */
export interface MerchantBackdTarget {
  readonly merchantId: string;
  readonly backdOrderId: string;
  /**
   * When given, it must equal the order's (docs/decisions/backd.md#merchant-order-id); omitted on
   * calls that lack it.
   */
  readonly merchantOrderId?: string;
}

/** The admin's target: any merchant's Backd order, by its core order id. */
export interface AdminBackdTarget {
  readonly merchantId: null;
  readonly orderId: string;
}

/** Which Backd order a command is about: a merchant's (Backd's API) or any (an operator's). */
export type BackdTarget = MerchantBackdTarget | AdminBackdTarget;

export interface LockedBackdOrder {
  readonly order: Order;
  readonly backd: BackdOrder;
}

/**
 * Finds the Backd order, locks its core order row, and reads Backd's state again under the lock
 * (a concurrent change may have committed while we waited).
 * Errors: order.not_found (unknown, or another merchant's), backd_order.merchant_order_id_mismatch,
 * order.not_in_lifecycle (an operator's target that is not a Backd order; details: dialect,
 * operation `refund_request`).
 */
export async function lockBackdOrder(
  tx: BackdStore & LedgerStore,
  target: BackdTarget,
): Promise<Result<LockedBackdOrder, DomainError>> {
  if (target.merchantId === null) return lockAdminTarget(tx, target.orderId);
  // The lock and Backd's state as it stands under it, in one statement (an order's merchant is
  // its Backd order's, and neither ever changes).
  const locked = await tx.lockOrderOfBackdOrder(target.backdOrderId);
  const owned = ownedOrder(locked?.order, { merchantId: target.merchantId, dialect: 'backd' });
  if (!locked || !owned) return err(domainError('order.not_found'));
  const { backd } = locked;
  if (target.merchantOrderId !== undefined && target.merchantOrderId !== backd.merchantOrderId) {
    return err(domainError('backd_order.merchant_order_id_mismatch'));
  }
  return ok({ order: owned, backd });
}

/**
 * `lockBackdOrder`, with the order's active (draft or approved) refund request, its row locked.
 * For a merchant's target the request is read right behind the lock, by the Backd order's id: on
 * PostgreSQL both leave together (one round trip), and the read, a statement of its own issued
 * after the lock's, runs once the lock is held. Errors: those of `lockBackdOrder`.
 */
export async function lockBackdOrderWithActive(
  tx: BackdStore & LedgerStore,
  target: BackdTarget,
): Promise<Result<LockedBackdOrder & { readonly active: RefundRequest | null }, DomainError>> {
  const locking = lockBackdOrder(tx, target);
  const reading =
    target.merchantId === null
      ? undefined
      : tx.findActiveRefundRequestOfBackdOrder(target.backdOrderId);
  // Awaited after the lock; a failed lock must not leave its rejection unhandled.
  reading?.catch(() => undefined);
  const locked = await locking;
  if (!locked.ok) return locked;
  const { order } = locked.value;
  const active = (await (reading ?? tx.findActiveBackdRefundRequest(order.id))) ?? null;
  assert(active === null || active.orderId === order.id, `request ${active?.id} of another order`);
  return ok({ ...locked.value, active });
}

async function lockAdminTarget(
  tx: BackdStore & LedgerStore,
  orderId: string,
): Promise<Result<LockedBackdOrder, DomainError>> {
  const order = await tx.lockOrder(orderId);
  if (!order) return err(domainError('order.not_found'));
  const backd = await tx.findBackdOrderByOrderId(order.id);
  if (!backd) {
    return err(
      domainError('order.not_in_lifecycle', {
        dialect: order.dialect,
        operation: 'refund_request',
      }),
    );
  }
  return ok({ order, backd });
}

/** Backd's state as events carry it (the standard webhook format shows it under `backd_order`). */
export function backdOrderJson(
  backd: BackdOrder,
  statusBefore: string | null,
): Record<string, unknown> {
  return {
    backd_order_id: backd.backdOrderId,
    merchant_order_id: backd.merchantOrderId,
    merchant_order_status: backd.merchantOrderStatus,
    status: backd.status,
    status_before: statusBefore,
    terms: backd.terms,
    currency: backd.currency,
    order_total: formatMinor(backd.orderTotalMinor, backd.currency),
    order_total_minor: backd.orderTotalMinor,
  };
}

/**
 * Backd's hooks: its pk/sk pair (as its docs show); `unwind verify` checks each page's Backd orders against their refund requests'
 * steps (one read per page).
 */
export const BACKD_HOOKS: DialectHooks = {
  dialect: 'backd',
  credentials: { tags: { public_key: 'pk_', secret_key: 'sk_' }, permissions: [] },
  verifyOrders: async (tx, orders) => {
    const requests = await tx.listBackdRefundRequestsFor(orders.map((o) => o.id));
    const byOrder = groupBy(requests, (r) => r.orderId);
    return orders.flatMap((order) =>
      refundRequestViolations(order, byOrder.get(order.id) ?? []).map((v) => ({
        subject: 'refund_request' as const,
        id: v.id,
        problem: v.problem,
      })),
    );
  },
};
