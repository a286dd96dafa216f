/**
 * `LedgerStore.writeChange` on PostgreSQL: the writes of one change of an order (the ledger
 * rows, the order, the event and its pending deliveries) as ONE data-modifying statement, so a
 * change costs one round trip instead of four or more. Every decision was made in TypeScript
 * before it (the planners, the totals, which webhook formats carry the event); the statement
 * only writes what it is given. SQLite sends the same writes in turn
 * (src/store/sql/write-change-sql.ts), and both must write the same rows.
 *
 * A client-assigned id (MPG's `transaction_id`) can only be on the first ledger row. That row is
 * inserted with ON CONFLICT DO NOTHING, and every other write of the statement but a new order is
 * conditional on its insert: on an existing order a taken id writes nothing at all, so the refusal
 * that follows is not after a write; a new order's refusal is rolled back with it, as on SQLite.
 * Foreign keys (a new order's rows, the event's deliveries) are checked at the end of the
 * statement, when every part of it is in.
 */
import type { LedgerStore, OrderChangeWrite } from '../../app/ports/ledger.js';
import { assert } from '../../domain/result.js';
import {
  INSERT_ORDER_SQL,
  TRANSACTION_COLUMNS,
  UPDATE_ORDER_SQL,
  orderUpdateValues,
  orderValues,
  transactionValues,
  changedUnderLock,
} from '../sql/ledger-sql.js';
import { EVENT_COLUMNS, deliveryValues, eventValues } from '../sql/outbox-sql.js';
import { DELIVERY_COLUMNS, marks, type SqlSession } from '../sql/sql-helpers.js';
import { failUnless } from './statement-checks.js';

/**
 * A UUIDv7 (RFC 9562) of the millisecond given as the parameter: its 48 bits over the front of a
 * random (v4) UUID, the version nibble set from 4 to 7; the variant bits are already v4's.
 */
const UUID_V7 = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
  placing substring(int8send(?::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid::text`;

type OrderWrite = OrderChangeWrite['orderWrite'];

/** The order's part of the statement, conditional on the first row (`when`). */
function orderPart(orderWrite: OrderWrite, when: string): string | null {
  switch (orderWrite) {
    case 'insert':
      // Not conditional: a new order goes in first, as in turn on SQLite, so a concurrent
      // creation of the same order id meets the primary key (a UniqueViolation, which the app
      // retries into a replay) rather than a quietly refused first row. When the first row is
      // refused the caller's refusal rolls the new order back with it.
      return `o AS (${INSERT_ORDER_SQL} RETURNING id)`;
    case 'update':
      return `o AS (${UPDATE_ORDER_SQL}${when ? ' AND EXISTS (SELECT 1 FROM t0)' : ''} RETURNING id)`;
    case 'none':
      return null;
  }
}

/**
 * The statement's text for an order written as `orderWrite` with `rows` ledger rows. `behind`:
 * the statement checks its own outcome (every row, the order and the event written, else it fails
 * with the message of its last parameter), so it answers nothing and can be written behind.
 */
function changeStatement(orderWrite: OrderWrite, rows: number, behind: boolean): string {
  const parts: string[] = [];
  // Answered, only the first row can be refused, and everything else is written only when it
  // went in. Behind, nothing is refused: a taken id fails the statement (a UniqueViolation).
  const when = rows > 0 && !behind ? 'WHERE EXISTS (SELECT 1 FROM t0)' : '';
  if (rows > 0) {
    parts.push(`t0 AS (INSERT INTO transactions (${TRANSACTION_COLUMNS}) VALUES (${marks(13)})
      ${behind ? '' : 'ON CONFLICT (id) DO NOTHING'} RETURNING id)`);
  }
  for (let i = 1; i < rows; i++) {
    parts.push(`t${i} AS (INSERT INTO transactions (${TRANSACTION_COLUMNS})
      SELECT ${marks(13)} ${when} RETURNING id)`);
  }
  const order = orderPart(orderWrite, when);
  if (order) parts.push(order);
  parts.push(
    `e AS (INSERT INTO events (${EVENT_COLUMNS}) SELECT ${marks(12)} ${when} RETURNING id)`,
  );
  // The merchant's first endpoints, as the app lists them, then those that receive the event.
  parts.push(`d AS (INSERT INTO deliveries (${DELIVERY_COLUMNS})
    SELECT ${UUID_V7}, ?, w.id, ${marks(12)}
    FROM e, (SELECT id, enabled, format FROM webhook_endpoints
             WHERE merchant_id = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT ?) AS w
    WHERE w.enabled = 1 AND w.format = ANY (?::text[]))`);
  const inserted = rows > 0 ? '(SELECT count(*) FROM t0)' : '1';
  const orders = order ? '(SELECT count(*) FROM o)' : '0';
  const events = '(SELECT count(*) FROM e)';
  if (behind) {
    const detail = `'rows ' || ${inserted} || ', orders ' || ${orders} || ', events ' || ${events}`;
    const expected = `${inserted} = 1 AND ${orders} = ${order ? 1 : 0} AND ${events} = 1`;
    return `WITH ${parts.join(',\n')}\n${failUnless(expected, detail)}`;
  }
  return `WITH ${parts.join(',\n')}
    SELECT ${inserted} AS inserted, ${orders} AS orders`;
}

function changeValues(w: OrderChangeWrite): unknown[] {
  const values: unknown[] = [];
  for (const row of w.transactions) values.push(...transactionValues(row));
  if (w.orderWrite === 'insert') values.push(...orderValues(w.order));
  if (w.orderWrite === 'update') values.push(...orderUpdateValues(w.order));
  values.push(...eventValues(w.event));
  const { delivery, formats, endpointLimit } = w.fanOut;
  // deliveryValues without its id (made by the statement) and endpoint id (w.id).
  const [, eventId, , ...rest] = deliveryValues({ ...delivery, id: '', endpointId: '' });
  values.push(delivery.createdAt, eventId, ...rest);
  values.push(w.event.merchantId, endpointLimit, formats);
  return values;
}

export const writeChangeInOneStatement = (db: SqlSession): LedgerStore['writeChange'] => {
  const texts = new Map<string, string>();
  return async (w) => {
    // An existing order's change whose first id cannot be taken cannot be refused: it goes
    // behind, and the statement itself fails the transaction if anything of it was not written.
    // A new order (its id may race another creation) and an id that may be taken are answered.
    const behind = w.orderWrite !== 'insert' && !w.firstIdMayBeTaken;
    const shape = `${w.orderWrite}:${w.transactions.length}:${behind}`;
    let text = texts.get(shape);
    if (text === undefined) {
      text = changeStatement(w.orderWrite, w.transactions.length, behind);
      texts.set(shape, text);
    }
    if (behind) {
      await db.write(text, [...changeValues(w), `change of order ${w.order.id} not written whole`]);
      return true;
    }
    const [result] = await db.all(text, changeValues(w));
    const inserted = Number(result!['inserted']);
    const orders = Number(result!['orders']);
    if (inserted === 0) {
      const expected = w.orderWrite === 'insert' ? 1 : 0;
      assert(orders === expected, `order ${w.order.id}: ${orders} written, first row refused`);
      return false;
    }
    if (w.orderWrite === 'update') assert(orders === 1, changedUnderLock(w.order));
    if (w.orderWrite === 'insert') assert(orders === 1, `order ${w.order.id} not inserted`);
    return true;
  };
};
