/**
 * Migration 15: operators (issue 17). Named operators with a role, a refund limit, a scrypt
 * password hash, an optional TOTP secret and a one-time invite; API tokens per operator or
 * service with scopes (hashes only); dashboard sessions that name their operator; four-eyes
 * refund approvals; and the admin actions log widened to the new audited actions, some of
 * which (an operator's) concern no merchant.
 *
 * Figures written out because a shipped migration never changes: limits at most
 * 1,000,000,000,000 minor units (migration 14's amount bound).
 *
 * admin_actions: SQLite cannot change a CHECK or a NOT NULL, so the table is rebuilt (same
 * columns, rows copied, indexes and append-only triggers recreated); PostgreSQL alters it.
 */
import type { Migration } from './migration.js';

const ACTIONS = `'delivery.replayed', 'webhook.replayed_since', 'webhook.disabled', 'webhook.enabled',
    'webhook.secret_rotated', 'webhook.updated', 'merchant.created', 'merchant.updated',
    'credentials.rotated', 'webhook.created', 'operator.invited', 'operator.invite_accepted',
    'operator.updated', 'operator.disabled', 'operator.enabled', 'operator.totp_enabled',
    'operator.totp_removed', 'token.created', 'token.revoked', 'refund.approval_requested',
    'refund.approved', 'refund.declined'`;

const INDEXES = `
CREATE INDEX admin_actions_created ON admin_actions (created_at, id);
CREATE INDEX admin_actions_merchant_created ON admin_actions (merchant_id, created_at, id);
CREATE INDEX admin_actions_action_created ON admin_actions (action, created_at, id);
CREATE INDEX admin_actions_order ON admin_actions (order_id, created_at, id)
  WHERE order_id IS NOT NULL;`;

export const migration: Migration = {
  version: 15,
  name: 'operators',
  sql: `
CREATE TABLE operators (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 32),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'support', 'admin')),
  limit_minor BIGINT CHECK (limit_minor IS NULL OR (limit_minor >= 0
    AND limit_minor <= 1000000000000)),
  password_hash TEXT,
  totp_secret TEXT,
  totp_pending_secret TEXT,
  totp_last_step BIGINT,
  invite_hash TEXT UNIQUE,
  invite_expires_at BIGINT,
  disabled_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK ((invite_hash IS NULL) = (invite_expires_at IS NULL))
);

CREATE TABLE operator_tokens (
  id TEXT PRIMARY KEY,
  operator_id TEXT REFERENCES operators (id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'support', 'admin')),
  scopes TEXT NOT NULL,
  limit_minor BIGINT CHECK (limit_minor IS NULL OR (limit_minor >= 0
    AND limit_minor <= 1000000000000)),
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
CREATE INDEX operator_tokens_operator ON operator_tokens (operator_id);

ALTER TABLE admin_sessions ADD COLUMN operator_id TEXT REFERENCES operators (id);
CREATE INDEX admin_sessions_operator ON admin_sessions (operator_id) WHERE operator_id IS NOT NULL;

CREATE TABLE refund_approvals (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  order_id TEXT NOT NULL REFERENCES orders (id),
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0 AND amount_minor <= 1000000000000),
  currency TEXT NOT NULL,
  reason TEXT,
  requested_by TEXT NOT NULL,
  requested_by_operator TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined')),
  decided_by TEXT,
  decided_by_operator TEXT,
  decision_reason TEXT,
  decided_at BIGINT,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CHECK (expires_at > created_at),
  CHECK ((state = 'pending') = (decided_by IS NULL)),
  CHECK ((state = 'pending') = (decided_at IS NULL))
);
CREATE INDEX refund_approvals_created ON refund_approvals (created_at, id);
CREATE INDEX refund_approvals_order ON refund_approvals (order_id, created_at);
`,
  sqlite: `
CREATE TABLE admin_actions_15 (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN (${ACTIONS})),
  actor TEXT NOT NULL CHECK (length(actor) > 0),
  reason TEXT,
  merchant_id TEXT REFERENCES merchants (id),
  order_id TEXT REFERENCES orders (id),
  subject_id TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
INSERT INTO admin_actions_15 SELECT id, action, actor, reason, merchant_id, order_id, subject_id,
  details, created_at FROM admin_actions;
DROP TABLE admin_actions;
ALTER TABLE admin_actions_15 RENAME TO admin_actions;
${INDEXES}
CREATE TRIGGER admin_actions_append_only_update BEFORE UPDATE ON admin_actions
BEGIN SELECT RAISE(ABORT, 'admin actions are append-only'); END;
CREATE TRIGGER admin_actions_append_only_delete BEFORE DELETE ON admin_actions
BEGIN SELECT RAISE(ABORT, 'admin actions are append-only'); END;
`,
  postgres: `
ALTER TABLE admin_actions DROP CONSTRAINT admin_actions_action_check;
ALTER TABLE admin_actions ADD CONSTRAINT admin_actions_action_check CHECK (action IN (${ACTIONS}));
ALTER TABLE admin_actions ALTER COLUMN merchant_id DROP NOT NULL;
`,
};
