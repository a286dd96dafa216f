/**
 * What `unwind demo` seeds, one story per face, each told through that face's own API (and the
 * admin API) on a test clock that walks through the past days, so the dashboard shows a history:
 * orders in every state of their face, refunds, refund requests before and after their lock, a
 * webhook endpoint whose deliveries fail, and a reconciliation run.
 */
import crypto from 'node:crypto';
import { findingCount } from '../domain/reconciliation.js';
import type { DemoClient, Json } from './demo-client.js';

export const DEMO_NAMES = {
  points: 'Demo Points shop',
  backd: 'Demo Backd supplier',
  mpg: 'Demo MPG store',
} as const;

/** A host that never resolves (RFC 6761 `.invalid`): every delivery to it fails at once. */
export const FAILING_WEBHOOK_URL = 'https://hooks.unwind-demo.invalid/mpg';
/** The demo customer's phone (Points' form) and the points the wallet starts with. */
const DEMO_PHONE = '0555000101';
const HOUR_MS = 3_600_000;

/** The clock the stories move forward, and the admin credential. */
export interface DemoContext {
  readonly client: DemoClient;
  readonly admin: { readonly admin: string };
  /** Moves the test clock forward by `ms` (never back). */
  advance(ms: number): void;
  /** Runs the Backd refund-request job until nothing is due. */
  runRefundRequestJob(): Promise<number>;
  /** Sets the test clock to `at` if that is later than now. */
  advanceTo(at: number): void;
}

export interface SeededMerchant {
  readonly id: string;
  readonly name: string;
  readonly orders: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

const count = (statuses: readonly string[]) =>
  statuses.reduce<Record<string, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});

async function createMerchant(
  ctx: DemoContext,
  name: string,
  currency: string,
  settings: Readonly<Record<string, unknown>> = {},
): Promise<Json> {
  const body = { name, currency, settings };
  return ctx.client.json(ctx.admin, 'POST', '/admin/merchants', body, 201);
}

/** Points: earning orders approved and refunded in part and in full; checkout orders in every state. */
export async function seedPoints(ctx: DemoContext): Promise<SeededMerchant> {
  // Its checkout orders are left `new` so the demo can take each one to a different state.
  const merchant = await createMerchant(ctx, DEMO_NAMES.points, 'SAR', {
    checkout_capture: 'manual',
  });
  const key = { pointsKey: merchant.credentials.points.api_key as string };
  const publicKey = merchant.credentials.points.public_key as string;
  await ctx.client.json(
    ctx.admin,
    'POST',
    '/admin/points/customers',
    { phone_number: DEMO_PHONE, balance: 5000 },
    201,
  );
  const api = '/points/api/v1/orders';
  const statuses: string[] = [];
  const earn = async (number: string, price: number) => {
    ctx.advance(20 * 60_000);
    const order = await ctx.client.json(key, 'POST', `${api}/earning`, {
      phone_number: DEMO_PHONE,
      total_price: price,
      order_number: number,
      products: [{ product_name: 'Perfume', product_price: price, quantity: 1 }],
    });
    return order.data.uuid as string;
  };
  await earn('DEMO-P-1001', 150.75);
  const partly = await earn('DEMO-P-1002', 200);
  const fully = await earn('DEMO-P-1003', 80);
  ctx.advance(HOUR_MS);
  await ctx.client.json(key, 'POST', `${api}/${partly}/refund`, {
    amount: 50,
    reason: 'One bottle returned',
  });
  await ctx.client.json(key, 'POST', `${api}/${fully}/refund`, { reason: 'Order returned' });
  statuses.push('approved', 'partially_refunded', 'fully_refunded');

  // Replacing orders: the customer pays with points on the hosted checkout, after a code.
  const steps: Record<string, readonly string[]> = {
    'DEMO-P-2001': [],
    'DEMO-P-2002': ['authorize'],
    'DEMO-P-2003': ['authorize', 'capture'],
    'DEMO-P-2004': ['cancel'],
    'DEMO-P-2005': ['complete'],
  };
  for (const [number, operations] of Object.entries(steps)) {
    ctx.advance(HOUR_MS);
    const uuid = await payWithPoints(ctx, publicKey, number);
    for (const operation of operations) {
      ctx.advance(10 * 60_000);
      const body =
        operation === 'complete'
          ? { payment_method: '2' }
          : operation === 'cancel'
            ? { reason: 'Customer changed their mind' }
            : undefined;
      await ctx.client.json(key, 'POST', `${api}/${uuid}/${operation}`, body);
    }
  }
  statuses.push('new', 'authorized', 'captured', 'cancelled', 'approved');
  return { id: merchant.id, name: merchant.name, orders: count(statuses), notes: [] };
}

/** One hosted checkout, paid with 300 points: the code is read from the development outbox. */
async function payWithPoints(ctx: DemoContext, publicKey: string, number: string) {
  const opened = await ctx.client.json(
    null,
    'POST',
    `/points/api/v1/orders/checkout/${publicKey}`,
    { total_price: 100, order_number: number, callback_url: 'https://shop.example/done' },
  );
  const page = new URL(opened.data.checkout_url as string).pathname;
  const session = page.split('/').pop()!;
  await ctx.client.json(null, 'POST', `${page}/code`, { phone_number: DEMO_PHONE });
  const codes = await ctx.client.json(ctx.admin, 'GET', `/admin/points/otp?session=${session}`);
  const verified = await ctx.client.json(null, 'POST', `${page}/verify`, {
    code: codes.data[0].code,
  });
  const paid = await ctx.client.json(null, 'POST', page, {
    verification_token: verified.data.verification_token,
    redeem_points: 300,
  });
  return paid.order_uuid as string;
}

const BACKD_ORDER = {
  order_total: 91.5,
  cart_amount: 90,
  tax_amount: 1,
  shipping_amount: 0.5,
  discount_amount: 0,
  merchant_order_status: 'processing',
  billing: {
    name: { first: 'Ada', last: 'Lovelace' },
    company_name: 'Engines Ltd',
    address: {
      line1: '12 Difference Way',
      city: 'Austin',
      state: 'TX',
      zipcode: '73301',
      country: 'US',
    },
    phone_number: '+1 512 555 0100',
    email: 'ada@example.com',
  },
  items: [{ display_name: 'Widget', sku: 'W-1', unit_price: 45, qty: 2 }],
  mode: {
    type: 'redirect',
    order_success_url: 'https://shop.example/success',
    order_close_url: 'https://shop.example/close',
  },
};

type BackdStage = 'created' | 'terms_selected' | 'order_placed' | 'order_canceled' | 'confirmed';

/** Backd: an order at each stage of its lifecycle; its refund requests are told in `seedBackdRefunds`. */
export async function seedBackd(ctx: DemoContext) {
  const merchant = await createMerchant(ctx, DEMO_NAMES.backd, 'USD');
  const auth = {
    backd: {
      publicKey: merchant.credentials.backd.public_key as string,
      secretKey: merchant.credentials.backd.secret_key as string,
    },
  };
  const order = async (merchantOrderId: string, stage: BackdStage) => {
    ctx.advance(30 * 60_000);
    const created = await ctx.client.json(auth, 'POST', '/backd/create_order', {
      ...BACKD_ORDER,
      merchant_order_id: merchantOrderId,
    });
    const target = { backd_order_id: created.data.backd_order_id as string };
    const ids = { ...target, merchant_order_id: merchantOrderId };
    if (stage === 'created') return ids;
    await ctx.client.json(null, 'POST', new URL(created.data.customer_url).pathname, {
      terms: 'net30',
    });
    if (stage === 'terms_selected') return ids;
    await ctx.client.json(auth, 'POST', '/backd/order_placed', ids);
    if (stage === 'order_placed') return ids;
    const next = stage === 'order_canceled' ? 'cancel_order' : 'confirm_order';
    await ctx.client.json(auth, 'POST', `/backd/${next}`, stage === 'confirmed' ? ids : target);
    return ids;
  };
  const settled = await order('DEMO-B-1006', 'confirmed');
  ctx.advance(HOUR_MS);
  const request = await ctx.client.json(auth, 'POST', '/backd/refund', {
    ...settled,
    refund_amount: 45,
  });
  const lockedAt = Date.parse(
    `${String(request.data.refunds.at(-1).locked_at).replace(' ', 'T')}Z`,
  );
  await order('DEMO-B-1001', 'created');
  await order('DEMO-B-1002', 'terms_selected');
  await order('DEMO-B-1003', 'order_placed');
  await order('DEMO-B-1004', 'order_canceled');
  const pending = await order('DEMO-B-1005', 'confirmed');
  return { merchant, auth, lockedAt, pending };
}

/** The refund request submitted days ago locks and settles: the job runs past its lock. */
export async function settleBackdRefund(
  ctx: DemoContext,
  backd: Awaited<ReturnType<typeof seedBackd>>,
): Promise<void> {
  ctx.advanceTo(backd.lockedAt + 60_000);
  await ctx.runRefundRequestJob();
}

/**
 * A refund request submitted now (the clock at the real time) waits for its own lock: the next
 * 17:00 in Chicago on a business day.
 */
export async function draftBackdRefund(
  ctx: DemoContext,
  backd: Awaited<ReturnType<typeof seedBackd>>,
): Promise<SeededMerchant> {
  const draft = await ctx.client.json(backd.auth, 'POST', '/backd/refund', {
    ...backd.pending,
    refund_amount: 20,
  });
  const locksAt = String(draft.data.refunds.at(-1).locked_at);
  return {
    id: backd.merchant.id,
    name: backd.merchant.name,
    orders: count([
      'created',
      'terms_selected',
      'order_placed',
      'order_canceled',
      'order_confirmed',
      'refund',
    ]),
    notes: [`refund requests: one locked and settled, one draft that locks at ${locksAt} UTC`],
  };
}

const CARD = { type: 'card', month: 12, year: 2099, security_code: '123' };
const DEVICE = { user_agent: 'unwind demo', ip_address: '192.0.2.1' };

/** MPG: a webhook endpoint that fails, then card orders in every outcome. */
export async function seedMpg(ctx: DemoContext): Promise<SeededMerchant> {
  const merchant = await createMerchant(ctx, DEMO_NAMES.mpg, 'SAR');
  await ctx.client.json(
    ctx.admin,
    'POST',
    `/admin/merchants/${merchant.id}/webhooks`,
    {
      url: FAILING_WEBHOOK_URL,
      name: 'Demo: a receiver that does not exist',
      format: 'standard',
      retry_policy: 'points',
    },
    201,
  );
  const key = { mpgKey: merchant.credentials.mpg.api_key as string };
  const create = async (operation: 'purchase' | 'authorize', amount: number, number: string) => {
    ctx.advance(25 * 60_000);
    const order = await ctx.client.json(key, 'POST', `/mpg/v1/orders/${operation}`, {
      order_id: crypto.randomUUID(),
      amount,
      currency: 'SAR',
      description: `Demo ${operation}`,
      source: { ...CARD, number },
      device: DEVICE,
    });
    return order.id as string;
  };
  const then = async (order: string, operation: 'capture' | 'void' | 'refund', amount: number) => {
    ctx.advance(15 * 60_000);
    await ctx.client.json(key, 'POST', `/mpg/v1/orders/${order}/${operation}`, {
      amount,
      transaction_id: crypto.randomUUID(),
    });
  };
  const visa = '4111111111111111';
  await create('purchase', 12000, '5555555555554444');
  await create('authorize', 10000, visa);
  await then(await create('authorize', 10000, visa), 'capture', 6000);
  await then(await create('authorize', 8000, visa), 'void', 8000);
  await then(await create('purchase', 20000, visa), 'refund', 5000);
  await then(await create('purchase', 7500, '4242424242424242'), 'refund', 7500);
  await create('purchase', 9900, '4000000000000002');
  return {
    id: merchant.id,
    name: merchant.name,
    orders: count([
      'captured',
      'authorized',
      'partially_captured',
      'voided',
      'partially_refunded',
      'refunded',
      'failed',
    ]),
    notes: [`webhook endpoint ${FAILING_WEBHOOK_URL}: its host does not exist, so deliveries fail`],
  };
}

/**
 * A dry run of the Points shop's settlement report, which lists one payment as booked, one with
 * another amount and one Unwind never saw, and leaves the rest out.
 */
export async function seedReconciliation(
  ctx: DemoContext,
  points: SeededMerchant,
  fromAt: number,
): Promise<{ id: string; findings: number }> {
  ctx.advance(HOUR_MS);
  const orders = await ctx.client.json(
    ctx.admin,
    'GET',
    `/admin/orders?merchant_id=${points.id}&dialect=points&limit=50`,
  );
  const paid = (orders.data as Json[])
    .filter((o) => o.captured_minor > 0 && o.refunded_minor === 0)
    .slice(0, 2);
  const settledAt = new Date(fromAt + HOUR_MS).toISOString();
  const row = (reference: string, minor: number) =>
    `${reference},demo-${reference.slice(-6)},payment,${(minor / 100).toFixed(2)},SAR,${settledAt}`;
  const report = [
    'order_reference,transaction_reference,type,amount,currency,settled_at',
    ...paid.map((o, i) => row(o.id, o.captured_minor + (i === 1 ? 100 : 0))),
    row(crypto.randomUUID(), 4200),
  ].join('\n');
  const query = new URLSearchParams({
    merchant_id: points.id,
    dialect: 'points',
    from: new Date(fromAt).toISOString(),
    to: new Date(fromAt + 5 * 24 * HOUR_MS).toISOString(),
    apply: 'false',
  });
  const run = await ctx.client.raw(
    ctx.admin,
    `/admin/reconciliations?${query}`,
    'text/csv',
    `${report}\n`,
    201,
  );
  return { id: run.id as string, findings: findingCount(run.summary) };
}
