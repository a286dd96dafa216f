// Proves, over HTTP against a compiled `unwind serve` on SQLite and on PostgreSQL, that every URL
// a client asks Unwind to keep is what was validated: for each field (Backd's order_success_url,
// order_close_url, item_url and item_image_url; Points' checkout callback_url and webhook url on
// create and update; the admin API's webhook endpoint url on create and update) a CR, LF or tab,
// which the URL parser would silently drop, is refused with a 422 in the face's own shape and
// nothing is stored; a loosely spelled URL is stored and used as the parser's href; and the
// length bounds hold exactly at the limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBody } from '../support/backd.js';
import { postForm, useProcessMerchant } from '../support/merchant-process.js';
import { payAtCheckout, processCall } from '../support/points.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

/** Spelled loosely: upper-case scheme and host, a space in the path and the query. */
const LOOSE = 'HTTPS://Shop.Example/Thanks Page?x=a b';
const LOOSE_HREF = 'https://shop.example/Thanks%20Page?x=a%20b';
const CONTROL = ['https://shop.example/ok\r\nSet-Cookie: a=b', 'https://shop.example/o\tk'];

/** An http URL of exactly `length` characters. */
const urlOfLength = (length: number) =>
  `https://a.example/${'a'.repeat(length - 'https://a.example/'.length)}`;

function suite(factory: StoreFactory, skip?: string) {
  describe(`Stored URLs are what was validated: ${factory.engine}`, { skip }, () => {
    const f = useProcessMerchant(factory);
    const count = async (table: string) => (await f.store.rawRows(table)).length;

    it('Backd order_success_url and order_close_url: control characters are a 422 on the field', async () => {
      const orders = await count('backd_orders');
      for (const field of ['order_success_url', 'order_close_url']) {
        for (const url of CONTROL) {
          const mode = {
            type: 'redirect',
            order_success_url: 'https://shop.example/success',
            order_close_url: 'https://shop.example/close',
            [field]: url,
          };
          const res = await f.merchant.send('backd', 'POST', '/create_order', createBody({ mode }));
          assert.equal(res.status, 422, JSON.stringify(res.body));
          assert.equal(
            res.body.message,
            `Invalid request: mode.${field}: Must not contain control characters (such as tab, CR or LF).`,
          );
          assert.equal(res.body.data, null);
        }
      }
      assert.equal(await count('backd_orders'), orders, 'no order was stored');
    });

    it('Backd order URLs are kept as their href: the redirect and the close link use it', async () => {
      const order = await f.merchant.backdOrder({
        mode: {
          type: 'redirect',
          order_success_url: LOOSE,
          order_close_url: ' https://Shop.Example/close ',
        },
      });
      const page = await fetch(`${f.server.url}/backd/checkout/${order.token}`);
      // The close link carries its message, the redirect Backd's ids, after the stored href.
      assert.ok((await page.text()).includes('href="https://shop.example/close?message='));
      const chosen = await postForm(f.server, `/backd/checkout/${order.token}`, { terms: 'net60' });
      assert.equal(chosen.status, 303, chosen.text);
      assert.equal(
        chosen.location,
        `${LOOSE_HREF}&backd_order_id=${order.backdOrderId}&merchant_order_id=JKLMO4321`,
      );
    });

    it('Backd item_url and item_image_url: control characters are a 422; the href is kept', async () => {
      const item = (extra: Record<string, string>) => ({
        items: [{ display_name: 'Widget', sku: 'W-1', unit_price: 45, qty: 2, ...extra }],
        cart_amount: 90,
      });
      for (const field of ['item_url', 'item_image_url']) {
        const res = await f.merchant.send(
          'backd',
          'POST',
          '/create_order',
          createBody(item({ [field]: CONTROL[1]! })),
        );
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.match(
          res.body.message,
          new RegExp(`items\\.0\\.${field}: Must not contain control`),
        );
      }
      const order = await f.merchant.backdOrder(
        item({ item_url: LOOSE, item_image_url: 'https://CDN.example/w.png' }),
      );
      const found = await f.merchant.send('backd', 'GET', `/find_order/${order.backdOrderId}`);
      assert.equal(found.body.data.items[0].item_url, LOOSE_HREF);
      assert.equal(found.body.data.items[0].item_image_url, 'https://cdn.example/w.png');
    });

    it('Points callback_url: control characters are a 422; the href is where the customer goes', async () => {
      const sessions = await count('points_checkout_sessions');
      for (const url of CONTROL) {
        const res = await f.server.http(
          'POST',
          `/points/api/v1/orders/checkout/${f.merchant.publicKey}`,
          { total_price: 20, order_number: 'CB-1', callback_url: url },
          { token: null },
        );
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.deepEqual(res.body.errors, {
          callback_url: ['The callback url must be a valid URL.'],
        });
      }
      assert.equal(await count('points_checkout_sessions'), sessions);

      await f.server.call(
        'POST',
        '/admin/points/customers',
        { phone_number: '0500000003', balance: 0 },
        201,
      );
      const path = await f.merchant.pointsCheckout({
        total_price: 20,
        order_number: 'CB-2',
        callback_url: 'HTTPS://Shop.Example/Done Page',
      });
      const paid = await payAtCheckout(processCall(f.server), processCall(f.server, true), path, {
        phoneNumber: '0500000003',
        redeemPoints: 0,
      });
      assert.ok(
        paid.redirect_url.startsWith('https://shop.example/Done%20Page?order_uuid='),
        paid.redirect_url,
      );
    });

    it('Points webhook url: control characters are a 422 on create and update; the href is kept', async () => {
      const endpoints = await count('webhook_endpoints');
      for (const url of CONTROL) {
        const res = await f.merchant.send('points', 'POST', '/webhooks', { name: 'hooks', url });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.deepEqual(res.body.errors, { url: ['The url must be a valid URL.'] });
      }
      assert.equal(await count('webhook_endpoints'), endpoints);

      const created = await f.merchant.send('points', 'POST', '/webhooks', {
        name: 'hooks',
        url: 'HTTPS://Hooks.Example/points',
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.data.url, 'https://hooks.example/points');
      const uuid = created.body.data.uuid as string;
      // The same URL spelled otherwise is the same URL: a duplicate.
      const again = await f.merchant.send('points', 'POST', '/webhooks', {
        name: 'again',
        url: 'https://hooks.EXAMPLE/points',
      });
      assert.equal(again.status, 400, JSON.stringify(again.body));

      for (const url of CONTROL) {
        const res = await f.merchant.send('points', 'PATCH', `/webhooks/${uuid}`, { url });
        assert.equal(res.status, 422, JSON.stringify(res.body));
      }
      const shown = await f.merchant.send('points', 'GET', `/webhooks/${uuid}`);
      assert.equal(shown.body.data.url, 'https://hooks.example/points');
      const updated = await f.merchant.send('points', 'PUT', `/webhooks/${uuid}`, { url: LOOSE });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.data.url, LOOSE_HREF);

      // Points' own bound: 500 characters.
      const at = await f.merchant.send('points', 'PUT', `/webhooks/${uuid}`, {
        url: urlOfLength(500),
      });
      assert.equal(at.status, 200, JSON.stringify(at.body));
      const over = await f.merchant.send('points', 'PUT', `/webhooks/${uuid}`, {
        url: urlOfLength(501),
      });
      assert.equal(over.status, 422, JSON.stringify(over.body));
      assert.deepEqual(over.body.errors.url, ['The url must not be greater than 500 characters.']);
    });

    it('admin webhook endpoint url: control characters are a 422 on create and update; the href is kept', async () => {
      const path = `/admin/merchants/${f.merchant.id}/webhooks`;
      const endpoints = await count('webhook_endpoints');
      for (const url of CONTROL) {
        const res = await f.server.http('POST', path, { url });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'webhook.invalid_url');
        assert.deepEqual(res.body.error.details, { reason: 'control_character' });
      }
      assert.equal(await count('webhook_endpoints'), endpoints);

      const created = await f.server.call('POST', path, { url: 'HTTP://Admin.Example:80/h' }, 201);
      assert.equal(created.url, 'http://admin.example/h');
      for (const url of CONTROL) {
        const res = await f.server.http('PATCH', `${path}/${created.id}`, { url });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'webhook.invalid_url');
      }
      const updated = await f.server.call('PATCH', `${path}/${created.id}`, { url: LOOSE }, 200);
      assert.equal(updated.url, LOOSE_HREF);

      // LIMITS.urlLengthMax: 2000 characters, as sent and as stored.
      const at = await f.server.call(
        'PATCH',
        `${path}/${created.id}`,
        { url: urlOfLength(2000) },
        200,
      );
      assert.equal(at.url, urlOfLength(2000));
      const over = await f.server.http('PATCH', `${path}/${created.id}`, {
        url: urlOfLength(2001),
      });
      assert.equal(over.status, 422, JSON.stringify(over.body));
      const widened = await f.server.http('PATCH', `${path}/${created.id}`, {
        url: `https://a.example/${' '.repeat(700)}x`,
      });
      assert.equal(widened.status, 422, JSON.stringify(widened.body));
      assert.deepEqual(widened.body.error.details, { reason: 'too_long' });
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
