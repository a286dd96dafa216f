// Proves that event payload times are ISO 8601 (UTC, milliseconds, `Z`), and that a payload
// stored before, with its order's times in epoch milliseconds, reads as the same ISO strings:
// only the order snapshot's time fields change, keys keep their order, and reading twice is
// reading once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventTime, withIsoOrderTimes } from './events.js';

const legacy = {
  order: {
    id: 'o1',
    captured_at: Date.UTC(2026, 10, 23, 12, 0, 0, 1),
    cancelled_at: null,
    details: { metadata: { paid_at: 5 } },
    created_at: 0,
    updated_at: Date.UTC(2026, 10, 23, 12, 0, 0, 999),
    version: 3,
  },
  transactions: [{ id: 't1', amount_minor: 100 }],
  reason: null,
};

describe('event payload times', () => {
  it('eventTime: ISO 8601 in UTC to the millisecond, null stays null', () => {
    assert.equal(eventTime(0), '1970-01-01T00:00:00.000Z');
    assert.equal(eventTime(Date.UTC(2026, 10, 23, 12, 0, 0, 1)), '2026-11-23T12:00:00.001Z');
    assert.equal(eventTime(null), null);
  });

  it('a stored payload with epoch-ms order times reads with ISO times, keys in order', () => {
    const read = withIsoOrderTimes(legacy);
    assert.deepEqual(read, {
      ...legacy,
      order: {
        ...legacy.order,
        captured_at: '2026-11-23T12:00:00.001Z',
        created_at: '1970-01-01T00:00:00.000Z',
        updated_at: '2026-11-23T12:00:00.999Z',
      },
    });
    assert.equal(
      JSON.stringify(Object.keys(read['order'] as object)),
      JSON.stringify(Object.keys(legacy.order)),
    );
    // The merchant's own metadata is theirs: a number there is left alone.
    assert.deepEqual((read['order'] as Record<string, unknown>)['details'], {
      metadata: { paid_at: 5 },
    });
  });

  it('reading twice is reading once; a current payload is returned as it is', () => {
    const once = withIsoOrderTimes(legacy);
    assert.equal(withIsoOrderTimes(once), once);
    const other = { backd_order: { status: 'created' } };
    assert.equal(withIsoOrderTimes(other), other);
  });
});
