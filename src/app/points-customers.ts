/**
 * Customers' points wallets: one ledger per customer, keyed by the normalised phone and shared by
 * every merchant (decisions.md "Points"). A wallet moves only in the transaction that moves the
 * order's points (award, redeem, reversal, return), or by an operator's adjustment.
 */
import { domainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import { customerEntryType, customerPointsDelta } from '../domain/points.js';
import type { PointsCustomer, PointsCustomerEntry } from '../domain/points-records.js';
import { err, ok } from '../domain/result.js';
import type { RunContext, UseCase } from './context.js';
import type { LedgerTransaction, StoreTx } from './ports/store.js';

/** Entries shown with a wallet. */
export const CUSTOMER_ENTRIES_SHOWN_MAX = 500;

type PointsRowType = 'points_award' | 'points_redeem' | 'points_reversal' | 'points_return';
const isPointsRow = (t: LedgerTransaction): t is LedgerTransaction & { type: PointsRowType } =>
  t.type === 'points_award' ||
  t.type === 'points_redeem' ||
  t.type === 'points_reversal' ||
  t.type === 'points_return';

/**
 * Moves the customer's wallet by the approved points rows an order change appended, one entry
 * per row, in the caller's transaction. A reversal may take the balance below zero: it is
 * recorded as it is, never capped.
 */
export async function recordCustomerPoints(
  tx: StoreTx,
  run: RunContext,
  order: Order,
  rows: readonly LedgerTransaction[],
): Promise<void> {
  if (order.customerRef === null) return;
  const moving = rows.filter(
    (r) => r.status === 'approved' && isPointsRow(r) && customerPointsDelta(r.type, r.points) !== 0,
  );
  if (moving.length === 0) return;
  const customer = await tx.lockPointsCustomer(order.customerRef, run.now);
  let balance = customer.balance;
  for (const row of moving) {
    if (!isPointsRow(row)) continue;
    const points = customerPointsDelta(row.type, row.points);
    balance += points;
    await tx.insertPointsCustomerEntry({
      id: run.newId(),
      phone: customer.phone,
      type: customerEntryType(row.type),
      points,
      balanceAfter: balance,
      merchantId: order.merchantId,
      orderId: order.id,
      transactionId: row.id,
      createdAt: run.now,
    });
  }
}

export interface CustomerWallet {
  readonly customer: PointsCustomer;
  readonly entries: readonly PointsCustomerEntry[];
}

/**
 * Sets a customer's balance (operators seeding or correcting a wallet): one `adjustment` entry of
 * the difference, so the balance stays the sum of the entries. Errors: none.
 */
export const setCustomerBalance =
  (phone: string, balance: number): UseCase<CustomerWallet> =>
  async (tx, run) => {
    const customer = await tx.lockPointsCustomer(phone, run.now);
    const points = balance - customer.balance;
    if (points !== 0) {
      await tx.insertPointsCustomerEntry({
        id: run.newId(),
        phone,
        type: 'adjustment',
        points,
        balanceAfter: balance,
        merchantId: null,
        orderId: null,
        transactionId: null,
        createdAt: run.now,
      });
    }
    const after = await tx.findPointsCustomer(phone);
    return ok({
      customer: after ?? customer,
      entries: await tx.listPointsCustomerEntries(phone, CUSTOMER_ENTRIES_SHOWN_MAX),
    });
  };

/** A wallet with its newest entries. Errors: points.customer_not_found. */
export const getCustomerWallet =
  (phone: string): UseCase<CustomerWallet> =>
  async (tx) => {
    const customer = await tx.findPointsCustomer(phone);
    if (!customer) return err(domainError('points.customer_not_found'));
    return ok({
      customer,
      entries: await tx.listPointsCustomerEntries(phone, CUSTOMER_ENTRIES_SHOWN_MAX),
    });
  };
