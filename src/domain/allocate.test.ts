// Proves that allocation conserves every unit fairly and that the ratio helpers are exact, by worked
// examples and by fast-check properties checked against bigint reference arithmetic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { allocate, floorRatio, roundHalfUpRatio } from './allocate.js';
import { AssertionFailure } from './result.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const totalMinor = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.integer({ min: 0, max: MAX_SAFE }),
  fc.constantFrom(0, 1, MAX_SAFE),
);
const weight = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 10 }),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: MAX_SAFE }),
);
const weights = fc
  .array(weight, { minLength: 1, maxLength: 12 })
  .filter((ws) => ws.some((w) => w > 0));

/** round_half_up(v·n/d) computed by quotient and remainder, independently of the implementation. */
function referenceRoundHalfUp(value: number, numerator: number, denominator: number): bigint {
  const product = BigInt(value) * BigInt(numerator);
  const d = BigInt(denominator);
  const quotient = product / d;
  return 2n * (product % d) >= d ? quotient + 1n : quotient;
}

describe('allocate examples', () => {
  it('splits by largest remainder, ties to the lower index', () => {
    assert.deepEqual(allocate(100, [1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(allocate(2, [1, 1, 1]), [1, 1, 0]);
    assert.deepEqual(allocate(10, [3, 7]), [3, 7]);
    assert.deepEqual(allocate(5, [0, 1, 0, 1]), [0, 3, 0, 2]);
    assert.deepEqual(allocate(0, [5, 7]), [0, 0]);
    assert.deepEqual(allocate(7, [1]), [7]);
    // 15075 over 2500 + 12575: exact shares 2500 and 12575.
    assert.deepEqual(allocate(15075, [2500, 12575]), [2500, 12575]);
    // Remainders 100·1 mod 6 = 4, 100·2 mod 6 = 2, 100·3 mod 6 = 0: the one leftover unit goes to index 0.
    assert.deepEqual(allocate(100, [1, 2, 3]), [17, 33, 50]);
  });

  it('stays exact where total × weight passes 2^53', () => {
    assert.deepEqual(allocate(MAX_SAFE, [MAX_SAFE, MAX_SAFE]), [
      (MAX_SAFE + 1) / 2,
      (MAX_SAFE - 1) / 2,
    ]);
    assert.deepEqual(allocate(MAX_SAFE, [1, MAX_SAFE - 1]), [1, MAX_SAFE - 1]);
  });

  it('treats invalid input as a bug', () => {
    assert.throws(() => allocate(10, []), AssertionFailure);
    assert.throws(() => allocate(10, [0, 0]), AssertionFailure);
    assert.throws(() => allocate(-1, [1]), AssertionFailure);
    assert.throws(() => allocate(1.5, [1]), AssertionFailure);
    assert.throws(() => allocate(MAX_SAFE + 1, [1]), AssertionFailure);
    assert.throws(() => allocate(10, [1, -1, 2]), AssertionFailure);
    assert.throws(() => allocate(10, [0.5]), AssertionFailure);
    assert.throws(() => allocate(10, [Number.NaN]), AssertionFailure);
  });
});

describe('allocate properties', () => {
  it('parts sum to the total, each within one unit of its exact share, zero weights get zero', () => {
    fc.assert(
      fc.property(totalMinor, weights, (total, ws) => {
        const parts = allocate(total, ws);
        assert.equal(parts.length, ws.length);
        assert.equal(
          parts.reduce((sum, part) => sum + BigInt(part), 0n),
          BigInt(total),
        );
        const weightSum = ws.reduce((sum, w) => sum + BigInt(w), 0n);
        parts.forEach((part, i) => {
          const w = ws[i]!;
          assert.ok(Number.isSafeInteger(part) && part >= 0);
          // |part − total·w/W| < 1, scaled by W to stay in integers.
          const scaledError = BigInt(part) * weightSum - BigInt(total) * BigInt(w);
          const absError = scaledError < 0n ? -scaledError : scaledError;
          assert.ok(absError < weightSum, `part ${i} = ${part} is not within 1 of its share`);
          if (w === 0) assert.equal(part, 0);
        });
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(totalMinor, weights, (total, ws) => {
        assert.deepEqual(allocate(total, ws), allocate(total, [...ws]));
      }),
    );
  });

  it('never gives a larger weight a smaller part (monotonic), and equal weights differ by ≤ 1', () => {
    fc.assert(
      fc.property(totalMinor, weights, (total, ws) => {
        const parts = allocate(total, ws);
        for (let i = 0; i < ws.length; i++) {
          for (let j = 0; j < ws.length; j++) {
            if (ws[i]! > ws[j]!) assert.ok(parts[i]! >= parts[j]!, `weights ${ws} → ${parts}`);
            if (ws[i] === ws[j]) assert.ok(Math.abs(parts[i]! - parts[j]!) <= 1);
          }
        }
      }),
    );
  });
});

describe('ratio examples', () => {
  it('rounds half up exactly', () => {
    assert.equal(roundHalfUpRatio(3000, 2500, 15075), 498);
    assert.equal(roundHalfUpRatio(1, 1, 2), 1);
    assert.equal(roundHalfUpRatio(1, 1, 3), 0);
    assert.equal(roundHalfUpRatio(5, 1, 2), 3);
    assert.equal(roundHalfUpRatio(0, 7, 3), 0);
    assert.equal(roundHalfUpRatio(MAX_SAFE, MAX_SAFE, MAX_SAFE), MAX_SAFE);
    assert.equal(roundHalfUpRatio(MAX_SAFE, 1, 2), (MAX_SAFE + 1) / 2);
  });

  it('floors exactly', () => {
    assert.equal(floorRatio(3000, 2500, 15075), 497);
    assert.equal(floorRatio(1, 1, 2), 0);
    assert.equal(floorRatio(MAX_SAFE, MAX_SAFE - 1, MAX_SAFE), MAX_SAFE - 1);
  });

  it('treats invalid input or an unsafe result as a bug', () => {
    assert.throws(() => roundHalfUpRatio(1, 1, 0), AssertionFailure);
    assert.throws(() => roundHalfUpRatio(-1, 1, 1), AssertionFailure);
    assert.throws(() => roundHalfUpRatio(1, 0.5, 1), AssertionFailure);
    assert.throws(() => roundHalfUpRatio(MAX_SAFE, 2, 1), AssertionFailure);
    assert.throws(() => floorRatio(1, 1, 0), AssertionFailure);
    assert.throws(() => floorRatio(MAX_SAFE, 3, 2), AssertionFailure);
  });
});

describe('ratio properties', () => {
  // A numerator at most the denominator keeps the result ≤ value, hence safe: the refund-share case.
  const fraction = fc
    .integer({ min: 1, max: MAX_SAFE })
    .chain((denominator) =>
      fc.tuple(
        fc.constant(denominator),
        fc.integer({ min: 0, max: denominator }),
        fc.integer({ min: 0, max: denominator }),
      ),
    );
  const value = fc.oneof(
    fc.integer({ min: 0, max: 100_000 }),
    fc.integer({ min: 0, max: MAX_SAFE }),
  );

  it('roundHalfUpRatio and floorRatio agree with bigint references', () => {
    fc.assert(
      fc.property(value, fraction, (v, [d, n]) => {
        assert.equal(BigInt(roundHalfUpRatio(v, n, d)), referenceRoundHalfUp(v, n, d));
        assert.equal(BigInt(floorRatio(v, n, d)), (BigInt(v) * BigInt(n)) / BigInt(d));
      }),
    );
    // Small operands make exact halves frequent, which the case above rarely hits.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        (v, n, d) => {
          assert.equal(BigInt(roundHalfUpRatio(v, n, d)), referenceRoundHalfUp(v, n, d));
        },
      ),
    );
  });

  it('roundHalfUpRatio is monotonic in the numerator', () => {
    fc.assert(
      fc.property(value, fraction, (v, [d, n1, n2]) => {
        const [low, high] = n1 <= n2 ? [n1, n2] : [n2, n1];
        assert.ok(roundHalfUpRatio(v, low, d) <= roundHalfUpRatio(v, high, d));
      }),
    );
  });

  it('roundHalfUpRatio(v, d, d) === v', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: MAX_SAFE }), (v, d) => {
        assert.equal(roundHalfUpRatio(v, d, d), v);
        assert.equal(floorRatio(v, d, d), v);
      }),
    );
  });
});
