// Proves graceful shutdown of the real process: with requests accepted and still running (some
// held open mid-body by the test, so they are certainly in flight), SIGTERM or SIGINT makes the
// server refuse new connections, finish every accepted request with a 2xx, exit with code 0, and
// keep every acknowledged order for the next start.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

const HELD = 8;
const RACING = 20;

interface Answer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/**
 * A POST whose body is sent all but its last byte: the server has accepted the request and waits
 * for the rest, so it is in flight until `release()`.
 */
function heldPost(
  server: ServerProcess,
  path: string,
  body: unknown,
  requestId: string,
  agent: http.Agent | false = false,
) {
  const payload = Buffer.from(JSON.stringify(body));
  const request = http.request({
    host: '127.0.0.1',
    port: server.port,
    path,
    method: 'POST',
    // Without an agent the request says "Connection: close"; a keep-alive agent keeps it open.
    agent,
    headers: {
      authorization: `Bearer ${server.token}`,
      'content-type': 'application/json',
      'content-length': payload.length,
      'x-request-id': requestId,
    },
  });
  const response = new Promise<Answer>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('error', reject);
      res.once('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
  });
  // Observed, so a rejection before the test awaits it is not "unhandled".
  response.catch(() => undefined);
  request.write(payload.subarray(0, payload.length - 1));
  return {
    requestId,
    response,
    release: () => request.end(payload.subarray(payload.length - 1)),
  };
}

/** A whole POST on a connection of its own. */
function post(server: ServerProcess, path: string, body: unknown, requestId: string) {
  const p = heldPost(server, path, body, requestId);
  p.release();
  return p.response;
}

/** Resolves with the connect error code, or "connected" when the port accepted. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Polls until a connection is refused; returns the last outcome seen. */
async function waitUntilRefused(port: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let outcome = await tryConnect(port);
  while (outcome !== 'ECONNREFUSED' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    outcome = await tryConnect(port);
  }
  return outcome;
}

function defineShutdownSuite(factory: StoreFactory, skip: string | undefined): void {
  describe(`graceful shutdown: ${factory.engine}`, () => {
    let t: TestStore;
    // Skipped per test rather than per suite, so both engines report the same test count.
    before(async () => {
      if (!skip) t = await factory.create();
    });
    after(async () => {
      await killAllServers();
      await t?.cleanup();
    });

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(
        `${signal}: refuses new connections, answers every accepted request with 2xx, exits 0`,
        { skip },
        async (test) => {
          const server = await startServer({ env: t.env });
          const merchant = await server.http('POST', '/admin/merchants', {
            name: `Drain ${signal}`,
          });
          assert.equal(merchant.status, 201);
          const orderBody = (i: number) => ({
            merchant_id: merchant.body.id,
            amount_minor: 1_000 + i,
            capture: 'purchase',
          });

          const held = Array.from({ length: HELD }, (_, i) =>
            heldPost(server, '/admin/orders', orderBody(i), `held-${signal}-${i}`),
          );
          const racingIds = Array.from({ length: RACING }, (_, i) => `race-${signal}-${i}`);
          const racing = racingIds.map((id, i) =>
            post(server, '/admin/orders', orderBody(100 + i), id).then(
              (answer) => ({ id, answer, error: null }),
              (error: unknown) => ({ id, answer: null, error }),
            ),
          );
          // Signal only once the server has accepted (logged) every request, so each must succeed.
          const expected = [...held.map((h) => h.requestId), ...racingIds];
          await server.waitFor('every request to be accepted', () => {
            const accepted = server.acceptedRequestIds();
            return expected.every((id) => accepted.has(id));
          });
          const completedBefore = server
            .logs()
            .filter(
              (l) => l['msg'] === 'request completed' && String(l['reqId']).startsWith('race-'),
            ).length;
          server.kill(signal);
          await server.waitForLog('shutting down');

          // The held requests keep the process draining; meanwhile the port refuses connections.
          const probe = await waitUntilRefused(server.port, 5_000);
          assert.equal(probe, 'ECONNREFUSED', `a new connection after ${signal}${server.tail()}`);
          assert.equal(
            server.exitedWith,
            null,
            `the server quit with requests in flight${server.tail()}`,
          );

          for (const h of held) h.release();
          const heldAnswers = await Promise.all(held.map((h) => h.response));
          const racingAnswers = await Promise.all(racing);
          const errorLogs = () =>
            JSON.stringify(
              server.logs().filter((l) => Number(l['level']) >= 50),
              null,
              2,
            );
          const acknowledged: { id: string; amount: number }[] = [];
          heldAnswers.forEach((answer, i) => {
            assert.equal(
              answer.status,
              201,
              `held ${i}: ${JSON.stringify(answer.body)}${errorLogs()}`,
            );
            acknowledged.push({ id: answer.body.id, amount: 1_000 + i });
          });
          racingAnswers.forEach(({ id, answer, error }, i) => {
            assert.equal(error, null, `${id} failed: ${String(error)}`);
            assert.equal(
              answer?.status,
              201,
              `${id}: ${JSON.stringify(answer?.body)}${errorLogs()}`,
            );
            acknowledged.push({ id: answer!.body.id, amount: 1_100 + i });
          });

          // Well within LIMITS.shutdownGraceMs: nothing was cut off by the force-close timer.
          const status = await server.waitForExit(5_000);
          assert.deepEqual(status, { code: 0, signal: null }, server.tail());
          const errors = server.logs().filter((l) => Number(l['level']) >= 50);
          assert.deepEqual(errors, [], 'error logs during shutdown');
          test.diagnostic(
            `${RACING - completedBefore} of ${RACING} racing and ${HELD} held requests in flight at ${signal}`,
          );

          const again = await startServer({ env: t.env, logLevel: 'warn' });
          try {
            for (const { id, amount } of acknowledged) {
              const got = await again.http('GET', `/admin/orders/${id}`);
              assert.equal(got.status, 200, `order ${id} acknowledged before ${signal} is lost`);
              assert.equal(got.body.captured_minor, amount);
            }
            const stored = await t.store.read((tx) =>
              tx.listOrders({ merchantId: merchant.body.id, limit: 1_000 }),
            );
            assert.equal(stored.length, HELD + RACING);
          } finally {
            assert.deepEqual(await again.stop('SIGTERM'), { code: 0, signal: null }, again.tail());
          }
        },
      );
    }
  });
}

// Regression: a keep-alive connection whose request finishes during the drain used to stay open
// until the 10 s grace period ended; answers during shutdown now carry "Connection: close".
describe('graceful shutdown: keep-alive client', () => {
  let t: TestStore;
  before(async () => {
    t = await sqliteFactory.create();
  });
  after(async () => {
    await killAllServers();
    await t?.cleanup();
  });

  it('exits promptly once the last in-flight keep-alive request is answered', async () => {
    const server = await startServer({ env: t.env });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const held = heldPost(server, '/admin/merchants', { name: 'Keep' }, 'keep-alive-1', agent);
      await server.waitFor('the request to be accepted', () =>
        server.acceptedRequestIds().has('keep-alive-1'),
      );
      server.kill('SIGTERM');
      await server.waitForLog('shutting down');
      held.release();
      const answer = await held.response;
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      // The client keeps its connection, as HTTP clients and proxies do; the server must not wait.
      const status = await server.waitForExit(3_000);
      assert.deepEqual(status, { code: 0, signal: null }, server.tail());
    } finally {
      agent.destroy();
    }
  });
});

defineShutdownSuite(sqliteFactory, undefined);
defineShutdownSuite(postgresFactory, await postgresSkipReason());
