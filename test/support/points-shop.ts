/**
 * A Points merchant for the in-process end-to-end suites, with a webhook endpoint on a local
 * receiver: its private-key API, its orders' statuses, customers' balances, the webhooks that
 * arrived (each checked for the secret, the event header and a signature), and its checkout
 * setting.
 */
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';
import { headerOf, type Receiver } from './receiver.js';

export interface PointsHook {
  event: string;
  order: Record<string, unknown>;
  timestamp: string;
}

export interface PointsShop {
  readonly merchantId: string;
  readonly apiKey: string;
  readonly publicKey: string;
  readonly secret: string;
  /** A request to `/points/api/v1${path}` with the private key. */
  api(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<LightMyRequestResponse>;
  orderStatus(uuid: string): Promise<string>;
  balance(phone: string): Promise<number>;
  /** Delivers what is due and returns the `count` webhooks that arrived since the last call. */
  hooks(count: number): Promise<PointsHook[]>;
  /** Sets the merchant's `checkout_capture`. */
  setCheckoutCapture(mode: string): Promise<void>;
}

export async function openPointsShop(
  t: TestApp,
  receiver: Receiver,
  name: string,
): Promise<PointsShop> {
  const res = await t.admin({ method: 'POST', url: '/admin/merchants', payload: { name } });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json() as {
    id: string;
    credentials: { points: { api_key: string; public_key: string } };
  };
  const apiKey = body.credentials.points.api_key;
  const api: PointsShop['api'] = (method, path, payload) =>
    t.app.inject({
      method,
      url: `/points/api/v1${path}`,
      headers: { 'x-api-key': apiKey },
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  const hook = await api('POST', '/webhooks', { name: 'orders', url: `${receiver.url}/points` });
  assert.equal(hook.statusCode, 200, hook.body);
  const secret = (hook.json() as { data: { secret: string } }).data.secret;
  let seen = 0;
  return {
    merchantId: body.id,
    apiKey,
    publicKey: body.credentials.points.public_key,
    secret,
    api,
    async orderStatus(uuid) {
      const res = await api('GET', `/orders/${uuid}`);
      return (res.json() as { data: { order_status: string } }).data.order_status;
    },
    async balance(phone) {
      const res = await t.admin({ method: 'GET', url: `/admin/points/customers/${phone}` });
      return (res.json() as { balance: number }).balance;
    },
    async hooks(count) {
      const run = await t.admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(run.statusCode, 200, run.body);
      const all = await receiver.waitForRequests(seen + count, 5000);
      const fresh = all.slice(seen);
      seen = all.length;
      assert.equal(fresh.length, count);
      for (const r of fresh) {
        assert.equal(headerOf(r, 'x-webhook-secret'), secret);
        const body = JSON.parse(r.body) as PointsHook;
        assert.equal(headerOf(r, 'x-webhook-event'), body.event);
        assert.ok(headerOf(r, 'webhook-signature')?.startsWith('v1,'));
      }
      // Delivery order is not guaranteed (as Points says); sort by event for stable checks.
      return fresh
        .map((r) => JSON.parse(r.body) as PointsHook)
        .sort((a, b) => a.event.localeCompare(b.event));
    },
    async setCheckoutCapture(mode) {
      const set = await t.admin({
        method: 'PATCH',
        url: `/admin/merchants/${body.id}`,
        payload: { settings: { checkout_capture: mode } },
      });
      assert.equal(set.statusCode, 200, set.body);
    },
  };
}
