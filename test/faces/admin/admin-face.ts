/**
 * What the admin API's suites share: the JSON shapes the admin API answers, assertions of its
 * error envelope, small clients over `app.inject` (merchants, orders, operations, events, cursor
 * walks), and `adminApiSuite`, which runs a suite file on SQLite and on PostgreSQL under one
 * describe title (`admin API over HTTP: <engine>`); each group inside starts its own app with
 * `appPerSuite`.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../support/app.js';
import { onEveryStore, type StoreFactory } from '../../support/stores.js';

export const START = '2026-11-23T12:00:00.000Z';
export const DAY_S = 86_400;

export interface ErrorJson {
  code: string;
  message: string;
  request_id: string;
  issues?: { path: string; message: string }[];
  details?: Record<string, unknown>;
}

export interface TransactionJson {
  id: string;
  type: string;
  status: string;
  amount_minor: number;
  points: number;
  currency: string;
  reason: string | null;
  actor: string;
  event_id: string;
  created_at: string;
}

export interface OrderJson {
  id: string;
  merchant_id: string;
  dialect: string;
  kind: string;
  status: string;
  currency: string;
  amount: string;
  amount_minor: number;
  authorized_minor: number;
  captured_minor: number;
  voided_minor: number;
  refunded_minor: number;
  capturable_minor: number;
  refundable_minor: number;
  order_number: string | null;
  captured_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  transactions?: TransactionJson[];
}

export interface CredentialJson {
  id: string;
  dialect: string;
  kind: string;
  prefix: string;
  permissions: string[];
  created_at: string;
  revoked_at: string | null;
}

export interface IssuedJson {
  points?: { api_key: string; public_key: string };
  backd?: { public_key: string; secret_key: string };
  mpg?: { api_key: string };
}

export interface MerchantJson {
  id: string;
  name: string;
  currency: string;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  credentials?: CredentialJson[];
}

export interface CreatedMerchantJson extends Omit<MerchantJson, 'credentials'> {
  credentials: Required<IssuedJson>;
}

export interface EventJson {
  id: string;
  type: string;
  merchant_id: string;
  order_id: string | null;
  actor: string;
  reason: string | null;
  status_before: string | null;
  status_after: string | null;
  payload: Record<string, unknown>;
  created_at: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type Operation = 'authorize' | 'capture' | 'void' | 'cancel' | 'refund';

/** Asserts an admin error envelope with this status and code; returns `error`. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorJson {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json() as { error: ErrorJson };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code, res.body);
  assert.equal(body.error.request_id, res.headers['x-request-id']);
  return body.error;
}

/** Asserts 422 validation.failed with an issue at `path`. */
export function expectIssue(res: LightMyRequestResponse, path: string): ErrorJson {
  const error = expectError(res, 422, 'validation.failed');
  const paths = (error.issues ?? []).map((i) => i.path);
  assert.ok(paths.includes(path), `expected an issue at "${path}", got ${JSON.stringify(paths)}`);
  return error;
}

/** Key tags of src/app/merchants.ts; the random part may itself contain `_`. */
export const KEY_TAGS = ['pts_sk_', 'pts_pk_', 'merchant_key_', 'pk_', 'sk_'];
export const tagOf = (secret: string): string => {
  const tag = KEY_TAGS.find((t) => secret.startsWith(t));
  assert.ok(tag, `unknown key tag: ${secret.slice(0, 16)}`);
  return tag;
};
/** The visible prefix: the key's tag and six random characters (src/app/secrets.ts). */
export const prefixOf = (secret: string, tag: string): string => secret.slice(0, tag.length + 6);

export const secretsOf = (c: IssuedJson): string[] =>
  [
    c.points?.api_key,
    c.points?.public_key,
    c.backd?.public_key,
    c.backd?.secret_key,
    c.mpg?.api_key,
  ].filter((s): s is string => typeof s === 'string');

export async function createMerchant(
  t: TestApp,
  body: Record<string, unknown> = { name: 'Shop' },
): Promise<CreatedMerchantJson> {
  const res = await t.admin({ method: 'POST', url: '/admin/merchants', payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as CreatedMerchantJson;
}

export async function createOrder(
  t: TestApp,
  merchantId: string,
  amountMinor = 1000,
  capture: 'none' | 'authorize' | 'purchase' = 'purchase',
  extra: Record<string, unknown> = {},
): Promise<OrderJson> {
  const res = await t.admin({
    method: 'POST',
    url: '/admin/orders',
    payload: { merchant_id: merchantId, amount_minor: amountMinor, capture, ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as OrderJson;
}

export const operate = (
  t: TestApp,
  orderId: string,
  op: Operation,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {},
) =>
  t.admin({
    method: 'POST',
    url: `/admin/orders/${orderId}/${op}`,
    headers,
    ...(body === undefined ? {} : { payload: body }),
  });

export async function succeed(
  t: TestApp,
  orderId: string,
  op: Operation,
  body?: Record<string, unknown>,
): Promise<OrderJson> {
  const res = await operate(t, orderId, op, body);
  assert.equal(res.statusCode, 200, `${op}: ${res.body}`);
  return res.json() as OrderJson;
}

export async function getOrder(t: TestApp, orderId: string): Promise<OrderJson> {
  const res = await t.admin({ method: 'GET', url: `/admin/orders/${orderId}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as OrderJson;
}

export async function listEvents(t: TestApp, query: string): Promise<Page<EventJson>> {
  const res = await t.admin({ method: 'GET', url: `/admin/events?${query}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Page<EventJson>;
}

/** Follows next_cursor from `url` to the end; returns every page. */
export async function walk<T>(t: TestApp, url: string): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await t.admin({
      method: 'GET',
      url: cursor === null ? url : `${url}${sep}cursor=${encodeURIComponent(cursor)}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as Page<T>;
    pages.push(page);
    cursor = page.next_cursor;
    assert.ok(pages.length < 100, 'pagination does not end');
  } while (cursor !== null);
  return pages;
}

/**
 * Asserts an operation is refused with this status and code, and that it changed nothing:
 * the order (totals, version, rows) and its events are exactly as before.
 */
export async function rejects(
  t: TestApp,
  orderId: string,
  op: Operation,
  body: Record<string, unknown> | undefined,
  status: number,
  code: string,
  details?: Record<string, unknown>,
): Promise<void> {
  const before = await getOrder(t, orderId);
  const eventsBefore = await listEvents(t, `order_id=${orderId}&limit=500`);
  const error = expectError(await operate(t, orderId, op, body), status, code);
  if (details) assert.deepEqual(error.details, details);
  assert.deepEqual(await getOrder(t, orderId), before, `${op} changed the order`);
  assert.deepEqual(await listEvents(t, `order_id=${orderId}&limit=500`), eventsBefore);
}

/** Defines the suite `define` on both engines, each under `admin API over HTTP: <engine>`. */
export function adminApiSuite(define: (factory: StoreFactory) => void): Promise<void> {
  return onEveryStore((factory, skip) => {
    describe(`admin API over HTTP: ${factory.engine}`, { skip }, () => define(factory));
  });
}
