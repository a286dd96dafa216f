/**
 * Migration 3: the Points face. Customers' points wallets as a ledger (one per normalised phone,
 * shared across merchants), the Points view of orders (a stable integer id, shipping status,
 * rating references), hosted checkout sessions, and one lock row per merchant for the
 * per-merchant earning lock.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 3,
  name: 'points face',
  sql: `
CREATE TABLE points_customers (
  phone TEXT PRIMARY KEY CHECK (length(phone) = 9),
  -- May go below zero: an earning reversal after the customer spent the points is recorded,
  -- never capped (docs/decisions/points.md#wallets).
  balance BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE points_customer_entries (
  id TEXT PRIMARY KEY,
  phone TEXT NOT NULL REFERENCES points_customers (phone),
  type TEXT NOT NULL CHECK (type IN ('adjustment', 'award', 'redeem', 'reversal', 'return')),
  -- Signed change of the balance; the balance equals the sum of a customer's entries.
  points BIGINT NOT NULL CHECK (points <> 0),
  balance_after BIGINT NOT NULL,
  merchant_id TEXT REFERENCES merchants (id),
  order_id TEXT REFERENCES orders (id),
  transaction_id TEXT,
  created_at BIGINT NOT NULL,
  CHECK ((type = 'adjustment') = (order_id IS NULL))
);
CREATE INDEX points_customer_entries_phone ON points_customer_entries (phone, created_at, id);
CREATE UNIQUE INDEX points_customer_entries_transaction ON points_customer_entries (transaction_id)
  WHERE transaction_id IS NOT NULL;

CREATE TABLE points_checkout_sessions (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  order_number TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  phone TEXT,
  callback_url TEXT,
  details TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'completed')),
  order_id TEXT REFERENCES orders (id),
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT,
  CHECK ((status = 'completed') = (order_id IS NOT NULL)),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX points_checkout_sessions_merchant ON points_checkout_sessions (merchant_id, created_at);

CREATE TABLE points_merchant_locks (
  merchant_id TEXT PRIMARY KEY REFERENCES merchants (id)
);
`,
  // The integer id needs an engine's own auto-numbering; everything else above is shared.
  // The order row is written after its number is drawn (the number is part of its reference
  // number), so the reference to orders is checked at commit.
  sqlite: `
CREATE TABLE points_orders (
  number INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id TEXT NOT NULL UNIQUE REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  channel TEXT NOT NULL CHECK (channel IN ('earning', 'store_rating', 'product_rating', 'checkout')),
  review_reference TEXT,
  shipping_status TEXT CHECK (shipping_status IN ('new', 'license_in_progress', 'ready_shipping',
    'delivery_is_in_progress', 'delivered', 'cancelled')),
  label_ar TEXT,
  label_en TEXT,
  payment_method TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK ((review_reference IS NULL) = (channel NOT IN ('store_rating', 'product_rating')))
);
CREATE UNIQUE INDEX points_orders_review ON points_orders (merchant_id, channel, review_reference)
  WHERE review_reference IS NOT NULL;
CREATE TRIGGER points_customer_entries_append_only_update BEFORE UPDATE ON points_customer_entries
BEGIN SELECT RAISE(ABORT, 'points customer entries are append-only'); END;
CREATE TRIGGER points_customer_entries_append_only_delete BEFORE DELETE ON points_customer_entries
BEGIN SELECT RAISE(ABORT, 'points customer entries are append-only'); END;
`,
  postgres: `
CREATE TABLE points_orders (
  number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id TEXT NOT NULL UNIQUE REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  channel TEXT NOT NULL CHECK (channel IN ('earning', 'store_rating', 'product_rating', 'checkout')),
  review_reference TEXT,
  shipping_status TEXT CHECK (shipping_status IN ('new', 'license_in_progress', 'ready_shipping',
    'delivery_is_in_progress', 'delivered', 'cancelled')),
  label_ar TEXT,
  label_en TEXT,
  payment_method TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK ((review_reference IS NULL) = (channel NOT IN ('store_rating', 'product_rating')))
);
CREATE UNIQUE INDEX points_orders_review ON points_orders (merchant_id, channel, review_reference)
  WHERE review_reference IS NOT NULL;
CREATE TRIGGER points_customer_entries_append_only BEFORE UPDATE OR DELETE ON points_customer_entries
FOR EACH ROW EXECUTE FUNCTION unwind_append_only();
`,
};
