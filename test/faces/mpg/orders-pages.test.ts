// Proves the page-number shape of MPG's list (G3's countless pagination) over HTTP on SQLite and
// on PostgreSQL: `page` and `items` walk the filtered, sorted list in disjoint pages that add up
// to the whole; `meta` names the current, next and previous page without any total; the last
// page says there is no next one; `page` is bounded, refused with `cursor`, and the cursor still
// works from any page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBody, mpgFaceSuite } from './mpg-face.js';

await mpgFaceSuite((face) => {
  const { call, ok } = face;
  const description = 'Pages of orders';
  const list = (query: string) =>
    call('GET', `/v1/orders?description=${encodeURIComponent(description)}&${query}`);

  describe('page-number pagination', () => {
    it('walks five orders two at a time, with current, next and previous pages', async () => {
      for (let n = 0; n < 5; n++) {
        await ok(
          await call('POST', '/v1/orders/authorize', createBody({ description, amount: 1000 + n })),
        );
      }
      const all = (await ok(await list('items=100&sort[field]=amount&sort[dir]=asc'))).orders.map(
        (o: { amount: number }) => o.amount,
      );
      assert.deepEqual(all, [1000, 1001, 1002, 1003, 1004]);
      const seen: number[] = [];
      const metas: unknown[] = [];
      for (const page of [1, 2, 3]) {
        const body = await ok(await list(`items=2&page=${page}&sort[field]=amount&sort[dir]=asc`));
        seen.push(...body.orders.map((o: { amount: number }) => o.amount));
        const { next_cursor: _cursor, ...meta } = body.meta;
        metas.push(meta);
      }
      assert.deepEqual(seen, all);
      assert.deepEqual(metas, [
        { current_page: 1, next_page: 2, prev_page: null, items: 2 },
        { current_page: 2, next_page: 3, prev_page: 1, items: 2 },
        { current_page: 3, next_page: null, prev_page: 2, items: 2 },
      ]);
      const beyond = await ok(await list('items=2&page=4'));
      assert.deepEqual(beyond.orders, []);
      assert.deepEqual(
        [beyond.meta.current_page, beyond.meta.next_page, beyond.meta.prev_page],
        [4, null, 3],
      );
      // Without page: the first page.
      const first = await ok(await list('items=2'));
      assert.deepEqual([first.meta.current_page, first.meta.next_page], [1, 2]);
      // The cursor of a page goes on from it; a cursor page has no page number.
      const second = await ok(await list('items=2&page=2&sort[field]=amount&sort[dir]=asc'));
      const after = await ok(
        await list(`items=2&sort[field]=amount&sort[dir]=asc&cursor=${second.meta.next_cursor}`),
      );
      assert.deepEqual(
        after.orders.map((o: { amount: number }) => o.amount),
        [1004],
      );
      assert.equal(after.meta.current_page, null);
    });

    it('bounds page and refuses it with a cursor', async () => {
      for (const [query, message] of [
        ['page=0', 'The value must be greater than or equal to 1.'],
        ['page=1001', 'The value must be less than or equal to 1000.'],
        ['page=1e2', 'The value must be an integer.'],
      ] as const) {
        const r = await list(query);
        assert.deepEqual(r.json().errors, { page: [message] }, query);
      }
      assert.equal((await list('page=1000')).statusCode, 200);
      const first = await ok(await list('items=1'));
      const both = await list(`page=2&cursor=${first.meta.next_cursor}`);
      assert.deepEqual(both.json().errors, { page: ['The value cannot be combined with cursor.'] });
    });
  });
});
