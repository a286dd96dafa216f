// Proves the Backd order rules: the lifecycle transition table (each action from every status),
// the amounts' identity, the update_order increase limit at its exact boundary (also as a
// fast-check property against bigint arithmetic) and the backd_order_id format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BACKD_ACTIONS,
  BACKD_ORDER_STATUSES,
  backdOrderIdFor,
  checkBackdAmounts,
  checkTotalIncrease,
  transitionBackdOrder,
} from './backd-order.js';

describe('the Backd lifecycle table', () => {
  const allowed: Record<string, Record<string, string>> = {
    select_terms: { created: 'terms_selected', terms_selected: 'terms_selected' },
    place: { terms_selected: 'order_placed' },
    update: { order_placed: 'order_placed' },
    confirm: { order_placed: 'order_confirmed' },
    cancel: { order_placed: 'order_canceled' },
    request_refund: { order_confirmed: 'order_confirmed', refund: 'refund' },
    delete_refund: { order_confirmed: 'order_confirmed', refund: 'refund' },
    settle_refund: { order_confirmed: 'refund', refund: 'refund' },
  };
  for (const action of BACKD_ACTIONS) {
    it(`${action} from each status`, () => {
      for (const status of BACKD_ORDER_STATUSES) {
        const to = allowed[action]![status];
        const result = transitionBackdOrder(status, action);
        if (to) assert.deepEqual(result, { ok: true, value: to }, `${action} from ${status}`);
        else {
          assert.deepEqual(result, {
            ok: false,
            error: { code: 'backd_order.invalid_state', details: { action, status } },
          });
        }
      }
    });
  }
});

describe('amounts', () => {
  const base = {
    orderTotalMinor: 9150,
    cartAmountMinor: 9000,
    taxAmountMinor: 100,
    shippingAmountMinor: 100,
    discountAmountMinor: 50,
  };
  it('order_total = cart + tax + shipping − discount, and positive', () => {
    assert.ok(checkBackdAmounts(base).ok);
    const off = checkBackdAmounts({ ...base, orderTotalMinor: 9151 });
    assert.equal(off.ok, false);
    assert.equal(!off.ok && off.error.details?.['reason'], 'sum_mismatch');
    const zero = checkBackdAmounts({
      ...base,
      orderTotalMinor: 0,
      cartAmountMinor: 0,
      taxAmountMinor: 0,
      shippingAmountMinor: 50,
    });
    assert.equal(!zero.ok && zero.error.details?.['reason'], 'not_positive');
  });
  it('an increase is allowed up to floor(agreed × (100 + limit) / 100), a decrease always', () => {
    assert.deepEqual(checkTotalIncrease(9150, 10065, 10), { ok: true, value: 10065 });
    assert.deepEqual(checkTotalIncrease(9150, 10066, 10), {
      ok: false,
      error: {
        code: 'backd_order.increase_exceeds_limit',
        details: { limitPercent: 10, maxTotalMinor: 10065 },
      },
    });
    assert.deepEqual(checkTotalIncrease(9150, 1, 0), { ok: true, value: 1 });
    assert.equal(checkTotalIncrease(9150, 9151, 0).ok, false);
  });
  it('property: the limit matches exact rational arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 1, max: 2e12 }),
        fc.integer({ min: 0, max: 1000 }),
        (agreed, proposed, limit) => {
          const allowed = BigInt(proposed) * 100n <= BigInt(agreed) * BigInt(100 + limit);
          assert.equal(checkTotalIncrease(agreed, proposed, limit).ok, allowed);
        },
      ),
    );
  });
});

describe('backd_order_id', () => {
  it('is BO-<UTC date>-<16 hex digits of the UUID>', () => {
    assert.equal(
      backdOrderIdFor('01890a5d-ac96-774b-bcce-b302099a8057', Date.parse('2026-04-16T23:59:59Z')),
      'BO-20260416-BCCEB302099A8057',
    );
  });
});
