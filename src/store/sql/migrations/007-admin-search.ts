/**
 * Migration 7: indexes behind the operator dashboard's reads (admin API, issue 9), chosen by the
 * query plans of both engines at one million orders (docs/operations.md, "Dashboard order search
 * at 1M orders").
 *
 * - Order lists read (created_at, id) in either direction, after a cursor. Each filter that may
 *   come alone leads an index of its own ending in (created_at, id), so a page is one index range
 *   read in order and stops after `limit` rows, however many orders match. Combinations read the
 *   more selective index and filter the rest in the table.
 * - Writes pay for every index that holds a changed column, and a refund or cancel changes an
 *   order's status: `status` is therefore in one index only (on PostgreSQL any index on it rules
 *   out heap-only updates for status changes; one index keeps the extra work to one entry). The
 *   other order indexes hold columns that never change after the order is created.
 * - Search looks up each reference column exactly; partial indexes leave out the orders without
 *   that reference (most orders have no phone, no merchant_order_id).
 * - Merchants are listed by name.
 * - Webhook health counts each endpoint's pending and dead deliveries (a partial index holding
 *   only those) and its attempts in a time window (by start time, carrying what the counts read).
 * - Daily charts count approved refund, cancel and void rows by type and time.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 7,
  name: 'admin search and dashboard indexes',
  sql: `
CREATE INDEX orders_created ON orders (created_at, id);
CREATE INDEX orders_status_created ON orders (status, created_at, id);
CREATE INDEX orders_dialect_created ON orders (dialect, created_at, id);
CREATE INDEX orders_merchant_dialect_created ON orders (merchant_id, dialect, created_at, id);
CREATE INDEX orders_order_number ON orders (order_number, created_at, id)
  WHERE order_number IS NOT NULL;
CREATE INDEX orders_merchant_order_id_search ON orders (merchant_order_id, created_at, id)
  WHERE merchant_order_id IS NOT NULL;
CREATE INDEX orders_customer_ref ON orders (customer_ref, created_at, id)
  WHERE customer_ref IS NOT NULL;
CREATE INDEX merchants_name ON merchants (name, id);
CREATE INDEX deliveries_backlog ON deliveries (status, merchant_id, endpoint_id)
  WHERE status IN ('pending', 'dead');
CREATE INDEX delivery_attempts_started ON delivery_attempts (started_at, delivery_id, status_code);
CREATE INDEX transactions_type_created ON transactions (type, created_at, merchant_id, status);
`,
};
