/**
 * Migration 18: the MPG face's key restrictions. A credential may carry an IP whitelist
 * (`ip_whitelist`, a JSON array of addresses and CIDR blocks; NULL admits every address), which
 * the MPG face checks after the key (docs/dialects/mpg.md, "Keys, permissions and IP
 * whitelists"). Existing credentials keep NULL: nothing changes for them.
 *
 * And MPG's card authentications (3-D Secure, `/v1/3ds`): the masked card, never its number;
 * `outcome` is what the simulated directory server answers for that card; `order_id` is the
 * order the authentication was used by (once). CHECKs hold the statuses and the amount's bounds.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 18,
  name: 'mpg keys and card auths',
  sql: `
ALTER TABLE credentials ADD COLUMN ip_whitelist TEXT;

CREATE TABLE mpg_card_auths (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  status TEXT NOT NULL
    CHECK (status IN ('draft', 'available', 'in_progress', 'authenticated', 'failed')),
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 1 AND amount_minor <= 100000000),
  currency TEXT NOT NULL,
  scheme TEXT NOT NULL,
  first_digits TEXT NOT NULL,
  last_digits TEXT NOT NULL,
  month INTEGER NOT NULL,
  year INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('frictionless', 'challenge', 'failure')),
  return_url TEXT,
  challenge_preference TEXT NOT NULL,
  is_frictionless INTEGER CHECK (is_frictionless IN (0, 1)),
  challenge TEXT,
  auth TEXT,
  failure_reason TEXT,
  message TEXT NOT NULL,
  order_id TEXT REFERENCES orders (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (order_id IS NULL OR status = 'authenticated')
);
CREATE UNIQUE INDEX mpg_card_auths_order ON mpg_card_auths (order_id);
`,
};
