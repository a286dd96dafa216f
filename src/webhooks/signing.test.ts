// Proves that deliveries are signed the Standard Webhooks way and that the exported receiver
// helper accepts exactly the authentic ones: right secret, untouched body, fresh timestamp.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { sign, signatureHeader } from './signing.js';
import { verifyWebhook, WebhookVerificationError } from './verify.js';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const body = '{"type":"order.refunded","data":{"a":1}}';
const headers = (signature: string, timestamp = 1_700_000_000) => ({
  'webhook-id': 'msg_1',
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

describe('signing', () => {
  it('is HMAC-SHA256 of id.timestamp.body with the base64-decoded key', () => {
    const expected = crypto
      .createHmac('sha256', Buffer.from('0123456789abcdef0123456789abcdef'))
      .update(`msg_1.1700000000.${body}`)
      .digest('base64');
    assert.equal(sign(secret, 'msg_1', 1_700_000_000, body), `v1,${expected}`);
  });

  it('carries one signature per secret, space-separated', () => {
    const header = signatureHeader([secret, 'whsec_b2xk'], 'msg_1', 1_700_000_000, body);
    assert.equal(header.split(' ').length, 2);
    assert.ok(header.split(' ').every((s) => s.startsWith('v1,')));
  });
});

describe('verifyWebhook', () => {
  const now = { nowSeconds: 1_700_000_010 };
  const signed = signatureHeader([secret], 'msg_1', 1_700_000_000, body);

  it('returns the parsed body when authentic', () => {
    assert.deepEqual(verifyWebhook(secret, headers(signed), body, now), JSON.parse(body));
    assert.deepEqual(
      verifyWebhook(secret, headers(signed), Buffer.from(body), now),
      JSON.parse(body),
    );
  });

  it('accepts when any of several signatures matches (secret rotation)', () => {
    const both = signatureHeader(['whsec_b3RoZXI=', secret], 'msg_1', 1_700_000_000, body);
    assert.ok(verifyWebhook(secret, headers(both), body, now));
  });

  it('rejects a changed body, another secret, a stale or future timestamp, missing headers', () => {
    const reject = (fn: () => unknown) => assert.throws(fn, WebhookVerificationError);
    reject(() => verifyWebhook(secret, headers(signed), `${body} `, now));
    reject(() => verifyWebhook('whsec_b3RoZXI=', headers(signed), body, now));
    reject(() => verifyWebhook(secret, headers(signed), body, { nowSeconds: 1_700_000_301 }));
    reject(() => verifyWebhook(secret, headers(signed), body, { nowSeconds: 1_699_999_699 }));
    reject(() => verifyWebhook(secret, { 'webhook-id': 'msg_1' }, body, now));
    reject(() => verifyWebhook(secret, headers(signed, 1_700_000_001), body, now));
  });
});
