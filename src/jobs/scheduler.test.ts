// Proves the job runner's shutdown: no round starts after stop(), not even one a commit asked for
// (a nudge) just before it, since the store closes right after stop() returns.
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Job, JobLogger } from '../app/ports/job.js';
import { JobRunner } from './scheduler.js';

const silent: JobLogger = { error: () => undefined, warn: () => undefined };

function countingJob(): Job & { steps: number } {
  const job = {
    name: 'counting',
    steps: 0,
    step: async () => {
      job.steps += 1;
      return 0;
    },
  };
  return job;
}

describe('job runner', () => {
  it('starts no round for a nudge made just before stop', async () => {
    const job = countingJob();
    const runner = new JobRunner([job], silent);
    runner.start(60_000);
    runner.nudge();
    await runner.stop();
    await tick();
    await tick();
    assert.equal(job.steps, 0);
  });

  it('runs a nudged round while it is running', async () => {
    const job = countingJob();
    const runner = new JobRunner([job], silent);
    runner.start(60_000);
    runner.nudge();
    await tick();
    await tick();
    await runner.stop();
    assert.equal(job.steps, 1);
  });
});
