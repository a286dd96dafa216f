/** Migration 2: webhook endpoints, deliveries and their attempts. */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 2,
  name: 'webhook endpoints and deliveries',
  sql: `
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
  name TEXT,
  format TEXT NOT NULL CHECK (format IN ('standard', 'points')),
  retry_policy TEXT NOT NULL CHECK (retry_policy IN ('standard', 'points')),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_expires_at BIGINT,
  disabled_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, created_at, id);
CREATE UNIQUE INDEX webhook_endpoints_url ON webhook_endpoints (merchant_id, url)
  WHERE deleted_at IS NULL;

CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events (id),
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  order_id TEXT,
  event_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
  attempt_count INTEGER NOT NULL CHECK (attempt_count >= 0),
  policy_attempts INTEGER NOT NULL CHECK (policy_attempts >= 0),
  next_attempt_at BIGINT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT,
  UNIQUE (event_id, endpoint_id),
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_merchant_created ON deliveries (merchant_id, created_at, id);
CREATE INDEX deliveries_endpoint_created ON deliveries (endpoint_id, created_at, id);
CREATE INDEX deliveries_order ON deliveries (order_id, created_at, id);
CREATE INDEX deliveries_created ON deliveries (created_at, id);

CREATE TABLE delivery_attempts (
  id TEXT PRIMARY KEY,
  delivery_id TEXT NOT NULL REFERENCES deliveries (id),
  attempt_number INTEGER NOT NULL CHECK (attempt_number >= 1),
  started_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL CHECK (duration_ms >= 0),
  status_code INTEGER,
  error TEXT,
  response_excerpt TEXT,
  UNIQUE (delivery_id, attempt_number)
);
`,
};
