// Proves the webhook store's reads on both stores: endpoint health (attempts in a window, the
// latest failure, the backlog now, attempts per day), deliveries listed in either direction with
// cursors, and the attempts of many deliveries (and Backd refund requests of many orders) read in
// one query exactly as one by one.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { createWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import type { RefundRequest } from '../../src/domain/refund-request.js';
import type { Delivery } from '../../src/domain/webhooks.js';
import { storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant, order, expectWalksBothWays } = contract;

  it('computes webhook health: attempts in a window, the latest failure, the backlog now', async () => {
    const { merchant: m } = await merchant('Health');
    const { merchant: other } = await merchant('Health elsewhere');
    const orders = [await order(m.id), await order(m.id), await order(m.id), await order(other.id)];
    const events = await Promise.all(
      orders.map(
        async (o) =>
          (await contract.t.store.read((tx) => tx.listEvents({ orderId: o.id, limit: 1 })))[0]!,
      ),
    );
    const endpoint = async (merchantId: string, url: string) => {
      const r = await execute(
        contract.deps,
        createWebhookEndpoint({ merchantId, url, name: null }),
      );
      assert.ok(r.ok);
      return r.value;
    };
    const busy = await endpoint(m.id, 'https://example.com/busy');
    const quiet = await endpoint(m.id, 'https://example.com/quiet');
    const elsewhere = await endpoint(other.id, 'https://example.com/elsewhere');
    const now = clock.now();
    const H = 3_600_000;
    const delivery = (i: number, endpointId: string, status: Delivery['status']): Delivery => ({
      id: `dl-${now}-${i}`,
      eventId: events[i]!.id,
      endpointId,
      merchantId: events[i]!.merchantId,
      orderId: events[i]!.orderId,
      eventType: events[i]!.type,
      status,
      attemptCount: 0,
      policyAttempts: 0,
      nextAttemptAt: status === 'pending' ? now + H : null,
      lastStatusCode: null,
      lastError: null,
      createdAt: now - 40 * H,
      updatedAt: now,
      deliveredAt: status === 'delivered' ? now - H : null,
    });
    const deliveries = [
      delivery(0, busy.id, 'delivered'),
      delivery(1, busy.id, 'dead'),
      delivery(2, busy.id, 'pending'),
      delivery(3, elsewhere.id, 'pending'),
    ];
    const attempts: [number, number, number | null, string | null][] = [
      // [delivery, started at, status code, error]
      [0, now - 2 * H, 500, null],
      [0, now - H, 200, null],
      [1, now - 30 * H, null, 'timeout'],
      [1, now - 3 * H, 500, null],
      [2, now - 10 * 60_000, 503, null],
      [3, now - H, 200, null],
    ];
    await contract.t.store.transaction(async (tx) => {
      for (const d of deliveries) await tx.insertDelivery(d);
      let n = 0;
      for (const [i, startedAt, statusCode, error] of attempts) {
        n += 1;
        await tx.insertDeliveryAttempt({
          id: `at-${now}-${n}`,
          deliveryId: deliveries[i]!.id,
          attemptNumber: n,
          startedAt,
          durationMs: 5,
          statusCode,
          error,
          responseExcerpt: null,
        });
      }
    });
    const health = async (filter: { merchantId?: string; fromAt: number; toAt: number }) =>
      new Map(
        (await contract.t.store.read((tx) => tx.webhookHealth(filter))).map((h) => [
          h.endpointId,
          h,
        ]),
      );

    const day = await health({ merchantId: m.id, fromAt: now - 24 * H, toAt: now + 1 });
    assert.deepEqual([...day.keys()], [busy.id]);
    assert.deepEqual(day.get(busy.id), {
      endpointId: busy.id,
      attempts: 4,
      succeeded: 1,
      pending: 1,
      dead: 1,
      lastFailure: {
        at: now - 10 * 60_000,
        deliveryId: deliveries[2]!.id,
        statusCode: 503,
        error: null,
      },
    });
    assert.equal(day.get(quiet.id), undefined);
    // from is inclusive, to exclusive; a failure without an answer keeps its error.
    const early = await health({ merchantId: m.id, fromAt: now - 30 * H, toAt: now - 3 * H });
    assert.deepEqual(early.get(busy.id)?.attempts, 1);
    assert.deepEqual(early.get(busy.id)?.lastFailure, {
      at: now - 30 * H,
      deliveryId: deliveries[1]!.id,
      statusCode: null,
      error: 'timeout',
    });
    // Long ago: no attempts, but the backlog is counted whatever its age.
    const old = await health({ merchantId: m.id, fromAt: now - 100 * H, toAt: now - 90 * H });
    assert.deepEqual(old.get(busy.id), {
      endpointId: busy.id,
      attempts: 0,
      succeeded: 0,
      pending: 1,
      dead: 1,
      lastFailure: null,
    });
    const all = await health({ fromAt: now - 24 * H, toAt: now + 1 });
    assert.equal(all.get(elsewhere.id)?.succeeded, 1);
    assert.equal(all.get(busy.id)?.attempts, 4);
    const live = await contract.t.store.read((tx) => tx.listLiveWebhookEndpoints(100, m.id));
    assert.deepEqual(
      live.map((e) => e.id),
      [busy.id, quiet.id],
    );

    // Attempts per day by start time, of every merchant or one.
    const days = [
      { fromAt: now - 48 * H, toAt: now - 24 * H },
      { fromAt: now - 24 * H, toAt: now },
      { fromAt: now, toAt: now + 24 * H },
    ];
    assert.deepEqual(await contract.t.store.read((tx) => tx.dailyAttemptCounts(days, m.id)), [
      { day: 0, attempts: 1, succeeded: 0 },
      { day: 1, attempts: 4, succeeded: 1 },
    ]);
    const everyone = await contract.t.store.read((tx) => tx.dailyAttemptCounts(days));
    assert.deepEqual(
      everyone.find((d) => d.day === 1),
      { day: 1, attempts: 5, succeeded: 2 },
    );
  });

  it('lists deliveries oldest or newest first, with cursors in either direction', async () => {
    const { merchant: m } = await merchant('Delivery log');
    const r = await execute(
      contract.deps,
      createWebhookEndpoint({ merchantId: m.id, url: 'https://example.com/log', name: null }),
    );
    assert.ok(r.ok);
    // Each order's creation fans out one delivery; two share each instant.
    for (let i = 0; i < 5; i++) {
      await order(m.id);
      if (i % 2 === 1) clock.advance(1000);
    }
    const all = await contract.t.store.read((tx) =>
      tx.listDeliveries({ merchantId: m.id, limit: 100 }),
    );
    const ids = all.map((d) => d.id);
    assert.equal(ids.length, 5);
    await expectWalksBothWays(ids, (direction, after) =>
      contract.t.store.read((tx) =>
        tx.listDeliveries({ merchantId: m.id, direction, limit: 2, ...(after ? { after } : {}) }),
      ),
    );
  });

  it('reads the attempts of many deliveries and the refund requests of many orders at once', async () => {
    const { merchant: m } = await merchant('Batch reads');
    const r = await execute(
      contract.deps,
      createWebhookEndpoint({ merchantId: m.id, url: 'https://example.com/batch', name: null }),
    );
    assert.ok(r.ok);
    const orders = [await order(m.id), await order(m.id), await order(m.id)];
    const deliveries = await contract.t.store.read((tx) =>
      tx.listDeliveries({ merchantId: m.id, direction: 'asc', limit: 10 }),
    );
    assert.equal(deliveries.length, 3);
    const [d0, d1, d2] = deliveries.map((d) => d.id) as [string, string, string];
    const now = clock.now();
    const request = (
      id: string,
      orderId: string,
      createdAt: number,
      declined: boolean,
    ): RefundRequest => ({
      id,
      orderId,
      merchantId: m.id,
      amountMinor: 100,
      currency: 'SAR',
      baseRefundedMinor: 0,
      status: declined ? 'declined' : 'draft',
      lockedAt: createdAt + 1000,
      settleAt: null,
      declineReason: declined ? 'deleted' : null,
      replacedBy: null,
      createdAt,
      approvedAt: null,
      refundedAt: null,
      declinedAt: declined ? createdAt + 1 : null,
      updatedAt: createdAt,
    });
    const [o0, o1, o2] = orders.map((o) => o.id) as [string, string, string];
    await contract.t.store.transaction(async (tx) => {
      // Inserted out of order: the read sorts them.
      for (const [deliveryId, attemptNumber] of [
        [d1, 2],
        [d0, 1],
        [d1, 1],
        [d2, 1],
      ] as const) {
        await tx.insertDeliveryAttempt({
          id: `ba-${deliveryId}-${attemptNumber}`,
          deliveryId,
          attemptNumber,
          startedAt: now,
          durationMs: 5,
          statusCode: 500,
          error: null,
          responseExcerpt: null,
        });
      }
      await tx.insertBackdRefundRequest(request(`br-${o1}-b`, o1, now + 2, false));
      await tx.insertBackdRefundRequest(request(`br-${o1}-a`, o1, now + 1, true));
      await tx.insertBackdRefundRequest(request(`br-${o0}-a`, o0, now, false));
      await tx.insertBackdRefundRequest(request(`br-${o2}-a`, o2, now, false));
    });

    const attempts = await contract.t.store.read((tx) => tx.listDeliveryAttemptsFor([d1, d0]));
    // Only the listed deliveries, each one's attempts in attempt order, as read one by one.
    assert.equal(attempts.length, 3);
    for (const id of [d0, d1]) {
      assert.deepEqual(
        attempts.filter((a) => a.deliveryId === id),
        await contract.t.store.read((tx) => tx.listDeliveryAttempts(id)),
      );
    }
    assert.deepEqual(
      attempts.filter((a) => a.deliveryId === d1).map((a) => a.attemptNumber),
      [1, 2],
    );
    assert.deepEqual(await contract.t.store.read((tx) => tx.listDeliveryAttemptsFor([])), []);

    const requests = await contract.t.store.read((tx) => tx.listBackdRefundRequestsFor([o1, o0]));
    assert.deepEqual(
      requests.filter((q) => q.orderId === o1).map((q) => q.id),
      [`br-${o1}-a`, `br-${o1}-b`],
    );
    assert.deepEqual(requests.map((q) => q.orderId).sort(), [o0, o1, o1].sort());
    assert.deepEqual(
      requests.filter((q) => q.orderId === o1),
      await contract.t.store.read((tx) => tx.listBackdRefundRequests(o1)),
    );
    assert.deepEqual(await contract.t.store.read((tx) => tx.listBackdRefundRequestsFor([])), []);
  });
});
