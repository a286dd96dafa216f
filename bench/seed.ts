/**
 * Orders for the refund benchmarks, made through the faces themselves over HTTP, so every row a
 * refund reads is the one the product writes: a SAR merchant (admin, Points and MPG orders) and a
 * USD merchant (Backd orders, confirmed and so refundable through refund requests).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { basic, createBody } from '../test/support/backd.js';
import { cardOrder } from '../test/support/mpg.js';
import type { WrkFace } from './wrk.js';
import type { jsonClient } from './load.js';
import { BENCH_ADMIN_TOKEN } from './load.js';

type Client = ReturnType<typeof jsonClient>;

export interface BenchMerchants {
  readonly sarMerchantId: string;
  readonly usdMerchantId: string;
  /** Each face's credential header, as wrk sends it: "name: value". */
  readonly auth: Readonly<Record<Exclude<WrkFace, 'empty'>, string>>;
}

/** Minor units of every admin order: large enough for millions of one-unit refunds. */
const ADMIN_ORDER_MINOR = 1_000_000_000;
/** MPG's largest amount (src/domain/bounds.ts). */
const MPG_ORDER_MINOR = 100_000_000;
/** SAR of every Points order: a million refunds of 0.01. */
const POINTS_ORDER_SAR = 10_000;

const headerObject = (header: string): Record<string, string> => {
  const i = header.indexOf(':');
  return { [header.slice(0, i).trim().toLowerCase()]: header.slice(i + 1).trim() };
};

/** Sends a request that must answer `status`; returns the parsed body. */
export async function must(
  client: Client,
  status: number,
  method: string,
  pathname: string,
  body?: unknown,
  header?: string,
  // Bodies are whatever the face renders; callers read the fields they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const res = await client.request(
    method,
    pathname,
    body,
    header === undefined ? undefined : headerObject(header),
  );
  if (res.status !== status) {
    throw new Error(`${method} ${pathname} answered ${res.status}, not ${status}: ${res.body}`);
  }
  return res.body ? JSON.parse(res.body) : null;
}

export async function createMerchants(client: Client): Promise<BenchMerchants> {
  const sar = await must(client, 201, 'POST', '/admin/merchants', {
    name: 'Bench SAR',
    currency: 'SAR',
  });
  const usd = await must(client, 201, 'POST', '/admin/merchants', {
    name: 'Bench USD',
    currency: 'USD',
  });
  return {
    sarMerchantId: sar.id,
    usdMerchantId: usd.id,
    auth: {
      admin: `authorization: Bearer ${BENCH_ADMIN_TOKEN}`,
      points: `x-api-key: ${sar.credentials.points.api_key}`,
      mpg: `authorization: Bearer ${sar.credentials.mpg.api_key}`,
      backd: `authorization: ${basic(usd.credentials.backd.public_key, usd.credentials.backd.secret_key)}`,
    },
  };
}

/** Runs `make(i)` for i in [0, n) with `concurrency` at a time; results in order of i. */
export async function inParallel<T>(
  n: number,
  concurrency: number,
  make: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

// Points customers: a distinct phone per order, so refunds never queue on one wallet.
let phoneSeq = crypto.randomInt(1_000_000);

/**
 * Creates one order of `face` ready to refund and returns its line for wrk's id file: the order
 * id (Points: its uuid; Backd: "<backd_order_id> <merchant_order_id>").
 */
export async function createOrder(
  client: Client,
  face: Exclude<WrkFace, 'empty'>,
  m: BenchMerchants,
): Promise<string> {
  if (face === 'admin') {
    const order = await must(
      client,
      201,
      'POST',
      '/admin/orders',
      { merchant_id: m.sarMerchantId, amount_minor: ADMIN_ORDER_MINOR },
      m.auth.admin,
    );
    return order.id;
  }
  if (face === 'points') {
    const phone = `05${String(phoneSeq++ % 100_000_000).padStart(8, '0')}`;
    // The customer's account is activated first, so the earning is awarded (not queued).
    await must(
      client,
      201,
      'POST',
      '/admin/points/customers',
      { phone_number: phone, balance: 0 },
      m.auth.admin,
    );
    const created = await must(
      client,
      200,
      'POST',
      '/points/api/v1/orders/earning',
      {
        phone_number: phone,
        total_price: POINTS_ORDER_SAR,
        order_number: `BENCH-${crypto.randomUUID()}`,
        products: [{ product_name: 'Oud', product_price: POINTS_ORDER_SAR, quantity: 1 }],
      },
      m.auth.points,
    );
    return created.data.uuid;
  }
  if (face === 'mpg') {
    const order = await must(
      client,
      200,
      'POST',
      '/mpg/v1/orders/purchase',
      cardOrder('Bench', MPG_ORDER_MINOR),
      m.auth.mpg,
    );
    return order.id;
  }
  return createBackdOrder(client, m);
}

/** A Backd order taken to `order_confirmed`, where refund requests are accepted. */
async function createBackdOrder(client: Client, m: BenchMerchants): Promise<string> {
  const merchantOrderId = `MO-${crypto.randomUUID().slice(0, 18)}`;
  const created = await must(
    client,
    200,
    'POST',
    '/backd/create_order',
    createBody({ merchant_order_id: merchantOrderId }),
    m.auth.backd,
  );
  const ref = { backd_order_id: created.data.backd_order_id, merchant_order_id: merchantOrderId };
  const token = String(created.data.customer_url).split('/').pop()!;
  await must(
    client,
    200,
    'POST',
    `/backd/checkout/${token}`,
    { terms: 'net30' },
    'accept: application/json',
  );
  await must(client, 200, 'POST', '/backd/order_placed', ref, m.auth.backd);
  await must(client, 200, 'POST', '/backd/confirm_order', ref, m.auth.backd);
  return `${ref.backd_order_id} ${ref.merchant_order_id}`;
}

/** Writes wrk's id file: one line per order. */
export function writeIds(dir: string, name: string, lines: readonly string[]): string {
  const file = path.join(dir, `${name}.ids`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
