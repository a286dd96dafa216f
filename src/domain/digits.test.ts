import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { westernDigits } from './digits.js';
import { parseDecimalMinor } from './money.js';

describe('westernDigits', () => {
  it('maps both Arabic-Indic digit sets and the Arabic decimal separator', () => {
    assert.equal(westernDigits('٠١٢٣٤٥٦٧٨٩'), '0123456789');
    assert.equal(westernDigits('۰۱۲۳۴۵۶۷۸۹'), '0123456789');
    assert.equal(westernDigits('١٢٫٥٠'), '12.50');
    assert.equal(westernDigits('۱۲.۵'), '12.5');
  });

  it('leaves ASCII and everything else as typed, for the parser to judge', () => {
    assert.equal(westernDigits('12.50'), '12.50');
    // The Arabic thousands separator stays, so "١٬٠٠٠" is refused rather than read as 1000.
    assert.equal(westernDigits('١٬٠٠٠'), '1\u066c000');
    assert.equal(parseDecimalMinor(westernDigits('١٬٠٠٠'), 'SAR').ok, false);
    // Neighbours of the digit ranges are not digits.
    assert.equal(westernDigits('\u065f\u066a\u06ef\u06fa'), '\u065f\u066a\u06ef\u06fa');
  });

  it('feeds the amount parser: "٧٫٢٥" SAR is 725 halalas', () => {
    assert.deepEqual(parseDecimalMinor(westernDigits('٧٫٢٥'), 'SAR'), { ok: true, value: 725 });
    assert.deepEqual(parseDecimalMinor(westernDigits('۷.۲۵'), 'SAR'), { ok: true, value: 725 });
  });
});
