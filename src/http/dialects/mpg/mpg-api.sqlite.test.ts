// Proves the MPG face over HTTP on SQLite (the embedded default) by running the shared suite in
// mpg-api.ts against a temporary database.
import { sqliteFactory } from '../../../../test/support/stores.js';
import { defineMpgApiSuite } from './mpg-api.js';

defineMpgApiSuite(sqliteFactory);
