// Proves the customer's Backd terms page over HTTP on SQLite and on PostgreSQL: an accessible form
// with the three terms, selection by JSON or form post, no change once the order is placed (and
// then nothing of the order shown), and a form another site made the browser post refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_PUBLIC_URL } from '../../support/app.js';
import {
  createBackdOrder,
  expectFailure,
  findOrder,
  orderIn,
  selectTerms,
} from '../../support/backd.js';
import { backdFaceSuite } from './backd-face.js';

await backdFaceSuite((face) => {
  describe('the terms page', () => {
    it('is an accessible HTML form with the three terms', async () => {
      const o = await createBackdOrder(face.t, face.m);
      const res = await face.t.app.inject({ method: 'GET', url: `/backd/checkout/${o.token}` });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<html lang="en">/);
      assert.match(res.body, /<legend>Payment terms<\/legend>/);
      for (const terms of ['net30', 'net60', 'net90']) {
        assert.match(
          res.body,
          new RegExp(
            `<label for="terms-${terms}"><input type="radio" id="terms-${terms}" name="terms" value="${terms}" required`,
          ),
        );
      }
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      const missing = await face.t.app.inject({
        method: 'GET',
        url: `/backd/checkout/${'A'.repeat(43)}`,
      });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /Order not found/);
    });

    it('a JSON POST selects terms and answers {backd_order_id, status}', async () => {
      const o = await createBackdOrder(face.t, face.m);
      const res = await selectTerms(face.t, o.token, 'net60');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { backd_order_id: o.backdOrderId, status: 'terms_selected' });
      assert.equal((await findOrder(face.t, face.m, o)).status, 'terms_selected');
      expectFailure(await selectTerms(face.t, o.token, 'net45'), 422, /terms/);
      expectFailure(await selectTerms(face.t, 'A'.repeat(43)), 404, 'Order not found.');
    });

    it('a form POST selects terms and redirects to order_success_url', async () => {
      const o = await createBackdOrder(face.t, face.m);
      const res = await face.t.app.inject({
        method: 'POST',
        url: `/backd/checkout/${o.token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: 'terms=net90',
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(
        res.headers['location'],
        `https://shop.example/success?backd_order_id=${o.backdOrderId}&merchant_order_id=${o.merchantOrderId}`,
      );
      assert.equal((await findOrder(face.t, face.m, o)).status, 'terms_selected');
      const empty = await face.t.app.inject({
        method: 'POST',
        url: `/backd/checkout/${o.token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'terms=',
      });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /role="alert"/);
    });

    it('terms cannot change once the order is placed', async () => {
      const o = await orderIn(face.t, face.m, 'order_placed');
      expectFailure(await selectTerms(face.t, o.token, 'net90'), 400, /already been placed/);
    });

    it('once the order is placed, answers only its state and terms, nothing of the order', async () => {
      for (const status of ['order_placed', 'order_confirmed'] as const) {
        const o = await orderIn(face.t, face.m, status);
        const html = await face.t.app.inject({ method: 'GET', url: `/backd/checkout/${o.token}` });
        assert.equal(html.statusCode, 200);
        assert.match(html.body, /role="status"/);
        assert.match(html.body, /Net 30/);
        for (const hidden of [o.merchantOrderId, o.backdOrderId, 'Widget', '<form', '<table']) {
          assert.ok(!html.body.includes(hidden), `${status} page shows ${hidden}`);
        }
        const json = await face.t.app.inject({
          method: 'GET',
          url: `/backd/checkout/${o.token}`,
          headers: { accept: 'application/json' },
        });
        assert.deepEqual(json.json(), { status, terms: 'net30' });
        const refused = await face.t.app.inject({
          method: 'POST',
          url: `/backd/checkout/${o.token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'terms=net60',
        });
        assert.equal(refused.statusCode, 400);
        assert.ok(!refused.body.includes(o.merchantOrderId), refused.body);
      }
    });

    it('refuses a terms form another site made the browser post', async () => {
      const o = await createBackdOrder(face.t, face.m);
      for (const headers of [
        { 'sec-fetch-site': 'cross-site' },
        { origin: 'https://evil.example' },
        { origin: 'null' },
      ]) {
        const forged = await face.t.app.inject({
          method: 'POST',
          url: `/backd/checkout/${o.token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          payload: 'terms=net90',
        });
        assert.equal(forged.statusCode, 403, JSON.stringify(headers));
      }
      const own = await face.t.app.inject({
        method: 'POST',
        url: `/backd/checkout/${o.token}`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: TEST_PUBLIC_URL,
          'sec-fetch-site': 'same-origin',
        },
        payload: 'terms=net90',
      });
      assert.equal(own.statusCode, 303, own.body);
      const chosen = await face.t.app.inject({
        method: 'GET',
        url: `/backd/checkout/${o.token}`,
        headers: { accept: 'application/json' },
      });
      assert.equal((chosen.json() as { terms: string }).terms, 'net90');
    });
  });
});
