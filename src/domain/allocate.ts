import { assert } from './result.js';

/**
 * Splits `totalMinor` into parts proportional to `weights` by the largest-remainder method, so the
 * parts always add up to the total exactly and no unit is created or lost.
 *
 * Each part starts as floor(total × w_i / W); the units left over go one each to the indices with
 * the largest remainders (total × w_i mod W), ties to the lower index. That makes each part within
 * one unit of its exact share, gives a zero weight nothing, never gives a larger weight less than a
 * smaller one, and depends on nothing but the inputs. Products are taken in bigint because
 * total × w_i can pass 2^53.
 *
 * Returns no error values: a negative or unsafe total, an empty weight list, a negative or unsafe
 * weight, or weights summing to zero is a bug in the caller and throws `AssertionFailure`.
 */
export function allocate(totalMinor: number, weights: readonly number[]): number[] {
  assertNonNegativeSafeInteger(totalMinor, 'allocate total');
  assert(weights.length > 0, 'allocate needs at least one weight');
  weights.forEach((weight) => assertNonNegativeSafeInteger(weight, 'allocate weight'));

  const total = BigInt(totalMinor);
  const weightsBig = weights.map((weight) => BigInt(weight));
  const weightSum = weightsBig.reduce((sum, weight) => sum + weight, 0n);
  assert(weightSum > 0n, 'allocate weights must have a positive sum');

  const shares = weightsBig.map((weight, index) => ({
    index,
    partMinor: (total * weight) / weightSum,
    remainder: (total * weight) % weightSum,
  }));
  const leftoverMinor = shares.reduce((rest, share) => rest - share.partMinor, total);

  // Sum of remainders = leftover × W with every remainder < W, so more indices have a non-zero
  // remainder than there are leftover units: zero weights (remainder 0) are never reached.
  const byRemainder = [...shares].sort(
    (a, b) => compareBigintDescending(a.remainder, b.remainder) || a.index - b.index,
  );
  for (const share of byRemainder.slice(0, Number(leftoverMinor))) {
    assert(share.remainder > 0n, 'allocate handed a leftover unit to a zero remainder');
    share.partMinor += 1n;
  }

  const result = shares.map((share) => Number(share.partMinor));
  assert(
    result.reduce((sum, part) => sum + part, 0) === totalMinor,
    'allocate parts must sum to the total',
  );
  return result;
}

/**
 * round_half_up(value × numerator / denominator), exact: (3000, 2500, 15075) -> 498 because
 * 497.51… rounds up, (1, 1, 2) -> 1, (1, 1, 3) -> 0. Used to scale an amount by a fraction such as
 * refunded/paid without floating-point error.
 *
 * Returns no error values: a negative or unsafe input, a zero denominator, or a result beyond
 * Number.MAX_SAFE_INTEGER throws `AssertionFailure`.
 */
export function roundHalfUpRatio(value: number, numerator: number, denominator: number): number {
  const [product, divisor] = ratioOperands(value, numerator, denominator);
  // floor((2·v·n + d) / 2d) = floor(v·n/d + 1/2), which is half-up for non-negative operands.
  return toSafeNumber((2n * product + divisor) / (2n * divisor), 'roundHalfUpRatio');
}

/**
 * floor(value × numerator / denominator), exact.
 *
 * Returns no error values: a negative or unsafe input, a zero denominator, or a result beyond
 * Number.MAX_SAFE_INTEGER throws `AssertionFailure`.
 */
export function floorRatio(value: number, numerator: number, denominator: number): number {
  const [product, divisor] = ratioOperands(value, numerator, denominator);
  return toSafeNumber(product / divisor, 'floorRatio');
}

function ratioOperands(value: number, numerator: number, denominator: number): [bigint, bigint] {
  assertNonNegativeSafeInteger(value, 'ratio value');
  assertNonNegativeSafeInteger(numerator, 'ratio numerator');
  assertNonNegativeSafeInteger(denominator, 'ratio denominator');
  assert(denominator > 0, 'ratio denominator must be positive');
  return [BigInt(value) * BigInt(numerator), BigInt(denominator)];
}

function toSafeNumber(value: bigint, what: string): number {
  assert(value <= BigInt(Number.MAX_SAFE_INTEGER), `${what} result exceeds the safe integer range`);
  return Number(value);
}

function assertNonNegativeSafeInteger(value: number, what: string): void {
  assert(
    Number.isSafeInteger(value) && value >= 0,
    `${what} must be a non-negative safe integer, got ${value}`,
  );
}

function compareBigintDescending(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}
