/**
 * Admin: the clock. Reading it is always possible (the dashboard runs its countdowns against the
 * server's time); setting or advancing it exists only with the test clock (UNWIND_TEST_CLOCK=1),
 * and is immediately what every use case and job sees.
 */
import { documented } from '../openapi.js';
import type { FastifyPluginAsync } from 'fastify';
import type { TestClock } from '../../app/clocks.js';
import type { Clock } from '../../app/ports/clock.js';
import { HttpProblem } from '../faces.js';
import type { FeatureGate } from './admin-errors.js';
import { parseOrThrow } from '../validation.js';
import { advanceClockSchema, setClockSchema } from './schemas.js';

export const clockReadRoute: FastifyPluginAsync<{ clock: Clock; testClock: boolean }> = async (
  app,
  { clock, testClock },
) => {
  app.get(
    '/clock',
    documented({
      summary: "Read the server's clock; test_clock tells whether it is the test clock",
      tag: 'Clock',
    }),
    async () => ({ now: new Date(clock.now()).toISOString(), test_clock: testClock }),
  );
};

/** Without the test clock, setting or advancing it answers this, whatever the method. */
export const TEST_CLOCK_GATE: FeatureGate = {
  paths: ['/admin/clock', '/admin/clock/advance'],
  setting: 'UNWIND_TEST_CLOCK',
  value: '1',
  message:
    'The test clock is off: start Unwind with UNWIND_TEST_CLOCK=1 to set or advance it (GET /admin/clock reads the clock either way).',
};

export const clockRoutes: FastifyPluginAsync<{ clock: TestClock }> = async (app, { clock }) => {
  const now = () => ({ now: new Date(clock.now()).toISOString() });
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
