// Proves over real sockets, against server processes with small limits set by the environment,
// that slow clients cannot hold the server: a client dripping its headers, or its body, a byte at
// a time is cut off with a 408 (UNWIND_HEADERS_TIMEOUT_MS, UNWIND_REQUEST_TIMEOUT_MS) while other
// clients are served; a slow settlement-report upload gets the longer UNWIND_UPLOAD_TIMEOUT_MS
// (it completes past the request timeout, and is cut off past its own); an idle keep-alive
// connection is closed (UNWIND_KEEP_ALIVE_TIMEOUT_MS); one address cannot hold more connections
// than UNWIND_MAX_CONNECTIONS_PER_ADDRESS (a trusted proxy may), the process no more than
// UNWIND_MAX_CONNECTIONS, and /healthz stays reachable from elsewhere. Nothing is timed: each
// test asserts that the cut-off happened (a drip lasts far longer than the limit it meets).
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, describe, it } from 'node:test';
import { closedByServer, probeConnection, requestFrom, slowClient } from '../support/raw-http.js';
import { E2E_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { serverPerSuite } from '../support/server-suite.js';
import { sqliteFactory } from '../support/stores.js';

/** Thirty seconds of drip at 100 ms a byte: far past every small limit below. */
const DRIP = 'a'.repeat(300);
const EVERY_MS = 100;
/** A report's query: its range and its scope, a merchant made for it on `server`. */
async function reportQuery(server: ServerProcess): Promise<string> {
  const merchant = await server.call('POST', '/admin/merchants', { name: 'Shop' }, 201);
  return `from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&merchant_id=${merchant.id}&dialect=points`;
}
const REPORT = 'order_reference,transaction_reference,type,amount,currency,settled_at\n';

const postHeaders = (path: string, contentType: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nHost: unwind\r\nAuthorization: Bearer ${E2E_ADMIN_TOKEN}\r\n` +
  `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`;

async function healthzFrom(server: ServerProcess, address: string): Promise<number> {
  return (await requestFrom(server.port, address, { method: 'GET', path: '/healthz' })).status;
}

describe('slow clients are cut off by the timeouts', () => {
  const running = serverPerSuite(sqliteFactory, {
    env: {
      UNWIND_HEADERS_TIMEOUT_MS: '1000',
      UNWIND_REQUEST_TIMEOUT_MS: '1000',
      UNWIND_UPLOAD_TIMEOUT_MS: '120000',
      UNWIND_KEEP_ALIVE_TIMEOUT_MS: '1000',
    },
    logLevel: 'warn',
  });

  it('cuts off a client that drips its headers, while another is served', async () => {
    const slow = slowClient(running.server.port, {
      localAddress: '127.0.20.1',
      preamble: 'GET /healthz HTTP/1.1\r\nHost: unwind\r\nX-Drip: ',
      drip: DRIP,
      everyMs: EVERY_MS,
    });
    await slow.connected;
    assert.equal(await healthzFrom(running.server, '127.0.20.2'), 200);
    const outcome = await slow.outcome;
    assert.ok(outcome.cutOff, `sent all ${outcome.bytesSent} bytes without being cut off`);
    assert.match(outcome.received, /^HTTP\/1\.1 408 /);
  });

  it('cuts off a client that drips its body, while another is served', async () => {
    const slow = slowClient(running.server.port, {
      localAddress: '127.0.20.3',
      preamble: postHeaders('/admin/merchants', 'application/json', DRIP.length),
      drip: DRIP,
      everyMs: EVERY_MS,
    });
    await slow.connected;
    assert.equal(await healthzFrom(running.server, '127.0.20.4'), 200);
    const outcome = await slow.outcome;
    assert.ok(outcome.cutOff, `sent all ${outcome.bytesSent} bytes without being cut off`);
    assert.match(outcome.received, /^HTTP\/1\.1 408 /);
    const merchants = await running.server.call('GET', '/admin/merchants', undefined, 200);
    assert.equal(merchants.data.length, 0, 'nothing was created from the cut-off body');
  });

  it('lets a settlement report upload take longer than the request timeout', async () => {
    // About 3.5 s of drip, past the 1 s request timeout, well within the upload timeout.
    const query = await reportQuery(running.server);
    const upload = slowClient(running.server.port, {
      localAddress: '127.0.20.5',
      preamble: postHeaders(`/admin/reconciliations?${query}`, 'text/csv', REPORT.length),
      drip: REPORT,
      everyMs: 50,
    });
    const outcome = await upload.outcome;
    assert.equal(outcome.cutOff, false, outcome.received);
    assert.match(outcome.received, /^HTTP\/1\.1 201 /);
  });

  it('closes a keep-alive connection left idle', async () => {
    const { alive, socket } = await probeConnection(running.server.port, '127.0.20.6');
    assert.ok(alive);
    // Node's old default (Fastify's 72 s) would keep it far longer than this bound.
    await closedByServer(socket, 30_000);
  });
});

describe('a slow settlement report upload is cut off by the upload timeout', () => {
  const running = serverPerSuite(sqliteFactory, {
    env: {
      UNWIND_REQUEST_TIMEOUT_MS: '500',
      UNWIND_UPLOAD_TIMEOUT_MS: '1500',
    },
    logLevel: 'warn',
  });

  it('answers 408 and closes the connection, and the run is stored as failed', async () => {
    const query = await reportQuery(running.server);
    const upload = slowClient(running.server.port, {
      localAddress: '127.0.21.1',
      // The header and a first row arrive at once (the run is stored), then the rest drips.
      preamble: `${postHeaders(`/admin/reconciliations?${query}`, 'text/csv', 10_000)}${REPORT}R-1,T-1,payment,10.00,SAR,2026-01-15T00:00:00Z\n`,
      drip: DRIP,
      everyMs: EVERY_MS,
    });
    const outcome = await upload.outcome;
    assert.ok(outcome.cutOff, `sent all ${outcome.bytesSent} bytes without being cut off`);
    assert.match(outcome.received, /^HTTP\/1\.1 408 /);
    // The handler records the failure after the connection is gone: wait until it has.
    const statuses = async (): Promise<string[]> =>
      (await running.server.call('GET', '/admin/reconciliations', undefined, 200)).data.map(
        (r: { status: string }) => r.status,
      );
    let seen = await statuses();
    for (let i = 0; i < 200 && seen.includes('processing'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await statuses();
    }
    assert.deepEqual(seen, ['failed']);
  });
});

describe('connections are capped per address and in all', () => {
  const running = serverPerSuite(sqliteFactory, {
    env: {
      UNWIND_HEADERS_TIMEOUT_MS: '600000',
      UNWIND_KEEP_ALIVE_TIMEOUT_MS: '600000',
      UNWIND_MAX_CONNECTIONS_PER_ADDRESS: '4',
      UNWIND_MAX_CONNECTIONS: '12',
      UNWIND_TRUSTED_PROXIES: '127.0.22.100',
    },
    logLevel: 'warn',
  });
  const held: { stop(): void }[] = [];
  const sockets: net.Socket[] = [];
  after(() => {
    for (const h of held) h.stop();
    for (const s of sockets) s.destroy();
  });

  const drip = (localAddress: string) => {
    const slow = slowClient(running.server.port, {
      localAddress,
      preamble: 'GET /healthz HTTP/1.1\r\nHost: unwind\r\nX-Drip: ',
      drip: DRIP,
      everyMs: 1000,
    });
    held.push(slow);
    return slow;
  };

  it('closes the connections of one address past its cap; /healthz answers others', async () => {
    const slow = Array.from({ length: 4 }, () => drip('127.0.22.1'));
    await Promise.all(slow.map((s) => s.connected));
    // Many more slow connections from the same address: each is closed at once.
    const extra = Array.from({ length: 20 }, () => drip('127.0.22.1'));
    const outcomes = await Promise.all(
      extra.map((s) =>
        Promise.race([
          s.outcome,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
        ]),
      ),
    );
    assert.ok(
      outcomes.every((o) => o !== null && o.cutOff && o.received === ''),
      'a connection past the cap was kept',
    );
    assert.equal(await healthzFrom(running.server, '127.0.22.2'), 200);
  });

  it('does not cap a trusted proxy per address', async () => {
    for (let i = 0; i < 6; i++) {
      const probe = await probeConnection(running.server.port, '127.0.22.100');
      sockets.push(probe.socket);
      assert.ok(probe.alive, `the proxy's connection ${i + 1} was closed`);
    }
  });

  it('closes connections past the total cap, and takes them again once some close', async () => {
    // 4 slow + 6 proxy connections are open: room for 2 more at most in the cap of 12.
    const probes = [];
    for (let i = 0; i < 4; i++) {
      const probe = await probeConnection(running.server.port, `127.0.22.${10 + i}`);
      sockets.push(probe.socket);
      probes.push(probe.alive);
    }
    assert.ok(probes.filter(Boolean).length <= 2, probes.join(','));
    assert.equal(probes.at(-1), false, 'the connection past the total cap was kept');
    for (const s of sockets.splice(0)) s.destroy();
    let served = false;
    for (let attempt = 0; attempt < 100 && !served; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const probe = await probeConnection(running.server.port, '127.0.22.20');
      sockets.push(probe.socket);
      served = probe.alive;
    }
    assert.ok(served, 'no connection was taken after others closed');
  });
});
