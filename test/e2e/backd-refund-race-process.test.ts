// Proves the one-active-refund-request guarantee across processes: two compiled `unwind serve`
// children share one database (one PostgreSQL schema; one SQLite file), fifty POST /refund on one
// order race through both, and afterwards exactly one request is active, every other one was
// declined by the one that replaced it, and no submission failed. The PostgreSQL run is the
// scale-out case the issue asks for; it skips loudly when no server answers.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';
import { basic, createBody } from '../support/backd.js';

const SUBMISSIONS = 50;

function suite(factory: StoreFactory, skip?: string) {
  describe(`Backd refund race across two processes on ${factory.engine}`, { skip }, () => {
    let store: TestStore | undefined;
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    it(`${SUBMISSIONS} concurrent submissions through two servers leave exactly one active`, async () => {
      store = await factory.create();
      const env = { ...store.env, UNWIND_WORKERS: '0' };
      const servers: ServerProcess[] = await Promise.all([
        startServer({ env, logLevel: 'warn' }),
        startServer({ env, logLevel: 'warn' }),
      ]);
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const merchant = await a.http('POST', '/admin/merchants', { name: 'Race', currency: 'USD' });
      assert.equal(merchant.status, 201, JSON.stringify(merchant.body));
      const keys = merchant.body.credentials.backd as { public_key: string; secret_key: string };
      const auth = {
        token: null,
        headers: { authorization: basic(keys.public_key, keys.secret_key) },
      };

      const created = await a.http('POST', '/backd/create_order', createBody(), auth);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const backdOrderId = created.body.data.backd_order_id as string;
      const token = String(created.body.data.customer_url).split('/').pop()!;
      const terms = await b.http(
        'POST',
        `/backd/checkout/${token}`,
        { terms: 'net30' },
        {
          token: null,
          headers: { accept: 'application/json' },
        },
      );
      assert.equal(terms.status, 200, JSON.stringify(terms.body));
      const ref = { backd_order_id: backdOrderId, merchant_order_id: 'JKLMO4321' };
      assert.equal((await a.http('POST', '/backd/order_placed', ref, auth)).status, 200);
      assert.equal((await b.http('POST', '/backd/confirm_order', ref, auth)).status, 200);

      const results = await Promise.all(
        Array.from({ length: SUBMISSIONS }, (_, i) =>
          (i % 2 === 0 ? a : b).http(
            'POST',
            '/backd/refund',
            { ...ref, refund_amount: i + 1 },
            auth,
          ),
        ),
      );
      // No lock had come yet, so every submission replaced its predecessor and succeeded.
      assert.deepEqual(
        results.map((r) => r.status).filter((s) => s !== 200),
        [],
        JSON.stringify(results.find((r) => r.status !== 200)?.body),
      );

      const rows = await store.rawRows('backd_refund_requests');
      assert.equal(rows.length, SUBMISSIONS);
      const active = rows.filter((r) => r['status'] === 'draft' || r['status'] === 'approved');
      assert.equal(active.length, 1);
      const declined = rows.filter((r) => r['status'] === 'declined');
      assert.equal(declined.length, SUBMISSIONS - 1);
      // The replacements form one chain: each request but the last was replaced by another one.
      const ids = new Set(rows.map((r) => r['id']));
      const replacers = new Set(declined.map((r) => r['replaced_by']));
      assert.equal(replacers.size, SUBMISSIONS - 1);
      for (const r of declined) {
        assert.equal(r['decline_reason'], 'replaced');
        assert.ok(ids.has(r['replaced_by']));
      }
      assert.ok(replacers.has(active[0]!['id']));

      const found = await b.http('GET', `/backd/find_order/${backdOrderId}`, undefined, auth);
      assert.equal(found.status, 200);
      const statuses = (found.body.data.refunds as { status: string }[]).map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 'draft').length, 1);
      assert.equal(statuses.length, SUBMISSIONS);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
