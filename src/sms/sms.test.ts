// Proves the two SMS senders against real sockets: the HTTP gateway sender posts the documented
// JSON with the bearer token to a local receiver and reports a 2xx as sent; a non-2xx answer, a
// redirect (never followed: its target gets nothing), a receiver that never answers (the timeout)
// and a refused connection are failures whose reason holds neither the code, the token nor the
// phone. The development outbox keeps the newest messages first, filters by phone and session,
// and drops the oldest beyond its capacity.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { startReceiver } from '../../test/support/receiver.js';
import type { SmsMessage } from '../app/ports/sms.js';
import { DevSmsOutbox } from './dev-outbox.js';
import { createHttpSmsSender } from './http-sender.js';

const TOKEN = 'sms-gateway-token-abc123';
const message = (over: Partial<SmsMessage> = {}): SmsMessage => ({
  phone: '512345678',
  text: 'Points checkout code: 424242.',
  code: '424242',
  expiresAt: Date.UTC(2026, 0, 1, 12, 5),
  sessionId: 'session-1',
  sentAt: Date.UTC(2026, 0, 1, 12, 0),
  ...over,
});

const secretFree = (reason: string) =>
  assert.ok(!/424242|sms-gateway-token|512345678/.test(reason), `reason leaks: ${reason}`);

describe('HTTP gateway sender', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('posts the documented JSON with the bearer token; a 2xx is sent', async () => {
    const receiver = await startReceiver({ status: 202 });
    closers.push(() => receiver.close());
    const sender = createHttpSmsSender({
      url: `${receiver.url}/sms`,
      token: TOKEN,
      timeoutMs: 5000,
    });
    assert.deepEqual(await sender.send(message()), { ok: true });
    const [request] = receiver.requestsTo('/sms');
    assert.equal(request?.method, 'POST');
    assert.equal(request?.headers['authorization'], `Bearer ${TOKEN}`);
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request!.body), {
      to: '+966512345678',
      text: 'Points checkout code: 424242.',
      code: '424242',
      expires_at: '2026-01-01T12:05:00.000Z',
    });
  });

  it('reports a non-2xx answer as a failure without secrets', async () => {
    const receiver = await startReceiver({ status: 500 });
    closers.push(() => receiver.close());
    const sender = createHttpSmsSender({ url: receiver.url, token: TOKEN, timeoutMs: 5000 });
    const outcome = await sender.send(message());
    assert.deepEqual(outcome, { ok: false, reason: 'gateway answered HTTP 500' });
  });

  it('never follows a redirect: a failure, and its target receives nothing', async () => {
    const target = await startReceiver();
    closers.push(() => target.close());
    const redirecting = http.createServer((_request, response) => {
      response.writeHead(307, { location: `${target.url}/stolen` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => redirecting.close(() => resolve())));
    const port = (redirecting.address() as AddressInfo).port;
    const sender = createHttpSmsSender({
      url: `http://127.0.0.1:${port}/sms`,
      token: TOKEN,
      timeoutMs: 5000,
    });
    const outcome = await sender.send(message());
    assert.deepEqual(outcome, { ok: false, reason: 'gateway answered HTTP 307' });
    assert.equal(target.requests.length, 0);
  });

  it('gives up after its timeout on a gateway that never answers', async () => {
    const receiver = await startReceiver({ status: 'hang' });
    closers.push(() => receiver.close());
    const sender = createHttpSmsSender({ url: receiver.url, token: TOKEN, timeoutMs: 150 });
    const outcome = await sender.send(message());
    assert.deepEqual(outcome, { ok: false, reason: 'timeout' });
    assert.equal(receiver.requests.length, 1);
  });

  it('reports a refused connection as a network error', async () => {
    const receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    const outcome = await createHttpSmsSender({ url, token: TOKEN, timeoutMs: 5000 }).send(
      message(),
    );
    assert.equal(outcome.ok, false);
    if (!outcome.ok) secretFree(outcome.reason);
  });
});

describe('development outbox', () => {
  it('lists the newest first, filtered by phone and session, and keeps at most its capacity', async () => {
    const outbox = new DevSmsOutbox(3);
    await outbox.send(message({ code: '000001', sessionId: 'a' }));
    await outbox.send(message({ code: '000002', sessionId: 'b', phone: '598765432' }));
    await outbox.send(message({ code: '000003', sessionId: 'a' }));
    assert.deepEqual(
      outbox.latest({}, 10).map((m) => m.code),
      ['000003', '000002', '000001'],
    );
    assert.deepEqual(
      outbox.latest({ phone: '512345678' }, 10).map((m) => m.code),
      ['000003', '000001'],
    );
    assert.deepEqual(
      outbox.latest({ sessionId: 'b', phone: '598765432' }, 10).map((m) => m.code),
      ['000002'],
    );
    assert.deepEqual(
      outbox.latest({ sessionId: 'a' }, 1).map((m) => m.code),
      ['000003'],
    );
    await outbox.send(message({ code: '000004' }));
    assert.deepEqual(
      outbox.latest({}, 10).map((m) => m.code),
      ['000004', '000003', '000002'],
    );
  });
});
