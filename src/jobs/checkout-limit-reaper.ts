/** Deletes the hosted checkout's per-phone counters once their window has ended. */
import type { AppDeps } from '../app/context.js';
import type { Job } from '../app/ports/job.js';
import { reapCheckoutPhoneLimits } from '../app/points-checkout-codes.js';

export const checkoutLimitReaper = (deps: AppDeps, windowMs: number): Job => ({
  name: 'checkout-limit-reaper',
  step: () => reapCheckoutPhoneLimits(deps, windowMs),
});
