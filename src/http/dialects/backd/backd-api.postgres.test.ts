// Proves the same Backd contract over HTTP on PostgreSQL by running the shared suite in
// backd-api.ts in a schema of its own that is dropped after.
import { postgresFactory, postgresSkipReason } from '../../../../test/support/stores.js';
import { defineBackdApiSuite } from './backd-api.js';

defineBackdApiSuite(postgresFactory, await postgresSkipReason());
