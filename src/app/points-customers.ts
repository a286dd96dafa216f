/**
 * Customers' points wallets: one ledger per customer, keyed by the normalised phone and shared by
 * every merchant (docs/decisions/points.md#wallets). A wallet moves only in the transaction that
 * moves the order's points (award, redeem, reversal, return), or by an operator's adjustment.
 */
import { BOUNDS, walletWithinBounds } from '../domain/bounds.js';
import { domainError, type DomainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import { customerEntryType, customerPointsDelta } from '../domain/points.js';
import type { PointsCustomer, PointsCustomerEntry } from '../domain/points-records.js';
import { err, ok, type Result } from '../domain/result.js';
import type { RunContext, UseCase } from './context.js';
import type { DialectHooks } from './dialect-hooks.js';
import type { LedgerTransaction } from './ports/ledger.js';
import type { PointsWalletStore } from './ports/points-wallets.js';

/** Entries shown with a wallet. */
export const CUSTOMER_ENTRIES_SHOWN_MAX = 500;

type PointsRowType = 'points_award' | 'points_redeem' | 'points_reversal' | 'points_return';
const isPointsRow = (t: LedgerTransaction): t is LedgerTransaction & { type: PointsRowType } =>
  t.type === 'points_award' ||
  t.type === 'points_redeem' ||
  t.type === 'points_reversal' ||
  t.type === 'points_return';

/** How an order change moves a customer's wallet: checked, with the wallet locked. */
export interface WalletMove {
  readonly phone: string;
  readonly balanceBefore: number;
  readonly rows: readonly (LedgerTransaction & { readonly type: PointsRowType })[];
}

/**
 * Locks the customer's wallet and checks every balance the change passes through against
 * ±BOUNDS.walletPointsMax, before the caller writes anything (a refusal never follows a write).
 * Null when the change moves no customer's points. Each step is exact: a balance within its
 * bound plus one row's points (at most BOUNDS.orderPointsMax) stays far below 2^53, and a balance
 * stored out of bounds before the bound existed is refused, never added to.
 * Errors: points.balance_out_of_bounds (details: balance, change, limit).
 */
export async function planCustomerPoints(
  tx: PointsWalletStore,
  run: RunContext,
  order: Order,
  rows: readonly LedgerTransaction[],
): Promise<Result<WalletMove | null, DomainError>> {
  if (order.customerRef === null) return ok(null);
  const moving = rows.filter(
    (r): r is LedgerTransaction & { type: PointsRowType } =>
      r.status === 'approved' && isPointsRow(r) && customerPointsDelta(r.type, r.points) !== 0,
  );
  if (moving.length === 0) return ok(null);
  const customer = await tx.lockPointsCustomer(order.customerRef, run.now);
  let balance = customer.balance;
  for (const row of moving) {
    balance += customerPointsDelta(row.type, row.points);
    if (!walletWithinBounds(balance)) {
      return err(
        domainError('points.balance_out_of_bounds', {
          balance: customer.balance,
          change: moving.reduce((sum, r) => sum + customerPointsDelta(r.type, r.points), 0),
          limit: BOUNDS.walletPointsMax,
        }),
      );
    }
  }
  return ok({ phone: customer.phone, balanceBefore: customer.balance, rows: moving });
}

/**
 * Moves the customer's wallet by a checked `WalletMove`, one entry per row, in the caller's
 * transaction. A reversal may take the balance below zero: it is recorded as it is, never capped.
 */
export async function recordCustomerPoints(
  tx: PointsWalletStore,
  run: RunContext,
  order: Order,
  move: WalletMove,
): Promise<void> {
  let balance = move.balanceBefore;
  for (const row of move.rows) {
    const points = customerPointsDelta(row.type, row.points);
    balance += points;
    await tx.insertPointsCustomerEntry({
      id: run.newId(),
      phone: move.phone,
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

/**
 * Points' hooks: its private and public keys; every order change moves its customer's wallet by its points rows (checked before
 * the change's first write, written after the order's totals), and `unwind verify` checks every
 * wallet's balance against its entries.
 */
export const POINTS_HOOKS: DialectHooks = {
  dialect: 'points',
  // A private key for the server, a public key for the pages.
  credentials: { tags: { api_key: 'pts_sk_', public_key: 'pts_pk_' }, permissions: [] },
  planEffects: async (tx, run, order, rows) => {
    const move = await planCustomerPoints(tx, run, order, rows);
    if (!move.ok) return move;
    const planned = move.value;
    return ok(planned && (() => recordCustomerPoints(tx, run, order, planned)));
  },
  verifyTables: async (tx, max) =>
    (await tx.walletMismatches(max)).map((w) => ({
      subject: 'wallet' as const,
      id: w.phone,
      problem: `balance ${w.balance} but the entries sum to ${w.entriesSum}`,
    })),
};

export interface CustomerWallet {
  readonly customer: PointsCustomer;
  readonly entries: readonly PointsCustomerEntry[];
}

/**
 * Sets a customer's balance (operators seeding or correcting a wallet): one `adjustment` entry of
 * the difference, so the balance stays the sum of the entries. The face checks the balance against
 * ±BOUNDS.walletPointsMax; the difference then stays within WALLET_ENTRY_POINTS_MAX unless the
 * stored balance was already out of bounds, which is refused. Errors: points.balance_out_of_bounds.
 */
export const setCustomerBalance =
  (phone: string, balance: number): UseCase<CustomerWallet, PointsWalletStore> =>
  async (tx, run) => {
    const customer = await tx.lockPointsCustomer(phone, run.now);
    if (!walletWithinBounds(balance) || !walletWithinBounds(customer.balance)) {
      return err(
        domainError('points.balance_out_of_bounds', {
          balance: customer.balance,
          change: balance - customer.balance,
          limit: BOUNDS.walletPointsMax,
        }),
      );
    }
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
  (phone: string): UseCase<CustomerWallet, PointsWalletStore> =>
  async (tx) => {
    const customer = await tx.findPointsCustomer(phone);
    if (!customer) return err(domainError('points.customer_not_found'));
    return ok({
      customer,
      entries: await tx.listPointsCustomerEntries(phone, CUSTOMER_ENTRIES_SHOWN_MAX),
    });
  };
