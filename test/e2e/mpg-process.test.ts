// Proves, with compiled `unwind serve` child processes, that no full card number reaches the
// database or the logs (debug level, accepted, declined and refused requests, grepped in every
// table and every log line), and that one transaction_id sent concurrently to two server
// processes sharing one database creates exactly one transaction.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const CARDS = ['4242424242424242', '4000000000009995', '5555555555554444'];
const TABLES = [
  'orders',
  'transactions',
  'events',
  'deliveries',
  'claims',
  'mpg_orders',
  'mpg_transactions',
];

const order = (number: string, extra: Record<string, unknown> = {}) => ({
  amount: 10000,
  currency: 'SAR',
  description: 'Process test',
  source: { type: 'card', number, month: 12, year: 2035, security_code: '123' },
  device: { user_agent: 'test', ip_address: '192.0.2.1' },
  ...extra,
});

function suite(factory: StoreFactory, skip?: string) {
  describe(`MPG across processes: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let a: ServerProcess;
    let b: ServerProcess;
    let key: string;

    before(async () => {
      store = await factory.create();
      [a, b] = await Promise.all([
        startServer({ env: store.env, logLevel: 'debug' }),
        startServer({ env: store.env, logLevel: 'debug' }),
      ]);
      const merchant = await a.http('POST', '/admin/merchants', { name: 'Process Shop' });
      assert.equal(merchant.status, 201);
      key = merchant.body.credentials.mpg.api_key;
    });
    after(async () => {
      await killAllServers();
      await store?.cleanup();
    });

    const mpg = (server: ServerProcess, path: string, body: unknown) =>
      server.http('POST', `/mpg${path}`, body, { token: key });

    it('keeps full card numbers out of every table and every log line', async () => {
      const approved = await mpg(a, '/v1/orders/purchase', order(CARDS[0]!));
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      const declined = await mpg(b, '/v1/orders/authorize', order(CARDS[1]!));
      assert.equal(declined.body.transactions[0].status, 'failed');
      const refused = await mpg(a, '/v1/orders/purchase', order(CARDS[2]!, { amount: 1.5 }));
      assert.equal(refused.status, 422);
      const broken = await a.http('POST', '/mpg/v1/orders/purchase', undefined, {
        token: key,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(broken.status, 400);
      for (const table of TABLES) {
        const raw = JSON.stringify(await store.rawRows(table));
        for (const card of CARDS) assert.ok(!raw.includes(card), `${card} in ${table}`);
      }
      // The children's log lines reach this process through pipes, possibly after the answers:
      // wait until each has logged every request it answered (a: the merchant and three
      // purchases; b: one authorize), so no line is checked before it arrives.
      const completed = (s: ServerProcess) =>
        s.logs().filter((l) => l['msg'] === 'request completed').length;
      await a.waitFor('a logging its 4 requests', () => completed(a) >= 4);
      await b.waitFor('b logging its request', () => completed(b) >= 1);
      const logs = a.stdout + a.stderr + b.stdout + b.stderr;
      assert.ok(logs.includes('/mpg/v1/orders/purchase'), 'request logs were written');
      for (const card of CARDS) assert.ok(!logs.includes(card), `${card} in the logs`);
    });

    it('one transaction_id sent to two processes at once creates one transaction', async () => {
      const created = await mpg(a, '/v1/orders/authorize', order(CARDS[0]!));
      const orderId = created.body.id as string;
      const body = { amount: 2500, transaction_id: crypto.randomUUID() };
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          mpg(i % 2 ? a : b, `/v1/orders/${orderId}/capture`, body),
        ),
      );
      for (const answer of answers) {
        if (answer.status === 200) assert.equal(answer.body.captured_amount, 2500);
        else
          assert.deepEqual(
            [answer.status, answer.body],
            [400, { message: 'Initial request is still processing.' }],
          );
      }
      const rows = (await store.rawRows('transactions')).filter((r) => r['order_id'] === orderId);
      assert.deepEqual(rows.map((r) => r['type']).sort(), ['authorize', 'capture']);
      const shown = await a.http('GET', `/mpg/v1/orders/${orderId}`, undefined, { token: key });
      assert.equal(shown.body.captured_amount, 2500);
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
