// Proves the Points API contract over HTTP on SQLite (the embedded default) by running the shared
// suite in points-api.ts against a temporary database.
import { sqliteFactory } from '../../../../test/support/stores.js';
import { definePointsApiSuite } from './points-api.js';

definePointsApiSuite(sqliteFactory);
