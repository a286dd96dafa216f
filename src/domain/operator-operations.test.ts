// Proves the operator's table per face and what the dashboard offers from it: every face routes
// every operation somewhere, Backd is refunded only through requests and cancelled only while
// placed, Points' own state machine decides its cancels, MPG is never cancelled, and Backd's
// request actions follow Backd's statuses and the active request; by direct calls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADMIN_OPERATIONS,
  backdRequestActions,
  OPERATOR_ROUTES,
  operatorMayOffer,
  type OperatorView,
} from './operator-operations.js';
import { DIALECTS } from './order.js';

const view = (o: Partial<OperatorView>): OperatorView => ({
  dialect: 'admin',
  kind: 'standard',
  status: 'captured',
  amountMinor: 1000,
  captureMethod: 'purchase',
  refundableMinor: 1000,
  backdStatus: null,
  ...o,
});

describe('OPERATOR_ROUTES', () => {
  it('routes every operation of every face, and only Backd refunds through requests', () => {
    for (const dialect of DIALECTS) {
      for (const op of ADMIN_OPERATIONS) assert.ok(OPERATOR_ROUTES[dialect][op]);
    }
    const viaRequests = DIALECTS.flatMap((d) =>
      ADMIN_OPERATIONS.filter((op) => OPERATOR_ROUTES[d][op] === 'refund_request').map(
        (op) => `${d}:${op}`,
      ),
    );
    assert.deepEqual(viaRequests, ['backd:refund']);
  });
});

describe('operatorMayOffer', () => {
  it('never offers a plain refund of a Backd order, even with money left', () => {
    const backd = view({ dialect: 'backd', kind: 'bnpl', backdStatus: 'order_confirmed' });
    assert.equal(operatorMayOffer('refund', backd), false);
    assert.equal(operatorMayOffer('refund', view({})), true);
    assert.equal(operatorMayOffer('refund', view({ refundableMinor: 0 })), false);
  });
  it("offers a Backd cancel only in Backd's placed status", () => {
    const backd = (backdStatus: OperatorView['backdStatus']) =>
      operatorMayOffer(
        'cancel',
        view({
          dialect: 'backd',
          kind: 'bnpl',
          status: 'pending',
          captureMethod: null,
          backdStatus,
        }),
      );
    assert.deepEqual(
      [backd('created'), backd('terms_selected'), backd('order_placed'), backd('order_canceled')],
      [false, false, true, false],
    );
  });
  it("follows Points' table: a rating award (shown approved) is never cancelled", () => {
    const award = view({ dialect: 'points', kind: 'earning', status: 'pending', amountMinor: 0 });
    assert.equal(operatorMayOffer('cancel', award), false);
    const authorized = view({ dialect: 'points', kind: 'replacing', status: 'authorized' });
    assert.equal(operatorMayOffer('cancel', { ...authorized, captureMethod: null }), true);
  });
  it('never offers to cancel an MPG order', () => {
    const mpg = view({ dialect: 'mpg', kind: 'card', status: 'authorized', captureMethod: null });
    assert.equal(operatorMayOffer('cancel', mpg), false);
    assert.equal(operatorMayOffer('cancel', { ...mpg, dialect: 'admin' }), true);
  });
});

describe('backdRequestActions', () => {
  it('submits while Backd accepts requests and money is left; withdraws only a draft', () => {
    assert.deepEqual(backdRequestActions('order_confirmed', 100, null), {
      submit: true,
      withdraw: false,
    });
    assert.deepEqual(backdRequestActions('refund', 100, { status: 'draft' }), {
      submit: true,
      withdraw: true,
    });
    assert.deepEqual(backdRequestActions('refund', 100, { status: 'approved' }), {
      submit: false,
      withdraw: false,
    });
    assert.deepEqual(backdRequestActions('refund', 0, null), { submit: false, withdraw: false });
    assert.deepEqual(backdRequestActions('order_placed', 100, null), {
      submit: false,
      withdraw: false,
    });
  });
});
