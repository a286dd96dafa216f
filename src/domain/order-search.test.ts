// Proves the forms a search text is tried in against the customer's phone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderSearchFor } from './order-search.js';

describe('orderSearchFor', () => {
  it('tries a typed Saudi mobile number as typed, without punctuation and in Points form', () => {
    assert.deepEqual(orderSearchFor('+966 (50) 123-45.67'), {
      text: '+966 (50) 123-45.67',
      phones: ['+966 (50) 123-45.67', '+966501234567', '501234567'],
    });
    assert.deepEqual(orderSearchFor('0501234567').phones, ['0501234567', '501234567']);
    assert.deepEqual(orderSearchFor('00966501234567').phones, ['00966501234567', '501234567']);
  });

  it('a text that is no phone is tried once, or twice when it has punctuation', () => {
    assert.deepEqual(orderSearchFor('ORD-77'), { text: 'ORD-77', phones: ['ORD-77', 'ORD77'] });
    assert.deepEqual(orderSearchFor('501234567').phones, ['501234567']);
    assert.deepEqual(orderSearchFor('4012345678').phones, ['4012345678']);
  });

  it('a text of punctuation only is never tried as an empty phone', () => {
    assert.deepEqual(orderSearchFor('--').phones, ['--']);
  });
});
