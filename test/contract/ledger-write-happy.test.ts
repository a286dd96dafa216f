// Proves LedgerStore.writeChange the same on both stores (one statement on PostgreSQL, the writes
// in turn on SQLite): a first ledger row whose id is taken writes nothing at all (not the other
// rows, the order, the event or a delivery), and the event fans out to exactly the enabled
// endpoints of the formats it is given, each delivery a UUIDv7 of the change's instant; an event
// that only names a change already written leaves the order as it is.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { eventFanOut } from '../../src/app/events.js';
import { refundOrder } from '../../src/app/order-operations.js';
import type { LedgerTransaction, OrderChangeWrite } from '../../src/app/ports/ledger.js';
import type { EventRecord } from '../../src/app/ports/outbox.js';
import { createWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import { UUID_PATTERN } from '../../src/app/ids.js';
import type { Order } from '../../src/domain/order.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { merchant, order } = contract;
  const run = () => ({ now: contract.clock.now(), newId: contract.deps.newId });

  /** A refund of 1 on `o` as commitChange would write it, rows of the given ids. */
  function change(
    o: Order,
    rowIds: readonly string[],
    firstIdMayBeTaken = false,
  ): OrderChangeWrite {
    const r = run();
    const eventId = r.newId();
    const after: Order = { ...o, refundedMinor: o.refundedMinor + 1, version: o.version + 1 };
    const transactions = rowIds.map((id): LedgerTransaction => ({
      id,
      orderId: o.id,
      merchantId: o.merchantId,
      type: 'refund',
      status: 'approved',
      amountMinor: 1,
      points: 0,
      currency: o.currency,
      reason: null,
      actor: 'admin',
      eventId,
      details: {},
      createdAt: r.now,
    }));
    const event: EventRecord = {
      id: eventId,
      merchantId: o.merchantId,
      orderId: o.id,
      type: 'order.refunded',
      actor: 'admin',
      reason: null,
      statusBefore: o.status,
      statusAfter: 'partially_refunded',
      idempotencyKey: null,
      requestFingerprint: null,
      payload: { order: { id: o.id } },
      createdAt: r.now,
    };
    return {
      order: after,
      orderWrite: 'update',
      transactions,
      firstIdMayBeTaken,
      event,
      fanOut: eventFanOut(r, event),
    };
  }

  const rowsOf = async (table: string, column: string, value: string) =>
    (await contract.t.rawRows(table)).filter((row) => row[column] === value);

  it('writes nothing when the first row’s id is already taken', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const taken = crypto.randomUUID();
    const first = await execute(
      contract.deps,
      refundOrder({
        merchantId: m.id,
        actor: admin,
        orderId: o.id,
        amountMinor: 1,
        transactionId: taken,
      }),
    );
    assert.ok(first.ok, JSON.stringify(first));
    const locked = first.value.order;
    const write = change(locked, [taken, contract.deps.newId()], true);

    const written = await contract.t.store.transaction((tx) => tx.writeChange(write));
    assert.equal(written, false);
    assert.deepEqual(await rowsOf('transactions', 'id', write.transactions[1]!.id), []);
    assert.deepEqual(await rowsOf('events', 'id', write.event.id), []);
    const [row] = await rowsOf('orders', 'id', o.id);
    assert.equal(Number(row!['version']), locked.version);
  });

  it('meets the primary key when a new order’s id is taken, whatever its first row', async () => {
    // Two creations of one client-assigned order id (MPG's order_id) race: the later must meet
    // the order's primary key (retried by execute into a replay), never a refused first row.
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const [row] = await rowsOf('transactions', 'order_id', o.id);
    const again = change(o, [String(row!['id'])]);
    const write = { ...again, order: { ...o, version: 1 }, orderWrite: 'insert' as const };
    await assert.rejects(
      contract.t.store.transaction((tx) => tx.writeChange(write)),
      (e: Error) => e.name === 'UniqueViolation',
    );
    assert.deepEqual(await rowsOf('events', 'id', write.event.id), []);
  });

  for (const firstIdMayBeTaken of [false, true]) {
    // When no id may be taken PostgreSQL writes the change behind; else it is answered.
    const how = firstIdMayBeTaken ? 'answered' : 'written behind';
    it(`fans the event out to the enabled endpoints of its formats, and writes the change (${how})`, async () => {
      await fansOutAndWrites(firstIdMayBeTaken);
    });
  }

  async function fansOutAndWrites(firstIdMayBeTaken: boolean) {
    const { merchant: m } = await merchant();
    const endpoint = async (url: string, format: 'standard' | 'points', enabled: boolean) => {
      const r = await execute(
        contract.deps,
        createWebhookEndpoint({ merchantId: m.id, url, name: null, format, enabled }),
      );
      assert.ok(r.ok, JSON.stringify(r));
      return r.value.id;
    };
    const standard = await endpoint('https://example.com/standard', 'standard', true);
    await endpoint('https://example.com/off', 'standard', false);
    await endpoint('https://example.com/points', 'points', true);
    const o = await order(m.id);
    const write = change(o, [contract.deps.newId(), contract.deps.newId()], firstIdMayBeTaken);
    const onlyStandard = { ...write, fanOut: { ...write.fanOut, formats: ['standard' as const] } };

    assert.equal(await contract.t.store.transaction((tx) => tx.writeChange(onlyStandard)), true);
    const deliveries = await rowsOf('deliveries', 'event_id', write.event.id);
    assert.deepEqual(
      deliveries.map((d) => d['endpoint_id']),
      [standard],
    );
    const id = String(deliveries[0]!['id']);
    assert.match(id, UUID_PATTERN);
    assert.equal(id[14], '7', `a UUIDv7: ${id}`);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), write.event.createdAt);
    assert.equal(deliveries[0]!['status'], 'pending');
    assert.equal((await rowsOf('transactions', 'event_id', write.event.id)).length, 2);
    const [row] = await rowsOf('orders', 'id', o.id);
    assert.equal(Number(row!['version']), o.version + 1);
    assert.equal(Number(row!['refunded_minor']), o.refundedMinor + 1);
  }

  it('fails the whole transaction, nothing kept, when the order changed under its lock', async () => {
    // The second wall behind the row lock: the version guard. Written behind on PostgreSQL, the
    // statement checks it itself and fails, so the COMMIT after it keeps nothing.
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const stale = change({ ...o, version: o.version + 1 }, [contract.deps.newId()]);
    await assert.rejects(
      contract.t.store.transaction(async (tx) => {
        await tx.writeChange(stale);
      }),
      (e: Error) => e.name === 'AssertionFailure' && e.message.includes(o.id),
    );
    assert.deepEqual(await rowsOf('events', 'id', stale.event.id), []);
    assert.deepEqual(await rowsOf('transactions', 'id', stale.transactions[0]!.id), []);
    assert.deepEqual(await rowsOf('deliveries', 'event_id', stale.event.id), []);
    const [row] = await rowsOf('orders', 'id', o.id);
    assert.equal(Number(row!['version']), o.version);
  });

  it('writes only the event and its deliveries when the order is not to be written', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const write = { ...change(o, []), orderWrite: 'none' as const };

    assert.equal(await contract.t.store.transaction((tx) => tx.writeChange(write)), true);
    assert.equal((await rowsOf('events', 'id', write.event.id)).length, 1);
    const [row] = await rowsOf('orders', 'id', o.id);
    assert.equal(Number(row!['version']), o.version);
    assert.equal(Number(row!['refunded_minor']), o.refundedMinor);
  });
});
