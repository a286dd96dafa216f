/**
 * The Points wallets' statements (PointsWalletStore): customers' balances and their entries. Same
 * portable SQL on both engines; the SQLite adapter strips the row-lock clause (its writers are
 * serialised anyway).
 */
import type { PointsWalletStore } from '../../app/ports/points-wallets.js';
import type { CustomerEntryType } from '../../domain/points.js';
import type { PointsCustomer, PointsCustomerEntry } from '../../domain/points-records.js';
import { assert } from '../../domain/result.js';
import { type Row, int, str, strOrNull } from './rows.js';
import { type SqlSession, first, firstOf, allOf } from './sql-helpers.js';

const rowToCustomer = (r: Row): PointsCustomer => ({
  phone: str(r, 'phone'),
  balance: int(r, 'balance'),
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
});

const rowToEntry = (r: Row): PointsCustomerEntry => ({
  id: str(r, 'id'),
  phone: str(r, 'phone'),
  type: str(r, 'type') as CustomerEntryType,
  points: int(r, 'points'),
  balanceAfter: int(r, 'balance_after'),
  merchantId: strOrNull(r, 'merchant_id'),
  orderId: strOrNull(r, 'order_id'),
  transactionId: strOrNull(r, 'transaction_id'),
  createdAt: int(r, 'created_at'),
});

const findPointsCustomer =
  (db: SqlSession): PointsWalletStore['findPointsCustomer'] =>
  (phone) =>
    firstOf(db, `SELECT * FROM points_customers WHERE phone = ?`, [phone], rowToCustomer);

const lockPointsCustomer =
  (db: SqlSession): PointsWalletStore['lockPointsCustomer'] =>
  async (phone, now) => {
    // Behind on PostgreSQL: the lock that follows carries it.
    await db.write(
      `INSERT INTO points_customers (phone, balance, created_at, updated_at)
       VALUES (?, 0, ?, ?) ON CONFLICT (phone) DO NOTHING`,
      [phone, now, now],
    );
    const row = await first(db, `SELECT * FROM points_customers WHERE phone = ? FOR UPDATE`, [
      phone,
    ]);
    assert(row !== undefined, `points customer ${phone} missing after upsert`);
    return rowToCustomer(row);
  };

const insertPointsCustomerEntry =
  (db: SqlSession): PointsWalletStore['insertPointsCustomerEntry'] =>
  async (e) => {
    await db.write(
      `INSERT INTO points_customer_entries
         (id, phone, type, points, balance_after, merchant_id, order_id, transaction_id,
          created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        e.id,
        e.phone,
        e.type,
        e.points,
        e.balanceAfter,
        e.merchantId,
        e.orderId,
        e.transactionId,
        e.createdAt,
      ],
    );
    await db.writeOne(
      `UPDATE points_customers SET balance = ?, updated_at = ? WHERE phone = ? AND balance = ?`,
      [e.balanceAfter, e.createdAt, e.phone, e.balanceAfter - e.points],
      `points wallet ${e.phone} changed under its lock`,
    );
  };

const listPointsCustomerEntries =
  (db: SqlSession): PointsWalletStore['listPointsCustomerEntries'] =>
  (phone, limit) =>
    allOf(
      db,
      `SELECT * FROM points_customer_entries WHERE phone = ?
       ORDER BY created_at DESC, id DESC LIMIT ?`,
      [phone, limit],
      rowToEntry,
    );

export const createPointsWalletSql = (db: SqlSession): PointsWalletStore => ({
  findPointsCustomer: findPointsCustomer(db),
  lockPointsCustomer: lockPointsCustomer(db),
  insertPointsCustomerEntry: insertPointsCustomerEntry(db),
  listPointsCustomerEntries: listPointsCustomerEntries(db),
});
