// Proves GET /admin/stats/daily over HTTP on SQLite and on PostgreSQL: refunds, cancels and voids
// counted per UTC or local day (across a daylight-saving change), every day present, amounts
// summed exactly per currency as decimal strings up to the bound, and a 422 at each bad parameter.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BOUNDS } from '../../../src/domain/bounds.js';
import { appPerSuite } from '../../support/app.js';
import { adminApiSuite, createMerchant, createOrder, expectIssue, succeed } from './admin-face.js';

await adminApiSuite((factory) => {
  describe('GET /admin/stats/daily', () => {
    const app = appPerSuite(factory);
    let shop = '';

    interface DayJson {
      date: string;
      refunds: {
        count: number;
        amounts: { currency: string; amount_minor: string; amount: string }[];
      };
      cancels: { count: number };
      voids: { count: number };
      webhooks: {
        attempts: number;
        succeeded: number;
        failed: number;
        success_rate: number | null;
      };
    }
    const stats = async (query: string) => {
      const res = await app().admin({ method: 'GET', url: `/admin/stats/daily?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { tz: string; days: DayJson[] };
    };
    const at = (iso: string) => app().clock.set(Date.parse(iso));

    before(async () => {
      const t = app();
      shop = (await createMerchant(t, { name: 'Charted' })).id;
      const other = (await createMerchant(t, { name: 'Charted elsewhere' })).id;
      // Sunday 2026-03-08 is Chicago's spring change: the local day runs 06:00Z to 05:00Z.
      at('2026-03-08T05:30:00Z'); // 23:30 on the 7th in Chicago, the 8th in UTC
      await succeed(t, (await createOrder(t, shop, 1000)).id, 'refund', { amount_minor: 400 });
      at('2026-03-08T12:00:00Z');
      await succeed(
        t,
        (await createOrder(t, shop, 1000, 'purchase', { currency: 'USD' })).id,
        'refund',
      );
      await succeed(t, (await createOrder(t, shop, 900)).id, 'refund', { amount_minor: 100 });
      await succeed(t, (await createOrder(t, shop, 500, 'authorize')).id, 'cancel');
      await succeed(t, (await createOrder(t, other, 700)).id, 'refund');
      at('2026-03-09T04:59:59Z'); // still the 8th in Chicago (CDT), the 9th in UTC
      await succeed(t, (await createOrder(t, shop, 800, 'authorize')).id, 'void', {
        amount_minor: 300,
      });
    });

    it('counts per UTC day, every day present, zeros included', async () => {
      const body = await stats(`from=2026-03-07&to=2026-03-10&merchant_id=${shop}`);
      assert.equal(body.tz, 'UTC');
      assert.deepEqual(
        body.days.map((d) => d.date),
        ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'],
      );
      const [d7, d8, d9, d10] = body.days;
      assert.deepEqual(d7!.refunds, { count: 0, amounts: [] });
      assert.deepEqual(d8, {
        date: '2026-03-08',
        refunds: {
          count: 3,
          amounts: [
            { currency: 'SAR', amount_minor: '500', amount: '5.00' },
            { currency: 'USD', amount_minor: '1000', amount: '10.00' },
          ],
        },
        cancels: { count: 1 },
        // The cancel released its reservation with a void row.
        voids: { count: 1 },
        webhooks: { attempts: 0, succeeded: 0, failed: 0, success_rate: null },
      });
      assert.deepEqual([d9!.voids, d9!.refunds.count], [{ count: 1 }, 0]);
      assert.deepEqual(d10!.refunds, { count: 0, amounts: [] });
    });

    it('counts per America/Chicago day across the daylight-saving change', async () => {
      const body = await stats(
        `from=2026-03-07&to=2026-03-09&merchant_id=${shop}&tz=America/Chicago`,
      );
      assert.equal(body.tz, 'America/Chicago');
      assert.deepEqual(
        body.days.map((d) => [d.date, d.refunds.count, d.cancels.count, d.voids.count]),
        [
          ['2026-03-07', 1, 0, 0],
          ['2026-03-08', 2, 1, 2],
          ['2026-03-09', 0, 0, 0],
        ],
      );
      assert.deepEqual(body.days[0]!.refunds.amounts, [
        { currency: 'SAR', amount_minor: '400', amount: '4.00' },
      ]);
    });

    it('without merchant_id counts every merchant; one day and 366 days are fine', async () => {
      const body = await stats('from=2026-03-08&to=2026-03-08');
      assert.deepEqual(body.days[0]!.refunds.amounts, [
        { currency: 'SAR', amount_minor: '1200', amount: '12.00' },
        { currency: 'USD', amount_minor: '1000', amount: '10.00' },
      ]);
      assert.equal((await stats('from=2024-01-01&to=2024-12-31&tz=Asia/Riyadh')).days.length, 366);
    });

    it('sums refunds at the amount bound exactly, as decimal strings', async () => {
      const t = app();
      const big = (await createMerchant(t, { name: 'Charted at the bound' })).id;
      at('2026-04-01T10:00:00Z');
      for (let i = 0; i < 3; i++) {
        await succeed(t, (await createOrder(t, big, BOUNDS.amountMinorMax)).id, 'refund');
      }
      await succeed(t, (await createOrder(t, big, BOUNDS.amountMinorMax - 1)).id, 'refund');
      const body = await stats(`from=2026-04-01&to=2026-04-01&merchant_id=${big}`);
      assert.deepEqual(body.days[0]!.refunds, {
        count: 4,
        amounts: [{ currency: 'SAR', amount_minor: '3999999999999', amount: '39999999999.99' }],
      });
    });

    it('bad dates, ranges, zones or parameters are 422 at the parameter', async () => {
      const cases: [string, string][] = [
        ['to=2026-03-08', 'from'],
        ['from=2026-03-08', 'to'],
        ['from=2026-03-08&to=2026-03-07', 'to'],
        ['from=2024-01-01&to=2025-01-01', 'to'],
        ['from=2026-02-30&to=2026-03-01', 'from'],
        ['from=2026-3-1&to=2026-03-02', 'from'],
        ['from=2026-03-01T00:00:00Z&to=2026-03-02', 'from'],
        ['from=2026-03-01&to=2026-03-02&tz=Mars/Olympus', 'tz'],
        ['from=2026-03-01&to=2026-03-02&tz=%2B03:00', 'tz'],
        ['from=2026-03-01&to=2026-03-02&tz=', 'tz'],
        ['from=2026-03-01&to=2026-03-02&currency=SAR', ''],
      ];
      for (const [query, path] of cases) {
        expectIssue(await app().admin({ method: 'GET', url: `/admin/stats/daily?${query}` }), path);
      }
    });
  });
});
