/**
 * Rows for tests that write around the store (to prove the database's own walls, or what the
 * verifier and the aggregates make of rows the code would never write): a merchant with one order
 * made through the use cases, and a day of many refund rows at the amount bound.
 */
import assert from 'node:assert/strict';
import { TestClock } from '../../src/app/clocks.js';
import { execute } from '../../src/app/context.js';
import { createOrder } from '../../src/app/create-order.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { createMerchant } from '../../src/app/merchants.js';
import { BOUNDS } from '../../src/domain/bounds.js';
import type { TestStore } from './stores.js';

/** A SAR merchant and one uncaptured admin order of 10.00, made through the use cases. */
export async function merchantWithOrder(
  t: TestStore,
  name: string,
): Promise<{ merchantId: string; orderId: string }> {
  const clock = new TestClock(Date.UTC(2026, 10, 23, 12));
  const deps = { store: t.store, clock, newId: uuidV7Generator(clock) };
  const m = await execute(deps, createMerchant({ name, currency: 'SAR' }));
  assert.ok(m.ok);
  const o = await execute(
    deps,
    createOrder({
      merchantId: m.value.merchant.id,
      actor: { kind: 'admin' },
      dialect: 'admin',
      kind: 'standard',
      amountMinor: 1000,
      capture: 'none',
    }),
  );
  assert.ok(o.ok);
  return { merchantId: m.value.merchant.id, orderId: o.value.order.id };
}

/**
 * `count` approved refund rows of `orderId` at instant `at`, each within the amount bound: the
 * first of BOUNDS.amountMinorMax − 1, the others of the bound, so that from 9008 rows on their sum
 * is odd and past 2^53 (9008 orders refunded through the API would make the same day, slower).
 */
export async function insertRefundsAtTheBound(
  t: TestStore,
  rows: { readonly orderId: string; readonly merchantId: string; readonly at: number },
  count: number,
  idPrefix: string,
): Promise<void> {
  const max = BOUNDS.amountMinorMax;
  await t.rawExec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
     INSERT INTO transactions (id, order_id, merchant_id, type, status, amount_minor, points,
       currency, reason, actor, event_id, details, created_at)
     SELECT '${idPrefix}-' || i, '${rows.orderId}', '${rows.merchantId}', 'refund', 'approved',
       CASE WHEN i = 1 THEN ${max - 1} ELSE ${max} END, 0, 'SAR', NULL, 'test', 'forged', '{}',
       ${rows.at}
     FROM n`,
  );
}
