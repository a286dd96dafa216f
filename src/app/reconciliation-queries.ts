/** Reads of reconciliation runs for the admin face: the list of runs, and one run's findings. */
import type { Finding, ReconciliationRun } from '../domain/reconciliation.js';
import { type AppDeps, query } from './context.js';
import type { RunFilter } from './ports/reconciliation.js';

/** Runs newest first (of one merchant or face, or all), strictly before the `before` pair. */
export const listReconciliationRuns = (
  deps: AppDeps,
  filter: RunFilter,
): Promise<ReconciliationRun[]> => query(deps, (tx) => tx.listReconciliationRuns(filter));

export const findReconciliationRun = (
  deps: AppDeps,
  runId: string,
): Promise<ReconciliationRun | undefined> => query(deps, (tx) => tx.findReconciliationRun(runId));

/** The run's first `limit` findings, in order. */
export const firstFindings = (deps: AppDeps, runId: string, limit: number): Promise<Finding[]> =>
  query(deps, (tx) => tx.listFindings(runId, 0, limit));
