// Proves the MPG planners on plain orders: extension needs an approved authorization with money
// still held; reversal takes only a transaction of unknown outcome, once; neither moves money.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mpgMerchantNumber, type MpgRow, planExtension, planReversal } from './mpg.js';
import { type Order, planCapture, withOutcome, ZERO_TOTALS } from './order.js';

const order = (totals: Partial<Order> = {}): Order => ({
  id: 'o1',
  merchantId: 'm1',
  dialect: 'mpg',
  kind: 'card',
  currency: 'SAR',
  amountMinor: 1000,
  redeemedMinor: 0,
  ...ZERO_TOTALS,
  status: 'authorized',
  orderNumber: null,
  merchantOrderId: null,
  backdOrderId: null,
  customerRef: null,
  details: {},
  capturedAt: null,
  captureMethod: null,
  cancelledAt: null,
  createdAt: 0,
  updatedAt: 0,
  version: 1,
  ...totals,
});
const row = (r: Partial<MpgRow>): MpgRow => ({
  id: 't1',
  type: 'authorize',
  status: 'approved',
  amountMinor: 1000,
  details: {},
  ...r,
});

describe('mpg planners', () => {
  it('extends only an approved authorization with money still held', () => {
    const held = planExtension(order({ authorizedMinor: 1000 }), [row({})]);
    assert.ok(held.ok);
    assert.deepEqual(held.value.transactions, [{ type: 'extension', amountMinor: 0, points: 0 }]);
    assert.equal(held.value.totals.authorizedMinor, 1000);
    const done = order({ authorizedMinor: 1000, capturedMinor: 1000 });
    assert.equal(planExtension(done, [row({})]).ok, false);
    assert.equal(planExtension(order(), [row({ type: 'purchase' })]).ok, false);
    assert.equal(planExtension(order(), [row({ status: 'failed' })]).ok, false);
  });

  it('extends the hold of at most the money still held, moving none', () => {
    const partly = order({ authorizedMinor: 1000, capturedMinor: 300, voidedMinor: 100 });
    const atHeld = planExtension(partly, [row({})], 600);
    assert.ok(atHeld.ok);
    assert.deepEqual(atHeld.value.transactions, [
      { type: 'extension', amountMinor: 600, points: 0 },
    ]);
    assert.equal(atHeld.value.totals.capturedMinor, 300);
    assert.deepEqual(planExtension(partly, [row({})], 601), {
      ok: false,
      error: { code: 'capture.exceeds_capturable', details: { capturableMinor: 600 } },
    });
  });

  it('reverses a transaction of unknown outcome once, without moving money', () => {
    const timeout = row({ status: 'timeout' });
    const first = planReversal(order(), [timeout], 't1');
    assert.ok(first.ok);
    assert.deepEqual(first.value.totals, { ...ZERO_TOTALS });
    const reversal = row({
      id: 't2',
      type: 'reversal',
      details: { reversed_transaction_id: 't1' },
    });
    const second = planReversal(order(), [timeout, reversal], 't1');
    assert.deepEqual(second, {
      ok: false,
      error: { code: 'transaction.not_reversible', details: { status: 'timeout' } },
    });
    assert.equal(planReversal(order(), [row({})], 't1').ok, false);
    assert.equal(planReversal(order(), [timeout], 'nope').ok, false);
  });

  it("derives the 8-digit merchant number from the id's last 12 hex digits", () => {
    // 0xffc3703a7990 = 281214866586000; its last eight decimal digits.
    assert.equal(mpgMerchantNumber('0191f5a7-44a5-7700-8c11-ffc3703a7990'), '66586000');
    // 0x0000000012ab = 4779, padded with zeros.
    assert.equal(mpgMerchantNumber('0191f5a7-44a5-7700-8c11-0000000012ab'), '00004779');
  });

  it('a non-approved outcome keeps only the main row and changes no totals (core withOutcome)', () => {
    const authorized = order({ authorizedMinor: 1000 });
    const planned = planCapture(authorized, 400, 5);
    assert.ok(planned.ok);
    const declined = withOutcome(
      authorized,
      planned.value,
      { status: 'failed', details: { response_code: '05' } },
      5,
    );
    assert.deepEqual(declined.transactions, [
      {
        type: 'capture',
        amountMinor: 400,
        points: 0,
        status: 'failed',
        details: { response_code: '05' },
      },
    ]);
    assert.deepEqual([declined.totals.capturedMinor, declined.capturedAt], [0, null]);
    const approved = withOutcome(
      authorized,
      planned.value,
      { status: 'approved', details: { a: 1 } },
      5,
    );
    assert.deepEqual([approved.totals.capturedMinor, approved.capturedAt], [400, 5]);
    assert.deepEqual(approved.transactions[0]?.details, { a: 1 });
  });
});
