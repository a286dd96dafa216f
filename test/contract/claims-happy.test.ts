// Proves idempotency claims on both stores: a command replayed with its key answers the first
// outcome and writes once, even from ten concurrent callers; the key is refused for another
// request; stored HTTP answers replay, a held claim answers in progress until its lease expires
// and is then taken over, and expired claims are reaped.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { claimOnce, reapExpiredClaims } from '../../src/app/claims.js';
import { executeWithIdempotencyKey, merchantKeyScope } from '../../src/app/idempotency.js';
import { LIMITS } from '../../src/app/limits.js';
import { refundOrder } from '../../src/app/order-operations.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant, order, sums } = contract;

  it('replays a command with the same key and refuses the key for another request', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const cmd = {
      merchantId: m.id,
      actor: admin,
      orderId: o.id,
      amountMinor: 300,
      idempotencyKey: 'k-1',
    };
    const first = await execute(contract.deps, refundOrder(cmd));
    const second = await execute(contract.deps, refundOrder(cmd));
    assert.ok(first.ok && second.ok);
    assert.equal(first.value.replayed, false);
    assert.equal(second.value.replayed, true);
    assert.equal(second.value.order.refundedMinor, 300);
    assert.equal(second.value.event.id, first.value.event.id);
    const reused = await execute(contract.deps, refundOrder({ ...cmd, amountMinor: 301 }));
    assert.deepEqual(reused, { ok: false, error: { code: 'idempotency.key_reused' } });
    const rows = await contract.t.store.read((tx) => tx.listTransactions(o.id));
    assert.equal(rows.filter((r) => r.type === 'refund').length, 1);
  });

  it('ten concurrent commands with one key create one ledger row', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const cmd = {
      merchantId: m.id,
      actor: admin,
      orderId: o.id,
      amountMinor: 10,
      idempotencyKey: 'same',
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => execute(contract.deps, refundOrder(cmd))),
    );
    assert.ok(results.every((r) => r.ok));
    assert.equal(results.filter((r) => r.ok && !r.value.replayed).length, 1);
    const rows = await contract.t.store.read((tx) => tx.listTransactions(o.id));
    assert.equal(rows.filter((r) => r.type === 'refund').length, 1);
  });

  it('stores idempotent responses: replay, mismatch, in progress, takeover, expiry', async () => {
    const { merchant: m } = await merchant();
    const o = await order(m.id);
    const scope = merchantKeyScope('points', m.id);
    const request = { scope, key: 'http-1', fingerprint: 'fp-a' };
    const render = (r: { ok: boolean }) => ({
      status: r.ok ? 200 : 400,
      body: JSON.stringify(r),
    });
    const refund = refundOrder({
      merchantId: m.id,
      actor: admin,
      orderId: o.id,
      amountMinor: 100,
    });
    const first = await executeWithIdempotencyKey(contract.deps, request, refund, render);
    const second = await executeWithIdempotencyKey(contract.deps, request, refund, render);
    assert.equal(first.replayed, false);
    assert.equal(second.replayed, true);
    assert.equal(second.body, first.body);
    const mismatch = await executeWithIdempotencyKey(
      contract.deps,
      { ...request, fingerprint: 'fp-b' },
      refund,
      render,
    );
    assert.match(mismatch.body, /idempotency.key_reused/);
    assert.equal((await sums(o.id)).refunded, 100);

    // A request that died holding the lease: others get in_progress until the lease expires.
    const stuck = { scope, key: 'http-2', fingerprint: 'fp' };
    await contract.t.store.transaction((tx) =>
      tx.insertClaim({
        ...stuck,
        state: 'in_progress',
        leaseToken: 'dead',
        leaseExpiresAt: clock.now() + LIMITS.idempotencyLeaseMs,
        resultStatus: null,
        result: null,
        createdAt: clock.now(),
        expiresAt: clock.now() + LIMITS.idempotencyRetentionMs,
      }),
    );
    const busy = await executeWithIdempotencyKey(contract.deps, stuck, refund, render);
    assert.match(busy.body, /idempotency.in_progress/);
    clock.advance(LIMITS.idempotencyLeaseMs);
    const takeover = await executeWithIdempotencyKey(contract.deps, stuck, refund, render);
    assert.equal(takeover.status, 200);
    assert.equal((await sums(o.id)).refunded, 200);

    clock.advance(LIMITS.idempotencyRetentionMs);
    assert.ok((await reapExpiredClaims(contract.deps)) >= 2);
    assert.equal(
      (await contract.t.rawRows('claims')).filter((r) => r['scope'] === scope).length,
      0,
    );
  });

  it('one protocol: a completed claim takes over an expired lease; reapers keep live ones', async () => {
    const { merchant: m } = await merchant();
    const scope = `mpg-body-ids:${m.id}`;
    const claim = (key: string, fingerprint: string, start: Parameters<typeof claimOnce>[2]) =>
      contract.t.store.transaction((tx) =>
        claimOnce(tx, { scope, key, fingerprint }, start, { now: clock.now(), expiresAt: null }),
      );
    const lease = (token: string) => ({
      lease: { token, expiresAt: clock.now() + LIMITS.mpgRequestLeaseMs },
    });
    const completed = (orderId: string) => ({ result: { status: null, body: orderId } });
    assert.equal((await claim('order_id:a', 'fp', lease('dead'))).kind, 'claimed');
    assert.equal((await claim('order_id:b', 'fp', lease('live'))).kind, 'claimed');
    assert.equal((await claim('order_id:a', 'fp', completed('o-1'))).kind, 'held');
    assert.equal((await claim('order_id:a', 'other', completed('o-1'))).kind, 'reused');
    clock.advance(LIMITS.mpgRequestLeaseMs);
    assert.equal((await claim('order_id:a', 'fp', completed('o-1'))).kind, 'claimed');
    const again = await claim('order_id:a', 'fp', completed('o-2'));
    assert.deepEqual(again.kind === 'done' && [again.claim.state, again.claim.result], [
      'completed',
      'o-1',
    ]);

    // The header reaper leaves body ids (no expiry of their own); the retention reaper deletes
    // the completed one and leaves the one a live lease holds.
    clock.advance(LIMITS.idempotencyRetentionMs);
    assert.equal((await claim('order_id:b', 'fp', lease('late'))).kind, 'claimed');
    await reapExpiredClaims(contract.deps);
    const held = () => contract.t.store.read((tx) => tx.findClaim(scope, 'order_id:b'));
    assert.equal(
      (await contract.t.rawRows('claims')).filter((r) => r['scope'] === scope).length,
      2,
    );
    assert.equal(await reapExpiredClaims(contract.deps, 1), 1);
    assert.equal((await held())?.leaseToken, 'late');
  });
});
