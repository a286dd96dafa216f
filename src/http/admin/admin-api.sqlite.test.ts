// Proves the admin API contract over HTTP on SQLite (the embedded default) by running the shared
// suite in admin-api.ts against a temporary database.
import { sqliteFactory } from '../../../test/support/stores.js';
import { defineAdminApiSuite } from './admin-api.js';

defineAdminApiSuite(sqliteFactory);
