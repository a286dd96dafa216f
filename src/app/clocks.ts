/** Clock implementations: the system clock, and a test clock driven through /admin/clock. */
import type { Clock } from './ports/clock.js';

/** 9999-12-31T23:59:59.999Z: the last instant of four-digit years. */
export const TEST_CLOCK_MAX_MS = 253_402_300_799_999;

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that stands still until told otherwise, so tests and drills decide every instant.
 * It starts at the real time of process start. It may be set earlier or later.
 */
export class TestClock implements Clock {
  #nowMs: number;

  constructor(startMs: number = Date.now()) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Sets the clock. Throws RangeError outside 1970-01-01 … 9999-12-31, where ids and dates end. */
  set(instantMs: number): void {
    if (!Number.isSafeInteger(instantMs) || instantMs < 0 || instantMs > TEST_CLOCK_MAX_MS) {
      throw new RangeError('the test clock must stay between 1970-01-01 and 9999-12-31');
    }
    this.#nowMs = instantMs;
  }

  advance(ms: number): void {
    this.set(this.#nowMs + ms);
  }
}
