/**
 * A dashboard with something true to show on every page, for the browser suites and the docs'
 * screenshots: a real `unwind serve` on a test clock, and through its APIs
 * - "Oud & Amber" (SAR) with three endpoints: "Shop backend" (answers 200), "Flaky CRM" (answers
 *   500, Points retry policy, so its deliveries die) and "Paused ERP" (disabled after an order,
 *   so that order's delivery to it waits, its next attempt time passing);
 * - an admin order DASH-1001 refunded in part, and one still pending;
 * - a Points redeem order paid by the customer's phone;
 * - an MPG card purchase the issuer declined (05 DO NOT HONOUR) and one it approved;
 * - a confirmed Backd order (billing phone) with a withdrawn refund request and a draft one;
 * - a reconciliation dry run with findings.
 */
import { basic, createBody } from './backd.js';
import { letDeliveriesDie } from './dead-deliveries.js';
import { cardOrder } from './mpg.js';
import { redeemAndComplete } from './points.js';
import { type Receiver, startReceiver } from './receiver.js';
import { type ServerProcess, startServer } from './server-process.js';
import type { StoreFactory, TestStore } from './stores.js';

export const FIXTURE_START = '2026-11-23T12:00:00.000Z';
export const FIXTURE_PHONE = '512345678';

export interface DashboardFixture {
  readonly server: ServerProcess;
  readonly merchantId: string;
  /** Admin order DASH-1001, refunded in part. */
  readonly adminOrderId: string;
  readonly pointsOrderId: string;
  readonly declinedOrderId: string;
  readonly approvedCardOrderId: string;
  readonly backdOrderId: string;
  readonly pausedEndpointId: string;
  readonly runId: string;
  close(): Promise<void>;
}

export async function startDashboardFixture(factory: StoreFactory): Promise<DashboardFixture> {
  const store: TestStore = await factory.create();
  const hooks: Receiver = await startReceiver();
  const failing: Receiver = await startReceiver({ status: 500 });
  const server = await startServer({
    env: { ...store.env, UNWIND_TEST_CLOCK: '1', UNWIND_WORKERS: '0' },
    logLevel: 'warn',
  });
  const close = async () => {
    await server.stop().catch(() => undefined);
    await hooks.close();
    await failing.close();
    await store.cleanup();
  };
  try {
    return { ...(await seed(server, hooks, failing)), server, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function seed(server: ServerProcess, hooks: Receiver, failing: Receiver) {
  const call = server.call.bind(server);
  await call('POST', '/admin/clock', { now: FIXTURE_START }, 200);

  const merchant = await call('POST', '/admin/merchants', { name: 'Oud & Amber' }, 201);
  const merchantId = merchant.id as string;
  const hook = (body: Record<string, unknown>) =>
    call('POST', `/admin/merchants/${merchantId}/webhooks`, body, 201);
  await hook({ url: `${hooks.url}/hooks`, name: 'Shop backend' });
  const flaky = await hook({
    url: `${failing.url}/flaky`,
    name: 'Flaky CRM',
    retry_policy: 'points',
  });
  const paused = await hook({ url: `${hooks.url}/erp`, name: 'Paused ERP' });

  const adminOrder = await call(
    'POST',
    '/admin/orders',
    { merchant_id: merchantId, amount_minor: 10_000, order_number: 'DASH-1001' },
    201,
  );
  // Disabled with this order's delivery to it still waiting.
  await call(
    'PATCH',
    `/admin/merchants/${merchantId}/webhooks/${paused.id}`,
    { enabled: false, reason: 'ERP maintenance window' },
    200,
  );
  await call(
    'POST',
    `/admin/orders/${adminOrder.id}/refund`,
    { amount_minor: 2_550, reason: 'Customer returned one bottle' },
    200,
  );
  await call(
    'POST',
    '/admin/orders',
    { merchant_id: merchantId, amount_minor: 4_200, order_number: 'DASH-1002', capture: 'none' },
    201,
  );

  const points = merchant.credentials.points as { api_key: string; public_key: string };
  await call(
    'POST',
    '/admin/points/customers',
    { phone_number: FIXTURE_PHONE, balance: 1000 },
    201,
  );
  const pointsOrderId = await redeemAndComplete(
    server,
    points,
    { total_price: 50, order_number: 'REDEEM-1' },
    { phoneNumber: FIXTURE_PHONE, redeemPoints: 100 },
  );

  const mpgKey = { token: merchant.credentials.mpg.api_key as string };
  const card = (number: string) => {
    const body = cardOrder('Perfume, 50 ml', 7_500);
    return { ...body, source: { ...body.source, number } };
  };
  const declined = await call(
    'POST',
    '/mpg/v1/orders/purchase',
    card('4000000000000002'),
    200,
    mpgKey,
  );
  const approved = await call(
    'POST',
    '/mpg/v1/orders/purchase',
    card('4242424242424242'),
    200,
    mpgKey,
  );

  const backdOrderId = await seedBackd(server);

  // Deliver what is due, then let the flaky endpoint's deliveries die (3 attempts each).
  await letDeliveriesDie(server, merchantId, flaky.id as string);

  const report = [
    'order_reference,transaction_reference,type,amount,currency,settled_at',
    `${pointsOrderId},T-1,payment,40.00,SAR,2026-11-23T18:00:00Z`,
    `${adminOrder.id},T-2,payment,100.00,SAR,2026-11-23T18:00:00Z`,
  ].join('\n');
  const run = await fetch(
    `${server.url}/admin/reconciliations?merchant_id=${merchantId}&dialect=points` +
      '&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z',
    {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
      body: `${report}\n`,
    },
  );
  if (run.status !== 201) throw new Error(`reconciliation: ${run.status} ${await run.text()}`);
  const runId = ((await run.json()) as { id: string }).id;

  return {
    merchantId,
    adminOrderId: adminOrder.id as string,
    pointsOrderId,
    declinedOrderId: declined.id as string,
    approvedCardOrderId: approved.id as string,
    backdOrderId,
    pausedEndpointId: paused.id as string,
    runId,
  };
}

/**
 * A Backd order of a new USD merchant "Backd Shop", walked to confirmed (terms picked, placed,
 * confirmed) through Backd's API; with the merchant's auth and the order's reference.
 */
export async function confirmedBackdOrder(server: ServerProcess, merchantOrderId: string) {
  const call = server.call.bind(server);
  const backd = await call(
    'POST',
    '/admin/merchants',
    { name: 'Backd Shop', currency: 'USD' },
    201,
  );
  const auth = {
    token: null,
    headers: {
      authorization: basic(backd.credentials.backd.public_key, backd.credentials.backd.secret_key),
    },
  };
  const created = await call(
    'POST',
    '/backd/create_order',
    createBody({ merchant_order_id: merchantOrderId }),
    200,
    auth,
  );
  const backdOrderId = created.data.backd_order_id as string;
  const token = (created.data.customer_url as string).split('/').pop()!;
  await call('POST', `/backd/checkout/${token}`, { terms: 'net30' }, 200, {
    token: null,
    headers: { accept: 'application/json' },
  });
  const ref = { backd_order_id: backdOrderId, merchant_order_id: merchantOrderId };
  await call('POST', '/backd/order_placed', ref, 200, auth);
  await call('POST', '/backd/confirm_order', ref, 200, auth);
  return { backdOrderId, ref, auth };
}

/** A confirmed Backd order with a withdrawn and a draft refund request; its core order id. */
async function seedBackd(server: ServerProcess): Promise<string> {
  const call = server.call.bind(server);
  const { backdOrderId, ref, auth } = await confirmedBackdOrder(server, 'BK-77');
  await call('POST', '/backd/refund', { ...ref, refund_amount: 10 }, 200, auth);
  await call('DELETE', '/backd/refund', ref, 200, auth);
  await call('POST', '/admin/clock/advance', { seconds: 60 }, 200);
  await call('POST', '/backd/refund', { ...ref, refund_amount: 7.25 }, 200, auth);
  const found = await call('GET', `/admin/orders?q=${backdOrderId}`, undefined, 200);
  return found.data[0].id as string;
}
