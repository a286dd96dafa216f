/**
 * Migration 17: two Points tables.
 *
 * `points_merchants` gives every merchant a stable integer, the `merchant_id` Points' webhook
 * resource declares (docs/dialects/points.md "Webhooks API"); Unwind's merchant ids are UUIDv7
 * strings, which Points clients cast to an integer. Existing merchants are numbered here in the
 * order they were created; a merchant made later gets its number on first use. One row per
 * merchant, never updated, so the number never changes.
 *
 * `points_pending_earnings` queues an earning for a phone that has no activated Points account
 * (no wallet yet), as Points answers `pending_client_activation`; the row is awarded (its order
 * created, `order_id` and `awarded_at` set) when the account is activated. Its `number` is the
 * `pending_earning_order.id` the answer shows.
 */
import type { Migration } from './migration.js';

const PENDING_COLUMNS = `
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  phone TEXT NOT NULL CHECK (length(phone) = 9),
  channel TEXT NOT NULL CHECK (channel IN ('earning', 'store_rating', 'product_rating')),
  order_number TEXT NOT NULL,
  review_reference TEXT,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0 AND amount_minor <= 1000000000000),
  total_points BIGINT NOT NULL CHECK (total_points >= 0 AND total_points <= 10000000000000),
  details TEXT NOT NULL,
  order_id TEXT REFERENCES orders (id),
  created_at BIGINT NOT NULL,
  awarded_at BIGINT,
  CHECK ((order_id IS NULL) = (awarded_at IS NULL)),
  CHECK ((review_reference IS NULL) = (channel = 'earning'))`;

const PENDING_INDEXES = `
CREATE UNIQUE INDEX points_pending_earnings_number ON points_pending_earnings
  (merchant_id, channel, order_number);
CREATE INDEX points_pending_earnings_phone ON points_pending_earnings (phone, awarded_at);`;

export const migration: Migration = {
  version: 17,
  name: 'points merchant numbers and pending earnings',
  sql: '',
  sqlite: `
CREATE TABLE points_merchants (
  number INTEGER PRIMARY KEY AUTOINCREMENT,
  merchant_id TEXT NOT NULL UNIQUE REFERENCES merchants (id)
);
INSERT INTO points_merchants (merchant_id) SELECT id FROM merchants ORDER BY created_at, id;
CREATE TABLE points_pending_earnings (
  number INTEGER PRIMARY KEY AUTOINCREMENT,${PENDING_COLUMNS}
);${PENDING_INDEXES}
`,
  postgres: `
CREATE TABLE points_merchants (
  number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id TEXT NOT NULL UNIQUE REFERENCES merchants (id)
);
INSERT INTO points_merchants (merchant_id) SELECT id FROM merchants ORDER BY created_at, id;
CREATE TABLE points_pending_earnings (
  number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,${PENDING_COLUMNS}
);${PENDING_INDEXES}
`,
};
