/**
 * Migration 10: `Idempotency-Key`s belong to the merchant and face, not to a credential row
 * (docs/security.md, "Idempotency keys belong to the merchant and face"). Until now a merchant
 * face's keys were stored under the id of the credential that sent them, so a retry after a key
 * rotation found nothing and ran again.
 *
 * Existing keys keep working: each row stored under a credential id moves to that credential's
 * merchant and face, in the form `merchantKeyScope` (src/app/idempotency.ts) builds,
 * `<face>:merchant:<merchant id>`. Where rotations already left one key under two credentials of
 * the same merchant and face, the earliest row (the first answer; ties broken by the old scope)
 * is kept and the others are deleted first, so the move meets no primary-key conflict; the
 * deleted rows are answers the client has already had, and the ledger's own event keys still
 * refuse a second change for MPG's body ids. Rows of the admin face (`admin`) and of the hosted
 * pages (`backd-checkout:…`, `points-pay:…`) were never per credential and stay as they are.
 */
import type { Migration } from './migration.js';

/** The scope migration 10 gives a row stored under credential `c`. */
const NEW_SCOPE = `c.dialect || ':merchant:' || c.merchant_id`;

export const migration: Migration = {
  version: 10,
  name: 'idempotency keys per merchant and face',
  sql: `
DELETE FROM idempotency_keys
WHERE EXISTS (
  SELECT 1
  FROM credentials c, idempotency_keys k2, credentials c2
  WHERE c.id = idempotency_keys.scope
    AND k2.idempotency_key = idempotency_keys.idempotency_key
    AND c2.id = k2.scope
    AND c2.merchant_id = c.merchant_id
    AND c2.dialect = c.dialect
    AND (k2.created_at < idempotency_keys.created_at
      OR (k2.created_at = idempotency_keys.created_at AND k2.scope < idempotency_keys.scope))
);
UPDATE idempotency_keys
SET scope = (SELECT ${NEW_SCOPE} FROM credentials c WHERE c.id = idempotency_keys.scope)
WHERE scope IN (SELECT id FROM credentials);
`,
};
