import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_SUMMARY, findingCount } from './reconciliation.js';

describe('findingCount', () => {
  it('adds every finding kind of a summary, and nothing else', () => {
    assert.equal(findingCount(EMPTY_SUMMARY), 0);
    const summary = {
      ...EMPTY_SUMMARY,
      rows: 1000,
      matched: 900,
      malformed_rows: 1,
      missing_in_report: 2,
      missing_in_unwind: 4,
      amount_mismatch: 8,
      currency_mismatch: 16,
      duplicate: 32,
      pending_grace: 64,
      auto_refund: 128,
      auto_refunded: 256,
      skipped: 512,
    };
    assert.equal(findingCount(summary), 63);
  });
});
