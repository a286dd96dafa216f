// Proves the merchant store's walls on both stores: credentials are kept only as hashes and short
// prefixes (and authenticate only for their own dialect and kind), a rotated key stops working at
// once, and another merchant's order is exactly like a missing one.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { authenticateKey, rotateCredentials, visiblePrefix } from '../../src/app/merchants.js';
import { refundOrder } from '../../src/app/order-operations.js';
import { hashSecret } from '../../src/app/secrets.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { merchant, order } = contract;

  it('stores no plaintext secret: only hashes and short prefixes', async () => {
    const m = await merchant();
    const secrets = [
      m.credentials.points!.api_key!,
      m.credentials.points!.public_key!,
      m.credentials.backd!.public_key!,
      m.credentials.backd!.secret_key!,
      m.credentials.mpg!.api_key!,
    ];
    const raw = JSON.stringify(await contract.t.rawRows('credentials'));
    for (const secret of secrets) {
      assert.ok(!raw.includes(secret), 'plaintext secret found in the credentials table');
      assert.ok(raw.includes(hashSecret(secret)), 'hash of the secret is stored');
      // What follows the visible prefix must not appear (the random part is base64url, so it
      // may itself contain '_' and cannot be found by searching for the tag's underscore).
      const hiddenPart = secret.slice(visiblePrefix(secret).length);
      assert.ok(hiddenPart.length >= 32 && !raw.includes(hiddenPart.slice(0, 16)));
    }
    const auth = await authenticateKey(
      contract.deps,
      'points',
      'api_key',
      m.credentials.points!.api_key!,
    );
    assert.equal(auth?.merchant.id, m.merchant.id);
    assert.equal(await authenticateKey(contract.deps, 'mpg', 'api_key', secrets[0]!), null);
    assert.equal(await authenticateKey(contract.deps, 'points', 'api_key', `${secrets[0]}x`), null);
  });

  it('rotating credentials revokes the old key at once', async () => {
    const m = await merchant();
    const old = m.credentials.mpg!.api_key!;
    const rotated = await execute(contract.deps, rotateCredentials(m.merchant.id, 'mpg'));
    assert.ok(rotated.ok);
    assert.equal(await authenticateKey(contract.deps, 'mpg', 'api_key', old), null);
    const fresh = await authenticateKey(
      contract.deps,
      'mpg',
      'api_key',
      rotated.value.mpg!.api_key!,
    );
    assert.equal(fresh?.merchant.id, m.merchant.id);
    // The other dialects' keys still work.
    const points = await authenticateKey(
      contract.deps,
      'points',
      'api_key',
      m.credentials.points!.api_key!,
    );
    assert.equal(points?.merchant.id, m.merchant.id);
  });

  it("treats another merchant's order exactly like a missing one", async () => {
    const a = await merchant('A');
    const b = await merchant('B');
    const o = await order(a.merchant.id);
    const r = await execute(
      contract.deps,
      refundOrder({ merchantId: b.merchant.id, actor: admin, orderId: o.id, amountMinor: 1 }),
    );
    assert.deepEqual(r, { ok: false, error: { code: 'order.not_found' } });
    const missing = await execute(
      contract.deps,
      refundOrder({
        merchantId: b.merchant.id,
        actor: admin,
        orderId: contract.deps.newId(),
        amountMinor: 1,
      }),
    );
    assert.deepEqual(missing, r);
  });
});
