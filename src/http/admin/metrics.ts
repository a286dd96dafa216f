/**
 * Admin: this process's counters since it started: HTTP answers, what the store sent to its
 * database (statements, transactions, round trips) and the process's uptime and CPU time. The
 * benchmark reads it before and after each load (docs/operations.md "Benchmarks").
 */
import type { FastifyPluginAsync } from 'fastify';
import { type AppDeps, storeCounters } from '../../app/context.js';
import type { HttpCounters } from '../http-counters.js';
import { documented } from '../openapi.js';

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

export const metricsRoutes: FastifyPluginAsync<{ deps: AppDeps; http: HttpCounters }> = async (
  app,
  { deps, http },
) => {
  app.get(
    '/metrics',
    documented({
      summary: "This process's counters since it started",
      description:
        'Counts since this process started (each process of a deployment has its own): ' +
        '`http` the requests answered, in total and by status class (the asking request is not ' +
        'counted yet); `store` the SQL statements sent (BEGIN, COMMIT and savepoints included), ' +
        'write transactions, commits (on SQLite one per group commit), rollbacks, read sessions ' +
        'and, on PostgreSQL, round trips to the server (null on SQLite); `process` its uptime ' +
        'and CPU time in milliseconds, user and system.',
      tag: 'Metrics',
    }),
    async () => {
      const store = storeCounters(deps);
      const cpu = process.cpuUsage();
      return {
        uptime_seconds: round3(process.uptime()),
        process: {
          cpu_user_ms: round3(cpu.user / 1000),
          cpu_system_ms: round3(cpu.system / 1000),
          rss_bytes: process.memoryUsage.rss(),
        },
        http: http.json(),
        store: {
          engine: store.engine,
          statements: store.statements,
          transactions: store.transactions,
          commits: store.commits,
          rollbacks: store.rollbacks,
          reads: store.reads,
          round_trips: store.roundTrips,
        },
      };
    },
  );
};
