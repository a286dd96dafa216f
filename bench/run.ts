/**
 * `npm run bench`: refunds through the admin API and each provider face (Points partial refund
 * of 0.01, MPG refund with a fresh transaction_id, Backd refund request and its settlement by the
 * job), driven by wrk at 50 and 8 connections, beside the ceilings measured in the same benchmark:
 * pgbench and the pg driver on PostgreSQL; better-sqlite3 grouped per commit and an empty
 * Fastify route on SQLite. Prints one table per store and writes the JSON to bench/results/.
 * Columns and options: docs/operations.md "Benchmarks".
 *
 *   npm run bench -- [--store sqlite|postgres|both] [--seconds 10] [--latency-seconds 5]
 *     [--connections 50,8] [--orders 200] [--settle 1000] [--pool 10] [--workers]
 *     [--no-ceilings] [--cpu-prof] [--json file]
 */
import { Args, benchOptions } from './options.js';
import { refundPaths, runBenchmark } from './suite.js';

await runBenchmark(
  'bench',
  benchOptions(new Args(process.argv.slice(2)), { settle: 1000 }),
  refundPaths,
);
