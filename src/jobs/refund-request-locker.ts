/**
 * Backd refund requests' locking and settlement (docs/decisions/backd.md#refund-requests): drafts
 * past their deadline become `approved`, approved ones due to settle become `refunded` with their
 * core refund. Time comes only from the clock (the test clock drives it). Every node may run it:
 * each request advances in its own transaction after locking its order's row with SKIP LOCKED, so
 * two nodes never work on one order at once, and the status check under that lock makes a request
 * that another node already advanced a no-op.
 */
import { advanceDueRefundRequests } from '../app/backd-refund-requests.js';
import type { AppDeps } from '../app/context.js';
import { LIMITS } from '../app/limits.js';
import type { Job, JobLogger } from '../app/ports/job.js';

export const refundRequestLocker = (deps: AppDeps, log?: JobLogger): Job => ({
  name: 'refund-request-locker',
  step: () =>
    advanceDueRefundRequests(deps, LIMITS.refundRequestBatchSize, (requestId, failure) =>
      log?.error({ requestId, failure }, 'refund request could not advance'),
    ),
});
