// Proves the same admin API contract over HTTP on PostgreSQL by running the shared suite in
// admin-api.ts in a schema of its own that is dropped after.
import { postgresFactory, postgresSkipReason } from '../../../test/support/stores.js';
import { defineAdminApiSuite } from './admin-api.js';

defineAdminApiSuite(postgresFactory, await postgresSkipReason());
