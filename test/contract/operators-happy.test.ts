// Proves the operators' audit trail on both stores: an admin action is recorded with the action,
// in its transaction (a rollback leaves neither), with the actor, reason and details; it is listed
// by merchant, order or action in either direction; and the database keeps it append-only.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { replayDelivery, replayEndpointSince } from '../../src/app/deliveries.js';
import type { ListDirection } from '../../src/app/ports/ledger.js';
import { createWebhookEndpoint, updateWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import { admin, storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant, order, expectWalksBothWays } = contract;

  it('records admin actions with the action, in its transaction, append-only', async () => {
    const { merchant: m } = await merchant('Audited');
    const { merchant: other } = await merchant('Audited elsewhere');
    const endpointOf = async (merchantId: string, url: string) => {
      const r = await execute(
        contract.deps,
        createWebhookEndpoint({ merchantId, url, name: 'CRM' }),
      );
      assert.ok(r.ok);
      return r.value;
    };
    const endpoint = await endpointOf(m.id, 'https://example.com/audited');
    const otherEndpoint = await endpointOf(other.id, 'https://example.com/elsewhere');
    const since = clock.now();
    const o = await order(m.id);
    await order(other.id);
    const [delivery] = await contract.t.store.read((tx) =>
      tx.listDeliveries({ orderId: o.id, limit: 5 }),
    );
    assert.ok(delivery);
    const audit = (reason: string | null) => ({ actor: admin, reason });
    const actions = (filter: {
      merchantId?: string;
      orderId?: string;
      action?: 'delivery.replayed' | 'webhook.disabled';
      direction?: ListDirection;
    }) => contract.t.store.read((tx) => tx.listAdminActions({ limit: 100, ...filter }));

    // An action whose transaction rolls back leaves no record, and the record none of it.
    await assert.rejects(
      contract.t.store.transaction(async (tx) => {
        const r = await replayDelivery(delivery.id, audit('lost'))(tx, {
          now: clock.now(),
          newId: contract.deps.newId,
        });
        assert.ok(r.ok);
        throw new Error('rolled back after the replay');
      }),
      /rolled back/,
    );
    assert.deepEqual(await actions({ merchantId: m.id }), []);
    const unchanged = await contract.t.store.read((tx) => tx.findDelivery(delivery.id));
    assert.deepEqual(unchanged, delivery);

    clock.advance(1000);
    const replayed = await execute(
      contract.deps,
      replayDelivery(delivery.id, audit('CRM is back')),
    );
    assert.ok(replayed.ok);
    clock.advance(1000);
    const disabled = await execute(
      contract.deps,
      updateWebhookEndpoint({
        merchantId: m.id,
        endpointId: endpoint.id,
        enabled: false,
        audit: audit('Receiver down for maintenance'),
      }),
    );
    assert.ok(disabled.ok);
    // Same instant as the disable: the id orders them.
    const resent = await execute(
      contract.deps,
      replayEndpointSince(endpoint.id, since, undefined, audit(null)),
    );
    assert.ok(resent.ok);
    await execute(
      contract.deps,
      updateWebhookEndpoint({
        merchantId: other.id,
        endpointId: otherEndpoint.id,
        rotateSecret: true,
        audit: audit('Leaked secret'),
      }),
    );
    // A change without an audit (a merchant's own, through Points) records nothing.
    await execute(
      contract.deps,
      updateWebhookEndpoint({ merchantId: m.id, endpointId: endpoint.id, name: 'Renamed' }),
    );
    // A refused action records nothing.
    const missing = await execute(
      contract.deps,
      replayDelivery('no-such-delivery', audit('nothing')),
    );
    assert.equal(missing.ok, false);

    const mine = await actions({ merchantId: m.id });
    assert.deepEqual(
      mine.map((a) => [a.action, a.actor, a.reason, a.orderId, a.subjectId]),
      [
        ['delivery.replayed', 'admin', 'CRM is back', o.id, delivery.id],
        ['webhook.disabled', 'admin', 'Receiver down for maintenance', null, endpoint.id],
        ['webhook.replayed_since', 'admin', null, null, endpoint.id],
      ],
    );
    assert.deepEqual(mine[0]!.details, {
      event_id: delivery.eventId,
      event_type: delivery.eventType,
      endpoint_id: endpoint.id,
      status_before: 'pending',
      attempts_before: 0,
    });
    assert.deepEqual(mine[1]!.details, {
      changes: { enabled: { from: true, to: false } },
      secret_rotated: false,
    });
    assert.deepEqual(mine[2]!.details, {
      since: new Date(since).toISOString(),
      continued: false,
      // o's event already had its delivery to this endpoint: it is reset, none is created.
      reset: 1,
      created: 0,
      complete: true,
    });
    assert.equal(mine[0]!.createdAt, since + 1000);
    assert.equal(mine[1]!.createdAt, since + 2000);

    const ids = mine.map((a) => a.id);
    assert.deepEqual(
      (await actions({ merchantId: m.id, direction: 'desc' })).map((a) => a.id),
      [...ids].reverse(),
    );
    assert.deepEqual(
      (await actions({ orderId: o.id })).map((a) => a.id),
      [ids[0]],
    );
    assert.deepEqual(
      (await actions({ merchantId: m.id, action: 'webhook.disabled' })).map((a) => a.id),
      [ids[1]],
    );
    const theirs = await actions({ merchantId: other.id });
    assert.deepEqual(
      theirs.map((a) => [a.action, a.details]),
      [['webhook.secret_rotated', { changes: {}, secret_rotated: true }]],
    );
    await expectWalksBothWays(ids, (direction, after) =>
      contract.t.store.read((tx) =>
        tx.listAdminActions({
          merchantId: m.id,
          direction,
          limit: 1,
          ...(after ? { after } : {}),
        }),
      ),
    );

    // The database itself keeps the trail: no rewrite, no removal, no unknown action.
    await assert.rejects(
      contract.t.rawExec(`UPDATE admin_actions SET reason = 'x' WHERE id = '${ids[0]}'`),
      /append-only/,
    );
    await assert.rejects(
      contract.t.rawExec(`DELETE FROM admin_actions WHERE id = '${ids[0]}'`),
      /append-only/,
    );
    await assert.rejects(
      contract.t.rawExec(
        `INSERT INTO admin_actions (id, action, actor, reason, merchant_id, order_id, subject_id,
           details, created_at)
         VALUES ('x-${ids[0]}', 'order.refunded', 'admin', NULL, '${m.id}', NULL, 's', '{}', 0)`,
      ),
      /check constraint/i,
    );
    assert.equal((await actions({ merchantId: m.id })).length, 3);
  });
});
