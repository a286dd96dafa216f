/**
 * `npm run bench:writes`: what the store's indexes cost the write path. Creates orders and
 * refunds each in several parts through the real use cases (8 at a time, so SQLite's group commit
 * and PostgreSQL's pool are used as the server uses them), on a fresh store, and prints orders
 * created and refunds made per second. Run it on two builds to see what a migration's indexes
 * cost (docs/operations.md, "What the indexes cost the API"). Nothing here asserts a speed.
 *
 * Options: --orders N (default 1500), --parts N refunds per order (default 5),
 * --store sqlite|postgres|both (default both).
 */
import { type AppDeps, execute, type UseCase } from '../src/app/context.js';
import { createOrder } from '../src/app/create-order.js';
import { uuidV7Generator } from '../src/app/ids.js';
import { createMerchant } from '../src/app/merchants.js';
import { refundOrder } from '../src/app/order-operations.js';
import { postgresFactory, postgresSkipReason, sqliteFactory } from '../test/support/stores.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const ORDERS = Number(option('orders', '1500'));
const PARTS = Number(option('parts', '5'));
const STORES = option('store', 'both');
const CONCURRENCY = 8;
const admin = { kind: 'admin' } as const;

async function inBatches<T>(count: number, run: (i: number) => UseCase<T>, deps: AppDeps) {
  const values: T[] = [];
  for (let i = 0; i < count; i += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, count - i) }, (_, j) => i + j);
    for (const result of await Promise.all(batch.map((k) => execute(deps, run(k))))) {
      if (!result.ok) throw new Error(`use case failed: ${JSON.stringify(result.error)}`);
      values.push(result.value);
    }
  }
  return values;
}

for (const factory of [sqliteFactory, postgresFactory]) {
  if (STORES !== 'both' && STORES !== factory.engine) continue;
  if (factory.engine === 'postgres' && (await postgresSkipReason())) {
    console.log('postgres: skipped, no server answers');
    continue;
  }
  const testStore = await factory.create();
  const clock = { now: () => Date.now() };
  const deps: AppDeps = { store: testStore.store, clock, newId: uuidV7Generator(clock) };
  const [created] = await inBatches(1, () => createMerchant({ name: 'Writes' }), deps);
  const merchantId = created!.merchant.id;
  const createdAt = performance.now();
  const orders = await inBatches(
    ORDERS,
    () =>
      createOrder({
        merchantId,
        actor: admin,
        reason: null,
        dialect: 'admin',
        kind: 'standard',
        amountMinor: 1000 * PARTS,
        capture: 'purchase',
      }),
    deps,
  );
  const refundedAt = performance.now();
  await inBatches(
    ORDERS * PARTS,
    (i) =>
      refundOrder({
        merchantId,
        actor: admin,
        orderId: orders[i % ORDERS]!.order.id,
        amountMinor: 1000,
        reason: null,
      }),
    deps,
  );
  const doneAt = performance.now();
  const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
  console.log(
    `${factory.engine.padEnd(9)} orders created/s ${perSecond(ORDERS, refundedAt - createdAt)}` +
      `  refunds/s ${perSecond(ORDERS * PARTS, doneAt - refundedAt)}`,
  );
  await testStore.cleanup();
}
