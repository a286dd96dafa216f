// Proves a settlement report posted to a real `unwind serve` over a real socket is answered. The
// in-process suites inject requests, whose body stream is small; a real request's body is an
// IncomingMessage, and the NUL-character check once walked its socket and server 32 levels deep
// and blocked the event loop for good (found by the dashboard's browser tests).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import { sqliteFactory, type TestStore } from '../support/stores.js';

const REPORT =
  'order_reference,transaction_reference,type,amount,currency,settled_at\n' +
  'ORD-404,T-1,payment,50.00,SAR,2026-11-23T18:00:00Z\n';

describe('reconciliation over a real socket', () => {
  let store: TestStore;
  let server: ServerProcess;
  before(async () => {
    store = await sqliteFactory.create();
    server = await startServer({ env: store.env, logLevel: 'warn' });
  });
  after(async () => {
    await server?.stop().catch(() => undefined);
    await killAllServers();
    await store?.cleanup();
  });

  it('answers a streamed CSV report, and the server stays responsive', async () => {
    const merchant = await server.call('POST', '/admin/merchants', { name: 'Socket Shop' }, 201);
    const response = await fetch(
      `${server.url}/admin/reconciliations?merchant_id=${merchant.id}&dialect=points` +
        '&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
        body: REPORT,
        signal: AbortSignal.timeout(5000),
      },
    );
    assert.equal(response.status, 201, await response.clone().text());
    const run = (await response.json()) as { status: string; summary: Record<string, number> };
    assert.equal(run.status, 'completed');
    assert.equal(run.summary['rows'], 1);
    assert.equal(run.summary['unknown_order'], 1);
    const health = await server.http('GET', '/healthz', undefined, { timeoutMs: 2000 });
    assert.equal(health.status, 200);
  });

  it('still refuses a NUL character inside a JSON body', async () => {
    const res = await server.http('POST', '/admin/merchants', { name: 'Nul\u0000Shop' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.issues[0].path, 'name');
  });
});
