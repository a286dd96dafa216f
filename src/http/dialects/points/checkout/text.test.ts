// Proves the hosted checkout speaks both languages completely: the Arabic and English tables hold
// exactly the same keys, no sentence is empty, each sentence names the same `{values}` in both;
// every refusal of a checkout step the page can repeat has its Arabic sentence; English only on
// `?lang=en`, Arabic for anything else; values are filled into the sentence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainError, ERROR_CODES, type ErrorCode } from '../../../../domain/errors.js';
import {
  AR_MESSAGES,
  AR_TEXT,
  attemptsLeftText,
  checkoutLang,
  EN_TEXT,
  say,
  sayMessage,
} from './text.js';
import { renderPointsDomainError } from '../errors.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the checkout page text', () => {
  it('has every key in both languages, and only those', () => {
    assert.deepEqual(Object.keys(AR_TEXT).sort(), Object.keys(EN_TEXT).sort());
  });

  it('has no empty sentence and the same values in both languages', () => {
    for (const [key, english] of Object.entries(EN_TEXT)) {
      const arabic = AR_TEXT[key]!;
      assert.ok(english.trim() && arabic.trim(), key);
      assert.deepEqual(placeholders(arabic), placeholders(english), key);
    }
  });

  it('has an Arabic sentence for every refusal a checkout step answers', () => {
    // Every checkout refusal of the catalogue, and the two a checkout step shares with others.
    const codes: ErrorCode[] = [
      ...ERROR_CODES.filter((code) => code.startsWith('points.checkout_')),
      'points.insufficient_balance',
      'points.phone_limited',
    ];
    assert.ok(codes.length >= 11);
    for (const code of codes) {
      const { message } = renderPointsDomainError(domainError(code)).body as { message: string };
      assert.ok(AR_MESSAGES[message], `no Arabic for ${code}: "${message}"`);
      assert.equal(sayMessage('ar', message), AR_MESSAGES[message]);
      assert.equal(sayMessage('en', message), message);
    }
  });

  it('says an unknown field message in Arabic as a request to check the input', () => {
    assert.equal(
      sayMessage('ar', 'The redeem points must be an integer.'),
      AR_TEXT['invalidInput'],
    );
  });

  it('is English only on ?lang=en', () => {
    assert.equal(checkoutLang({ lang: 'en' }), 'en');
    for (const query of [undefined, null, {}, { lang: 'ar' }, { lang: 'EN' }, { lang: ['en'] }]) {
      assert.equal(checkoutLang(query), 'ar', JSON.stringify(query));
    }
  });

  it('fills in the values', () => {
    assert.equal(say('en', 'redeemLabel', { max: 12 }), 'Points to redeem (0 to 12)');
    assert.equal(say('ar', 'redeemLabel', { max: 12 }), 'النقاط المراد استبدالها (من 0 إلى 12)');
    assert.equal(attemptsLeftText('en', 1), '1 attempt left.');
    assert.equal(attemptsLeftText('en', 4), '4 attempts left.');
    assert.equal(attemptsLeftText('ar', 4), 'المحاولات المتبقية: 4.');
  });
});
