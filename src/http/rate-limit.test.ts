// Proves the per-credential limiter on a test clock: a fixed window aligned to the clock, counted
// per key, the wait until the window ends, the sweep that bounds memory, and its configuration
// (UNWIND_RATE_LIMIT_PER_MINUTE: default, 0 disables, bad values refused by name).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS } from '../app/limits.js';
import { TestClock } from '../app/clocks.js';
import { loadConfig } from '../config.js';
import { RateLimiter } from './rate-limit.js';

const START = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('RateLimiter', () => {
  it('admits perWindow requests per key, then answers the milliseconds to the window end', () => {
    const clock = new TestClock(START + 10_000);
    const limiter = new RateLimiter(2, 60_000, clock);
    assert.equal(limiter.take('a'), null);
    assert.equal(limiter.take('a'), null);
    assert.equal(limiter.take('a'), 50_000);
    assert.equal(limiter.take('b'), null, 'another key has its own window');
    clock.advance(49_999);
    assert.equal(limiter.take('a'), 1);
    clock.advance(1);
    assert.equal(limiter.take('a'), null, 'a new window starts at the aligned boundary');
  });

  it('sweeps ended windows when the table is full, keeping the current ones', () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(1, 60_000, clock, 2);
    limiter.take('old');
    clock.advance(60_000);
    limiter.take('x');
    assert.equal(limiter.size, 2);
    limiter.take('y'); // the table is full: 'old' (ended) is swept, 'x' is kept
    assert.equal(limiter.size, 2, "'old' was forgotten, 'y' added");
    assert.notEqual(limiter.take('x'), null, "x's window survived the sweep");
  });

  it('forgets the oldest key when every window in a full table is current', () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(1, 60_000, clock, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // full, nothing ended: 'a' (the oldest) goes
    assert.equal(limiter.size, 2, 'memory stays bounded');
    assert.equal(limiter.take('a'), null, "'a' starts afresh");
    assert.notEqual(limiter.take('c'), null, "'c' kept its window");
  });

  it('tells whether a key is over without counting it', () => {
    const clock = new TestClock(START + 15_000);
    const limiter = new RateLimiter(2, 60_000, clock);
    assert.equal(limiter.overFor('a'), null, 'an unknown key is not over');
    limiter.take('a');
    assert.equal(limiter.overFor('a'), null);
    assert.equal(limiter.overFor('a'), null, 'looking does not count');
    limiter.take('a');
    assert.equal(limiter.overFor('a'), 45_000);
    clock.advance(45_000);
    assert.equal(limiter.overFor('a'), null, 'the next window starts afresh');
  });

  it('refuses a limit or window of zero', () => {
    assert.throws(() => new RateLimiter(0, 60_000, new TestClock(START)));
    assert.throws(() => new RateLimiter(1, 0, new TestClock(START)));
  });

  it('is configured by UNWIND_RATE_LIMIT_PER_MINUTE', () => {
    const cwd = '/nonexistent-unwind-dir';
    assert.equal(loadConfig({}, cwd).rateLimitPerMinute, LIMITS.rateLimitPerMinuteDefault);
    assert.equal(loadConfig({ UNWIND_RATE_LIMIT_PER_MINUTE: '0' }, cwd).rateLimitPerMinute, 0);
    assert.equal(loadConfig({ UNWIND_RATE_LIMIT_PER_MINUTE: '60' }, cwd).rateLimitPerMinute, 60);
    assert.throws(
      () => loadConfig({ UNWIND_RATE_LIMIT_PER_MINUTE: '-1' }, cwd),
      /UNWIND_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
