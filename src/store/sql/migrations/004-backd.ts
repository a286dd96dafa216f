/**
 * Migration 4: the Backd face. `backd_orders` holds Backd's own lifecycle beside each core order
 * (terms, placement, confirmation, the amounts breakdown, contacts and items); the money stays in
 * the core ledger. `backd_refund_requests` holds refund requests, with a partial unique index
 * that allows one active (`draft`/`approved`) request per order: the second wall behind the check
 * made under the order's row lock.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 4,
  name: 'backd orders and refund requests',
  sql: `
CREATE TABLE backd_orders (
  order_id TEXT PRIMARY KEY REFERENCES orders (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  backd_order_id TEXT NOT NULL UNIQUE,
  merchant_order_id TEXT NOT NULL,
  merchant_order_status TEXT,
  status TEXT NOT NULL CHECK (status IN ('created', 'terms_selected', 'order_placed',
    'order_confirmed', 'order_canceled', 'refund')),
  terms TEXT CHECK (terms IN ('net30', 'net60', 'net90')),
  -- SHA-256 of the terms page token: the token in customer_url is the buyer's only credential.
  checkout_token_hash TEXT NOT NULL UNIQUE,
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  -- The total agreed at creation: update_order's increase limit is measured from it.
  initial_total_minor BIGINT NOT NULL CHECK (initial_total_minor > 0),
  order_total_minor BIGINT NOT NULL CHECK (order_total_minor > 0),
  cart_amount_minor BIGINT NOT NULL CHECK (cart_amount_minor >= 0),
  tax_amount_minor BIGINT NOT NULL CHECK (tax_amount_minor >= 0),
  shipping_amount_minor BIGINT NOT NULL CHECK (shipping_amount_minor >= 0),
  discount_amount_minor BIGINT NOT NULL CHECK (discount_amount_minor >= 0),
  shipping TEXT,
  billing TEXT NOT NULL,
  items TEXT NOT NULL,
  mode TEXT NOT NULL,
  notify_customer INTEGER CHECK (notify_customer IN (0, 1)),
  customer_email TEXT,
  terms_selected_at BIGINT,
  placed_at BIGINT,
  confirmed_at BIGINT,
  canceled_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 0),
  CHECK (order_total_minor = cart_amount_minor + tax_amount_minor + shipping_amount_minor
    - discount_amount_minor),
  CHECK ((status = 'created') = (terms IS NULL)),
  CHECK ((terms IS NULL) = (terms_selected_at IS NULL)),
  CHECK ((status IN ('created', 'terms_selected')) = (placed_at IS NULL)),
  CHECK ((status IN ('order_confirmed', 'refund')) = (confirmed_at IS NOT NULL)),
  CHECK ((status = 'order_canceled') = (canceled_at IS NOT NULL))
);
CREATE INDEX backd_orders_merchant ON backd_orders (merchant_id, created_at);

CREATE TABLE backd_refund_requests (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'refunded', 'declined')),
  locked_at BIGINT NOT NULL,
  settle_at BIGINT,
  decline_reason TEXT CHECK (decline_reason IN ('replaced', 'deleted', 'not_refundable')),
  -- Deferred: the replaced request is declined (freeing the one-active slot) before its
  -- replacement can be inserted, so the reference is complete only at commit.
  replaced_by TEXT REFERENCES backd_refund_requests (id) DEFERRABLE INITIALLY DEFERRED,
  created_at BIGINT NOT NULL,
  approved_at BIGINT,
  refunded_at BIGINT,
  declined_at BIGINT,
  updated_at BIGINT NOT NULL,
  CHECK (locked_at > created_at),
  CHECK (status NOT IN ('approved', 'refunded') OR approved_at IS NOT NULL),
  -- Only an approved request declined because its money was refunded another way keeps its
  -- approval time; drafts and merchant declines were never approved.
  CHECK (approved_at IS NULL OR status IN ('approved', 'refunded') OR decline_reason = 'not_refundable'),
  CHECK ((approved_at IS NULL) = (settle_at IS NULL)),
  CHECK ((status = 'refunded') = (refunded_at IS NOT NULL)),
  CHECK ((status = 'declined') = (declined_at IS NOT NULL)),
  CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
  CHECK (replaced_by IS NULL OR decline_reason = 'replaced')
);
-- At most one active request per order, whatever the code does.
CREATE UNIQUE INDEX backd_refund_requests_one_active ON backd_refund_requests (order_id)
  WHERE status IN ('draft', 'approved');
CREATE INDEX backd_refund_requests_order ON backd_refund_requests (order_id, created_at, id);
-- What the locking job looks for: drafts past their deadline, approved requests due to settle.
CREATE INDEX backd_refund_requests_due_lock ON backd_refund_requests (locked_at)
  WHERE status = 'draft';
CREATE INDEX backd_refund_requests_due_settle ON backd_refund_requests (settle_at)
  WHERE status = 'approved';
`,
};
