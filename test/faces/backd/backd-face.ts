/**
 * What the Backd face's suites share: an in-process Unwind on a fresh store with two Backd
 * merchants (`m`, whose keys `call` uses, and `other`), readers of the core order and of the
 * refund request rows behind a Backd order, the messages Unwind documents for Backd, and
 * `backdFaceSuite`, which runs a suite file on SQLite and on PostgreSQL under one describe title
 * (`Backd API on <engine>`).
 */
import assert from 'node:assert/strict';
import { before, describe } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { appPerSuite, type TestApp } from '../../support/app.js';
import {
  backdCall,
  type BackdMerchant,
  createBackdMerchant,
  type CreatedOrder,
} from '../../support/backd.js';
import { onEveryStore, type StoreFactory } from '../../support/stores.js';

export const LOCKED = 'Refund request is locked and can no longer be replaced or deleted.';
export const NOT_CONFIRMED =
  "This can only be done when the order has been confirmed ('order_confirmed').";
export const NOT_PLACED = "This can only be done when the order has been placed ('order_placed').";
/** Wed 2026-03-04 10:00 CST: a weekday morning, so a request locks at 17:00 CST (23:00Z). */
export const WED_MORNING = Date.parse('2026-03-04T10:00:00-06:00');
export const WED_LOCK = Date.parse('2026-03-04T23:00:00Z');
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export interface CoreOrderJson {
  status: string;
  amount_minor: number;
  captured_minor: number;
  refunded_minor: number;
  transactions: { type: string; amount_minor: number; actor: string }[];
}

export interface BackdFace {
  readonly t: TestApp;
  /** The merchant whose keys `call` uses. */
  readonly m: BackdMerchant;
  /** Another merchant, for ownership. */
  readonly other: BackdMerchant;
  call(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
    path: string,
    payload?: unknown,
    options?: { auth?: string | null; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** The two references a Backd request names an order by. */
  ref(o: CreatedOrder): { backd_order_id: string; merchant_order_id: string };
  /** The core order behind a Backd order, with its ledger rows, through the admin API. */
  coreOrder(o: CreatedOrder): Promise<CoreOrderJson>;
  /** Runs every job once; how many items each handled. */
  runJobs(): Promise<Record<string, number>>;
  /** The refund request rows of a Backd order, read around the store. */
  requestRows(o: CreatedOrder): Promise<Record<string, unknown>[]>;
}

/** Starts the app and the two merchants before the enclosing describe's tests. */
function backdFace(factory: StoreFactory): BackdFace {
  const app = appPerSuite(factory);
  let m: BackdMerchant | undefined;
  let other: BackdMerchant | undefined;
  before(async () => {
    m = await createBackdMerchant(app());
    other = await createBackdMerchant(app());
  });
  const started = <T>(value: T | undefined): T => {
    assert.ok(value, 'the suite has not started');
    return value;
  };
  /** The id of the core order behind a Backd order. */
  const coreId = async (o: CreatedOrder): Promise<string> => {
    const list = await app().admin({ method: 'GET', url: `/admin/orders?dialect=backd&limit=500` });
    const found = (list.json() as { data: { id: string; backd_order_id: string }[] }).data.find(
      (x) => x.backd_order_id === o.backdOrderId,
    );
    assert.ok(found, `core order of ${o.backdOrderId}`);
    return found.id;
  };
  return {
    get t() {
      return app();
    },
    get m() {
      return started(m);
    },
    get other() {
      return started(other);
    },
    call: (method, path, payload, options) =>
      backdCall(app(), started(m), method, path, payload, options),
    ref: (o) => ({ backd_order_id: o.backdOrderId, merchant_order_id: o.merchantOrderId }),
    coreOrder: async (o) =>
      (await app().admin({ method: 'GET', url: `/admin/orders/${await coreId(o)}` })).json(),
    async runJobs() {
      const res = await app().admin({ method: 'POST', url: '/admin/jobs/run' });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { jobs: Record<string, number> }).jobs;
    },
    async requestRows(o) {
      const id = await coreId(o);
      return (await app().testStore.rawRows('backd_refund_requests')).filter(
        (r) => r['order_id'] === id,
      );
    },
  };
}

/** Defines the suite `define` on both engines, each under `Backd API on <engine>`. */
export function backdFaceSuite(define: (face: BackdFace) => void): Promise<void> {
  return onEveryStore((factory, skip) => {
    describe(`Backd API on ${factory.engine}`, { skip }, () => define(backdFace(factory)));
  });
}
