// Proves a merchant's endpoint limit and an endpoint's changes hold when requests race, on both
// stores: the merchant's row lock serialises creations, so racing creations at one below the
// limit add exactly one endpoint; racing changes of one endpoint each land on what the other
// wrote, so a rename racing a secret rotation keeps both.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { execute } from '../../src/app/context.js';
import { LIMITS } from '../../src/app/limits.js';
import { createWebhookEndpoint, updateWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import { HEALTHY } from '../../src/domain/delivery-schedule.js';
import type { WebhookEndpoint } from '../../src/domain/webhooks.js';
import { storeContract } from './contract.js';

await storeContract((contract) => {
  const { clock, merchant } = contract;

  it('racing creations at one below the limit add exactly one endpoint', async () => {
    const { merchant: m } = await merchant('Endpoint limit');
    const now = clock.now();
    const filler = (i: number): WebhookEndpoint => ({
      id: `we-limit-${now}-${i}`,
      merchantId: m.id,
      url: `https://example.com/hook/${i}`,
      name: null,
      format: 'standard',
      retryPolicy: 'standard',
      enabled: true,
      secret: `whsec_filler${i}`,
      previousSecret: null,
      previousSecretExpiresAt: null,
      disabledReason: null,
      disabledAt: null,
      health: HEALTHY,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await contract.t.store.transaction(async (tx) => {
      for (let i = 0; i < LIMITS.webhookEndpointsMax - 1; i += 1) {
        await tx.insertWebhookEndpoint(filler(i));
      }
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        execute(
          contract.deps,
          createWebhookEndpoint({ merchantId: m.id, url: `https://example.com/race/${i}` }),
        ),
      ),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results.filter((r) => !r.ok)) {
      assert.equal(!r.ok && r.error.code, 'validation.failed');
    }
    const count = await contract.t.store.read((tx) => tx.countWebhookEndpoints(m.id));
    assert.equal(count, LIMITS.webhookEndpointsMax);
  });

  it('racing changes of one endpoint keep every change', async () => {
    const { merchant: m } = await merchant('Endpoint changes');
    const created = await execute(
      contract.deps,
      createWebhookEndpoint({ merchantId: m.id, url: 'https://example.com/changes' }),
    );
    assert.ok(created.ok);
    const endpointId = created.value.id;
    const [renamed, rotated] = await Promise.all([
      execute(contract.deps, updateWebhookEndpoint({ merchantId: m.id, endpointId, name: 'Ops' })),
      execute(
        contract.deps,
        updateWebhookEndpoint({ merchantId: m.id, endpointId, rotateSecret: true }),
      ),
    ]);
    assert.ok(renamed.ok && rotated.ok);
    const stored = await contract.t.store.read((tx) => tx.findWebhookEndpoint(endpointId));
    assert.equal(stored?.name, 'Ops');
    assert.equal(stored?.previousSecret, created.value.secret);
    assert.notEqual(stored?.secret, created.value.secret);
  });
});
