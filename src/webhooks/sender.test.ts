// Proves the sender's connection-time guard against a real receiver on 127.0.0.1: every literal
// notation of a local address is refused before a packet (the receiver counts zero requests,
// while the same URL does reach it when private delivery is allowed, so each refusal is real);
// a name resolving to a private address (an injected resolver, so no /etc/hosts is needed), or
// to a mix of public and private ones, is refused inside the socket's own lookup, which runs
// once per connection and hands the socket exactly the answer it checked; the connected
// socket's remote address is checked again before the first byte; and a 3xx is not followed.
import assert from 'node:assert/strict';
import type dns from 'node:dns';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Receiver, startReceiver } from '../../test/support/receiver.js';
import {
  guardedLookup,
  guardSocket,
  PrivateAddressRefused,
  type Resolver,
} from './address-guard.js';
import { createSender } from './sender.js';

const HEADERS = { 'content-type': 'application/json' };

/** A resolver that answers from a list, one answer per call, and counts its calls. */
function scriptedResolver(...answers: (readonly string[])[]) {
  const calls: string[] = [];
  const resolve: Resolver = async (hostname) => {
    calls.push(hostname);
    const answer = answers[Math.min(calls.length, answers.length) - 1]!;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, calls };
}

describe('webhook sender: connection-time guard', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  beforeEach(() => (receiver.requests as unknown[]).splice(0));

  it('refuses every notation of a local address before connecting; each one is reachable', async () => {
    const port = receiver.port;
    const urls = [
      `http://[::ffff:0.0.0.0]:${port}/h`,
      `http://[::ffff:127.0.0.1]:${port}/h`,
      `http://0.0.0.0:${port}/h`,
      `http://127.1:${port}/h`,
      `http://2130706433:${port}/h`,
      `http://0x7f000001:${port}/h`,
      `http://0177.0.0.1:${port}/h`,
      `http://0x7f.0.0.1:${port}/h`,
      `http://localhost:${port}/h`,
    ];
    const strict = createSender({ timeoutMs: 2_000, allowPrivate: false, excerptBytes: 1024 });
    const open = createSender({ timeoutMs: 2_000, allowPrivate: true, excerptBytes: 1024 });
    try {
      for (const url of urls) {
        const refused = await strict(url, HEADERS, '{}');
        assert.equal(refused.statusCode, null, url);
        assert.equal(refused.responseExcerpt, null, url);
        assert.match(
          refused.error ?? '',
          /^private address refused: .*\((.* )?(this-network|loopback), /,
          url,
        );
        assert.equal(receiver.requests.length, 0, `${url} reached the receiver`);
        // The refusal is what kept it out: allowed, the same URL is delivered.
        const delivered = await open(url, HEADERS, '{}');
        assert.equal(delivered.statusCode, 200, `${url}: ${delivered.error}`);
        assert.equal(receiver.requests.length, 1, url);
        (receiver.requests as unknown[]).splice(0);
      }
      // [::] is refused too (the receiver listens on IPv4 only, so it is not reachable here).
      const unspecified = await strict(`http://[::]:${port}/h`, HEADERS, '{}');
      assert.match(
        unspecified.error ?? '',
        /^private address refused: :: \(unspecified, ::\/128\)/,
      );
    } finally {
      strict.close();
      open.close();
    }
  });

  it('refuses a name resolving to a private address, or to public and private ones', async () => {
    for (const answer of [['127.0.0.1'], ['::ffff:7f00:1'], ['93.184.215.14', '10.0.0.1']]) {
      const { resolve, calls } = scriptedResolver(answer);
      const send = createSender({
        timeoutMs: 2_000,
        allowPrivate: false,
        excerptBytes: 1024,
        resolve,
      });
      try {
        const result = await send(`http://hooks.example.com:${receiver.port}/h`, HEADERS, '{}');
        assert.equal(result.statusCode, null);
        assert.match(
          result.error ?? '',
          /^private address refused: hooks\.example\.com resolves to /,
        );
        assert.deepEqual(calls, ['hooks.example.com'], 'one resolution for the one connection');
      } finally {
        send.close();
      }
    }
    assert.equal(receiver.requests.length, 0);
  });

  it('resolves once per connection and hands the socket exactly the answer it checked', async () => {
    // A rebinding name: public first, then loopback. Each lookup is judged on its own answer.
    const { resolve, calls } = scriptedResolver(['93.184.215.14'], ['127.0.0.1']);
    const lookup = guardedLookup(resolve);
    const once = (options: dns.LookupOptions) =>
      new Promise<{ error: Error | null; address: unknown }>((done) =>
        lookup('rebind.example', options, (error, address) => done({ error, address })),
      );
    assert.deepEqual(await once({ all: true }), {
      error: null,
      address: [{ address: '93.184.215.14', family: 4 }],
    });
    const second = await once({});
    assert.ok(second.error instanceof PrivateAddressRefused);
    assert.match(second.error.message, /rebind\.example resolves to 127\.0\.0\.1 \(loopback/);
    assert.equal(calls.length, 2);
  });

  it('checks the connected address again before the first byte is written', async () => {
    const request = http.request(`${receiver.url}/h`, { method: 'POST' });
    guardSocket(request);
    const error = await new Promise<Error>((resolve) => {
      request.on('error', resolve);
      request.on('response', () => resolve(new Error('answered')));
      request.end('{}');
    });
    assert.ok(error instanceof PrivateAddressRefused, error.message);
    assert.match(error.message, /^private address refused: connected to 127\.0\.0\.1 \(loopback/);
    assert.equal(receiver.requests.length, 0);
  });
});

describe('webhook sender: redirects', () => {
  let target: Receiver;
  const redirectors: Receiver[] = [];
  before(async () => {
    target = await startReceiver();
    for (const status of [301, 302, 303, 307, 308]) {
      redirectors.push(await startReceiver({ status, headers: { location: `${target.url}/r` } }));
    }
  });
  after(async () => {
    await Promise.all([target, ...redirectors].map((r) => r.close()));
  });

  it('records a 3xx as a failed attempt naming the Location, and never follows it', async () => {
    const send = createSender({ timeoutMs: 2_000, allowPrivate: true, excerptBytes: 1024 });
    try {
      for (const redirector of redirectors) {
        const result = await send(`${redirector.url}/h`, HEADERS, '{}');
        const code = result.statusCode!;
        assert.ok(code >= 301 && code <= 308, String(code));
        assert.equal(result.error, `redirect not followed (${code}, Location: ${target.url}/r)`);
        assert.equal(result.responseExcerpt, `receiver answered ${code}`);
        assert.equal(redirector.requests.length, 1);
      }
      assert.equal(target.requests.length, 0, 'no redirect target was ever asked');
    } finally {
      send.close();
    }
  });
});
