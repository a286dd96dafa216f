/**
 * The one migration list, in version order. Each migration is a file of its own in this folder;
 * add the next number as a new file and one line here. Never edit a migration that has shipped.
 */
import type { Migration } from './migration.js';
import { migration as coreLedger } from './001-core-ledger.js';
import { migration as webhooks } from './002-webhooks.js';
import { migration as points } from './003-points.js';
import { migration as backd } from './004-backd.js';
import { migration as mpg } from './005-mpg.js';
import { migration as reconciliation } from './006-reconciliation.js';
import { migration as adminSearch } from './007-admin-search.js';
import { migration as adminSessions } from './008-admin-sessions.js';
import { migration as adminActions } from './009-admin-actions.js';
import { migration as idempotencyScope } from './010-idempotency-scope.js';
import { migration as pointsCheckoutVerification } from './011-points-checkout-verification.js';
import { migration as reconciliationScope } from './012-reconciliation-scope.js';
import { migration as refundRequestBase } from './013-refund-request-base.js';
import { migration as figureBounds } from './014-figure-bounds.js';
import { migration as pointsMerchantsPending } from './017-points-merchants-pending.js';
import { migration as webhookHealth } from './016-webhook-health.js';
import { migration as mpgKeysAndCardAuths } from './018-mpg-keys-and-card-auths.js';
import { migration as operators } from './015-operators.js';
import { migration as claims } from './019-claims.js';
import { migration as credentialActions } from './022-credential-actions.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  coreLedger,
  webhooks,
  points,
  backd,
  mpg,
  reconciliation,
  adminSearch,
  adminSessions,
  adminActions,
  idempotencyScope,
  pointsCheckoutVerification,
  reconciliationScope,
  refundRequestBase,
  figureBounds,
  pointsMerchantsPending,
  webhookHealth,
  mpgKeysAndCardAuths,
  operators,
  claims,
  credentialActions,
].sort((a, b) => a.version - b.version);
