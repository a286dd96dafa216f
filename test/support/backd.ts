/**
 * A Backd client for in-process tests: a merchant with Backd keys, Basic auth, the order
 * lifecycle up to any status, and assertions on Backd's envelope.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';

export interface Envelope {
  // Backd's data is whatever the face renders; tests narrow it with assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  message: string;
  status: { type: string; code: number; error: boolean };
}

export const contact = (first = 'Ada') => ({
  name: { first, last: 'Lovelace' },
  company_name: 'Analytical Engines Ltd',
  address: {
    line1: '12 Difference Way',
    city: 'Austin',
    state: 'TX',
    zipcode: '73301',
    country: 'US',
  },
  phone_number: '+1 512 555 0100',
  email: 'ada@example.com',
});

/** A create_order body: 91.50 = 90.00 + 1.00 + 0.50 − 0.00. */
export const createBody = (overrides: Record<string, unknown> = {}) => ({
  order_total: 91.5,
  cart_amount: 90,
  tax_amount: 1,
  shipping_amount: 0.5,
  discount_amount: 0,
  merchant_order_id: 'JKLMO4321',
  merchant_order_status: 'processing',
  shipping: contact('Grace'),
  billing: contact(),
  items: [
    {
      display_name: 'Widget',
      sku: 'W-1',
      unit_price: 45,
      qty: 2,
      item_url: 'https://shop.example/w',
    },
  ],
  mode: {
    type: 'redirect',
    order_success_url: 'https://shop.example/success',
    order_close_url: 'https://shop.example/close',
  },
  ...overrides,
});

export interface BackdMerchant {
  readonly id: string;
  readonly publicKey: string;
  readonly secretKey: string;
  readonly auth: string;
}

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

export async function createBackdMerchant(
  t: TestApp,
  settings: Record<string, unknown> = {},
  currency = 'USD',
): Promise<BackdMerchant> {
  const res = await t.admin({
    method: 'POST',
    url: '/admin/merchants',
    payload: { name: 'Backd Shop', currency, settings },
  });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json() as {
    id: string;
    credentials: { backd: { public_key: string; secret_key: string } };
  };
  const { public_key: publicKey, secret_key: secretKey } = body.credentials.backd;
  return { id: body.id, publicKey, secretKey, auth: basic(publicKey, secretKey) };
}

export interface CallOptions {
  readonly auth?: string | null;
  readonly headers?: Record<string, string>;
}

export function backdCall(
  t: TestApp,
  merchant: BackdMerchant,
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
  path: string,
  payload?: unknown,
  options: CallOptions = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const auth = options.auth === undefined ? merchant.auth : options.auth;
  if (auth !== null) headers['authorization'] = auth;
  return t.app.inject({
    method,
    url: `/backd${path}`,
    headers,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

/** Asserts a success envelope (200) and returns it. */
export function expectSuccess(res: LightMyRequestResponse): Envelope {
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as Envelope;
  assert.deepEqual(Object.keys(body).sort(), ['data', 'message', 'status']);
  assert.deepEqual(body.status, { type: 'success', code: 200, error: false });
  assert.equal(typeof body.message, 'string');
  return body;
}

/** Asserts an error envelope with this status (and exact message, when given). */
export function expectFailure(
  res: LightMyRequestResponse,
  status: number,
  message?: string | RegExp,
): Envelope {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json() as Envelope;
  assert.deepEqual(Object.keys(body).sort(), ['data', 'message', 'status']);
  assert.equal(body.data, null);
  assert.deepEqual(body.status, { type: 'error', code: status, error: true });
  assert.ok(body.message.length > 0);
  if (typeof message === 'string') assert.equal(body.message, message);
  else if (message) assert.match(body.message, message);
  return body;
}

export interface CreatedOrder {
  readonly backdOrderId: string;
  readonly token: string;
  readonly customerUrl: string;
  readonly merchantOrderId: string;
}

export async function createBackdOrder(
  t: TestApp,
  merchant: BackdMerchant,
  overrides: Record<string, unknown> = {},
): Promise<CreatedOrder> {
  const body = expectSuccess(
    await backdCall(t, merchant, 'POST', '/create_order', createBody(overrides)),
  );
  const customerUrl = body.data.customer_url as string;
  return {
    backdOrderId: body.data.backd_order_id as string,
    customerUrl,
    token: customerUrl.split('/').pop()!,
    merchantOrderId: body.data.merchant_order_id as string,
  };
}

/** The buyer's terms choice through the page's JSON form. */
export function selectTerms(t: TestApp, token: string, terms = 'net30') {
  return t.app.inject({
    method: 'POST',
    url: `/backd/checkout/${token}`,
    headers: { accept: 'application/json' },
    payload: { terms },
  });
}

const LIFECYCLE = ['created', 'terms_selected', 'order_placed', 'order_confirmed'] as const;

/** Creates an order and walks it to `status`. */
export async function orderIn(
  t: TestApp,
  merchant: BackdMerchant,
  status: (typeof LIFECYCLE)[number],
  overrides: Record<string, unknown> = {},
): Promise<CreatedOrder> {
  const order = await createBackdOrder(t, merchant, overrides);
  const ref = { backd_order_id: order.backdOrderId, merchant_order_id: order.merchantOrderId };
  const steps = LIFECYCLE.indexOf(status);
  if (steps >= 1) assert.equal((await selectTerms(t, order.token)).statusCode, 200);
  if (steps >= 2) expectSuccess(await backdCall(t, merchant, 'POST', '/order_placed', ref));
  if (steps >= 3) expectSuccess(await backdCall(t, merchant, 'POST', '/confirm_order', ref));
  return order;
}

export const refundBody = (order: CreatedOrder, amount: unknown) => ({
  backd_order_id: order.backdOrderId,
  merchant_order_id: order.merchantOrderId,
  refund_amount: amount,
});

export async function findOrder(t: TestApp, merchant: BackdMerchant, order: CreatedOrder) {
  return expectSuccess(await backdCall(t, merchant, 'GET', `/find_order/${order.backdOrderId}`))
    .data;
}
