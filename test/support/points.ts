/** Points test steps shared by the end-to-end suites. */
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import type { ServerProcess } from './server-process.js';

/**
 * A customer redeems through the hosted checkout, driven as a script would (JSON): the merchant
 * begins the checkout with its public key, the customer pays on the page. Returns the order's uuid.
 */
export async function redeemViaCheckout(
  t: TestApp,
  publicKey: string,
  checkout: Readonly<Record<string, unknown>>,
  customer: { readonly phoneNumber: string; readonly redeemPoints: number },
): Promise<string> {
  const begun = await t.app.inject({
    method: 'POST',
    url: `/points/api/v1/orders/checkout/${publicKey}`,
    payload: checkout,
  });
  assert.equal(begun.statusCode, 200, begun.body);
  const page = new URL((begun.json() as { data: { checkout_url: string } }).data.checkout_url)
    .pathname;
  const paid = await t.app.inject({
    method: 'POST',
    url: page,
    headers: { accept: 'application/json' },
    payload: { phone_number: customer.phoneNumber, redeem_points: customer.redeemPoints },
  });
  assert.equal(paid.statusCode, 200, paid.body);
  return (paid.json() as { order_uuid: string }).order_uuid;
}

/**
 * The same against a real server process, then completed (captured) by the merchant: a redeem
 * order paid with `redeemPoints` and the rest in cash. Returns the order's uuid.
 */
export async function redeemAndComplete(
  server: ServerProcess,
  credentials: { readonly api_key: string; readonly public_key: string },
  checkout: Readonly<Record<string, unknown>>,
  customer: { readonly phoneNumber: string; readonly redeemPoints: number },
): Promise<string> {
  const key = { token: null, headers: { 'x-api-key': credentials.api_key } };
  const begun = await server.call(
    'POST',
    `/points/api/v1/orders/checkout/${credentials.public_key}`,
    checkout,
    200,
    key,
  );
  const paid = await server.call(
    'POST',
    new URL(begun.data.checkout_url as string).pathname,
    { phone_number: customer.phoneNumber, redeem_points: customer.redeemPoints },
    200,
    { token: null, headers: { accept: 'application/json' } },
  );
  await server.call(
    'POST',
    `/points/api/v1/orders/${paid.order_uuid}/complete`,
    { payment_method: '2' },
    200,
    key,
  );
  return paid.order_uuid as string;
}
