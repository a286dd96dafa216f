/**
 * One merchant on a compiled `unwind serve` child, spoken to over HTTP on every face with its
 * current keys: Points (`x-api-key`), Backd (HTTP Basic), MPG (Bearer) and the admin API. Keys
 * can be rotated (the client then uses the new ones), and each face can bring an order to the
 * point where money can be refunded.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before } from 'node:test';
import { basic, createBody } from './backd.js';
import {
  type HttpResponse,
  killAllServers,
  type ServerProcess,
  startServer,
} from './server-process.js';
import type { StoreFactory, TestStore } from './stores.js';

export type Face = 'points' | 'backd' | 'mpg';

interface Keys {
  points: { api_key: string; public_key: string };
  backd: { public_key: string; secret_key: string };
  mpg: { api_key: string };
}

/** An MPG purchase body for a test card. */
export const mpgPurchaseBody = (extra: Record<string, unknown> = {}) => ({
  amount: 10000,
  currency: 'SAR',
  description: 'Process test',
  source: { type: 'card', number: '4242424242424242', month: 12, year: 2035, security_code: '123' },
  device: { user_agent: 'test', ip_address: '192.0.2.1' },
  ...extra,
});

/** A browser's form post (urlencoded), redirects not followed. */
export async function postForm(
  server: ServerProcess,
  path: string,
  form: Record<string, string>,
): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    text: await response.text(),
  };
}

export class ProcessMerchant {
  private constructor(
    /** The server spoken to; a test that restarts it points this at the new process. */
    public server: ServerProcess,
    readonly id: string,
    private keys: Keys,
  ) {}

  /** Creates a SAR merchant through the admin API (with the server's admin token). */
  static async create(server: ServerProcess, name = 'Process Shop'): Promise<ProcessMerchant> {
    const created = await server.call('POST', '/admin/merchants', { name }, 201);
    return new ProcessMerchant(server, created.id as string, created.credentials as Keys);
  }

  get publicKey(): string {
    return this.keys.points.public_key;
  }

  /** A request on a face with the merchant's current keys. */
  send(
    face: Face,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const auth =
      face === 'points'
        ? { token: null, headers: { 'x-api-key': this.keys.points.api_key, ...headers } }
        : face === 'backd'
          ? {
              token: null,
              headers: {
                authorization: basic(this.keys.backd.public_key, this.keys.backd.secret_key),
                ...headers,
              },
            }
          : { token: this.keys.mpg.api_key, headers };
    const prefix = face === 'points' ? '/points/api/v1' : `/${face}`;
    return this.server.http(method, `${prefix}${path}`, body, auth);
  }

  /** Rotates one face's keys through the admin API; the old ones stop working at once. */
  async rotate(face: Face): Promise<void> {
    const before = this.keys[face];
    const rotated = await this.server.call(
      'POST',
      `/admin/merchants/${this.id}/credentials`,
      { dialect: face },
      201,
    );
    this.keys = { ...this.keys, [face]: rotated.credentials[face] };
    assert.notDeepEqual(this.keys[face], before);
  }

  /** An approved Points earning order of 150.75 SAR; returns its uuid. */
  async pointsEarningOrder(): Promise<string> {
    // The customer's account is activated (once), so the earning is awarded, not queued.
    const known = await this.server.http('GET', '/admin/points/customers/500000002');
    if (known.status === 404) {
      await this.server.call(
        'POST',
        '/admin/points/customers',
        {
          phone_number: '500000002',
          balance: 0,
        },
        201,
      );
    }
    const res = await this.send('points', 'POST', '/orders/earning', {
      phone_number: '0500000002',
      total_price: 150.75,
      order_number: `ORD-${crypto.randomUUID()}`,
      products: [{ product_name: 'Perfume', product_price: 150.75, quantity: 1 }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data.uuid as string;
  }

  /** Begins a Points hosted checkout with the public key; returns the page's path. */
  async pointsCheckout(body: Record<string, unknown>): Promise<string> {
    const res = await this.server.http(
      'POST',
      `/points/api/v1/orders/checkout/${this.publicKey}`,
      body,
      { token: null },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return new URL(res.body.data.checkout_url as string).pathname;
  }

  /** A Backd order created with `overrides`; returns its ids and the terms page token. */
  async backdOrder(overrides: Record<string, unknown> = {}) {
    const res = await this.send('backd', 'POST', '/create_order', createBody(overrides));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const data = res.body.data as { backd_order_id: string; customer_url: string };
    return {
      backdOrderId: data.backd_order_id,
      token: data.customer_url.split('/').pop()!,
      ref: { backd_order_id: data.backd_order_id, merchant_order_id: 'JKLMO4321' },
    };
  }

  /** A Backd order with terms chosen, placed and confirmed: captured and refundable. */
  async backdConfirmedOrder() {
    const order = await this.backdOrder();
    const terms = await this.server.http(
      'POST',
      `/backd/checkout/${order.token}`,
      { terms: 'net30' },
      { token: null, headers: { accept: 'application/json' } },
    );
    assert.equal(terms.status, 200, JSON.stringify(terms.body));
    for (const step of ['/order_placed', '/confirm_order']) {
      const res = await this.send('backd', 'POST', step, order.ref);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    return order;
  }

  /** A captured MPG purchase of 100.00 SAR; returns its order id. */
  async mpgPurchase(): Promise<string> {
    const res = await this.send('mpg', 'POST', '/v1/orders/purchase', mpgPurchaseBody());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.id as string;
  }

  /** A captured admin order of 50.00 SAR; returns its id. */
  async adminCapturedOrder(): Promise<string> {
    const created = await this.server.call(
      'POST',
      '/admin/orders',
      { merchant_id: this.id, amount_minor: 5000, capture: 'purchase' },
      201,
    );
    return created.id as string;
  }

  /** The order's ledger rows of one type, read through the admin API. */
  async ledgerRows(orderId: string, type: string): Promise<unknown[]> {
    const order = await this.server.call('GET', `/admin/orders/${orderId}`, undefined, 200);
    return (order.transactions as { type: string }[]).filter((t) => t.type === type);
  }
}

export interface ProcessFixture {
  readonly store: TestStore;
  readonly server: ServerProcess;
  readonly merchant: ProcessMerchant;
}

/**
 * For a `describe` block: a fresh store, a server on it (background jobs off, so only the test
 * moves anything) and one merchant, set up before its tests and removed after them.
 */
export function useProcessMerchant(factory: StoreFactory): ProcessFixture {
  const fixture = {} as { store: TestStore; server: ServerProcess; merchant: ProcessMerchant };
  before(async () => {
    fixture.store = await factory.create();
    fixture.server = await startServer({
      env: { ...fixture.store.env, UNWIND_WORKERS: '0' },
      logLevel: 'warn',
    });
    fixture.merchant = await ProcessMerchant.create(fixture.server);
  });
  after(async () => {
    await killAllServers();
    await fixture.store?.cleanup();
  });
  return fixture;
}
