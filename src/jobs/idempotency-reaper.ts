/** Deletes claims of `Idempotency-Key` headers (stored responses) whose expiry has passed. */
import { reapExpiredClaims } from '../app/claims.js';
import type { AppDeps } from '../app/context.js';
import type { Job } from '../app/ports/job.js';

export const idempotencyReaper = (deps: AppDeps): Job => ({
  name: 'idempotency-reaper',
  step: () => reapExpiredClaims(deps),
});
