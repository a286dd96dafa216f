// Proves the card rules with fixed cases and a property: Luhn on known valid and altered
// numbers, scheme detection (mada before Visa/Mastercard), masking, expiry and test-card answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  APPROVED,
  cardExpired,
  detectScheme,
  issuerAnswerFor,
  luhnValid,
  maskCard,
  TEST_CARD_ANSWERS,
} from './cards.js';

describe('cards', () => {
  it('accepts Luhn-valid numbers and refuses every single-digit change of them', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '4201320111111010',
    ]) {
      assert.ok(luhnValid(n), n);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (i, delta) => {
        const digits = '4111111111111111'.split('');
        digits[i] = String((Number(digits[i]) + delta) % 10);
        return !luhnValid(digits.join(''));
      }),
    );
    assert.equal(luhnValid(''), false);
    assert.equal(luhnValid('4111-1111'), false);
  });

  it('detects schemes, mada first for co-branded BINs', () => {
    assert.equal(detectScheme('4111111111111111'), 'visa');
    assert.equal(detectScheme('5555555555554444'), 'mastercard');
    assert.equal(detectScheme('2223000048400011'), 'mastercard');
    assert.equal(detectScheme('378282246310005'), 'amex');
    assert.equal(detectScheme('4201320111111010'), 'mada');
    assert.equal(detectScheme('6011111111111117'), null);
  });

  it('keeps 8 leading digits of 16+ digit numbers, 6 of shorter ones, and the last 4', () => {
    assert.deepEqual(maskCard('5555555555554444', 'mastercard'), {
      scheme: 'mastercard',
      firstDigits: '55555555',
      lastDigits: '4444',
    });
    assert.deepEqual(maskCard('378282246310005', 'amex'), {
      scheme: 'amex',
      firstDigits: '378282',
      lastDigits: '0005',
    });
  });

  it('treats a card as valid through the end of its expiry month', () => {
    const today = { month: 11, year: 2026 };
    assert.equal(cardExpired({ month: 11, year: 2026 }, today), false);
    assert.equal(cardExpired({ month: 10, year: 2026 }, today), true);
    assert.equal(cardExpired({ month: 1, year: 2027 }, today), false);
    assert.equal(cardExpired({ month: 12, year: 2025 }, today), true);
  });

  it('answers test cards from the table, every other card approved', () => {
    for (const [number, answer] of Object.entries(TEST_CARD_ANSWERS)) {
      assert.ok(luhnValid(number) && detectScheme(number) !== null, number);
      assert.notEqual(answer.status, 'approved');
      assert.notEqual(answer.responseCode, '00');
      assert.deepEqual(issuerAnswerFor(number), answer);
    }
    assert.deepEqual(issuerAnswerFor('4111111111111111'), APPROVED);
    assert.equal(issuerAnswerFor('4000000000009995').responseCode, '51');
  });
});
