// Proves, over HTTP against a compiled `unwind serve` on SQLite and on PostgreSQL, that no
// client is told "error" about a change that committed. Each case makes an answer that cannot be
// built after the change (stored data from an older version or damaged by hand, set with raw
// SQL) and checks that either the answer is still built (the Backd redirect from a URL with
// CR/LF) or the change is undone with it (admin and MPG renders, the Points checkout redirect,
// JSON and form); and that a settlement report declared over the limit is refused before a run
// is stored. Every case fails on the code before the fix: a 500 after the change committed.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { describe, it } from 'node:test';
import { postForm, useProcessMerchant } from '../support/merchant-process.js';
import { outboxCode, processCall } from '../support/points.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

/** Past the last instant a JavaScript Date can show: rendering the order throws. */
const UNRENDERABLE_MS = 9_000_000_000_000_000;

const sql = (text: string) => `'${text.replaceAll("'", "''")}'`;

function suite(factory: StoreFactory, skip?: string) {
  describe(`A refusal never follows a state change: ${factory.engine}`, { skip }, () => {
    const f = useProcessMerchant(factory);

    const rows = async (table: string, where: (r: Record<string, unknown>) => boolean) =>
      (await f.store.rawRows(table)).filter(where);
    const refundRows = (orderId: string) =>
      rows('transactions', (r) => r['order_id'] === orderId && r['type'] === 'refund');
    const orderCreatedAt = (orderId: string, ms: number) =>
      f.store.rawExec(`UPDATE orders SET created_at = ${ms} WHERE id = ${sql(orderId)}`);

    it('Backd terms page: a stored redirect URL with CR/LF still redirects once terms are chosen', async () => {
      const order = await f.merchant.backdOrder();
      // What an older version stored: the raw string, CR/LF included.
      const mode = {
        type: 'redirect',
        order_success_url: 'https://shop.example/ok\r\nSet-Cookie: a=b',
        order_close_url: 'https://shop.example/close',
      };
      await f.store.rawExec(
        `UPDATE backd_orders SET mode = ${sql(JSON.stringify(mode))}
         WHERE backd_order_id = ${sql(order.backdOrderId)}`,
      );
      const chosen = await postForm(f.server, `/backd/checkout/${order.token}`, { terms: 'net30' });
      assert.equal(chosen.status, 303, chosen.text);
      assert.equal(
        chosen.location,
        `https://shop.example/okSet-Cookie:%20a=b?backd_order_id=${order.backdOrderId}` +
          '&merchant_order_id=JKLMO4321',
      );
      const found = await f.merchant.send('backd', 'GET', `/find_order/${order.backdOrderId}`);
      assert.equal(found.body.data.status, 'terms_selected');
    });

    it('admin: an answer that cannot be rendered undoes the refund (no Idempotency-Key)', async () => {
      const orderId = await f.merchant.adminCapturedOrder();
      const createdAt = Number(
        (await rows('orders', (r) => r['id'] === orderId))[0]!['created_at'],
      );
      await orderCreatedAt(orderId, UNRENDERABLE_MS);
      const refund = await f.server.http('POST', `/admin/orders/${orderId}/refund`, {
        amount_minor: 100,
      });
      assert.equal(refund.status, 500, JSON.stringify(refund.body));
      assert.deepEqual(await refundRows(orderId), [], 'the refund was undone with its answer');
      await orderCreatedAt(orderId, createdAt);
      await f.server.call('POST', `/admin/orders/${orderId}/refund`, { amount_minor: 100 }, 200);
      assert.equal((await refundRows(orderId)).length, 1);
    });

    it('MPG: an answer that cannot be rendered undoes the refund, with or without a body id', async () => {
      const orderId = await f.merchant.mpgPurchase();
      const createdAt = Number(
        (await rows('orders', (r) => r['id'] === orderId))[0]!['created_at'],
      );
      await orderCreatedAt(orderId, UNRENDERABLE_MS);
      const transactionId = crypto.randomUUID();
      for (const body of [{ amount: 1000 }, { amount: 1000, transaction_id: transactionId }]) {
        const res = await f.merchant.send('mpg', 'POST', `/v1/orders/${orderId}/refund`, body);
        assert.equal(res.status, 500, JSON.stringify(res.body));
        assert.deepEqual(await refundRows(orderId), []);
      }
      // The body id's claim was released with the change: the same id runs afresh.
      assert.deepEqual(
        await rows('claims', (r) => r['claim_key'] === `transaction_id:${transactionId}`),
        [],
      );
      await orderCreatedAt(orderId, createdAt);
      const retried = await f.merchant.send('mpg', 'POST', `/v1/orders/${orderId}/refund`, {
        amount: 1000,
        transaction_id: transactionId,
      });
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
      assert.equal((await refundRows(orderId)).length, 1);
    });

    it('Points checkout: a redirect that cannot be built leaves the session open (JSON and form)', async () => {
      await f.server.call(
        'POST',
        '/admin/points/customers',
        { phone_number: '0500000004', balance: 0 },
        201,
      );
      for (const asForm of [false, true]) {
        const path = await f.merchant.pointsCheckout({
          total_price: 20,
          order_number: `RB-${asForm}`,
          callback_url: 'https://shop.example/done',
        });
        const sessionId = path.split('/').pop()!;
        await f.store.rawExec(
          `UPDATE points_checkout_sessions SET callback_url = 'not a url'
           WHERE id = ${sql(sessionId)}`,
        );
        // The customer proves the phone first; only the payment itself meets the broken URL.
        const call = processCall(f.server);
        const sent = await call('POST', `${path}/code`, { phone_number: '0500000004' });
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
        const code = await outboxCode(processCall(f.server, true), path);
        const verified = await call('POST', `${path}/verify`, { code });
        assert.equal(verified.status, 200, JSON.stringify(verified.body));
        const token = String(verified.body.data.verification_token);
        const pay = { verification_token: token, redeem_points: '0' };
        const status = asForm
          ? (await postForm(f.server, path, pay)).status
          : (
              await f.server.http('POST', path, pay, {
                token: null,
                headers: { accept: 'application/json' },
              })
            ).status;
        assert.equal(status, 500);
        const [session] = await rows('points_checkout_sessions', (r) => r['id'] === sessionId);
        assert.equal(session!['status'], 'open', `${asForm ? 'form' : 'JSON'}: nothing changed`);
        assert.equal(session!['order_id'], null);
      }
    });

    it('reconciliation: a report declared over the limit is refused before a run is stored', async () => {
      const runs = (await f.store.rawRows('reconciliation_runs')).length;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(
          `${f.server.url}/admin/reconciliations?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&merchant_id=${f.merchant.id}&dialect=points`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${f.server.token}`,
              'content-type': 'text/csv',
              'content-length': String(2 * 1024 * 1024 * 1024 + 1),
            },
            timeout: 10_000,
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => {
              request.destroy();
              resolve({ status: response.statusCode ?? 0, body });
            });
          },
        );
        request.on('timeout', () => request.destroy(new Error('no answer before the body')));
        request.on('error', reject);
        request.write('order_reference,transaction_reference,type,amount,currency,settled_at\n');
      });
      assert.equal(answer.status, 413, answer.body);
      assert.equal(JSON.parse(answer.body).error.code, 'http.body_too_large');
      assert.equal((await f.store.rawRows('reconciliation_runs')).length, runs);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
