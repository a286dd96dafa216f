// Runs the store contract against SQLite (the embedded default) in a temporary directory.
import { sqliteFactory } from '../../../test/support/stores.js';
import { defineStoreContract } from './store-contract.js';

defineStoreContract(sqliteFactory);
