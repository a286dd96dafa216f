/**
 * Migration 6: reconciliation. One row per run, the run's parsed settlement-report rows (so
 * matching is done by the database in pages, in bounded memory, whatever the report's size),
 * and the run's findings, each with what the policy did or would do about it.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 6,
  name: 'reconciliation',
  sql: `
CREATE TABLE reconciliation_runs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'applied', 'failed')),
  source TEXT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT NOT NULL,
  summary TEXT NOT NULL,
  error TEXT,
  created_at BIGINT NOT NULL,
  completed_at BIGINT,
  applied_at BIGINT,
  CHECK (from_at < to_at),
  CHECK ((status = 'applied') = (applied_at IS NOT NULL))
);
CREATE INDEX reconciliation_runs_created ON reconciliation_runs (created_at, id);

CREATE TABLE reconciliation_report_rows (
  run_id TEXT NOT NULL REFERENCES reconciliation_runs (id),
  line BIGINT NOT NULL,
  order_reference TEXT NOT NULL,
  transaction_reference TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('payment', 'refund')),
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  settled_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, line)
);
CREATE INDEX reconciliation_report_rows_order
  ON reconciliation_report_rows (run_id, order_reference, type);
CREATE INDEX reconciliation_report_rows_transaction
  ON reconciliation_report_rows (run_id, transaction_reference, line);

CREATE TABLE reconciliation_findings (
  run_id TEXT NOT NULL REFERENCES reconciliation_runs (id),
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('malformed_row', 'missing_in_report', 'missing_in_unwind',
    'amount_mismatch', 'currency_mismatch', 'duplicate')),
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
-- Matching reads the ledger's money rows by creation time.
CREATE INDEX transactions_created ON transactions (created_at, order_id);
CREATE INDEX reconciliation_findings_action ON reconciliation_findings (run_id, action, seq);
`,
};
