/**
 * Migration 16: each webhook endpoint's health, shared by every node (src/domain/
 * delivery-schedule.ts): its run of failed attempts, when the run began, until when its circuit
 * is open, and when it was disabled (so re-enabling can replay what it missed). Delivered
 * deliveries are removed after their retention period oldest first, by delivery time.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 16,
  name: 'webhook endpoint health and delivery retention',
  sql: `
ALTER TABLE webhook_endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0
  CHECK (consecutive_failures >= 0);
ALTER TABLE webhook_endpoints ADD COLUMN failing_since BIGINT;
ALTER TABLE webhook_endpoints ADD COLUMN paused_until BIGINT;
ALTER TABLE webhook_endpoints ADD COLUMN disabled_at BIGINT;
CREATE INDEX deliveries_delivered ON deliveries (delivered_at) WHERE status = 'delivered';
`,
};
