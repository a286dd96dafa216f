// Proves ids are RFC 9562 UUIDv7 built from the injected clock: version and variant bits, the
// clock's milliseconds in the first 48 bits, and strict ordering within one process, even when
// the (test) clock stands still or is set back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from './clocks.js';
import { UUID_PATTERN, uuidV7Generator } from './ids.js';

describe('uuidV7Generator', () => {
  it('sets the version, the variant and the clock time', () => {
    const clock = new TestClock(Date.UTC(2026, 10, 23, 12, 0, 0, 123));
    const id = uuidV7Generator(clock)();
    assert.match(id, UUID_PATTERN);
    assert.equal(id[14], '7');
    assert.ok('89ab'.includes(id[19]!));
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), clock.now());
  });

  it('increases strictly while the clock stands still, and when it is set back', () => {
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    const next = uuidV7Generator(clock);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(next());
    clock.set(Date.UTC(2025, 0, 1));
    for (let i = 0; i < 100; i++) ids.push(next());
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${i}`);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('gives every id random bits of its own, across refills of the random pool', () => {
    // 1,000 ids draw 16,000 random bytes: four refills of the 4 KiB pool. An id that reused
    // another's bytes would repeat its last 62 bits.
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    const next = uuidV7Generator(clock);
    const tails = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      clock.advance(1);
      tails.add(next().slice(19));
    }
    assert.equal(tails.size, 1_000);
  });
});
