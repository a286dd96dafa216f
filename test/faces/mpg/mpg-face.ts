/**
 * What the MPG face's suites share: an in-process Unwind on a fresh store with one SAR merchant
 * (its MPG key), clients that speak MPG to it, the seed's key order of orders and transactions,
 * and `mpgFaceSuite`, which runs a suite file on SQLite and on PostgreSQL under one describe
 * title (`MPG face: <engine>`).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { appPerSuite, type TestApp } from '../../support/app.js';
import { onEveryStore, type StoreFactory } from '../../support/stores.js';

export const SEED_ORDER_KEYS = [
  'id',
  'merchant',
  'currency',
  'amount',
  'captured_amount',
  'refunded_amount',
  'voided_amount',
  'description',
  'created_at',
  'updated_at',
  'source',
  'reauthorized_order_id',
  'airline',
  'sub_merchant',
  'agreement',
  'transactions',
];
export const SEED_TRANSACTION_KEYS = [
  'id',
  'status',
  'type',
  'source_type',
  'reverse_reason',
  'justification',
  'reversed_transaction_id',
  'message',
  'response_code',
  'retrieval_reference',
  'stan',
  'auth_code',
  'amount',
  'refunded_amount',
  'created_at',
];

export const uuid4 = (): string => crypto.randomUUID();

/** A purchase or authorization body in the seed's shape, with a card the simulator approves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are free-form JSON
export const createBody = (overrides: Record<string, unknown> = {}): Record<string, any> => ({
  amount: 262346,
  currency: 'SAR',
  description: 'Voluptatum at consequatur ullam.',
  transaction_type: 'merchant',
  source: {
    type: 'card',
    number: '5555555555554444',
    month: 12,
    year: 2030,
    security_code: '123',
  },
  device: { user_agent: 'Mozilla/5.0', ip_address: '192.0.2.10' },
  airline: { reference: '576449881' },
  sub_merchant: {
    id: 'ecb0e32fd3d95b41cbf2ca9a9513a3',
    registered_name: 'Rolfson-Legros',
    trading_name: 'Hane-Jerde',
    email: 'herschel@kilback-hamill.test',
  },
  ...overrides,
});

export interface MpgFace {
  readonly t: TestApp;
  /** The MPG api key of the suite's merchant. */
  readonly key: string;
  readonly merchantId: string;
  /** A request to `/mpg${url}` with the merchant's key, another key, or none (`null`). */
  call(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
    apiKey?: string | null,
  ): Promise<LightMyRequestResponse>;
  /** Asserts 200 and returns the body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are narrowed by asserts
  ok(r: LightMyRequestResponse): Promise<any>;
  /** An authorized order of `amount` minor units. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  authorize(amount: number): Promise<any>;
  /** The ledger rows of an order, read around the store. */
  rows(orderId: string): Promise<Record<string, unknown>[]>;
}

/** Starts the app and the merchant before the enclosing describe's tests; closes it after. */
function mpgFace(factory: StoreFactory): MpgFace {
  const app = appPerSuite(factory);
  let key = '';
  let merchantId = '';
  before(async () => {
    const r = await app().admin({
      method: 'POST',
      url: '/admin/merchants',
      payload: { name: 'Merchant 52', currency: 'SAR' },
    });
    assert.equal(r.statusCode, 201);
    key = r.json().credentials.mpg.api_key;
    merchantId = r.json().id;
  });
  const face: MpgFace = {
    get t() {
      return app();
    },
    get key() {
      return key;
    },
    get merchantId() {
      return merchantId;
    },
    call: (method, url, payload, headers = {}, apiKey = key) =>
      app().app.inject({
        method,
        url: `/mpg${url}`,
        ...(payload === undefined ? {} : { payload: payload as object }),
        headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
      }),
    async ok(r) {
      assert.equal(r.statusCode, 200, r.body);
      return r.json();
    },
    authorize: async (amount) =>
      face.ok(await face.call('POST', '/v1/orders/authorize', createBody({ amount }))),
    rows: async (orderId) =>
      (await app().testStore.rawRows('transactions')).filter((r) => r['order_id'] === orderId),
  };
  return face;
}

/** Defines the suite `define` on both engines, each under `MPG face: <engine>`. */
export function mpgFaceSuite(define: (face: MpgFace) => void): Promise<void> {
  return onEveryStore((factory, skip) => {
    describe(`MPG face: ${factory.engine}`, { skip }, () => define(mpgFace(factory)));
  });
}
