/** Deletes MPG body ids (`order_id`, `transaction_id` claims) older than their retention. */
import type { AppDeps } from '../app/context.js';
import { reapExpiredMpgRequestIds } from '../app/mpg-request-ids.js';
import type { Job } from '../app/ports/job.js';

const DAY_MS = 86_400_000;

export const mpgRequestIdReaper = (deps: AppDeps, retentionDays: number): Job => ({
  name: 'mpg-request-id-reaper',
  step: () => reapExpiredMpgRequestIds(deps, retentionDays * DAY_MS),
});
