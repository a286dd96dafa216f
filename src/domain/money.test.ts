// Proves that amounts parse exactly or not at all and format back to the same integer, by worked
// examples for each exponent and by fast-check properties over arbitrary safe integers and decimals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { CURRENCY_EXPONENTS, currencyExponent, isCurrencyCode } from './currencies.js';
import {
  addMoney,
  formatMinor,
  minorToMajorNumber,
  money,
  parseDecimalMinor,
  subtractMoney,
} from './money.js';
import { AssertionFailure, err, ok } from './result.js';

// One currency per exponent, plus a second of some, so every code path of the scaling is exercised.
const SAMPLE_CURRENCIES = ['JPY', 'KRW', 'SAR', 'USD', 'KWD', 'BHD', 'CLF', 'UYW'] as const;

const safeIntegerMinor = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
);
const digitString = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength, maxLength })
    .map((digits) => digits.join(''));

function exponentOf(currency: string): number {
  const exponent = currencyExponent(currency);
  assert.notEqual(exponent, undefined, currency);
  return exponent ?? 0;
}

describe('currencies', () => {
  it('lists the minor-unit exponents of the codes the brief names', () => {
    // prettier-ignore
    const expected: Record<string, number> = {
      JPY: 0, KRW: 0, CLP: 0, VND: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, XPF: 0, PYG: 0, RWF: 0,
      KMF: 0, GNF: 0, DJF: 0, BIF: 0, VUV: 0,
      BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
      CLF: 4, UYW: 4,
      SAR: 2, USD: 2, EUR: 2, AED: 2, GBP: 2,
    };
    for (const [code, exponent] of Object.entries(expected)) {
      assert.equal(currencyExponent(code), exponent, code);
      assert.equal(isCurrencyCode(code), true, code);
    }
  });

  it('holds only upper-case three-letter codes with exponent 0, 2, 3 or 4', () => {
    const codes = Object.keys(CURRENCY_EXPONENTS);
    assert.ok(codes.length > 150, `only ${codes.length} codes`);
    for (const code of codes) {
      assert.match(code, /^[A-Z]{3}$/);
      assert.ok([0, 2, 3, 4].includes(currencyExponent(code) ?? -1), code);
    }
  });

  it('excludes codes without a minor unit, wrong case and inherited keys', () => {
    for (const code of ['XAU', 'XAG', 'XPT', 'XPD', 'XDR', 'XSU', 'XUA', 'XTS', 'XXX', 'XBA']) {
      assert.equal(currencyExponent(code), undefined, code);
      assert.equal(isCurrencyCode(code), false, code);
    }
    for (const code of ['sar', 'Sar', 'SAR ', 'SA', 'SARR', '', 'constructor', '__proto__']) {
      assert.equal(isCurrencyCode(code), false, JSON.stringify(code));
    }
  });
});

describe('parseDecimalMinor examples', () => {
  it('scales by the currency exponent', () => {
    assert.deepEqual(parseDecimalMinor('150.75', 'SAR'), ok(15075));
    assert.deepEqual(parseDecimalMinor('10', 'SAR'), ok(1000));
    assert.deepEqual(parseDecimalMinor('10.0', 'SAR'), ok(1000));
    assert.deepEqual(parseDecimalMinor('10.00', 'SAR'), ok(1000));
    assert.deepEqual(parseDecimalMinor('0.05', 'SAR'), ok(5));
    assert.deepEqual(parseDecimalMinor('-12.3', 'SAR'), ok(-1230));
    assert.deepEqual(parseDecimalMinor('007.10', 'SAR'), ok(710));
    assert.deepEqual(parseDecimalMinor('1.234', 'KWD'), ok(1234));
    assert.deepEqual(parseDecimalMinor('1', 'KWD'), ok(1000));
    assert.deepEqual(parseDecimalMinor('5', 'JPY'), ok(5));
    assert.deepEqual(parseDecimalMinor('0.0001', 'CLF'), ok(1));
  });

  it('refuses extra fractional digits even when they are zeros', () => {
    assert.deepEqual(parseDecimalMinor('10.000', 'SAR'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor('10.001', 'SAR'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor('1.5', 'JPY'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor('1.0', 'JPY'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor('1.2345', 'KWD'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor('1.00001', 'CLF'), err('too_many_decimals'));
  });

  it('refuses anything but a plain decimal string', () => {
    // prettier-ignore
    const malformed = [
      '', '-', '.', '.5', '5.', '-.5', '+5', ' 5', '5 ', '1,000', '1_000', '1e3', '1E3', '0x10',
      '--5', '5-', '1.2.3', 'NaN', 'Infinity', '١٢', '٥', '５', '1\n',
    ];
    for (const input of malformed) {
      assert.deepEqual(parseDecimalMinor(input, 'SAR'), err('not_a_number'), JSON.stringify(input));
    }
  });

  it('reads numbers through their shortest round-trip form, never rounding', () => {
    assert.deepEqual(parseDecimalMinor(150.75, 'SAR'), ok(15075));
    assert.deepEqual(parseDecimalMinor(0.07, 'SAR'), ok(7));
    assert.deepEqual(parseDecimalMinor(-0, 'SAR'), ok(0));
    assert.ok(Object.is((parseDecimalMinor(-0, 'SAR') as { value: number }).value, 0));
    assert.ok(Object.is((parseDecimalMinor('-0.00', 'SAR') as { value: number }).value, 0));
    assert.deepEqual(parseDecimalMinor(0.1 + 0.2, 'SAR'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor(1e-7, 'SAR'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor(-1.5e-7, 'CLF'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor(5e-324, 'SAR'), err('too_many_decimals'));
    assert.deepEqual(parseDecimalMinor(1e21, 'SAR'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor(1e21, 'JPY'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor(-1.5e300, 'JPY'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor(Number.MAX_VALUE, 'JPY'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor(Number.NaN, 'SAR'), err('not_a_number'));
    assert.deepEqual(parseDecimalMinor(Number.POSITIVE_INFINITY, 'SAR'), err('not_a_number'));
    assert.deepEqual(parseDecimalMinor(Number.NEGATIVE_INFINITY, 'SAR'), err('not_a_number'));
  });

  it('stops at Number.MAX_SAFE_INTEGER minor units', () => {
    assert.deepEqual(parseDecimalMinor('9007199254740991', 'JPY'), ok(Number.MAX_SAFE_INTEGER));
    assert.deepEqual(parseDecimalMinor('-9007199254740991', 'JPY'), ok(Number.MIN_SAFE_INTEGER));
    assert.deepEqual(parseDecimalMinor('9007199254740992', 'JPY'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor('90071992547409.91', 'SAR'), ok(Number.MAX_SAFE_INTEGER));
    assert.deepEqual(parseDecimalMinor('90071992547409.92', 'SAR'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor('0000000000000000000001', 'JPY'), ok(1));
    assert.deepEqual(parseDecimalMinor('9'.repeat(100_000), 'JPY'), err('out_of_range'));
    assert.deepEqual(parseDecimalMinor(2 ** 53, 'JPY'), err('out_of_range'));
  });

  it('reports an unknown currency before looking at the amount', () => {
    assert.deepEqual(parseDecimalMinor('1.00', 'XYZ'), err('unknown_currency'));
    assert.deepEqual(parseDecimalMinor('1.00', 'sar'), err('unknown_currency'));
    assert.deepEqual(parseDecimalMinor('1', 'XAU'), err('unknown_currency'));
    assert.deepEqual(parseDecimalMinor('junk', 'XYZ'), err('unknown_currency'));
  });
});

describe('formatMinor examples', () => {
  it('writes exactly the exponent of fractional digits', () => {
    assert.equal(formatMinor(15075, 'SAR'), '150.75');
    assert.equal(formatMinor(-50, 'SAR'), '-0.50');
    assert.equal(formatMinor(5, 'SAR'), '0.05');
    assert.equal(formatMinor(0, 'SAR'), '0.00');
    assert.equal(formatMinor(-0, 'SAR'), '0.00');
    assert.equal(formatMinor(5, 'JPY'), '5');
    assert.equal(formatMinor(-5, 'JPY'), '-5');
    assert.equal(formatMinor(1234, 'KWD'), '1.234');
    assert.equal(formatMinor(1, 'CLF'), '0.0001');
    assert.equal(formatMinor(Number.MAX_SAFE_INTEGER, 'SAR'), '90071992547409.91');
    assert.equal(formatMinor(Number.MIN_SAFE_INTEGER, 'UYW'), '-900719925474.0991');
  });

  it('formats a bigint of any size exactly (sums over many orders)', () => {
    assert.equal(formatMinor(9_007_999_999_999_999n, 'SAR'), '90079999999999.99');
    assert.equal(formatMinor(-(2n ** 70n) - 1n, 'JPY'), '-1180591620717411303425');
    assert.equal(formatMinor(5n, 'KWD'), '0.005');
    assert.equal(formatMinor(0n, 'SAR'), '0.00');
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), (n) => {
        const text = formatMinor(n, 'SAR');
        assert.equal(BigInt(text.replace('.', '')), n);
        assert.match(text, /^-?\d+\.\d{2}$/);
      }),
    );
    assert.throws(() => formatMinor(1n, 'XYZ'), AssertionFailure);
  });

  it('gives JSON numbers for major units', () => {
    assert.equal(minorToMajorNumber(15075, 'SAR'), 150.75);
    assert.equal(minorToMajorNumber(-50, 'SAR'), -0.5);
    assert.equal(minorToMajorNumber(5, 'JPY'), 5);
    assert.equal(minorToMajorNumber(1234, 'KWD'), 1.234);
  });

  it('treats an unsafe amount or unknown currency as a bug', () => {
    assert.throws(() => formatMinor(1.5, 'SAR'), AssertionFailure);
    assert.throws(() => formatMinor(2 ** 53, 'SAR'), AssertionFailure);
    assert.throws(() => formatMinor(Number.NaN, 'SAR'), AssertionFailure);
    assert.throws(() => formatMinor(1, 'XYZ'), AssertionFailure);
  });
});

describe('Money arithmetic', () => {
  it('adds and subtracts within one currency', () => {
    assert.deepEqual(addMoney(money(15075, 'SAR'), money(25, 'SAR')), money(15100, 'SAR'));
    assert.deepEqual(subtractMoney(money(100, 'SAR'), money(150, 'SAR')), money(-50, 'SAR'));
  });

  it('refuses mixed currencies, invalid money and unsafe results', () => {
    assert.throws(() => money(1.5, 'SAR'), AssertionFailure);
    assert.throws(() => money(1, 'XYZ'), AssertionFailure);
    assert.throws(() => addMoney(money(1, 'SAR'), money(1, 'USD')), AssertionFailure);
    assert.throws(() => subtractMoney(money(1, 'SAR'), money(1, 'USD')), AssertionFailure);
    const max = money(Number.MAX_SAFE_INTEGER, 'SAR');
    assert.throws(() => addMoney(max, money(1, 'SAR')), AssertionFailure);
    assert.throws(() => subtractMoney(money(-2, 'SAR'), max), AssertionFailure);
    assert.throws(() => addMoney({ amountMinor: 0.5, currency: 'SAR' }, money(1, 'SAR')));
  });

  it('agrees with bigint arithmetic whenever the result is safe', () => {
    fc.assert(
      fc.property(safeIntegerMinor, safeIntegerMinor, (a, b) => {
        const exactSum = BigInt(a) + BigInt(b);
        const inRange = (x: bigint): boolean =>
          x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= BigInt(Number.MIN_SAFE_INTEGER);
        if (inRange(exactSum)) {
          assert.equal(BigInt(addMoney(money(a, 'SAR'), money(b, 'SAR')).amountMinor), exactSum);
        } else {
          assert.throws(() => addMoney(money(a, 'SAR'), money(b, 'SAR')), AssertionFailure);
        }
        const exactDifference = BigInt(a) - BigInt(b);
        if (inRange(exactDifference)) {
          const difference = subtractMoney(money(a, 'SAR'), money(b, 'SAR')).amountMinor;
          assert.equal(BigInt(difference), exactDifference);
        } else {
          assert.throws(() => subtractMoney(money(a, 'SAR'), money(b, 'SAR')), AssertionFailure);
        }
      }),
    );
  });
});

describe('parse/format properties', () => {
  it('parse(format(x)) === x for every safe integer and exponent 0, 2, 3, 4', () => {
    fc.assert(
      fc.property(safeIntegerMinor, fc.constantFrom(...SAMPLE_CURRENCIES), (amountMinor, code) => {
        const text = formatMinor(amountMinor, code);
        const exponent = exponentOf(code);
        assert.equal(text.split('.')[1]?.length ?? 0, exponent, text);
        // +0 normalises -0: the parser never produces -0.
        assert.deepEqual(parseDecimalMinor(text, code), ok(amountMinor + 0));
      }),
    );
  });

  it('never rounds: exponent+1 to exponent+4 fractional digits are always too_many_decimals', () => {
    const overlongDecimal = fc.constantFrom(...SAMPLE_CURRENCIES).chain((code) => {
      const exponent = exponentOf(code);
      return fc.record({
        code: fc.constant(code),
        sign: fc.constantFrom('', '-'),
        integerDigits: digitString(1, 20),
        fractionDigits: digitString(exponent, exponent + 3),
        // The final digit is forced zero half the time: trailing zeros must not be forgiven.
        lastDigit: fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 9 }).map(String)),
      });
    });
    fc.assert(
      fc.property(overlongDecimal, ({ code, sign, integerDigits, fractionDigits, lastDigit }) => {
        const input = `${sign}${integerDigits}.${fractionDigits}${lastDigit}`;
        assert.deepEqual(parseDecimalMinor(input, code), err('too_many_decimals'), input);
      }),
    );
  });

  it('accepts a valid decimal with at most exponent digits as the exact bigint value', () => {
    const validDecimal = fc.constantFrom(...SAMPLE_CURRENCIES).chain((code) => {
      const exponent = exponentOf(code);
      return fc.record({
        code: fc.constant(code),
        sign: fc.constantFrom('', '-'),
        integerDigits: digitString(1, 18),
        fractionDigits: digitString(0, exponent),
      });
    });
    fc.assert(
      fc.property(validDecimal, ({ code, sign, integerDigits, fractionDigits }) => {
        const input =
          fractionDigits === ''
            ? sign + integerDigits
            : `${sign}${integerDigits}.${fractionDigits}`;
        const exponent = exponentOf(code);
        const magnitude = BigInt(integerDigits + fractionDigits.padEnd(exponent, '0'));
        const result = parseDecimalMinor(input, code);
        if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
          assert.deepEqual(result, err('out_of_range'), input);
        } else {
          const expected = Number(sign === '-' ? -magnitude : magnitude);
          assert.deepEqual(result, ok(expected), input);
        }
      }),
    );
  });

  it('a JS number parses only when its major-unit value survives the trip unchanged', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true }),
          fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 100),
          fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 1000),
        ),
        fc.constantFrom(...SAMPLE_CURRENCIES),
        (input, code) => {
          const result = parseDecimalMinor(input, code);
          if (result.ok) {
            // + 0 because -0 parses to 0 and strict equal tells the two apart.
            assert.equal(minorToMajorNumber(result.value, code), input + 0);
          } else {
            assert.ok(
              !Number.isFinite(input) || result.error !== 'not_a_number',
              `${input} ${code}`,
            );
          }
        },
      ),
    );
  });
});
