/**
 * Migration 8: dashboard sessions. A signed-in operator holds a random session secret in an
 * HttpOnly cookie; only its hash is stored. `token_hash` is the hash of the admin token the
 * session was opened with, so revoking or rotating that token ends its sessions too.
 */
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 8,
  name: 'admin sessions',
  sql: `
CREATE TABLE admin_sessions (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL,
  user_agent TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  CHECK (expires_at > created_at),
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
`,
};
