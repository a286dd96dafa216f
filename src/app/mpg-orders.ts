/**
 * The Moyasar Payment Gateway face's use cases, mapped onto the core (docs/dialects/mpg.md):
 * purchase, authorize and verify create a core order (`dialect: 'mpg'`, `kind: 'card'`) whose one
 * transaction carries the simulated issuer's answer; capture, void and refund are the core
 * operations; extend and reverse append rows that move no money. Every operation appends exactly
 * one transaction with MPG's references and one event, in one database transaction, and passes
 * the client's body id to the core as the idempotency key and the new row's id.
 */
import type { Order } from '../domain/order.js';
import { type AppDeps, query } from './context.js';
import type { BodyIdRequest } from './mpg-request-ids.js';
import { ownedOrder } from './order-owner.js';
import type { LedgerTransaction } from './ports/ledger.js';
import type { MpgOrderFilter } from './ports/mpg.js';
import { fingerprint } from './secrets.js';

export { MPG_SORT_FIELDS, type MpgOrderEquals, type MpgSortField } from './ports/mpg.js';
export type { MpgOrderView } from './mpg-orders-shared.js';
export {
  type MpgCard,
  type MpgCreateCommand,
  type MpgCreateOperation,
  mpgCreateFingerprint,
  mpgCreateOrder,
  mpgRequestProblem,
} from './mpg-orders-create.js';
export {
  type MpgAmountOperation,
  mpgAmountOperation,
  mpgExtendOrder,
  type MpgOperationCommand,
  mpgReverseTransaction,
} from './mpg-orders-operations.js';

/** One MPG order of the merchant with its ledger, or null (unknown, foreign, other face). */
export function mpgFindOrder(
  deps: AppDeps,
  merchantId: string,
  orderId: string,
): Promise<{ order: Order; transactions: LedgerTransaction[] } | null> {
  return query(deps, async (tx) => {
    const order = ownedOrder(await tx.findOrder(orderId), { merchantId, dialect: 'mpg' });
    if (!order) return null;
    return { order, transactions: await tx.listTransactions(order.id) };
  });
}

/** A page of the merchant's MPG orders, each with its ledger. */
export function mpgListOrders(
  deps: AppDeps,
  filter: MpgOrderFilter,
): Promise<{ order: Order; transactions: LedgerTransaction[] }[]> {
  return query(deps, async (tx) => {
    const orders = await tx.listMpgOrders(filter);
    const out: { order: Order; transactions: LedgerTransaction[] }[] = [];
    for (const order of orders)
      out.push({ order, transactions: await tx.listTransactions(order.id) });
    return out;
  });
}

/** The body-id claim of a request, for `runWithBodyId`. */
export const bodyIdRequest = (
  merchantId: string,
  kind: BodyIdRequest['kind'],
  requestId: string,
  parts: unknown,
): BodyIdRequest => ({ merchantId, kind, requestId, fingerprint: fingerprint(parts) });
