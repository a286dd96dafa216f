/**
 * Migration 12: a reconciliation run names its scope, the merchant and the face whose settlement
 * report it is (docs/security.md, "Reconciliation is scoped"). Runs stored before keep a null
 * scope: they matched every merchant's orders, and the app refuses to apply them. A CHECK keeps
 * the two columns together (both set or both null); the dialect is a provider face, never admin.
 *
 * Findings gain the kind `unknown_order`: a report row naming an order outside the run's scope
 * (or no order at all). SQLite cannot change a CHECK in place, so it rebuilds the findings table
 * (nothing references it); PostgreSQL replaces the constraint.
 *
 * Reads: the runs list by merchant, newest first.
 */
import type { Migration } from './migration.js';

const KINDS = `'malformed_row', 'unknown_order', 'missing_in_report', 'missing_in_unwind',
    'amount_mismatch', 'currency_mismatch', 'duplicate'`;

export const migration: Migration = {
  version: 12,
  name: 'reconciliation scope',
  sql: `
ALTER TABLE reconciliation_runs ADD COLUMN merchant_id TEXT REFERENCES merchants (id);
CREATE INDEX reconciliation_runs_merchant_created
  ON reconciliation_runs (merchant_id, created_at, id);
`,
  sqlite: `
ALTER TABLE reconciliation_runs ADD COLUMN dialect TEXT
  CHECK (dialect IN ('points', 'backd', 'mpg') AND (merchant_id IS NULL) = (dialect IS NULL));

CREATE TABLE reconciliation_findings_next (
  run_id TEXT NOT NULL REFERENCES reconciliation_runs (id),
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${KINDS})),
  line BIGINT,
  order_reference TEXT,
  order_id TEXT REFERENCES orders (id),
  merchant_id TEXT REFERENCES merchants (id),
  transaction_reference TEXT,
  type TEXT CHECK (type IN ('payment', 'refund')),
  expected_minor BIGINT,
  reported_minor BIGINT,
  expected_currency TEXT,
  reported_currency TEXT,
  message TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('none', 'pending_grace', 'auto_refund', 'auto_refunded',
    'skipped')),
  action_detail TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
INSERT INTO reconciliation_findings_next SELECT run_id, seq, kind, line, order_reference,
  order_id, merchant_id, transaction_reference, type, expected_minor, reported_minor,
  expected_currency, reported_currency, message, action, action_detail, updated_at
  FROM reconciliation_findings;
DROP TABLE reconciliation_findings;
ALTER TABLE reconciliation_findings_next RENAME TO reconciliation_findings;
CREATE INDEX reconciliation_findings_action ON reconciliation_findings (run_id, action, seq);
`,
  postgres: `
ALTER TABLE reconciliation_runs ADD COLUMN dialect TEXT
  CHECK (dialect IN ('points', 'backd', 'mpg'));
ALTER TABLE reconciliation_runs ADD CONSTRAINT reconciliation_runs_scope
  CHECK ((merchant_id IS NULL) = (dialect IS NULL));
ALTER TABLE reconciliation_findings DROP CONSTRAINT reconciliation_findings_kind_check;
ALTER TABLE reconciliation_findings ADD CONSTRAINT reconciliation_findings_kind_check
  CHECK (kind IN (${KINDS}));
`,
};
