/**
 * The claims as they were stored before migration 19: `idempotency_keys` (migrations 1 and 10)
 * and `mpg_request_ids` (migration 5), for tests that prove an upgrade over old rows. The DDL is
 * the old migrations' own, copied here because those tables no longer exist after 19.
 */

/** The two old tables, empty. */
const OLD_CLAIM_TABLES = `
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
`;

/**
 * Takes migration 19 back on a migrated database: the old tables again, holding what `claims`
 * holds (header keys have an expiry, body ids do not), and `claims` gone. The next start
 * applies 19 once more.
 */
export const UNDO_MIGRATION_19 = `${OLD_CLAIM_TABLES}
INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, state, lease_token,
  lease_expires_at, response_status, response_body, created_at, expires_at)
SELECT scope, claim_key, fingerprint, state, lease_token, lease_expires_at, result_status, result,
  created_at, expires_at
FROM claims WHERE expires_at IS NOT NULL;
INSERT INTO mpg_request_ids (merchant_id, kind, request_id, fingerprint, state, lease_token,
  lease_expires_at, order_id, created_at)
SELECT substr(scope, 14),
  CASE WHEN claim_key LIKE 'order_id:%' THEN 'order_id' ELSE 'transaction_id' END,
  substr(claim_key, CASE WHEN claim_key LIKE 'order_id:%' THEN 10 ELSE 16 END),
  fingerprint, state, lease_token, lease_expires_at, result, created_at
FROM claims WHERE expires_at IS NULL;
DROP TABLE claims;
DELETE FROM schema_migrations WHERE version = 19;
`;
