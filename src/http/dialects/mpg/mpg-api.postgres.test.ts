// Proves the same MPG face contract over HTTP on PostgreSQL by running the shared suite in
// mpg-api.ts in a schema of its own that is dropped after.
import { postgresFactory, postgresSkipReason } from '../../../../test/support/stores.js';
import { defineMpgApiSuite } from './mpg-api.js';

defineMpgApiSuite(postgresFactory, await postgresSkipReason());
