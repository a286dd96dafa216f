/**
 * Runs background jobs: on a timer in every process (unless UNWIND_WORKERS=0), or all at once
 * through POST /admin/jobs/run. A job's step does a bounded batch of work and says how much;
 * "run to completion" repeats steps until one does nothing. Jobs read time only from the clock,
 * and claim their rows in the database (SKIP LOCKED on PostgreSQL), so every node may run them.
 */
import { LIMITS } from '../app/limits.js';
import type { Job, JobLogger } from '../app/ports/job.js';

export class JobRunner {
  readonly #jobs: readonly Job[];
  readonly #log: JobLogger;
  /** The last round started; the next one starts after it ends. */
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(jobs: readonly Job[], log: JobLogger) {
    this.#jobs = jobs;
    this.#log = log;
  }

  /**
   * Runs every job until nothing is due; returns items handled per job. With `settle` (the
   * default: POST /admin/jobs/run) it also waits for the work a job started to end (the webhook
   * attempts in flight) and steps again, so everything due when it was called is done when it
   * answers; the timer and nudges do not wait, so a slow attempt never holds up the next step.
   */
  runDue(settle = true): Promise<Record<string, number>> {
    // One round at a time per process: a request waits for the timer's round, then takes its own.
    const run = this.#queue.then(() => this.#runAll(settle));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #runAll(settle: boolean): Promise<Record<string, number>> {
    const done: Record<string, number> = {};
    for (const job of this.#jobs) {
      let total = 0;
      let runs = 0;
      for (;;) {
        for (; runs < LIMITS.jobRunsPerRequestMax; runs++) {
          const handled = await job.step();
          if (handled === 0) break;
          total += handled;
        }
        if (!settle || runs >= LIMITS.jobRunsPerRequestMax || !(await job.settle?.())) break;
        // A settle counts as a run: under steady traffic attempts never stop ending.
        runs += 1;
      }
      done[job.name] = total;
    }
    return done;
  }

  #nudged = false;

  /**
   * Asks for a round soon, without waiting for the timer: called after a commit that may have
   * written events, so webhooks leave within milliseconds. Many nudges make one round.
   */
  nudge(): void {
    if (this.#stopped || this.#timer === null || this.#nudged) return;
    this.#nudged = true;
    setImmediate(() => {
      this.#nudged = false;
      // A nudge made just before stop() must not start a round after it: stop has already
      // waited for the rounds it knew of, and the store closes next.
      if (this.#stopped) return;
      this.runDue(false).catch((error: unknown) =>
        this.#log.error({ err: error }, 'background job run failed'),
      );
    });
  }

  start(intervalMs: number = LIMITS.jobIntervalMs): void {
    const tick = async () => {
      if (this.#stopped) return;
      try {
        await this.runDue(false);
      } catch (error) {
        this.#log.error({ err: error }, 'background job run failed');
      }
      if (!this.#stopped) this.#timer = setTimeout(tick, intervalMs);
    };
    this.#timer = setTimeout(tick, intervalMs);
  }

  /** Stops the timer and waits for a round in progress, and the work it started, to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#queue;
    await Promise.all(this.#jobs.map((job) => job.stop?.()));
  }
}
