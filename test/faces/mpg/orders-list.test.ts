// Proves GET /mpg/v1/orders over HTTP on SQLite and on PostgreSQL: filters, sorting and cursor
// pages walk every order once, and a forged cursor or a malformed number is a 422 at its field,
// never a query the database refuses.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createBody, mpgFaceSuite } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok } = face;

  it('lists orders with filters, sorting and countless cursor pages', async () => {
    const fresh = await face.t.admin({
      method: 'POST',
      url: '/admin/merchants',
      payload: { name: 'Lister' },
    });
    const k = fresh.json().credentials.mpg.api_key;
    const amounts = [500, 300, 900, 100, 700];
    for (const amount of amounts) {
      await ok(await call('POST', '/v1/orders/purchase', createBody({ amount }), {}, k));
      face.t.clock.advance(1000);
    }
    await ok(
      await call(
        'POST',
        '/v1/orders/purchase',
        createBody({
          amount: 800,
          source: { ...createBody().source, number: '4111111111111111' },
        }),
        {},
        k,
      ),
    );
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/orders?items=2&sort[field]=amount&sort[dir]=asc${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await ok(await call('GET', q, undefined, {}, k));
      assert.ok(page.orders.length <= 2);
      seen.push(...page.orders.map((o: { amount: number }) => o.amount));
      cursor = page.meta.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [100, 300, 500, 700, 800, 900]);
    // A forged cursor whose value does not fit the sort column is a 422 at `cursor`, not a
    // query the database refuses (PostgreSQL cannot compare text or 1.5 with an int8).
    const someId = '01900000-0000-7000-8000-000000000000';
    for (const [value, field] of [
      ['x', 'amount'],
      [1.5, 'amount'],
      [1e300, 'created_at'],
      [500, 'currency'],
    ] as const) {
      const forged = Buffer.from(JSON.stringify([value, someId])).toString('base64url');
      const refused = await call(
        'GET',
        `/v1/orders?sort[field]=${field}&cursor=${forged}`,
        undefined,
        {},
        k,
      );
      assert.equal(refused.statusCode, 422, `${value} for ${field}: ${refused.body}`);
      assert.deepEqual(Object.keys(refused.json().errors), ['cursor']);
    }
    const newest = await ok(await call('GET', '/v1/orders?items=1', undefined, {}, k));
    assert.equal(newest.orders[0].amount, 800);
    const visa = await ok(await call('GET', '/v1/orders?scheme=visa', undefined, {}, k));
    assert.deepEqual(
      visa.orders.map((o: { amount: number }) => o.amount),
      [800],
    );
    const range = await ok(
      await call(
        'GET',
        '/v1/orders?amount[gte]=300&amount[lte]=700&sort[dir]=asc&sort[field]=amount',
        undefined,
        {},
        k,
      ),
    );
    assert.deepEqual(
      range.orders.map((o: { amount: number }) => o.amount),
      [300, 500, 700],
    );
    const rrn = visa.orders[0].transactions[0].retrieval_reference;
    const byRrn = await ok(
      await call('GET', `/v1/orders?retrieval_reference=${rrn}`, undefined, {}, k),
    );
    assert.deepEqual(
      byRrn.orders.map((o: { id: string }) => o.id),
      [visa.orders[0].id],
    );
    const bad = await call('GET', '/v1/orders?items=101', undefined, {}, k);
    assert.deepEqual(bad.json().errors, {
      items: ['The value must be less than or equal to 100.'],
    });
    // Decimal digits only: "0x10", "1e3" and an empty value are not integers (Number() would
    // read them as 16, 1000 and 0), and amounts stay within MPG's bound.
    for (const [query, field] of [
      ['items=0x10', 'items'],
      ['amount[gte]=1e3', 'amount[gte]'],
      ['amount[gte]=', 'amount[gte]'],
      ['amount[lte]=100000001', 'amount[lte]'],
    ] as const) {
      const refused = await call('GET', `/v1/orders?${query}`, undefined, {}, k);
      assert.equal(refused.statusCode, 422, query);
      assert.deepEqual(Object.keys(refused.json().errors), [field], query);
    }
    const top = await call('GET', '/v1/orders?amount[lte]=100000000', undefined, {}, k);
    assert.equal(top.statusCode, 200);
  });
});
