/**
 * Migration 18: the MPG face's key restrictions. A credential may carry an IP whitelist
 * (`ip_whitelist`, a JSON array of addresses and CIDR blocks; NULL admits every address), which
 * the MPG face checks after the key (docs/dialects/mpg.md, "Keys, permissions and IP
 * whitelists"). Existing credentials keep NULL: nothing changes for them.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 18,
  name: 'mpg keys and card auths',
  sql: `
ALTER TABLE credentials ADD COLUMN ip_whitelist TEXT;
`,
};
