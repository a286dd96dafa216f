/**
 * Admin: the test clock. Registered only when UNWIND_TEST_CLOCK=1; otherwise these paths do not
 * exist. Setting or advancing the clock is immediately what every use case and job sees.
 */
import { documented } from '../openapi.js';
import type { FastifyPluginAsync } from 'fastify';
import type { TestClock } from '../../app/clocks.js';
import { HttpProblem } from '../faces.js';
import { parseOrThrow } from '../validation.js';
import { advanceClockSchema, setClockSchema } from './schemas.js';

export const clockRoutes: FastifyPluginAsync<{ clock: TestClock }> = async (app, { clock }) => {
  const now = () => ({ now: new Date(clock.now()).toISOString() });
  app.get('/clock', documented({ summary: 'Read the test clock', tag: 'Test clock' }), async () =>
    now(),
  );
  const moveOrRefuse = (field: string, move: () => void) => {
    try {
      move();
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new HttpProblem('validation_failed', [{ path: field, message: error.message }]);
    }
    return now();
  };
  app.post(
    '/clock',
    documented({
      summary: 'Set the test clock to any instant',
      tag: 'Test clock',
      body: setClockSchema,
    }),
    async (request) => {
      const instant = Date.parse(parseOrThrow(setClockSchema, request.body).now);
      return moveOrRefuse('now', () => clock.set(instant));
    },
  );
  app.post(
    '/clock/advance',
    documented({
      summary: 'Move the test clock by a number of seconds',
      tag: 'Test clock',
      body: advanceClockSchema,
    }),
    async (request) => {
      const seconds = parseOrThrow(advanceClockSchema, request.body).seconds;
      return moveOrRefuse('seconds', () => clock.advance(seconds * 1000));
    },
  );
};
