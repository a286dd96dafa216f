/**
 * What the store contract's files share: a fresh store (50 connections on PostgreSQL, so 50
 * racers each get their own), a test clock, the real use cases to make merchants and orders,
 * readers of the ledger and of lists, and `storeContract`, which runs a contract file unchanged on
 * SQLite and on PostgreSQL under one describe title (`store contract: <engine>`). The contract
 * drives the store through the use cases, so each rule is proven on both engines, races included.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { TestClock } from '../../src/app/clocks.js';
import { type AppDeps, execute } from '../../src/app/context.js';
import { createOrder, type CreateOrderCommand } from '../../src/app/create-order.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { createMerchant } from '../../src/app/merchants.js';
import type { ListDirection, OrderFilter } from '../../src/app/ports/ledger.js';
import type { Store } from '../../src/app/ports/store.js';
import type { Order } from '../../src/domain/order.js';
import { onEveryStore, type StoreFactory, type TestStore } from '../support/stores.js';

export const admin = { kind: 'admin' } as const;

type Key = { createdAt: number; id: string };

export interface StoreContract {
  readonly t: TestStore;
  /** The use cases' dependencies on this store and clock. */
  readonly deps: AppDeps;
  readonly clock: TestClock;
  /** A SAR merchant made by the use case, with its credentials. */
  merchant(name?: string): ReturnType<typeof newMerchant>;
  /** An admin order of 10.00 SAR, purchased, unless `overrides` say otherwise. */
  order(merchantId: string, overrides?: Partial<CreateOrderCommand>): Promise<Order>;
  /** The order's ledger rows summed by what they do. */
  sums(orderId: string): Promise<{
    captured: number;
    refunded: number;
    voided: number;
    authorized: number;
  }>;
  /** Orders read with `filter` (up to 500), as ids. */
  listed(filter: Omit<OrderFilter, 'limit'> & { limit?: number }): Promise<string[]>;
  /**
   * Walks a keyset list in both directions, a page at a time (`read` gives the page after a
   * cursor), following each page's last row, and expects `ids` oldest first.
   */
  expectWalksBothWays(
    ids: readonly string[],
    read: (direction: ListDirection, after: Key | undefined) => Promise<Key[]>,
  ): Promise<void>;
  /** Closes the store and opens it again on the same data; `deps` follows. */
  reopen(): Promise<Store>;
}

async function newMerchant(deps: AppDeps, name: string) {
  const r = await execute(deps, createMerchant({ name, currency: 'SAR' }));
  assert.ok(r.ok);
  return r.value;
}

async function newOrder(
  deps: AppDeps,
  merchantId: string,
  overrides: Partial<CreateOrderCommand>,
): Promise<Order> {
  const r = await execute(
    deps,
    createOrder({
      merchantId,
      actor: admin,
      dialect: 'admin',
      kind: 'standard',
      amountMinor: 1000,
      capture: 'purchase',
      ...overrides,
    }),
  );
  assert.ok(r.ok, JSON.stringify(r));
  return r.value.order;
}

async function ledgerSums(store: Store, orderId: string) {
  const rows = await store.read((tx) => tx.listTransactions(orderId));
  const sum = (types: string[]) =>
    rows.filter((r) => types.includes(r.type)).reduce((s, r) => s + r.amountMinor, 0);
  return {
    captured: sum(['capture', 'purchase']),
    refunded: sum(['refund']),
    voided: sum(['void']),
    authorized: sum(['authorize', 'purchase']),
  };
}

const expectWalksBothWays: StoreContract['expectWalksBothWays'] = async (ids, read) => {
  for (const direction of ['asc', 'desc'] as const) {
    const walked: string[] = [];
    let after: Key | undefined;
    for (let page = 0; page < 100; page++) {
      const rows = await read(direction, after);
      walked.push(...rows.map((r) => r.id));
      const last = rows.at(-1);
      if (!last) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    assert.deepEqual(walked, direction === 'asc' ? ids : [...ids].reverse(), direction);
  }
};

/** Opens the store before the enclosing describe's tests and drops it after. */
function contractOn(factory: StoreFactory): StoreContract {
  let t: TestStore | undefined;
  let deps: AppDeps | undefined;
  const clock = new TestClock(Date.UTC(2026, 10, 23, 12));
  before(async () => {
    t = await factory.create({ poolSize: 50 });
    deps = { store: t.store, clock, newId: uuidV7Generator(clock) };
  });
  after(async () => t?.cleanup());
  const opened = () => {
    assert.ok(t && deps, 'the store did not open');
    return { t, deps };
  };
  return {
    get t() {
      return opened().t;
    },
    get deps() {
      return opened().deps;
    },
    clock,
    merchant: (name = 'Shop') => newMerchant(opened().deps, name),
    order: (merchantId, overrides = {}) => newOrder(opened().deps, merchantId, overrides),
    sums: (orderId) => ledgerSums(opened().t.store, orderId),
    listed: (filter) =>
      opened()
        .t.store.read((tx) => tx.listOrders({ limit: 500, ...filter }))
        .then((found) => found.map((o) => o.id)),
    expectWalksBothWays,
    async reopen() {
      const reopened = await opened().t.reopen();
      deps = { ...opened().deps, store: reopened };
      return reopened;
    },
  };
}

/** Defines the contract file's tests on both engines, each under `store contract: <engine>`. */
export function storeContract(define: (contract: StoreContract) => void): Promise<void> {
  return onEveryStore((factory, skip) => {
    describe(`store contract: ${factory.engine}`, { skip }, () => define(contractOn(factory)));
  });
}
