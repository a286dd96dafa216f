/**
 * Steps the hosted-checkout process suites share: merchants with Points keys, checkouts begun
 * with the public key, the development outbox read through the admin API, the test clock, and
 * a customer walking the page's forms from the phone to the wallet.
 */
import assert from 'node:assert/strict';
import type { CheckoutBrowser } from './checkout-browser.js';
import { formNamed, type Page } from './checkout-browser.js';
import type { ServerProcess } from './server-process.js';

export interface PointsMerchant {
  readonly id: string;
  readonly apiKey: string;
  readonly publicKey: string;
}

export async function pointsMerchant(
  server: ServerProcess,
  name: string,
  settings: Record<string, unknown> = {},
): Promise<PointsMerchant> {
  const body = await server.call('POST', '/admin/merchants', { name, settings }, 201);
  return {
    id: body.id,
    apiKey: body.credentials.points.api_key,
    publicKey: body.credentials.points.public_key,
  };
}

let orderSeq = 0;

/** Begins a checkout with the merchant's public key only; returns the page's path. */
export async function beginCheckout(
  server: ServerProcess,
  m: PointsMerchant,
  body: Record<string, unknown> = {},
): Promise<string> {
  const begun = await server.call(
    'POST',
    `/points/api/v1/orders/checkout/${m.publicKey}`,
    { total_price: 200, order_number: `CO-${process.pid}-${++orderSeq}`, ...body },
    200,
    { token: null },
  );
  return new URL(begun.data.checkout_url as string).pathname;
}

/** The outbox entries of a session, newest first, through the admin API. */
export async function outboxOf(
  server: ServerProcess,
  query: { session?: string; phone?: string },
): Promise<{ phone_number: string; session_id: string; code: string; expires_at: string }[]> {
  const params = new URLSearchParams(query as Record<string, string>);
  return (await server.call('GET', `/admin/points/otp?${params}`, undefined, 200)).data;
}

export const sessionOfPath = (path: string) => decodeURIComponent(path.split('/').at(-1)!);

/** The newest code the outbox holds for the checkout at `path`. */
export async function codeOf(server: ServerProcess, path: string): Promise<string> {
  const [latest] = await outboxOf(server, { session: sessionOfPath(path) });
  assert.ok(latest, `no code in the outbox for ${path}`);
  return latest.code;
}

export const setClock = (server: ServerProcess, ms: number) =>
  server.call('POST', '/admin/clock', { now: new Date(ms).toISOString() }, 200);

/** A code that is not `code`. */
export const wrongCode = (code: string) => (code === '000000' ? '000001' : '000000');

/** The customer types the phone on the page; returns the page that asks for the code. */
export async function requestCode(
  browser: CheckoutBrowser,
  path: string,
  phone: string,
): Promise<Page> {
  const start = await browser.open(path);
  assert.equal(start.status, 200, start.html);
  return browser.submit(formNamed(start, 'Send code'), { phone_number: phone });
}

/** Phone, code from the outbox, verify: returns the wallet page. */
export async function verifyPhone(
  server: ServerProcess,
  browser: CheckoutBrowser,
  path: string,
  phone: string,
): Promise<Page> {
  const codePage = await requestCode(browser, path, phone);
  assert.equal(codePage.status, 200, codePage.html);
  const wallet = await browser.submit(formNamed(codePage, 'Verify'), {
    code: await codeOf(server, path),
  });
  assert.equal(wallet.status, 200, wallet.html);
  return wallet;
}
