// Proves `exactSum` (src/store/sql/sql-helpers.ts) on both engines with fast-check: random signed
// values, many of them near the bounds so that their sum passes 2^53, are summed by the database
// exactly as bigint arithmetic sums them, through the two readers that use it for unbounded sums:
// the verifier's wallet check (a balance against its entries) and the daily stats.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { BOUNDS, WALLET_ENTRY_POINTS_MAX } from '../../domain/bounds.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../../../test/support/stores.js';
import { insertRefundsAtTheBound, merchantWithOrder } from '../../../test/support/rows.js';

const E = WALLET_ENTRY_POINTS_MAX;
const A = BOUNDS.amountMinorMax;
const DAY = 86_400_000;

/** Values anywhere in [min, max], and often at or next to either end. */
const near = (min: number, max: number) =>
  fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, min + 1, max - 1, max));

function suite(factory: StoreFactory, skip?: string) {
  describe(`exact sums in the database: ${factory.engine}`, { skip }, () => {
    let t: TestStore;
    let merchantId = '';
    let orderId = '';
    let run = 0;

    before(async () => {
      t = await factory.create();
      ({ merchantId, orderId } = await merchantWithOrder(t, 'Summed'));
    });
    after(async () => t?.cleanup());

    it("compares a wallet's balance with its entries' sum exactly", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(near(-E, E), { minLength: 0, maxLength: 60 }),
          fc.integer({ min: -1, max: 1 }),
          async (values, offset) => {
            const phone = `5${String(++run).padStart(8, '0')}`;
            const entries = values.filter((p) => p !== 0);
            const sum = entries.reduce((s, p) => s + BigInt(p), 0n);
            // The balance itself stays within its bound (migration 14): the sum when it fits,
            // give or take one, so both agreement and disagreement come up.
            const wanted = sum + BigInt(offset);
            const W = BigInt(BOUNDS.walletPointsMax);
            const balance = wanted >= -W && wanted <= W ? wanted : 0n;
            const rows = entries.map(
              (p, i) => `('${phone}-${i}', '${phone}', 'adjustment', ${p}, 0, ${i})`,
            );
            await t.rawExec(
              [
                `INSERT INTO points_customers VALUES ('${phone}', ${balance}, 0, 0)`,
                ...(rows.length
                  ? [
                      `INSERT INTO points_customer_entries (id, phone, type, points, balance_after, created_at) VALUES ${rows.join(', ')}`,
                    ]
                  : []),
              ].join(';\n'),
            );
            const reported = (await t.store.read((tx) => tx.walletMismatches(10_000))).find(
              (w) => w.phone === phone,
            );
            if (balance === sum) assert.equal(reported, undefined);
            else assert.deepEqual(reported, { phone, balance: `${balance}`, entriesSum: `${sum}` });
          },
        ),
        { numRuns: 25 },
      );
    });

    it('sums a day of refunds exactly, past 2^53 included', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(near(0, A), { minLength: 1, maxLength: 40 }), async (amounts) => {
          const day = Date.UTC(2030, 0, 1) + ++run * DAY;
          const rows = amounts.map(
            (a, i) =>
              `('sum-${run}-${i}', '${orderId}', '${merchantId}', 'refund', 'approved', ${a}, 0, 'SAR', NULL, 't', 'e', '{}', ${day + i})`,
          );
          await t.rawExec(
            `INSERT INTO transactions (id, order_id, merchant_id, type, status, amount_minor, points, currency, reason, actor, event_id, details, created_at) VALUES ${rows.join(', ')}`,
          );
          const counts = await t.store.read((tx) =>
            tx.dailyLedgerCounts([{ fromAt: day, toAt: day + DAY }], merchantId),
          );
          assert.deepEqual(counts, [
            {
              day: 0,
              type: 'refund',
              currency: 'SAR',
              count: amounts.length,
              amountMinor: amounts.reduce((s, a) => s + BigInt(a), 0n),
            },
          ]);
        }),
        { numRuns: 25 },
      );
      // 9008 × 10^12 − 1 cannot be held by a double; the sum is still exact.
      const day = Date.UTC(2031, 0, 1);
      await insertRefundsAtTheBound(t, { orderId, merchantId, at: day }, 9008, 'many');
      const [many] = await t.store.read((tx) =>
        tx.dailyLedgerCounts([{ fromAt: day, toAt: day + DAY }], merchantId),
      );
      assert.equal(many?.amountMinor, 9_007_999_999_999_999n);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
