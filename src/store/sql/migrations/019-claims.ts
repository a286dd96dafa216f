/**
 * Migration 19: one `claims` table for every claim made once (src/app/claims.ts): the faces'
 * `Idempotency-Key` headers (until now `idempotency_keys`, migrations 1 and 10) and MPG's body
 * ids (until now `mpg_request_ids`, migration 5). A claim is (scope, key):
 * - a header key keeps its scope (`KeyScope`, src/app/idempotency.ts) and its key; its stored
 *   response is `result_status` and `result`; it expires at `expires_at` (24 hours);
 * - a body id is scoped `mpg-body-ids:<merchant id>` and keyed `<kind>:<id>` (`order_id:…`,
 *   `transaction_id:…`); its `result` is the order it names; `expires_at` is NULL because its
 *   retention is a setting read by the reaper and counted from `created_at`.
 *
 * Existing rows move as they are, so every stored answer still replays and every lease still
 * holds. An in-progress row without a lease (which no release wrote) gets one that has already
 * expired, so the next retry takes it over; a completed header row without a body keeps an empty
 * one. Then the old tables are dropped.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 19,
  name: 'one claims table',
  sql: `
CREATE TABLE claims (
  scope TEXT NOT NULL,
  claim_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
  lease_token TEXT,
  lease_expires_at BIGINT,
  result_status INTEGER,
  result TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  PRIMARY KEY (scope, claim_key),
  CHECK ((state = 'in_progress') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CHECK ((state = 'completed') = (result IS NOT NULL))
);
CREATE INDEX claims_expiry ON claims (expires_at);
CREATE INDEX claims_created ON claims (created_at) WHERE expires_at IS NULL;

INSERT INTO claims (scope, claim_key, fingerprint, state, lease_token, lease_expires_at,
  result_status, result, created_at, expires_at)
SELECT scope, idempotency_key, fingerprint, state,
  CASE WHEN state = 'in_progress' THEN COALESCE(lease_token, 'migration-19') END,
  CASE WHEN state = 'in_progress' THEN COALESCE(lease_expires_at, 0) END,
  CASE WHEN state = 'completed' THEN response_status END,
  CASE WHEN state = 'completed' THEN COALESCE(response_body, '') END,
  created_at, expires_at
FROM idempotency_keys;

INSERT INTO claims (scope, claim_key, fingerprint, state, lease_token, lease_expires_at,
  result_status, result, created_at, expires_at)
SELECT 'mpg-body-ids:' || merchant_id, kind || ':' || request_id, fingerprint, state,
  CASE WHEN state = 'in_progress' THEN lease_token END,
  CASE WHEN state = 'in_progress' THEN lease_expires_at END,
  NULL,
  CASE WHEN state = 'completed' THEN order_id END,
  created_at, NULL
FROM mpg_request_ids;

DROP TABLE idempotency_keys;
DROP TABLE mpg_request_ids;
`,
};
