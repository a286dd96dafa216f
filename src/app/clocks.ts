/** Clock implementations: the system clock, and a test clock driven through /admin/clock. */
import type { Clock } from './ports/clock.js';

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

  set(instantMs: number): void {
    if (!Number.isSafeInteger(instantMs)) throw new RangeError('instant must be integer ms');
    this.#nowMs = instantMs;
  }

  advance(ms: number): void {
    this.set(this.#nowMs + ms);
  }
}
