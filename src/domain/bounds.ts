/**
 * The upper bounds on every amount and points figure, in one place (docs/security.md, "Amount and
 * points bounds"). They are chosen so that every sum the system keeps in a JavaScript number stays
 * exact: an order's totals, a customer's wallet across every merchant, a Backd order's parts.
 * Sums over any number of orders (daily stats, reconciliation groups) are not bounded by these;
 * they are summed exactly by the database and carried as `bigint` (src/store/sql/sql-helpers.ts).
 *
 * The database holds the same figures as CHECK constraints (triggers on SQLite), migration 14;
 * changing a bound here means a new migration there.
 */
import { formatMinor } from './money.js';

export const BOUNDS = {
  /**
   * Any amount of one order or one request, in minor units of its currency: 10,000,000,000.00
   * SAR. Thirteen digits, so a few of them added (an order's totals, a Backd order's parts) stay
   * far below 2^53, and the amount in major units has at most 15 significant digits, which a
   * JSON number carries exactly (Points' `total_price`, Backd's `order_total`, webhooks).
   */
  amountMinorMax: 1_000_000_000_000,
  /**
   * MPG's own documented maximum, for every amount of its face (creation, capture, void, refund,
   * the `amount[gte]`/`amount[lte]` filters); creation needs one full major unit.
   */
  mpgAmountMinorMax: 100_000_000,
  mpgCreateAmountMinorMin: 100,
  /** Points earned per 1 unit of the currency (merchant setting `points_per_unit`). */
  pointsPerUnitMax: 1000,
  /** Decimal places `points_per_unit` may have (2.5 points per SAR is fine; 1e-7 is not). */
  pointsPerUnitDecimalsMax: 4,
  /**
   * The flat award of a Points rating channel (merchant settings `store_rating_points`,
   * `product_rating_points`): a rating is worth at most what a 1,000 SAR purchase earns at the
   * largest `points_per_unit`.
   */
  ratingPointsMax: 1_000_000,
  /** Value of one point in minor units (merchant setting `minor_per_point`). */
  minorPerPointMax: 1_000_000,
  /**
   * The points of one order, and of one of its ledger rows: what the largest amount earns at the
   * largest `points_per_unit` (10^12 halalas = 10^10 SAR × 1000), so no in-bound earning can pass
   * it. Redeemed points are worth at most the price, so they stay below it too.
   */
  orderPointsMax: 10_000_000_000_000,
  /**
   * A customer's wallet (shared by every merchant), either way: ten orders' worth of points at the
   * bound above. The wallet plus or minus one order's points stays below 2^53 / 80.
   */
  walletPointsMax: 100_000_000_000_000,
} as const;

/** A wallet entry moves the balance by at most this: an operator's adjustment from −max to +max. */
export const WALLET_ENTRY_POINTS_MAX = 2 * BOUNDS.walletPointsMax;

/** True when `n` is an integer from `min` to `max`: the one test every bound below uses. */
export const withinBounds = (n: number, min: number, max: number): boolean =>
  Number.isSafeInteger(n) && n >= min && n <= max;

/** A customer's wallet balance (it may be negative: a reversal after the points were spent). */
export const walletWithinBounds = (balance: number): boolean =>
  withinBounds(balance, -BOUNDS.walletPointsMax, BOUNDS.walletPointsMax);

/** The amount bound in major units of `currency`, as faces that take decimals print it. */
export const amountMaxMajor = (currency: string): string =>
  formatMinor(BOUNDS.amountMinorMax, currency);

const PLAIN_DECIMAL = /^\d+(?:\.(\d+))?$/;

/**
 * Why a `points_per_unit` is refused, or null when it is within its bounds: a plain non-negative
 * decimal (as `String(n)` prints it: no exponent form) of at most four decimal places, at most
 * 1000. Earned points are computed from exactly that decimal (`earnedPoints`).
 */
export function pointsPerUnitProblem(value: number): string | null {
  const match = PLAIN_DECIMAL.exec(String(value));
  if (match === null || !Number.isFinite(value)) {
    return 'Expected a plain non-negative decimal such as 2.5.';
  }
  if ((match[1] ?? '').length > BOUNDS.pointsPerUnitDecimalsMax) {
    return `At most ${BOUNDS.pointsPerUnitDecimalsMax} decimal places.`;
  }
  if (value > BOUNDS.pointsPerUnitMax) return `At most ${BOUNDS.pointsPerUnitMax}.`;
  return null;
}
