// Proves that the bounds keep every sum the system holds in a number exact, by checking their
// arithmetic (each kept sum below 2^53 with margin) and, with fast-check, that every amount and
// every points_per_unit inside the bounds yields exact results: amounts round-trip through the
// major-unit JSON numbers the faces send, an order's points never pass their bound, and a wallet
// moved by one order's points stays a safe integer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  amountMaxMajor,
  BOUNDS,
  pointsPerUnitProblem,
  WALLET_ENTRY_POINTS_MAX,
  walletWithinBounds,
  withinBounds,
} from './bounds.js';
import { formatMinor, minorToMajorNumber, parseDecimalMinor } from './money.js';
import { earnedPoints } from './points.js';

const SAFE = Number.MAX_SAFE_INTEGER;
const A = BOUNDS.amountMinorMax;
const P = BOUNDS.orderPointsMax;
const W = BOUNDS.walletPointsMax;

describe('the bounds', () => {
  it('keep every sum held in a number far below 2^53', () => {
    // An order's totals add two amounts at most (authorize + purchase); a Backd order three.
    assert.ok(3 * A < SAFE / 1000);
    // What the largest price earns at the largest rate is exactly the points bound.
    assert.equal((A / 100) * BOUNDS.pointsPerUnitMax, P);
    // A wallet moved by one order's points, and an adjustment across the whole range.
    assert.ok(W + P < SAFE / 80);
    assert.ok(WALLET_ENTRY_POINTS_MAX < SAFE / 40);
    // A wallet holds ten orders' worth of points at the bound.
    assert.equal(W, 10 * P);
    // MPG's own bound sits inside the general one.
    assert.ok(BOUNDS.mpgAmountMinorMax < A);
  });

  it('have inclusive edges', () => {
    const amount = (n: number) => withinBounds(n, 0, A);
    assert.deepEqual([0, A, A + 1, -1, 1.5, Number.NaN].map(amount), [
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    assert.deepEqual([-W, W, W + 1, -W - 1].map(walletWithinBounds), [true, true, false, false]);
    assert.equal(amountMaxMajor('SAR'), '10000000000.00');
    assert.equal(amountMaxMajor('JPY'), '1000000000000');
    assert.equal(amountMaxMajor('KWD'), '1000000000.000');
  });

  it('let every in-bound amount travel as a major-unit JSON number and come back exact', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: A }), fc.constantFrom(0, 1, A - 1, A)),
        fc.constantFrom('SAR', 'JPY', 'KWD', 'USD'),
        (minor, currency) => {
          const sent = JSON.parse(JSON.stringify(minorToMajorNumber(minor, currency))) as number;
          assert.deepEqual(parseDecimalMinor(sent, currency), { ok: true, value: minor });
          assert.deepEqual(parseDecimalMinor(formatMinor(minor, currency), currency), {
            ok: true,
            value: minor,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('let no in-bound price at an in-bound points_per_unit earn past the points bound', () => {
    const rate = fc
      .tuple(
        fc.integer({ min: 0, max: BOUNDS.pointsPerUnitMax }),
        fc.integer({ min: 0, max: 9999 }),
      )
      .map(([whole, fraction]) =>
        whole === BOUNDS.pointsPerUnitMax ? whole : Number(`${whole}.${fraction}`),
      );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: A }), rate, (minor, perUnit) => {
        assert.equal(pointsPerUnitProblem(perUnit), null, String(perUnit));
        const points = earnedPoints(minor, 'SAR', perUnit);
        assert.ok(points !== null && withinBounds(points, 0, P), `${minor} × ${perUnit}`);
      }),
      { numRuns: 2000 },
    );
    assert.equal(earnedPoints(A, 'SAR', BOUNDS.pointsPerUnitMax), P);
  });

  it('keep a wallet exact whatever in-bound order moves it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -W, max: W }),
        fc.integer({ min: -P, max: P }),
        (balance, change) => {
          const after = balance + change;
          assert.ok(Number.isSafeInteger(after));
          assert.equal(BigInt(after), BigInt(balance) + BigInt(change));
          assert.equal(walletWithinBounds(after), after >= -W && after <= W);
        },
      ),
    );
  });

  it('refuse a points_per_unit past 1000, with more than four decimals, or in exponent form', () => {
    assert.deepEqual([0, 10, 2.5, 0.0001, 999.9999, 1000].map(pointsPerUnitProblem), [
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    assert.deepEqual([1000.0001, 1e6, 0.00001, 1e-7, 1e21].map(pointsPerUnitProblem), [
      'At most 1000.',
      'At most 1000.',
      'At most 4 decimal places.',
      'Expected a plain non-negative decimal such as 2.5.',
      'Expected a plain non-negative decimal such as 2.5.',
    ]);
  });
});
