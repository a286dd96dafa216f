/** Points test steps shared by the end-to-end suites: the hosted checkout, driven as a script would. */
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import type { ServerProcess } from './server-process.js';

/** One JSON request to the server under test: status and parsed body. */
type Call = (
  method: 'GET' | 'POST',
  path: string,
  body?: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
) => Promise<{ status: number; body: any }>;

/** JSON calls into an in-process app; `admin` adds the admin token. */
export const appCall =
  (t: TestApp, admin = false): Call =>
  async (method, path, body) => {
    const res = await (admin ? t.admin : t.app.inject.bind(t.app))({
      method,
      url: path,
      headers: { accept: 'application/json' },
      ...(body ? { payload: body } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

/** JSON calls into a server process; `admin` adds its admin token. */
export const processCall =
  (server: ServerProcess, admin = false): Call =>
  async (method, path, body) =>
    server.http(method, path, body, {
      ...(admin ? {} : { token: null }),
      headers: { accept: 'application/json' },
    });

/** The session id of a checkout page path `/points/pay/{session}`. */
export const sessionOf = (pagePath: string): string =>
  decodeURIComponent(pagePath.split('/').at(-1) ?? '');

/** The newest code the development outbox holds for the session, read through the admin API. */
export async function outboxCode(admin: Call, pagePath: string): Promise<string> {
  const res = await admin(
    'GET',
    `/admin/points/otp?session=${encodeURIComponent(sessionOf(pagePath))}`,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const code = (res.body as { data: { code: string }[] }).data[0]?.code;
  assert.ok(code, `no code in the outbox for ${pagePath}`);
  return code;
}

/**
 * The customer's side of the hosted checkout: asks for a code for `phone`, reads it from the
 * outbox (as the customer reads the SMS), verifies, and pays `redeemPoints`.
 */
export async function payAtCheckout(
  call: Call,
  admin: Call,
  pagePath: string,
  customer: { readonly phoneNumber: string; readonly redeemPoints: number },
): Promise<{ order_uuid: string; redirect_url: string }> {
  const sent = await call('POST', `${pagePath}/code`, { phone_number: customer.phoneNumber });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const code = await outboxCode(admin, pagePath);
  const verified = await call('POST', `${pagePath}/verify`, { code });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  const token = (verified.body as { data: { verification_token: string } }).data.verification_token;
  const paid = await call('POST', pagePath, {
    verification_token: token,
    redeem_points: customer.redeemPoints,
  });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  return paid.body as { order_uuid: string; redirect_url: string };
}

/**
 * A customer redeems through the hosted checkout: the merchant begins the checkout with its
 * public key, the customer verifies the phone and pays on the page. Returns the order's uuid.
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
  return (await payAtCheckout(appCall(t), appCall(t, true), page, customer)).order_uuid;
}

/**
 * The same against a real server process, ending approved (captured): a redeem order paid with
 * `redeemPoints` and the rest in cash. The checkout approves it itself under the merchant's
 * default `checkout_capture`; one that left it `new` (`manual`) is completed by the merchant.
 * Returns the order's uuid.
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
  const paid = await payAtCheckout(
    processCall(server),
    processCall(server, true),
    new URL(begun.data.checkout_url as string).pathname,
    customer,
  );
  const uuid = paid.order_uuid;
  const order = await server.call('GET', `/points/api/v1/orders/${uuid}`, undefined, 200, key);
  if (order.data.order_status === 'new') {
    const complete = { payment_method: '2' };
    await server.call('POST', `/points/api/v1/orders/${uuid}/complete`, complete, 200, key);
  }
  return uuid;
}
