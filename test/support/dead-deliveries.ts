/**
 * Lets every delivery to an endpoint that keeps failing die, on the test clock: runs the jobs,
 * then moves the clock to the next moment the dispatcher may try that endpoint again (its
 * deliveries' next attempt, and the end of its circuit breaker's pause:
 * src/domain/delivery-schedule.ts), and again, until none of its deliveries is pending. Once the
 * endpoint has failed a few times in a row the breaker lets one probe through per pause, so a
 * fixed number of clock steps does not suffice; this moves the clock no further than needed.
 */
import type { ServerProcess } from './server-process.js';

/** More rounds than any fixture needs; a bound so a dispatcher that never gives up fails here. */
const ROUNDS_MAX = 200;

interface Pending {
  readonly next_attempt_at: string | null;
}

/**
 * Returns once every delivery to the endpoint is dead (or delivered), with the clock past its
 * circuit's pause, so the next delivery to it (a replay) is attempted at once.
 */
export async function letDeliveriesDie(
  server: ServerProcess,
  merchantId: string,
  endpointId: string,
): Promise<void> {
  const call = server.call.bind(server);
  /** Moves the clock to the latest of `times` (ISO, or null: now), by whole seconds. */
  const advanceTo = async (times: readonly (string | null)[]) => {
    const now = Date.parse((await call('GET', '/admin/clock', undefined, 200)).now as string);
    const latest = Math.max(now, ...times.map((t) => (t === null ? now : Date.parse(t))));
    const seconds = Math.ceil((latest - now) / 1000);
    if (seconds > 0) await call('POST', '/admin/clock/advance', { seconds }, 200);
  };
  const circuitOpenUntil = async () =>
    (await call('GET', `/admin/merchants/${merchantId}/webhooks/${endpointId}`, undefined, 200))
      .circuit_open_until as string | null;
  for (let round = 0; round < ROUNDS_MAX; round++) {
    await call('POST', '/admin/jobs/run', undefined, 200);
    const pending = (
      await call(
        'GET',
        `/admin/deliveries?endpoint_id=${endpointId}&status=pending&order=asc&limit=100`,
        undefined,
        200,
      )
    ).data as Pending[];
    if (pending.length === 0) {
      await advanceTo([await circuitOpenUntil()]);
      return;
    }
    const soonest = pending
      .map((d) => d.next_attempt_at)
      .filter((t): t is string => t !== null)
      .sort()[0];
    await advanceTo([soonest ?? null, await circuitOpenUntil()]);
  }
  throw new Error(`deliveries to endpoint ${endpointId} still pending after ${ROUNDS_MAX} rounds`);
}
