// Proves the same reconciliation suite on PostgreSQL, in a schema of its own.
import { postgresFactory, postgresSkipReason } from '../support/stores.js';
import { defineReconciliationSuite } from './reconciliation.js';

defineReconciliationSuite(postgresFactory, await postgresSkipReason());
