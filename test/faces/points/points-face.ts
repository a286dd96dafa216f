/**
 * What the Points face's suites share: an in-process Unwind on a fresh store, merchants made
 * through the admin API, clients that speak Points to it (and assert its envelopes), customers'
 * wallets, and `pointsFaceSuite`, which runs a suite file on SQLite and on PostgreSQL under one
 * describe title (`Points API: <engine>`).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { appPerSuite, type TestApp } from '../../support/app.js';
import { appCall, payAtCheckout } from '../../support/points.js';
import { onEveryStore, type StoreFactory } from '../../support/stores.js';

export const DAY_S = 86_400;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface Merchant {
  id: string;
  apiKey: string;
  publicKey: string;
}

export interface OrderData {
  id: number;
  uuid: string;
  reference_number: string | null;
  order_status: string;
  order_number: string;
  type: number;
  total_price: number;
  total_points: number;
  metadata: unknown;
  status: number | null;
  status_label: string | null;
  custom_status: { ar: string | null; en: string | null } | null;
  created_at: string;
  updated_at: string;
  items?: { product_name: string; product_price: number; quantity: number }[];
}

export interface Wallet {
  balance: number;
  ledger: { type: string; points: number; balance_after: number; order_id: string | null }[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PointsFace {
  readonly t: TestApp;
  readonly engine: StoreFactory['engine'];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** A phone number (national, without the leading 0) no other test of the suite uses. */
  newPhone(): string;
  /** A merchant with these settings, made through the admin API; its Points keys. */
  merchant(settings?: Record<string, unknown>): Promise<Merchant>;
  /** A request to `/points/api/v1${path}` with the merchant's private key. */
  api(
    m: Merchant,
    method: Method,
    path: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Asserts a success envelope; returns its order. */
  data(res: LightMyRequestResponse): OrderData;
  assertError(res: LightMyRequestResponse, status: number, message: string): void;
  assertInvalid(res: LightMyRequestResponse, errors: Record<string, string[]>): void;
  /**
   * An earning order of 150.75 SAR unless `body` says otherwise, for a customer whose account is
   * activated first (its wallet opened at 0 through the admin API, once per phone), so the
   * earning is awarded rather than queued.
   */
  earn(m: Merchant, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** A customer's wallet and ledger, read through the admin API. */
  wallet(phone: string): Promise<Wallet>;
  /** Sets a customer's balance through the admin API (which activates the account). */
  seed(phone: string, balance: number): Promise<void>;
  /** Activates the customer's account once (a wallet at 0) unless it already has a wallet. */
  activate(phone: string): Promise<void>;
  /**
   * A replacing order created through the hosted checkout, `new` until the merchant acts: the
   * merchant's `checkout_capture` is set to `manual` first.
   */
  redeemOrder(
    m: Merchant,
    totalPrice: number,
    redeemPoints: number,
    phone?: string,
  ): Promise<{ uuid: string; phone: string }>;
}

/** Asserts a success envelope; returns its order. */
export function data(res: LightMyRequestResponse): OrderData {
  const body = res.json() as { status: boolean; message: string; data: OrderData };
  assert.equal(body.status, true, res.body);
  return body.data;
}

export function assertError(res: LightMyRequestResponse, status: number, message: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.deepEqual(res.json(), { status: false, message, appended_data: {} });
}

export function assertInvalid(res: LightMyRequestResponse, errors: Record<string, string[]>): void {
  assert.equal(res.statusCode, 422, res.body);
  assert.deepEqual(res.json(), {
    status: false,
    message: 'The given data was invalid.',
    appended_data: {},
    errors,
  });
}

async function createMerchant(t: TestApp, settings: Record<string, unknown>): Promise<Merchant> {
  const res = await t.admin({
    method: 'POST',
    url: '/admin/merchants',
    payload: { name: 'Shop', settings },
  });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json() as {
    id: string;
    credentials: { points: { api_key: string; public_key: string } };
  };
  return {
    id: body.id,
    apiKey: body.credentials.points.api_key,
    publicKey: body.credentials.points.public_key,
  };
}

async function readWallet(t: TestApp, phone: string): Promise<Wallet> {
  const res = await t.admin({ method: 'GET', url: `/admin/points/customers/${phone}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Wallet;
}

async function seedWallet(t: TestApp, phone: string, balance: number): Promise<void> {
  const res = await t.admin({
    method: 'POST',
    url: '/admin/points/customers',
    payload: { phone_number: phone, balance },
  });
  assert.equal(res.statusCode, 201, res.body);
}

/** Opens a hosted checkout and pays it as the customer `phone`, redeeming `redeemPoints`. */
async function payCheckout(
  t: TestApp,
  m: Merchant,
  order: { total_price: number; order_number: string },
  customer: { phoneNumber: string; redeemPoints: number },
): Promise<string> {
  const checkout = await t.app.inject({
    method: 'POST',
    url: `/points/api/v1/orders/checkout/${m.publicKey}`,
    payload: order,
  });
  assert.equal(checkout.statusCode, 200, checkout.body);
  const url = new URL((checkout.json() as { data: { checkout_url: string } }).data.checkout_url);
  const paid = await payAtCheckout(appCall(t), appCall(t, true), url.pathname, customer);
  return paid.order_uuid;
}

/** Starts the app before the enclosing describe's tests and closes it after. */
function pointsFace(factory: StoreFactory): PointsFace {
  const app = appPerSuite(factory);
  let phoneSeq = 0;
  const activated = new Map<string, Promise<void>>();
  const face: PointsFace = {
    get t() {
      return app();
    },
    engine: factory.engine,
    inject: (options) => app().app.inject(options),
    newPhone: () => `5${String(10_000_000 + ++phoneSeq * 7919).padStart(8, '0')}`,
    merchant: (settings = {}) => createMerchant(app(), settings),
    api: (m, method, path, payload, headers = {}) =>
      face.inject({
        method,
        url: `/points/api/v1${path}`,
        headers: { 'x-api-key': m.apiKey, ...headers },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      }),
    data,
    assertError,
    assertInvalid,
    async earn(m, body = {}) {
      const full = {
        phone_number: '0500000002',
        total_price: 150.75,
        order_number: `ORD-${++phoneSeq}`,
        products: [{ product_name: 'Perfume', product_price: 150.75, quantity: 1 }],
        ...body,
      };
      if (typeof full.phone_number === 'string') await face.activate(full.phone_number);
      return face.api(m, 'POST', '/orders/earning', full);
    },
    activate(phone) {
      const national = phone.replace(/^0/, '');
      if (!/^5\d{8}$/.test(national)) return Promise.resolve();
      let done = activated.get(national);
      if (!done) {
        done = (async () => {
          const res = await app().admin({
            method: 'GET',
            url: `/admin/points/customers/${national}`,
          });
          if (res.statusCode === 404) await seedWallet(app(), national, 0);
        })();
        activated.set(national, done);
      }
      return done;
    },
    wallet: (phone) => readWallet(app(), phone),
    seed: (phone, balance) => seedWallet(app(), phone, balance),
    async redeemOrder(m, totalPrice, redeemPoints, phone = face.newPhone()) {
      if (redeemPoints > 0) await face.seed(phone, redeemPoints);
      const manual = await app().admin({
        method: 'PATCH',
        url: `/admin/merchants/${m.id}`,
        payload: { settings: { checkout_capture: 'manual' } },
      });
      assert.equal(manual.statusCode, 200, manual.body);
      const order = { total_price: totalPrice, order_number: `CO-${++phoneSeq}` };
      const uuid = await payCheckout(app(), m, order, { phoneNumber: phone, redeemPoints });
      return { uuid, phone };
    },
  };
  return face;
}

/** Defines the suite `define` on both engines, each under `Points API: <engine>`. */
export function pointsFaceSuite(define: (face: PointsFace) => void): Promise<void> {
  return onEveryStore((factory, skip) => {
    describe(`Points API: ${factory.engine}`, { skip }, () => define(pointsFace(factory)));
  });
}
