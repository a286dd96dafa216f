/**
 * Migration 11: the hosted checkout verifies the customer's phone before it shows or spends
 * anything (docs/security.md "The Points hosted checkout").
 *
 * `points_checkout_sessions` is rebuilt (SQLite cannot change a CHECK in place) with a
 * `cancelled` status, the pending one-time code (its hash, phone and expiry: never the code), the
 * counts of codes sent and wrong codes entered, and the verified phone with the hash of the
 * verification token its browser holds. Second walls: a session completed under this migration
 * must have a verified phone (`verification_required`; sessions completed before it are marked
 * 0), a pending code has its phone and expiry, and the counts are never negative.
 *
 * `points_checkout_phone_limits` counts, per phone, the codes sent and wrong codes entered in the
 * current fixed window; one row per phone, locked by the transaction that counts.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 11,
  name: 'points checkout verification',
  sql: `
CREATE TABLE points_checkout_sessions_v10 (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  order_number TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  phone TEXT,
  callback_url TEXT,
  details TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
  order_id TEXT REFERENCES orders (id),
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT,
  cancelled_at BIGINT,
  code_phone TEXT CHECK (length(code_phone) = 9),
  code_hash TEXT CHECK (length(code_hash) = 64),
  code_expires_at BIGINT,
  codes_sent INTEGER NOT NULL DEFAULT 0 CHECK (codes_sent >= 0),
  code_failures INTEGER NOT NULL DEFAULT 0 CHECK (code_failures >= 0),
  verified_phone TEXT CHECK (length(verified_phone) = 9),
  verification_hash TEXT CHECK (length(verification_hash) = 64),
  verified_at BIGINT,
  verification_required INTEGER NOT NULL DEFAULT 1 CHECK (verification_required IN (0, 1)),
  CHECK ((status = 'completed') = (order_id IS NOT NULL)),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK ((code_hash IS NULL) = (code_expires_at IS NULL)),
  CHECK (code_hash IS NULL OR code_phone IS NOT NULL),
  CHECK ((verified_phone IS NULL) = (verification_hash IS NULL)),
  CHECK ((verified_phone IS NULL) = (verified_at IS NULL)),
  CHECK (status <> 'completed' OR verification_required = 0 OR verified_phone IS NOT NULL)
);
INSERT INTO points_checkout_sessions_v10
  (id, merchant_id, order_number, amount_minor, currency, phone, callback_url, details, status,
   order_id, expires_at, created_at, completed_at, verification_required)
SELECT id, merchant_id, order_number, amount_minor, currency, phone, callback_url, details, status,
  order_id, expires_at, created_at, completed_at, CASE WHEN status = 'completed' THEN 0 ELSE 1 END
FROM points_checkout_sessions;
DROP TABLE points_checkout_sessions;
ALTER TABLE points_checkout_sessions_v10 RENAME TO points_checkout_sessions;
CREATE INDEX points_checkout_sessions_merchant ON points_checkout_sessions (merchant_id, created_at);

CREATE TABLE points_checkout_phone_limits (
  phone TEXT PRIMARY KEY CHECK (length(phone) = 9),
  window_started_at BIGINT NOT NULL,
  sends INTEGER NOT NULL CHECK (sends >= 0),
  failures INTEGER NOT NULL CHECK (failures >= 0)
);
CREATE INDEX points_checkout_phone_limits_window ON points_checkout_phone_limits (window_started_at);
`,
};
