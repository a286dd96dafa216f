// Proves the Backd face's contract over HTTP on SQLite (the embedded default) by running the
// shared suite in backd-api.ts against a temporary database.
import { sqliteFactory } from '../../../../test/support/stores.js';
import { defineBackdApiSuite } from './backd-api.js';

defineBackdApiSuite(sqliteFactory);
