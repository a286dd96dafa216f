// Proves reconciliation end to end (policy, grace period, apply once, discrepancies, exports,
// folder job) on SQLite by running the shared suite in reconciliation.ts.
import { sqliteFactory } from '../support/stores.js';
import { defineReconciliationSuite } from './reconciliation.js';

defineReconciliationSuite(sqliteFactory);
