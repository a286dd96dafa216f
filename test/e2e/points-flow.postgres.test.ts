// Proves the same Points end-to-end flow on PostgreSQL by running the shared suite in
// points-flow.ts in a schema of its own.
import { postgresFactory, postgresSkipReason } from '../support/stores.js';
import { definePointsFlowSuite } from './points-flow.js';

definePointsFlowSuite(postgresFactory, await postgresSkipReason());
