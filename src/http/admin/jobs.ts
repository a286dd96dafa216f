/** Admin: run every due job to completion now, and report what each did. */
import { documented } from '../openapi.js';
import type { FastifyPluginAsync } from 'fastify';
import type { JobsPort } from '../server.js';

export const jobRoutes: FastifyPluginAsync<{ jobs: JobsPort }> = async (app, { jobs }) => {
  app.post(
    '/jobs/run',
    documented({ summary: 'Run every due job to completion', tag: 'Jobs' }),
    async () => ({ jobs: await jobs.runDue() }),
  );
};
