/**
 * Migration 13: each Backd refund request remembers the order's refunded total it was submitted
 * against (`base_refunded_minor`). On a Backd order money leaves only through refund requests
 * (docs/dialects/backd.md), so when a request settles the order's refunded total must still be
 * that base; anything else means a refund landed another way in between, and the settlement job
 * declines the request instead of refunding the same return twice.
 *
 * Requests written before this migration get the sum of the order's approved refund rows written
 * strictly before the request: what it was submitted against. (A refund in the very millisecond
 * of the submission counts as later, so at worst such a request is declined, never paid twice.)
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 13,
  name: 'refund request base',
  sql: `
ALTER TABLE backd_refund_requests
  ADD COLUMN base_refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (base_refunded_minor >= 0);
UPDATE backd_refund_requests SET base_refunded_minor = (
  SELECT COALESCE(SUM(t.amount_minor), 0) FROM transactions t
  WHERE t.order_id = backd_refund_requests.order_id AND t.type = 'refund'
    AND t.status = 'approved' AND t.created_at < backd_refund_requests.created_at
);
`,
};
