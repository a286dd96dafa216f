// Proves the same Points API contract over HTTP on PostgreSQL by running the shared suite in
// points-api.ts in a schema of its own that is dropped after.
import { postgresFactory, postgresSkipReason } from '../../../../test/support/stores.js';
import { definePointsApiSuite } from './points-api.js';

definePointsApiSuite(postgresFactory, await postgresSkipReason());
