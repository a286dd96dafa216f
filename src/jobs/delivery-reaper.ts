/**
 * Deletes delivered deliveries and their attempts once past their retention
 * (UNWIND_DELIVERY_RETENTION_DAYS), a small batch per step so it never holds the dispatcher up:
 * the rows it takes are delivered ones, which no claim touches.
 */
import type { AppDeps } from '../app/context.js';
import { reapDeliveredDeliveries } from '../app/deliveries.js';
import type { Job } from '../app/ports/job.js';

export const deliveryReaper = (deps: AppDeps, retentionMs: number): Job => ({
  name: 'delivery-reaper',
  step: () => reapDeliveredDeliveries(deps, retentionMs),
});
