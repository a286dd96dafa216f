// Runs the same store contract against PostgreSQL, in a schema of its own that is dropped after.
import { postgresFactory, postgresSkipReason } from '../../../test/support/stores.js';
import { defineStoreContract } from './store-contract.js';

defineStoreContract(postgresFactory, await postgresSkipReason());
