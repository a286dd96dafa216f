import { currencyExponent } from './currencies.js';
import { assert, err, ok } from './result.js';
import type { Result } from './result.js';

/**
 * An amount in integer minor units of one currency (halalas for 'SAR', yen for 'JPY'). Integers
 * keep every sum exact; the currency travels with the amount so that two currencies never mix.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Why a decimal amount was refused. None of them is ever "fixed" by rounding. */
export type DecimalError =
  'not_a_number' | 'too_many_decimals' | 'out_of_range' | 'unknown_currency';

const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
// Number.MAX_SAFE_INTEGER has 16 digits; more significant digits than that cannot be in range, and
// checking the length first keeps a hostile megabyte-long digit string away from BigInt().
const MAX_SAFE_DIGIT_COUNT = String(Number.MAX_SAFE_INTEGER).length;

const PLAIN_DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
// The shape String(n) gives a finite number at or beyond 1e21 or below 1e-6 in magnitude.
const EXPONENT_FORM_PATTERN = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/;

/**
 * Builds a `Money`. Returns no error values: an unsafe or fractional amount, or a currency missing
 * from the ISO 4217 table, is a bug in the caller and throws `AssertionFailure`.
 */
export function money(amountMinor: number, currency: string): Money {
  assertMoneyParts(amountMinor, currency);
  return { amountMinor, currency };
}

/**
 * Parses a decimal amount in major units ("150.75") into integer minor units (15075 for 'SAR'),
 * exactly or not at all.
 *
 * A string must be plain: optional '-', digits, optionally '.' and digits. A number is read through
 * its shortest round-trip form, String(n), so 0.1 + 0.2 arrives as "0.30000000000000004". More
 * fractional digits than the currency's exponent is refused even when they are zeros ("10.000" for
 * 'SAR'), because a caller that sends them has a different idea of the currency than we do.
 * Negative amounts parse; sign rules belong to the caller. -0 parses to 0.
 *
 * Errors:
 * - `unknown_currency`: `currency` is not in the ISO 4217 table (checked first).
 * - `not_a_number`: NaN, ±Infinity, or a string that is not a plain decimal (spaces, '+', exponent,
 *   separators, a leading or trailing '.', the empty string).
 * - `too_many_decimals`: more fractional digits than the currency allows, e.g. 1e-7 or "1.5" for JPY.
 * - `out_of_range`: the amount in minor units exceeds Number.MAX_SAFE_INTEGER in magnitude, e.g. 1e21.
 */
export function parseDecimalMinor(
  input: string | number,
  currency: string,
): Result<number, DecimalError> {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return err('unknown_currency');

  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return err('not_a_number');
    // String() yields the shortest digits that round-trip, so the decimal we parse is the one the
    // sender most plausibly meant, and any binary noise (0.30000000000000004) stays visible.
    text = expandExponentForm(String(input));
  } else {
    // Exponent notation in a string is refused outright; only numbers are expanded.
    text = input;
  }

  const match = PLAIN_DECIMAL_PATTERN.exec(text);
  if (match === null) return err('not_a_number');
  const negative = match[1] === '-';
  const integerDigits = match[2] ?? '';
  const fractionDigits = match[3] ?? '';

  if (fractionDigits.length > exponent) return err('too_many_decimals');

  // Scaling by 10^exponent is a string operation: append the fraction padded to `exponent` digits.
  const minorDigits = (integerDigits + fractionDigits.padEnd(exponent, '0')).replace(/^0+/, '');
  if (minorDigits.length > MAX_SAFE_DIGIT_COUNT) return err('out_of_range');
  const magnitudeMinor = minorDigits === '' ? 0n : BigInt(minorDigits);
  if (magnitudeMinor > MAX_SAFE_BIGINT) return err('out_of_range');

  // Negating the bigint, not the number, so "-0" and "-0.00" come out as 0 rather than -0.
  return ok(Number(negative ? -magnitudeMinor : magnitudeMinor));
}

/**
 * Formats integer minor units as an exact decimal with exactly the currency's exponent of
 * fractional digits: (15075, 'SAR') -> "150.75", (-50, 'SAR') -> "-0.50", (5, 'JPY') -> "5".
 * `parseDecimalMinor` reads the result back to the same integer. A `bigint` may be of any size:
 * sums over many orders (daily stats) are formatted exactly however large they grow.
 *
 * Returns no error values: an unsafe number or an unknown currency throws `AssertionFailure`.
 */
export function formatMinor(amountMinor: number | bigint, currency: string): string {
  const exponent =
    typeof amountMinor === 'bigint'
      ? assertCurrency(currency)
      : assertMoneyParts(amountMinor, currency);
  // Math.abs is exact for safe integers; -0 is not < 0, so it formats as "0", "0.00", etc.
  const sign = amountMinor < 0 ? '-' : '';
  const digits =
    typeof amountMinor === 'bigint'
      ? (amountMinor < 0n ? -amountMinor : amountMinor).toString()
      : String(Math.abs(amountMinor));
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const splitAt = padded.length - exponent;
  return `${sign}${padded.slice(0, splitAt)}.${padded.slice(splitAt)}`;
}

/**
 * The amount in major units as a JS number (15075 'SAR' -> 150.75), for JSON bodies that carry
 * numbers. It is the double nearest the exact decimal, so it is for display and transport only;
 * never compute with it.
 *
 * Returns no error values: an unsafe amount or unknown currency throws `AssertionFailure`.
 */
export function minorToMajorNumber(amountMinor: number, currency: string): number {
  return Number(formatMinor(amountMinor, currency));
}

/**
 * a + b. Returns no error values: differing currencies, an invalid operand, or a sum beyond
 * Number.MAX_SAFE_INTEGER throws `AssertionFailure`.
 */
export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

/**
 * a - b. Returns no error values: differing currencies, an invalid operand, or a difference beyond
 * Number.MAX_SAFE_INTEGER throws `AssertionFailure`.
 */
export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

/** Checks an amount/currency pair and returns the currency's exponent. */
function assertMoneyParts(amountMinor: number, currency: string): number {
  assert(
    Number.isSafeInteger(amountMinor),
    `money amount must be a safe integer of minor units, got ${amountMinor}`,
  );
  return assertCurrency(currency);
}

function assertCurrency(currency: string): number {
  const exponent = currencyExponent(currency);
  assert(exponent !== undefined, `unknown currency: ${JSON.stringify(currency)}`);
  return exponent;
}

function assertSameCurrency(a: Money, b: Money): void {
  assertMoneyParts(a.amountMinor, a.currency);
  assertMoneyParts(b.amountMinor, b.currency);
  assert(a.currency === b.currency, `currency mismatch: ${a.currency} vs ${b.currency}`);
  // A safe-integer sum or difference of safe integers is exact; one past the safe range may have
  // been rounded, but it is then itself unsafe, so the check in money() still catches it.
}

/**
 * Rewrites the exponent form String(n) uses for very large and very small numbers ("1.5e+21",
 * "1e-7") as a plain decimal with the same exact value, so the ordinary digit checks decide between
 * `out_of_range` and `too_many_decimals` instead of a separate, easily inconsistent path. Text
 * without an exponent is returned unchanged.
 */
function expandExponentForm(text: string): string {
  const match = EXPONENT_FORM_PATTERN.exec(text);
  if (match === null) return text;
  const sign = match[1] ?? '';
  const integerDigits = match[2] ?? '';
  const mantissaDigits = integerDigits + (match[3] ?? '');
  // A finite double's decimal exponent stays within about ±324, so the padding below is small.
  const pointPosition = integerDigits.length + Number(match[4]);
  if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${mantissaDigits}`;
  if (pointPosition >= mantissaDigits.length) {
    return sign + mantissaDigits + '0'.repeat(pointPosition - mantissaDigits.length);
  }
  return `${sign}${mantissaDigits.slice(0, pointPosition)}.${mantissaDigits.slice(pointPosition)}`;
}
