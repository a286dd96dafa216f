// Proves the Points end-to-end flow (hosted redeem, complete, partial and full refund, webhooks)
// on SQLite by running the shared suite in points-flow.ts.
import { sqliteFactory } from '../support/stores.js';
import { definePointsFlowSuite } from './points-flow.js';

definePointsFlowSuite(sqliteFactory);
