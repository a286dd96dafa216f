/**
 * Migration 5: the Moyasar Payment Gateway face.
 *
 * - `mpg_request_ids`: MPG's idempotency by body id (`order_id`, `transaction_id`). A request
 *   claims its id with a lease before it runs and marks it completed in the same transaction as
 *   its change, so a duplicate can tell "done" (replay) from "still running" (wait, then 400).
 *   Rows older than the retention setting are deleted by the `mpg-request-id-reaper` job.
 * - `mpg_orders` and `mpg_transactions`: search columns for `GET /v1/orders`, written with the
 *   order and with each transaction. The ledger row's `details` stay the source of truth.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 5,
  name: 'moyasar payment gateway',
  sql: `
CREATE TABLE mpg_request_ids (
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  kind TEXT NOT NULL CHECK (kind IN ('order_id', 'transaction_id')),
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
  lease_token TEXT,
  lease_expires_at BIGINT,
  order_id TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (merchant_id, kind, request_id),
  CHECK ((state = 'in_progress') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CHECK ((state = 'completed') = (order_id IS NOT NULL))
);
CREATE INDEX mpg_request_ids_created ON mpg_request_ids (created_at);

CREATE TABLE mpg_orders (
  order_id TEXT PRIMARY KEY REFERENCES orders (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  description TEXT NOT NULL,
  source_type TEXT NOT NULL CHECK (source_type IN ('internet', 'merchant', 'moto')),
  scheme TEXT NOT NULL CHECK (scheme IN ('visa', 'mastercard', 'mada', 'amex')),
  first_digits TEXT NOT NULL CHECK (length(first_digits) IN (6, 8)),
  last_digits TEXT NOT NULL CHECK (length(last_digits) = 4),
  sub_merchant_id TEXT,
  device_ip TEXT NOT NULL,
  agreement_id TEXT
);

CREATE TABLE mpg_transactions (
  transaction_id TEXT PRIMARY KEY REFERENCES transactions (id),
  order_id TEXT NOT NULL REFERENCES orders (id),
  retrieval_reference TEXT NOT NULL CHECK (length(retrieval_reference) = 12),
  stan TEXT NOT NULL CHECK (length(stan) = 6),
  auth_code TEXT,
  response_code TEXT
);
CREATE INDEX mpg_transactions_order ON mpg_transactions (order_id);
CREATE INDEX mpg_transactions_rrn ON mpg_transactions (retrieval_reference);
`,
};
