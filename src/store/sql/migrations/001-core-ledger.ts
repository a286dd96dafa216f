/** Migration 1: merchants, credentials, orders, the ledger, the outbox, idempotency keys. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 1,
  name: 'core ledger',
  sql: `
CREATE TABLE merchants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  settings TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  dialect TEXT NOT NULL CHECK (dialect IN ('points', 'backd', 'mpg')),
  kind TEXT NOT NULL CHECK (kind IN ('api_key', 'public_key', 'secret_key')),
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  permissions TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX credentials_merchant ON credentials (merchant_id, dialect);

CREATE TABLE admin_tokens (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  dialect TEXT NOT NULL CHECK (dialect IN ('points', 'backd', 'mpg', 'admin')),
  kind TEXT NOT NULL CHECK (kind IN ('earning', 'replacing', 'bnpl', 'card', 'standard')),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  redeemed_minor BIGINT NOT NULL DEFAULT 0,
  authorized_minor BIGINT NOT NULL DEFAULT 0,
  captured_minor BIGINT NOT NULL DEFAULT 0,
  voided_minor BIGINT NOT NULL DEFAULT 0,
  refunded_minor BIGINT NOT NULL DEFAULT 0,
  total_points BIGINT NOT NULL DEFAULT 0,
  points_reversed BIGINT NOT NULL DEFAULT 0,
  redeemed_points BIGINT NOT NULL DEFAULT 0,
  points_returned BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN
    ('pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'cancelled')),
  order_number TEXT,
  merchant_order_id TEXT,
  backd_order_id TEXT,
  customer_ref TEXT,
  details TEXT NOT NULL,
  capture_method TEXT CHECK (capture_method IN ('purchase', 'capture')),
  captured_at BIGINT,
  cancelled_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 0),
  -- The ledger's invariants (docs/decisions/general.md#ledger-invariants), a second wall behind the
  -- checks in code.
  CHECK (redeemed_minor BETWEEN 0 AND amount_minor),
  CHECK (authorized_minor BETWEEN 0 AND amount_minor),
  CHECK (captured_minor >= 0 AND voided_minor >= 0),
  CHECK (captured_minor + voided_minor <= authorized_minor),
  CHECK (refunded_minor BETWEEN 0 AND captured_minor),
  CHECK (points_reversed BETWEEN 0 AND total_points),
  CHECK (points_returned BETWEEN 0 AND redeemed_points),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK (status <> 'refunded' OR (refunded_minor = captured_minor AND captured_minor > 0)),
  CHECK (status <> 'cancelled' OR captured_minor = 0),
  CHECK ((capture_method IS NULL) = (captured_at IS NULL))
);
CREATE INDEX orders_merchant_created ON orders (merchant_id, created_at, id);
CREATE UNIQUE INDEX orders_merchant_order_number ON orders (merchant_id, dialect, order_number)
  WHERE order_number IS NOT NULL;
CREATE INDEX orders_merchant_order_id ON orders (merchant_id, merchant_order_id);
CREATE UNIQUE INDEX orders_backd_order_id ON orders (backd_order_id) WHERE backd_order_id IS NOT NULL;

CREATE TABLE transactions (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  type TEXT NOT NULL CHECK (type IN ('authorize', 'capture', 'purchase', 'void', 'cancel', 'refund',
    'points_award', 'points_redeem', 'points_reversal', 'points_return',
    'verify', 'extension', 'reversal')),
  -- Only approved rows count toward the order's totals; the others are kept as history.
  status TEXT NOT NULL CHECK (status IN ('initiated', 'approved', 'failed', 'timeout',
    'system_error')),
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  points BIGINT NOT NULL CHECK (points >= 0),
  currency TEXT NOT NULL,
  reason TEXT,
  actor TEXT NOT NULL,
  event_id TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX transactions_order ON transactions (order_id, created_at, id);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  order_id TEXT REFERENCES orders (id),
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  status_before TEXT,
  status_after TEXT,
  -- The command that caused the change, so a retry with the same key changes nothing twice.
  idempotency_key TEXT,
  request_fingerprint TEXT,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  CHECK ((idempotency_key IS NULL) = (request_fingerprint IS NULL))
);
CREATE UNIQUE INDEX events_idempotency ON events (merchant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_merchant_created ON events (merchant_id, created_at, id);
CREATE INDEX events_order ON events (order_id, created_at, id);
CREATE INDEX events_created ON events (created_at, id);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
  lease_token TEXT,
  lease_expires_at BIGINT,
  response_status INTEGER,
  response_body TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, idempotency_key),
  CHECK ((state = 'completed') = (response_status IS NOT NULL))
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`,
  // The ledger is append-only: corrections are new rows. The triggers make an UPDATE or DELETE
  // of a ledger row or an event fail loudly instead of rewriting history.
  sqlite: `
CREATE TRIGGER transactions_append_only_update BEFORE UPDATE ON transactions
BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;
CREATE TRIGGER transactions_append_only_delete BEFORE DELETE ON transactions
BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`,
  postgres: `
CREATE FUNCTION unwind_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END $$;
CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions
FOR EACH ROW EXECUTE FUNCTION unwind_append_only();
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
FOR EACH ROW EXECUTE FUNCTION unwind_append_only();
`,
};
