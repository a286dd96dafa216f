/** Admin: run every due job to completion now, and report what each did. */
import type { FastifyPluginAsync } from 'fastify';
import type { JobsPort } from '../server.js';

export const jobRoutes: FastifyPluginAsync<{ jobs: JobsPort }> = async (app, { jobs }) => {
  app.post('/jobs/run', async () => ({ jobs: await jobs.runDue() }));
};
