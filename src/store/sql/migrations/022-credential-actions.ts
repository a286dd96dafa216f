/**
 * Migration 22: the admin actions log widened to MPG keys issued and credentials revoked one by
 * one (issue 16: the dashboard's API keys page issues and revokes them, and each is recorded with
 * its operator, like every other change of credentials).
 *
 * admin_actions: SQLite cannot change a CHECK, so the table is rebuilt as migration 15 did (same
 * columns, rows copied, indexes and append-only triggers recreated); PostgreSQL alters it.
 */
import type { Migration } from './migration.js';

const ACTIONS = `'delivery.replayed', 'webhook.replayed_since', 'webhook.disabled', 'webhook.enabled',
    'webhook.secret_rotated', 'webhook.updated', 'merchant.created', 'merchant.updated',
    'credentials.rotated', 'webhook.created', 'operator.invited', 'operator.invite_accepted',
    'operator.updated', 'operator.disabled', 'operator.enabled', 'operator.totp_enabled',
    'operator.totp_removed', 'token.created', 'token.revoked', 'refund.approval_requested',
    'refund.approved', 'refund.declined', 'mpg_key.issued', 'credential.revoked'`;

export const migration: Migration = {
  version: 22,
  name: 'credential actions',
  sql: '',
  sqlite: `
CREATE TABLE admin_actions_22 (
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
INSERT INTO admin_actions_22 SELECT id, action, actor, reason, merchant_id, order_id, subject_id,
  details, created_at FROM admin_actions;
DROP TABLE admin_actions;
ALTER TABLE admin_actions_22 RENAME TO admin_actions;
CREATE INDEX admin_actions_created ON admin_actions (created_at, id);
CREATE INDEX admin_actions_merchant_created ON admin_actions (merchant_id, created_at, id);
CREATE INDEX admin_actions_action_created ON admin_actions (action, created_at, id);
CREATE INDEX admin_actions_order ON admin_actions (order_id, created_at, id)
  WHERE order_id IS NOT NULL;
CREATE TRIGGER admin_actions_append_only_update BEFORE UPDATE ON admin_actions
BEGIN SELECT RAISE(ABORT, 'admin actions are append-only'); END;
CREATE TRIGGER admin_actions_append_only_delete BEFORE DELETE ON admin_actions
BEGIN SELECT RAISE(ABORT, 'admin actions are append-only'); END;
`,
  postgres: `
ALTER TABLE admin_actions DROP CONSTRAINT admin_actions_action_check;
ALTER TABLE admin_actions ADD CONSTRAINT admin_actions_action_check CHECK (action IN (${ACTIONS}));
`,
};
