/**
 * Admin: the test clock. Registered only when UNWIND_TEST_CLOCK=1; otherwise these paths do not
 * exist. Setting or advancing the clock is immediately what every use case and job sees.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TestClock } from '../../app/clocks.js';
import { parseOrThrow } from '../validation.js';
import { advanceClockSchema, setClockSchema } from './schemas.js';

export const clockRoutes: FastifyPluginAsync<{ clock: TestClock }> = async (app, { clock }) => {
  const now = () => ({ now: new Date(clock.now()).toISOString() });
  app.get('/clock', async () => now());
  app.post('/clock', async (request) => {
    clock.set(Date.parse(parseOrThrow(setClockSchema, request.body).now));
    return now();
  });
  app.post('/clock/advance', async (request) => {
    clock.advance(parseOrThrow(advanceClockSchema, request.body).seconds * 1000);
    return now();
  });
};
