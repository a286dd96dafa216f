/**
 * Migration 9: the operators' actions outside the ledger (issue 9: every action with the admin
 * as the recorded actor and a reason). Replaying deliveries and changing webhook endpoints move
 * no money, so they leave no ledger row or event; each writes one row here instead, in the same
 * transaction as the action. Append-only like the ledger: triggers refuse UPDATE and DELETE.
 *
 * Reads: the audit list by (created_at, id) in either direction, alone or by merchant or action,
 * and an order's actions for its history (only replays of its deliveries carry an order, so
 * that index leaves the rest out).
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 9,
  name: 'admin actions',
  sql: `
CREATE TABLE admin_actions (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('delivery.replayed', 'webhook.replayed_since',
    'webhook.disabled', 'webhook.enabled', 'webhook.secret_rotated', 'webhook.updated')),
  actor TEXT NOT NULL CHECK (length(actor) > 0),
  reason TEXT,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  order_id TEXT REFERENCES orders (id),
  subject_id TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX admin_actions_created ON admin_actions (created_at, id);
CREATE INDEX admin_actions_merchant_created ON admin_actions (merchant_id, created_at, id);
CREATE INDEX admin_actions_action_created ON admin_actions (action, created_at, id);
CREATE INDEX admin_actions_order ON admin_actions (order_id, created_at, id)
  WHERE order_id IS NOT NULL;
`,
  sqlite: `
CREATE TRIGGER admin_actions_append_only_update BEFORE UPDATE ON admin_actions
BEGIN SELECT RAISE(ABORT, 'admin actions are append-only'); END;
CREATE TRIGGER admin_actions_append_only_delete BEFORE DELETE ON admin_actions
BEGIN SELECT RAISE(ABORT, 'admin actions are append-only'); END;
`,
  // unwind_append_only() is migration 1's.
  postgres: `
CREATE TRIGGER admin_actions_append_only BEFORE UPDATE OR DELETE ON admin_actions
FOR EACH ROW EXECUTE FUNCTION unwind_append_only();
`,
};
