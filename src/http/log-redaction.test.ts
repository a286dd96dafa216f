// Proves the log redaction rules: a route's secret path parameters become `[redacted]` wherever
// the path appears in a line (also followed by more path, inside a message or a stack), other
// parameters and the route's shape stay, every query value is redacted; errors lose the raw
// request bytes and PostgreSQL's row values; and every route of the real server whose parameter
// is named like a credential declares it secret, so a new one cannot be forgotten.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { sqliteFactory } from '../../test/support/stores.js';
import { DIALECT_MODULES } from './dialects/registry.js';
import { loggerOptions, SecretPaths } from './log-redaction.js';

describe('SecretPaths', () => {
  const paths = new SecretPaths();
  paths.add('/backd/checkout/:token', ['token']);
  paths.add('/shop/:shopId/keys/:key', ['key']);

  it('redacts the secret segment, keeping the shape and the rest of the line', () => {
    const line = '{"req":{"url":"/backd/checkout/abc-DEF_123"},"msg":"incoming request"}';
    assert.equal(
      paths.redact(line),
      '{"req":{"url":"/backd/checkout/[redacted]"},"msg":"incoming request"}',
    );
    assert.equal(
      paths.redact('GET /backd/checkout/abc%2Fdef/more'),
      'GET /backd/checkout/[redacted]/more',
    );
    assert.equal(
      paths.redact(
        'Reply was already sent in the "/backd/checkout/t0k3n" route; and /backd/checkout/x2',
      ),
      'Reply was already sent in the "/backd/checkout/[redacted]" route; and /backd/checkout/[redacted]',
    );
  });

  it('keeps parameters that are not secret', () => {
    assert.equal(paths.redact('/shop/s-1/keys/k-secret'), '/shop/s-1/keys/[redacted]');
    assert.equal(paths.redact('/shop/s-1/other'), '/shop/s-1/other');
  });

  it('redacts every query-string value, keeping the names', () => {
    assert.equal(
      paths.redact('"url":"/points/pay/x?phone_number=0500000001&redeem=5#frag"'),
      '"url":"/points/pay/x?phone_number=[redacted]&redeem=[redacted]#frag"',
    );
    assert.equal(paths.redact('/admin/events?limit=50'), '/admin/events?limit=[redacted]');
    assert.equal(paths.redact('no query here = fine'), 'no query here = fine');
  });

  it('refuses a declaration naming no parameter of the route', () => {
    assert.throws(() => new SecretPaths().add('/a/:id', ['token']), /no parameter named token/);
  });
});

describe('loggerOptions', () => {
  // The dialects' headers as the server passes them: Points' x-api-key is declared by Points.
  const options = loggerOptions(
    'info',
    new SecretPaths(),
    DIALECT_MODULES.flatMap((d) => d.secretHeaders),
  );

  it('writes errors without raw request bytes or PostgreSQL row values', () => {
    const parseError = Object.assign(new Error('Parse Error: Invalid header value char'), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from('GET / HTTP/1.1\r\nAuthorization: Bearer secret\r\n'),
    });
    const written = options.serializers.err(parseError);
    assert.equal('rawPacket' in written, false);
    assert.equal(written.message, 'Parse Error: Invalid header value char');
    assert.equal(written['code'], 'HPE_INVALID_HEADER_TOKEN');

    const check = Object.assign(new Error('new row violates check constraint'), {
      detail: 'Failing row contains (id-1, whsec_secret, https://x.example).',
    });
    assert.equal(options.serializers.err(check)['detail'], 'Failing row contains [redacted]');
    const unique = Object.assign(new Error('duplicate key'), {
      detail: 'Key (merchant_id, reference)=(m-1, secret-ref) already exists.',
    });
    assert.equal(
      options.serializers.err(unique)['detail'],
      'Key (merchant_id, reference)=([redacted]) already exists.',
    );
  });

  it('redacts credential headers wherever a request is logged', () => {
    for (const header of ['authorization', 'x-api-key', 'cookie', 'x-csrf-token']) {
      assert.ok(options.redact.paths.includes(`req.headers["${header}"]`), header);
    }
  });
});

describe('routes that carry secrets in their path', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(sqliteFactory);
  });
  after(async () => t?.close());

  it('declare every parameter named like a credential secret', () => {
    const credentialLike = /^(token|.*key|session|secret.*|password)$/i;
    const undeclared = t.app.unwindRoutes.flatMap((route) =>
      [...route.url.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)]
        .map((m) => m[1]!)
        .filter((name) => credentialLike.test(name) && !route.secretParams.includes(name))
        .map((name) => `${route.method} ${route.url} (${name})`),
    );
    assert.deepEqual(undeclared, []);
    const declared = new Set(
      t.app.unwindRoutes.filter((r) => r.secretParams.length > 0).map((r) => r.url),
    );
    assert.deepEqual([...declared].sort(), [
      '/backd/checkout/:token',
      '/points/api/v1/orders/checkout/:publicKey',
      '/points/pay/:session',
      '/points/pay/:session/cancel',
      '/points/pay/:session/code',
      '/points/pay/:session/verify',
    ]);
  });
});
