/** Deletes stored idempotent responses whose retention has passed. */
import type { AppDeps } from '../app/context.js';
import { reapExpiredIdempotencyKeys } from '../app/idempotency.js';
import type { Job } from '../app/ports/job.js';

export const idempotencyReaper = (deps: AppDeps): Job => ({
  name: 'idempotency-reaper',
  step: () => reapExpiredIdempotencyKeys(deps),
});
