// Proves, on both stores, how many SQL statements, round trips and write transactions one refund
// sends through each face (the store's own counters, which are deterministic, unlike time): the
// admin refund, a Points partial refund, an MPG refund with a fresh transaction_id (and its
// retry), and a Backd refund-request submission. A change that adds a statement to a refund
// fails here, so the benchmark's figures cannot regress unnoticed (docs/operations.md).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { storeCounters } from '../../src/app/context.js';
import { appPerSuite, type TestApp } from '../support/app.js';
import { basic, createBody } from '../support/backd.js';
import { cardOrder } from '../support/mpg.js';
import { postgresFactory, postgresSkipReason, sqliteFactory } from '../support/stores.js';
import type { StoreFactory } from '../support/stores.js';

interface Cost {
  readonly statements: number;
  readonly roundTrips: number | null;
  readonly transactions: number;
}

/**
 * What one request of each kind costs. SQLite counts BEGIN and COMMIT of a lone transaction (its
 * group of one) like PostgreSQL does; round trips exist only on PostgreSQL, one per statement
 * except BEGIN, which travels with the transaction's first statement.
 */
// The admin refund reads its merchant, for the four-eyes threshold (refund_approval_above_minor),
// in the statement that locks the order. On PostgreSQL a change's writes (ledger rows, order,
// event, deliveries) are one statement (LedgerStore.writeChange); SQLite sends them in turn. A
// Backd order's row is locked and read with its core order's, and a Points order's record with
// its order. On PostgreSQL a round trip is a wait for the server: writes whose answer decides
// nothing go behind the next statement (SqlSession.write: an existing order's change without a
// client's id, MPG's search row and new claim, Backd's requests), and reads leave right behind
// the lock (MPG's replay look-up, its order's ledger for the answer and the row under its
// transaction_id; Backd's active request), so several statements share a round trip. An MPG
// refund reads the row under its transaction_id with the lock, one statement more on SQLite, so
// that on PostgreSQL its change can go behind once the id is known to be free.
const EXPECTED: Record<string, Record<string, Cost>> = {
  sqlite: {
    'admin refund': { statements: 9, roundTrips: null, transactions: 1 },
    'Points refund': { statements: 10, roundTrips: null, transactions: 1 },
    'MPG refund': { statements: 15, roundTrips: null, transactions: 1 },
    'MPG refund retried': { statements: 11, roundTrips: null, transactions: 1 },
    'Backd refund request': { statements: 16, roundTrips: null, transactions: 1 },
  },
  postgres: {
    'admin refund': { statements: 4, roundTrips: 2, transactions: 1 },
    'Points refund': { statements: 5, roundTrips: 3, transactions: 1 },
    'MPG refund': { statements: 10, roundTrips: 3, transactions: 1 },
    'MPG refund retried': { statements: 9, roundTrips: 5, transactions: 1 },
    'Backd refund request': { statements: 10, roundTrips: 4, transactions: 1 },
  },
};

async function inject(t: TestApp, options: InjectOptions, status: number) {
  const res = await t.app.inject(options);
  assert.equal(res.statusCode, status, `${options.method} ${options.url}: ${res.body}`);
  return res.json() as Record<string, unknown> & { data?: Record<string, unknown> };
}

/** The store's cost of `request`: the counters' difference around it. */
async function costOf(t: TestApp, request: () => Promise<unknown>): Promise<Cost> {
  const before = await storeCounters(t.deps);
  await request();
  const after = await storeCounters(t.deps);
  return {
    statements: after.statements - before.statements,
    roundTrips: after.roundTrips === null ? null : after.roundTrips - before.roundTrips!,
    transactions: after.transactions - before.transactions,
  };
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`statements per refund, each face: ${factory.engine}`, { skip }, () => {
    const app = appPerSuite(factory);
    const costs: Record<string, Cost> = {};
    let keys: { points: string; mpg: string; backd: string; sar: string };

    const merchants = async () => {
      const t = app();
      const sar = await t.call<{ id: string; credentials: Record<string, Record<string, string>> }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Counted', currency: 'SAR' } },
        201,
      );
      const usd = await t.call<{ credentials: Record<string, Record<string, string>> }>(
        { method: 'POST', url: '/admin/merchants', payload: { name: 'Counted', currency: 'USD' } },
        201,
      );
      keys = {
        sar: sar.id,
        points: sar.credentials['points']!['api_key']!,
        mpg: sar.credentials['mpg']!['api_key']!,
        backd: basic(
          usd.credentials['backd']!['public_key']!,
          usd.credentials['backd']!['secret_key']!,
        ),
      };
    };

    it('admin refund', async () => {
      await merchants();
      const t = app();
      const order = await t.call<{ id: string }>(
        {
          method: 'POST',
          url: '/admin/orders',
          payload: { merchant_id: keys.sar, amount_minor: 1000 },
        },
        201,
      );
      const refund = () =>
        t.call(
          { method: 'POST', url: `/admin/orders/${order.id}/refund`, payload: { amount_minor: 1 } },
          200,
        );
      await refund();
      costs['admin refund'] = await costOf(t, refund);
    });

    it('Points partial refund', async () => {
      const t = app();
      const headers = { 'x-api-key': keys.points };
      // An earning for a phone without a wallet is queued, not an order: open the wallet first.
      await t.call(
        {
          method: 'POST',
          url: '/admin/points/customers',
          payload: { phone_number: '0512345678', balance: 0 },
        },
        201,
      );
      const created = await inject(
        t,
        {
          method: 'POST',
          url: '/points/api/v1/orders/earning',
          headers,
          payload: {
            phone_number: '0512345678',
            total_price: 100,
            order_number: `COUNT-${crypto.randomUUID()}`,
            products: [{ product_name: 'Oud', product_price: 100, quantity: 1 }],
          },
        },
        200,
      );
      const uuid = created.data!['uuid'] as string;
      const refund = () =>
        inject(
          t,
          {
            method: 'POST',
            url: `/points/api/v1/orders/${uuid}/refund`,
            headers,
            payload: { amount: 0.01, reason: 'counted' },
          },
          200,
        );
      await refund();
      costs['Points refund'] = await costOf(t, refund);
    });

    it('MPG refund with a fresh transaction_id, and its retry', async () => {
      const t = app();
      const headers = { authorization: `Bearer ${keys.mpg}` };
      const order = await inject(
        t,
        { method: 'POST', url: '/mpg/v1/orders/purchase', headers, payload: cardOrder('Counted') },
        200,
      );
      const refund = (transactionId: string) => () =>
        inject(
          t,
          {
            method: 'POST',
            url: `/mpg/v1/orders/${order['id'] as string}/refund`,
            headers,
            payload: { amount: 1, transaction_id: transactionId },
          },
          200,
        );
      await refund(crypto.randomUUID())();
      const id = crypto.randomUUID();
      costs['MPG refund'] = await costOf(t, refund(id));
      costs['MPG refund retried'] = await costOf(t, refund(id));
    });

    it('Backd refund request submitted', async () => {
      const t = app();
      const headers = { authorization: keys.backd };
      const merchantOrderId = `MO-${crypto.randomUUID().slice(0, 18)}`;
      const created = await inject(
        t,
        {
          method: 'POST',
          url: '/backd/create_order',
          headers,
          payload: createBody({ merchant_order_id: merchantOrderId }),
        },
        200,
      );
      const ref = {
        backd_order_id: created.data!['backd_order_id'] as string,
        merchant_order_id: merchantOrderId,
      };
      const token = String(created.data!['customer_url']).split('/').pop()!;
      await inject(
        t,
        {
          method: 'POST',
          url: `/backd/checkout/${token}`,
          headers: { accept: 'application/json' },
          payload: { terms: 'net30' },
        },
        200,
      );
      await inject(t, { method: 'POST', url: '/backd/order_placed', headers, payload: ref }, 200);
      await inject(t, { method: 'POST', url: '/backd/confirm_order', headers, payload: ref }, 200);
      const submit = () =>
        inject(
          t,
          {
            method: 'POST',
            url: '/backd/refund',
            headers,
            payload: { ...ref, refund_amount: 0.01 },
          },
          200,
        );
      await submit();
      costs['Backd refund request'] = await costOf(t, submit);
    });

    it('costs what it is expected to', () => {
      process.stdout.write(`# ${factory.engine} ${JSON.stringify(costs)}\n`);
      assert.deepEqual(costs, EXPECTED[factory.engine]);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
