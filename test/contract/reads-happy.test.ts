// Proves the reads behind the admin API and the dashboard on both stores: orders listed in either
// direction with keyset cursors, filtered by status and creation window, searched exactly by id,
// references or phone forms; merchants listed by name, then id; and approved refunds, cancels and
// voids counted per day, type and currency.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { cancelOrder, refundOrder, voidOrder } from '../../src/app/order-operations.js';
import type { OrderFilter } from '../../src/app/ports/ledger.js';
import type { DailyLedgerCount } from '../../src/app/ports/reads.js';
import { orderSearchFor } from '../../src/domain/order-search.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant, order, listed, expectWalksBothWays } = contract;

  it('lists orders newest first or oldest first, with cursors in either direction', async () => {
    const { merchant: m } = await merchant('Directions');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await order(m.id)).id);
      // Two orders share each instant: the id breaks the tie, in both directions.
      if (i % 2 === 1) clock.advance(1000);
    }
    // UUIDv7 ids grow within an instant, so creation order is (created_at, id) order.
    assert.deepEqual(await listed({ merchantId: m.id }), ids);
    assert.deepEqual(await listed({ merchantId: m.id, direction: 'desc' }), [...ids].reverse());
    await expectWalksBothWays(ids, (direction, after) =>
      contract.t.store.read((tx) =>
        tx.listOrders({ merchantId: m.id, direction, limit: 2, ...(after ? { after } : {}) }),
      ),
    );
  });

  it('filters orders by status and by a creation window, from inclusive, to exclusive', async () => {
    const { merchant: m } = await merchant('Windows');
    const start = clock.now();
    const a = await order(m.id);
    clock.advance(1000);
    const b = await order(m.id, { capture: 'authorize' });
    clock.advance(1000);
    const c = await order(m.id);
    await execute(
      contract.deps,
      refundOrder({ merchantId: m.id, orderId: c.id, actor: admin, reason: null }),
    );
    assert.deepEqual(await listed({ merchantId: m.id, status: 'authorized' }), [b.id]);
    assert.deepEqual(await listed({ merchantId: m.id, status: 'refunded' }), [c.id]);
    assert.deepEqual(await listed({ merchantId: m.id, status: 'captured' }), [a.id]);
    assert.deepEqual(
      await listed({ merchantId: m.id, createdFrom: start + 1000, createdTo: start + 2000 }),
      [b.id],
    );
    assert.deepEqual(await listed({ merchantId: m.id, createdFrom: start }), [a.id, b.id, c.id]);
    assert.deepEqual(await listed({ merchantId: m.id, createdTo: start }), []);
    assert.deepEqual(
      await listed({ merchantId: m.id, dialect: 'admin', status: 'refunded', direction: 'desc' }),
      [c.id],
    );
    assert.deepEqual(await listed({ merchantId: m.id, dialect: 'points' }), []);
  });

  it('searches orders exactly by id, references and phone forms, with the other filters', async () => {
    const { merchant: m } = await merchant('Search');
    const { merchant: other } = await merchant('Search elsewhere');
    const byNumber = await order(m.id, { orderNumber: 'ORD-77' });
    const sameNumberElsewhere = await order(other.id, { orderNumber: 'ORD-77' });
    const backd = await order(m.id, {
      dialect: 'backd',
      kind: 'bnpl',
      merchantOrderId: 'merchant-ref-9',
      backdOrderId: 'bd_123',
    });
    const phone = await order(m.id, {
      dialect: 'points',
      kind: 'earning',
      customerRef: '501234567',
    });
    clock.advance(1000);
    const phoneAgain = await order(m.id, {
      dialect: 'points',
      kind: 'earning',
      customerRef: '501234567',
    });
    // An order whose number looks like the phone: found by the same search, once.
    const numberLikePhone = await order(m.id, { orderNumber: '501234567' });

    const search = (text: string, filter: Omit<OrderFilter, 'limit' | 'search'> = {}) =>
      listed({ ...filter, search: orderSearchFor(text), direction: 'desc' });
    assert.deepEqual(await search(byNumber.id), [byNumber.id]);
    assert.deepEqual(
      new Set(await search('ORD-77')),
      new Set([byNumber.id, sameNumberElsewhere.id]),
    );
    assert.deepEqual(await search('ORD-77', { merchantId: m.id }), [byNumber.id]);
    assert.deepEqual(await search('merchant-ref-9'), [backd.id]);
    assert.deepEqual(await search('bd_123'), [backd.id]);
    // The phone forms are tried on customer_ref only: the order whose number is 501234567 is
    // found by that exact text, not by a typed phone.
    assert.deepEqual(await search('+966 50 123 4567'), [phoneAgain.id, phone.id]);
    assert.deepEqual(await search('050-123-4567', { dialect: 'points' }), [
      phoneAgain.id,
      phone.id,
    ]);
    assert.deepEqual(await search('(050) 123.4567', { status: 'pending' }), []);
    // Exact only: a part of a value finds nothing.
    assert.deepEqual(await search('ORD-7'), []);
    assert.deepEqual(await search('50123456'), []);
    assert.deepEqual(await search('bd_12'), []);
    // A search pages like a list: each page is the next `limit` matches.
    const first = await contract.t.store.read((tx) =>
      tx.listOrders({ search: orderSearchFor('501234567'), direction: 'desc', limit: 2 }),
    );
    const last = first.at(-1)!;
    const second = await contract.t.store.read((tx) =>
      tx.listOrders({
        search: orderSearchFor('501234567'),
        direction: 'desc',
        limit: 2,
        after: { createdAt: last.createdAt, id: last.id },
      }),
    );
    assert.deepEqual(
      [...first, ...second].map((o) => o.id),
      [numberLikePhone.id, phoneAgain.id, phone.id],
    );
  });

  it('lists merchants by name, then id, with a cursor over every merchant once', async () => {
    const made = [];
    for (const name of ['Zq Charlie', 'Zq Alpha', 'Zq Bravo', 'Zq Bravo']) {
      made.push((await merchant(name)).merchant);
    }
    const walked: { name: string; id: string }[] = [];
    let after: { name: string; id: string } | undefined;
    for (let page = 0; page < 1000; page++) {
      const found = await contract.t.store.read((tx) => tx.listMerchants(3, after));
      walked.push(...found.map((m) => ({ name: m.name, id: m.id })));
      if (found.length < 3) break;
      after = walked.at(-1)!;
    }
    assert.equal(walked.length, (await contract.t.rawRows('merchants')).length);
    assert.equal(new Set(walked.map((m) => m.id)).size, walked.length);
    const mine = walked.filter((m) => m.name.startsWith('Zq '));
    const bravos = made
      .filter((m) => m.name === 'Zq Bravo')
      .map((m) => m.id)
      .sort();
    assert.deepEqual(
      mine.map((m) => m.id),
      [made[1]!.id, ...bravos, made[0]!.id],
    );
  });

  it('counts approved refunds, cancels and voids per day, type and currency', async () => {
    clock.set(Date.UTC(2031, 0, 1, 10));
    const D = 86_400_000;
    const day0 = Date.UTC(2031, 0, 1);
    const { merchant: m } = await merchant('Daily');
    const { merchant: other } = await merchant('Daily elsewhere');
    const refund = (orderId: string, merchantId: string, amountMinor?: number) =>
      execute(
        contract.deps,
        refundOrder({
          merchantId,
          orderId,
          actor: admin,
          reason: null,
          ...(amountMinor === undefined ? {} : { amountMinor }),
        }),
      );
    const a = await order(m.id);
    assert.ok((await refund(a.id, m.id, 300)).ok);
    assert.ok((await refund(a.id, m.id, 200)).ok);
    const eur = await order(m.id, { currency: 'EUR' });
    assert.ok((await refund(eur.id, m.id, 50)).ok);
    const b = await order(m.id, { capture: 'authorize' });
    assert.ok(
      (
        await execute(
          contract.deps,
          voidOrder({
            merchantId: m.id,
            orderId: b.id,
            actor: admin,
            reason: null,
            amountMinor: 100,
          }),
        )
      ).ok,
    );
    const elsewhere = await order(other.id);
    assert.ok((await refund(elsewhere.id, other.id)).ok);
    // A refused refund writes no row and counts nowhere.
    assert.equal((await refund(a.id, m.id, 10_000)).ok, false);
    clock.set(day0 + D + 3_600_000);
    const c = await order(m.id, { capture: 'authorize' });
    assert.ok(
      (
        await execute(
          contract.deps,
          cancelOrder({ merchantId: m.id, orderId: c.id, actor: admin, reason: null }),
        )
      ).ok,
    );

    const days = [
      { fromAt: day0, toAt: day0 + D },
      { fromAt: day0 + D, toAt: day0 + 2 * D },
      { fromAt: day0 + 2 * D, toAt: day0 + 3 * D },
    ];
    const sorted = (rows: DailyLedgerCount[]) =>
      [...rows].sort(
        (x, y) =>
          x.day - y.day || x.type.localeCompare(y.type) || x.currency.localeCompare(y.currency),
      );
    assert.deepEqual(
      sorted(await contract.t.store.read((tx) => tx.dailyLedgerCounts(days, m.id))),
      [
        { day: 0, type: 'refund', currency: 'EUR', count: 1, amountMinor: 50n },
        { day: 0, type: 'refund', currency: 'SAR', count: 2, amountMinor: 500n },
        { day: 0, type: 'void', currency: 'SAR', count: 1, amountMinor: 100n },
        // A cancel of an authorized order writes the cancel row and the void releasing it.
        { day: 1, type: 'cancel', currency: 'SAR', count: 1, amountMinor: 0n },
        { day: 1, type: 'void', currency: 'SAR', count: 1, amountMinor: 1000n },
      ],
    );
    const everyone = sorted(await contract.t.store.read((tx) => tx.dailyLedgerCounts(days)));
    assert.deepEqual(
      everyone.find((r) => r.day === 0 && r.type === 'refund' && r.currency === 'SAR'),
      { day: 0, type: 'refund', currency: 'SAR', count: 3, amountMinor: 1500n },
    );
    assert.deepEqual(await contract.t.store.read((tx) => tx.dailyLedgerCounts([], m.id)), []);
  });
});
