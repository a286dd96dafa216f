/** Deletes claims of MPG body ids (`order_id`, `transaction_id`) older than their retention. */
import { reapExpiredClaims } from '../app/claims.js';
import type { AppDeps } from '../app/context.js';
import type { Job } from '../app/ports/job.js';

const DAY_MS = 86_400_000;

export const mpgRequestIdReaper = (deps: AppDeps, retentionDays: number): Job => ({
  name: 'mpg-request-id-reaper',
  step: () => reapExpiredClaims(deps, retentionDays * DAY_MS),
});
