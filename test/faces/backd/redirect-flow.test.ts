// Proves Backd's redirect flow over HTTP on SQLite and on PostgreSQL: after the buyer selects
// terms the browser is sent to order_success_url with backd_order_id and merchant_order_id
// appended (the redirect-flow page's example URL is the golden shape), encoded and after any
// query the URL already had; the page's close link carries its `message` to order_close_url.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOSE_MESSAGE } from '../../../src/http/dialects/backd/checkout/html.js';
import { createBackdOrder } from '../../support/backd.js';
import { backdFaceSuite } from './backd-face.js';

await backdFaceSuite((face) => {
  const postTerms = (token: string) =>
    face.t.app.inject({
      method: 'POST',
      url: `/backd/checkout/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'terms=net30',
    });

  const orderWithUrls = (success: string, close: string, extra: Record<string, unknown> = {}) =>
    createBackdOrder(face.t, face.m, {
      ...extra,
      mode: { type: 'redirect', order_success_url: success, order_close_url: close },
    });

  describe('the redirect flow', () => {
    it('sends the buyer to order_success_url with both ids, as the docs example', async () => {
      const o = await orderWithUrls(
        'https://www.merchant.website.com/success',
        'https://www.merchant.website.com/close',
      );
      const res = await postTerms(o.token);
      assert.equal(res.statusCode, 303, res.body);
      const location = new URL(String(res.headers['location']));
      assert.equal(
        `${location.origin}${location.pathname}`,
        'https://www.merchant.website.com/success',
      );
      assert.deepEqual(
        [...location.searchParams],
        [
          ['backd_order_id', o.backdOrderId],
          ['merchant_order_id', 'JKLMO4321'],
        ],
      );
      assert.equal(
        res.headers['location'],
        `https://www.merchant.website.com/success?backd_order_id=${o.backdOrderId}&merchant_order_id=JKLMO4321`,
      );
    });

    it('appends after an existing query, encodes the ids, and keeps the fragment', async () => {
      const o = await orderWithUrls(
        'https://shop.example/done?step=2&q=a%20b#summary',
        'https://shop.example/close?from=backd',
        { merchant_order_id: 'PO #7&x=1/ü' },
      );
      const res = await postTerms(o.token);
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(
        res.headers['location'],
        `https://shop.example/done?step=2&q=a%20b&backd_order_id=${encodeURIComponent(o.backdOrderId)}&merchant_order_id=PO%20%237%26x%3D1%2F%C3%BC#summary`,
      );
      const parsed = new URL(String(res.headers['location']));
      assert.equal(parsed.searchParams.get('merchant_order_id'), 'PO #7&x=1/ü');
      assert.equal(parsed.searchParams.get('step'), '2');
    });

    it('the close link carries its message to order_close_url', async () => {
      const o = await orderWithUrls(
        'https://shop.example/success',
        'https://shop.example/close?from=backd',
      );
      const page = await face.t.app.inject({ method: 'GET', url: `/backd/checkout/${o.token}` });
      assert.equal(page.statusCode, 200);
      const href = /<a href="([^"]+)">Return to the shop without choosing<\/a>/.exec(page.body);
      assert.ok(href, page.body);
      const link = new URL(href[1]!.replaceAll('&amp;', '&'));
      assert.equal(link.searchParams.get('from'), 'backd');
      assert.equal(link.searchParams.get('message'), CLOSE_MESSAGE);
      assert.equal(`${link.origin}${link.pathname}`, 'https://shop.example/close');
    });
  });
});
