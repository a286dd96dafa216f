// Proves the pure parts of reconciliation: a summary's finding count covers every kind (an
// unknown order included), and a run's scope holds only its own merchant's orders on its face.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_SUMMARY, findingCount, inScope } from './reconciliation.js';

describe('findingCount', () => {
  it('adds every finding kind of a summary, and nothing else', () => {
    assert.equal(findingCount(EMPTY_SUMMARY), 0);
    const summary = {
      ...EMPTY_SUMMARY,
      rows: 2000,
      matched: 900,
      malformed_rows: 1,
      missing_in_report: 2,
      missing_in_unwind: 4,
      amount_mismatch: 8,
      currency_mismatch: 16,
      duplicate: 32,
      unknown_order: 1024,
      pending_grace: 64,
      auto_refund: 128,
      auto_refunded: 256,
      skipped: 512,
    };
    assert.equal(findingCount(summary), 1087);
  });
});

describe('inScope', () => {
  const scope = { merchantId: 'm-a', dialect: 'points' } as const;
  it('holds the merchant’s orders on the face, and nothing else', () => {
    assert.equal(inScope({ merchantId: 'm-a', dialect: 'points' }, scope), true);
    assert.equal(inScope({ merchantId: 'm-a', dialect: 'mpg' }, scope), false);
    assert.equal(inScope({ merchantId: 'm-a', dialect: 'admin' }, scope), false);
    assert.equal(inScope({ merchantId: 'm-b', dialect: 'points' }, scope), false);
  });
});
