/**
 * The store contract: one behaviour suite that runs unchanged against SQLite and PostgreSQL
 * (STYLE rule 9), driving the real use cases so that the ledger's rules are proven on both
 * engines, including under concurrency. `sqlite.test.ts` and `postgres.test.ts` call it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../app/clocks.js';
import { type AppDeps, execute } from '../../app/context.js';
import { createOrder, type CreateOrderCommand } from '../../app/create-order.js';
import { executeWithIdempotencyKey, reapExpiredIdempotencyKeys } from '../../app/idempotency.js';
import { uuidV7Generator } from '../../app/ids.js';
import { LIMITS } from '../../app/limits.js';
import {
  authenticateKey,
  createMerchant,
  rotateCredentials,
  visiblePrefix,
} from '../../app/merchants.js';
import {
  authorizeOrder,
  cancelOrder,
  captureOrder,
  refundOrder,
  voidOrder,
} from '../../app/order-operations.js';
import type { Store } from '../../app/ports/store.js';
import { hashSecret } from '../../app/secrets.js';
import type { Order } from '../../domain/order.js';
import type { StoreFactory, TestStore } from '../../../test/support/stores.js';

const admin = { kind: 'admin' } as const;

export function defineStoreContract(factory: StoreFactory, skip?: string): void {
  describe(`store contract: ${factory.engine}`, { skip }, () => {
    let t: TestStore;
    let deps: AppDeps;
    const clock = new TestClock(Date.UTC(2026, 10, 23, 12));

    before(async () => {
      // 50 racers on PostgreSQL each get their own connection.
      t = await factory.create({ poolSize: 50 });
      deps = { store: t.store, clock, newId: uuidV7Generator(clock) };
    });
    after(async () => t?.cleanup());

    async function merchant(name = 'Shop') {
      const r = await execute(deps, createMerchant({ name, currency: 'SAR' }));
      assert.ok(r.ok);
      return r.value;
    }

    async function order(
      merchantId: string,
      overrides: Partial<CreateOrderCommand> = {},
    ): Promise<Order> {
      const r = await execute(
        deps,
        createOrder({
          merchantId,
          actor: admin,
          dialect: 'admin',
          kind: 'standard',
          amountMinor: 1000,
          capture: 'purchase',
          ...overrides,
        }),
      );
      assert.ok(r.ok, JSON.stringify(r));
      return r.value.order;
    }

    async function sums(orderId: string) {
      const rows = await t.store.read((tx) => tx.listTransactions(orderId));
      const sum = (types: string[]) =>
        rows.filter((r) => types.includes(r.type)).reduce((s, r) => s + r.amountMinor, 0);
      return {
        captured: sum(['capture', 'purchase']),
        refunded: sum(['refund']),
        voided: sum(['void']),
        authorized: sum(['authorize', 'purchase']),
      };
    }

    it('applies migrations once and reports ready', async () => {
      assert.deepEqual(await t.store.migrate(), []);
      assert.equal(await t.store.ready(), true);
    });

    it('stores no plaintext secret: only hashes and short prefixes', async () => {
      const m = await merchant();
      const secrets = [
        m.credentials.points!.api_key,
        m.credentials.points!.public_key,
        m.credentials.backd!.public_key,
        m.credentials.backd!.secret_key,
        m.credentials.mpg!.api_key,
      ];
      const raw = JSON.stringify(await t.rawRows('credentials'));
      for (const secret of secrets) {
        assert.ok(!raw.includes(secret), 'plaintext secret found in the credentials table');
        assert.ok(raw.includes(hashSecret(secret)), 'hash of the secret is stored');
        // What follows the visible prefix must not appear (the random part is base64url, so it
        // may itself contain '_' and cannot be found by searching for the tag's underscore).
        const hiddenPart = secret.slice(visiblePrefix(secret).length);
        assert.ok(hiddenPart.length >= 32 && !raw.includes(hiddenPart.slice(0, 16)));
      }
      const auth = await authenticateKey(deps, 'points', 'api_key', m.credentials.points!.api_key);
      assert.equal(auth?.merchant.id, m.merchant.id);
      assert.equal(await authenticateKey(deps, 'mpg', 'api_key', secrets[0]!), null);
      assert.equal(await authenticateKey(deps, 'points', 'api_key', `${secrets[0]}x`), null);
    });

    it('rotating credentials revokes the old key at once', async () => {
      const m = await merchant();
      const old = m.credentials.mpg!.api_key;
      const rotated = await execute(deps, rotateCredentials(m.merchant.id, 'mpg'));
      assert.ok(rotated.ok);
      assert.equal(await authenticateKey(deps, 'mpg', 'api_key', old), null);
      const fresh = await authenticateKey(deps, 'mpg', 'api_key', rotated.value.mpg!.api_key);
      assert.equal(fresh?.merchant.id, m.merchant.id);
      // The other dialects' keys still work.
      const points = await authenticateKey(
        deps,
        'points',
        'api_key',
        m.credentials.points!.api_key,
      );
      assert.equal(points?.merchant.id, m.merchant.id);
    });

    it('walks authorize, partial capture, void, refunds; totals equal the ledger sums', async () => {
      const { merchant: m } = await merchant();
      const created = await order(m.id, { amountMinor: 10000, capture: 'none' });
      assert.equal(created.status, 'pending');
      const id = created.id;
      const steps = [
        [authorizeOrder({ merchantId: m.id, actor: admin, orderId: id }), 'authorized'],
        [
          captureOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 6000 }),
          'captured',
        ],
        [voidOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 4000 }), 'captured'],
        [
          refundOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 2500 }),
          'partially_refunded',
        ],
        [
          refundOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 2500 }),
          'partially_refunded',
        ],
      ] as const;
      for (const [useCase, status] of steps) {
        const r = await execute(deps, useCase);
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.value.order.status, status);
      }
      const tooMuch = await execute(
        deps,
        refundOrder({ merchantId: m.id, actor: admin, orderId: id, amountMinor: 1001 }),
      );
      assert.deepEqual(tooMuch, {
        ok: false,
        error: { code: 'refund.exceeds_refundable', details: { refundableMinor: 1000 } },
      });
      const rest = await execute(
        deps,
        refundOrder({ merchantId: m.id, actor: admin, orderId: id }),
      );
      assert.ok(rest.ok);
      assert.equal(rest.value.order.status, 'refunded');
      const stored = await t.store.read((tx) => tx.findOrder(id));
      assert.ok(stored);
      assert.deepEqual(await sums(id), {
        captured: stored.capturedMinor,
        refunded: stored.refundedMinor,
        voided: stored.voidedMinor,
        authorized: stored.authorizedMinor,
      });
      assert.deepEqual(
        [stored.authorizedMinor, stored.capturedMinor, stored.voidedMinor, stored.refundedMinor],
        [10000, 6000, 4000, 6000],
      );
      // Exactly one event per state change: create + 6 successful operations.
      const events = await t.store.read((tx) => tx.listEvents({ orderId: id, limit: 100 }));
      assert.deepEqual(
        events.map((e) => e.type),
        [
          'order.created',
          'order.authorized',
          'order.captured',
          'order.voided',
          'order.refunded',
          'order.refunded',
          'order.refunded',
        ],
      );
      assert.equal(events.at(-1)?.statusBefore, 'partially_refunded');
      assert.equal(events.at(-1)?.statusAfter, 'refunded');
    });

    it('cancels only before capture, releasing the reservation; refusals write nothing', async () => {
      const { merchant: m } = await merchant();
      const o = await order(m.id, { capture: 'authorize' });
      const cancelled = await execute(
        deps,
        cancelOrder({ merchantId: m.id, actor: admin, orderId: o.id, reason: 'Customer asked' }),
      );
      assert.ok(cancelled.ok);
      assert.equal(cancelled.value.order.status, 'cancelled');
      assert.equal(cancelled.value.order.voidedMinor, 1000);
      const again = await execute(
        deps,
        cancelOrder({ merchantId: m.id, actor: admin, orderId: o.id }),
      );
      assert.deepEqual(again, { ok: false, error: { code: 'order.already_cancelled' } });
      const refund = await execute(
        deps,
        refundOrder({ merchantId: m.id, actor: admin, orderId: o.id }),
      );
      assert.deepEqual(refund, { ok: false, error: { code: 'order.cancelled' } });

      const captured = await order(m.id);
      const refused = await execute(
        deps,
        cancelOrder({ merchantId: m.id, actor: admin, orderId: captured.id }),
      );
      assert.deepEqual(refused, { ok: false, error: { code: 'order.already_captured' } });
      const events = await t.store.read((tx) => tx.listEvents({ orderId: captured.id, limit: 10 }));
      assert.equal(events.length, 1, 'a refused command writes no event');
    });

    it("treats another merchant's order exactly like a missing one", async () => {
      const a = await merchant('A');
      const b = await merchant('B');
      const o = await order(a.merchant.id);
      const r = await execute(
        deps,
        refundOrder({ merchantId: b.merchant.id, actor: admin, orderId: o.id, amountMinor: 1 }),
      );
      assert.deepEqual(r, { ok: false, error: { code: 'order.not_found' } });
      const missing = await execute(
        deps,
        refundOrder({
          merchantId: b.merchant.id,
          actor: admin,
          orderId: deps.newId(),
          amountMinor: 1,
        }),
      );
      assert.deepEqual(missing, r);
    });

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
      const first = await execute(deps, refundOrder(cmd));
      const second = await execute(deps, refundOrder(cmd));
      assert.ok(first.ok && second.ok);
      assert.equal(first.value.replayed, false);
      assert.equal(second.value.replayed, true);
      assert.equal(second.value.order.refundedMinor, 300);
      assert.equal(second.value.event.id, first.value.event.id);
      const reused = await execute(deps, refundOrder({ ...cmd, amountMinor: 301 }));
      assert.deepEqual(reused, { ok: false, error: { code: 'idempotency.key_reused' } });
      const rows = await t.store.read((tx) => tx.listTransactions(o.id));
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
        Array.from({ length: 10 }, () => execute(deps, refundOrder(cmd))),
      );
      assert.ok(results.every((r) => r.ok));
      assert.equal(results.filter((r) => r.ok && !r.value.replayed).length, 1);
      const rows = await t.store.read((tx) => tx.listTransactions(o.id));
      assert.equal(rows.filter((r) => r.type === 'refund').length, 1);
    });

    it('fifty concurrent partial refunds never refund more than was captured', async () => {
      const { merchant: m } = await merchant();
      const o = await order(m.id, { amountMinor: 1000 });
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          execute(
            deps,
            refundOrder({ merchantId: m.id, actor: admin, orderId: o.id, amountMinor: 30 }),
          ),
        ),
      );
      const won = results.filter((r) => r.ok).length;
      const lost = results.filter((r) => !r.ok);
      assert.equal(won, 33);
      assert.equal(lost.length, 17);
      for (const r of lost) assert.equal(!r.ok && r.error.code, 'refund.exceeds_refundable');
      const stored = await t.store.read((tx) => tx.findOrder(o.id));
      assert.equal(stored?.refundedMinor, 990);
      assert.equal((await sums(o.id)).refunded, 990);
    });

    it('refuses a duplicate order number, also when two creations race', async () => {
      const { merchant: m } = await merchant();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          execute(
            deps,
            createOrder({
              merchantId: m.id,
              actor: admin,
              dialect: 'admin',
              kind: 'standard',
              amountMinor: 500,
              capture: 'purchase',
              orderNumber: 'ORD-1',
            }),
          ),
        ),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      for (const r of results.filter((x) => !x.ok)) {
        assert.deepEqual(r, {
          ok: false,
          error: { code: 'order.duplicate_reference', details: { field: 'order_number' } },
        });
      }
    });

    it('reverses earned points cumulatively: three uneven refunds reverse exactly the total', async () => {
      const { merchant: m } = await merchant();
      const o = await order(m.id, {
        dialect: 'points',
        kind: 'earning',
        amountMinor: 15075,
        totalPoints: 1507,
      });
      let reversed = 0;
      for (const amountMinor of [2500, 7001, 5574]) {
        const r = await execute(
          deps,
          refundOrder({ merchantId: m.id, actor: admin, orderId: o.id, amountMinor }),
        );
        assert.ok(r.ok);
        reversed += r.value.split!.pointsReversed;
      }
      assert.equal(reversed, 1507);
      const stored = await t.store.read((tx) => tx.findOrder(o.id));
      assert.equal(stored?.pointsReversed, 1507);
      assert.equal(stored?.status, 'refunded');
    });

    it('splits a redeem order refund between points and cash, returning all points in the end', async () => {
      const { merchant: m } = await merchant();
      // 150.75 SAR, of which 50.00 paid with 500 points.
      const o = await order(m.id, {
        dialect: 'points',
        kind: 'replacing',
        amountMinor: 15075,
        redeemedMinor: 5000,
        redeemedPoints: 500,
      });
      const first = await execute(
        deps,
        refundOrder({ merchantId: m.id, actor: admin, orderId: o.id, amountMinor: 1000 }),
      );
      assert.ok(first.ok);
      assert.deepEqual(
        {
          value: first.value.split!.pointsValueMinor,
          cash: first.value.split!.cashMinor,
          points: first.value.split!.pointsReturned,
        },
        { value: 332, cash: 668, points: 33 },
      );
      const rest = await execute(
        deps,
        refundOrder({ merchantId: m.id, actor: admin, orderId: o.id }),
      );
      assert.ok(rest.ok);
      assert.equal(rest.value.order.pointsReturned, 500);
      assert.equal(first.value.split!.pointsValueMinor + rest.value.split!.pointsValueMinor, 5000);
    });

    it('holds the invariants in the database itself, behind the code', async () => {
      const { merchant: m } = await merchant();
      const o = await order(m.id);
      await assert.rejects(
        t.rawExec(`UPDATE orders SET refunded_minor = 2000 WHERE id = '${o.id}'`),
      );
      await assert.rejects(t.rawExec(`UPDATE orders SET voided_minor = 1 WHERE id = '${o.id}'`));
      await assert.rejects(t.rawExec(`UPDATE orders SET status = 'refunded' WHERE id = '${o.id}'`));
      await assert.rejects(
        t.rawExec(`UPDATE transactions SET amount_minor = 1 WHERE order_id = '${o.id}'`),
      );
      await assert.rejects(t.rawExec(`DELETE FROM transactions WHERE order_id = '${o.id}'`));
      await assert.rejects(
        t.store.transaction((tx) => tx.updateOrder({ ...o, version: o.version + 5 })),
        /changed under a lock/,
      );
    });

    it('pages through orders with a cursor', async () => {
      const { merchant: m } = await merchant();
      for (let i = 0; i < 5; i++) {
        clock.advance(1);
        await order(m.id);
      }
      const firstPage = await t.store.read((tx) => tx.listOrders({ merchantId: m.id, limit: 3 }));
      const last = firstPage.at(-1)!;
      const secondPage = await t.store.read((tx) =>
        tx.listOrders({
          merchantId: m.id,
          limit: 3,
          after: { createdAt: last.createdAt, id: last.id },
        }),
      );
      assert.equal(firstPage.length, 3);
      assert.equal(secondPage.length, 2);
      assert.equal(new Set([...firstPage, ...secondPage].map((o) => o.id)).size, 5);
    });

    it('stores idempotent responses: replay, mismatch, in progress, takeover, expiry', async () => {
      const { merchant: m } = await merchant();
      const o = await order(m.id);
      const request = { scope: 'test', key: 'http-1', fingerprint: 'fp-a' };
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
      const first = await executeWithIdempotencyKey(deps, request, refund, render);
      const second = await executeWithIdempotencyKey(deps, request, refund, render);
      assert.equal(first.replayed, false);
      assert.equal(second.replayed, true);
      assert.equal(second.body, first.body);
      const mismatch = await executeWithIdempotencyKey(
        deps,
        { ...request, fingerprint: 'fp-b' },
        refund,
        render,
      );
      assert.match(mismatch.body, /idempotency.key_reused/);
      assert.equal((await sums(o.id)).refunded, 100);

      // A request that died holding the lease: others get in_progress until the lease expires.
      const stuck = { scope: 'test', key: 'http-2', fingerprint: 'fp' };
      await t.store.transaction((tx) =>
        tx.claimIdempotencyKey({
          ...stuck,
          state: 'in_progress',
          leaseToken: 'dead',
          leaseExpiresAt: clock.now() + LIMITS.idempotencyLeaseMs,
          responseStatus: null,
          responseBody: null,
          createdAt: clock.now(),
          expiresAt: clock.now() + LIMITS.idempotencyRetentionMs,
        }),
      );
      const busy = await executeWithIdempotencyKey(deps, stuck, refund, render);
      assert.match(busy.body, /idempotency.in_progress/);
      clock.advance(LIMITS.idempotencyLeaseMs);
      const takeover = await executeWithIdempotencyKey(deps, stuck, refund, render);
      assert.equal(takeover.status, 200);
      assert.equal((await sums(o.id)).refunded, 200);

      clock.advance(LIMITS.idempotencyRetentionMs);
      assert.ok((await reapExpiredIdempotencyKeys(deps)) >= 2);
      assert.equal(
        (await t.rawRows('idempotency_keys')).filter((r) => r['scope'] === 'test').length,
        0,
      );
    });

    it('isolates a failing transaction among concurrent ones: it leaves no trace, the rest commit', async () => {
      const { merchant: m } = await merchant();
      const settings = Array.from({ length: 12 }, (_, i) => `group-${i}`);
      const results = await Promise.allSettled(
        settings.map((name, i) =>
          t.store.transaction(async (tx) => {
            await tx.putSetting(name, 'written', clock.now());
            // Every third one fails after writing, as a bug or a lost race would.
            if (i % 3 === 1) throw new Error(`fail ${name}`);
            return name;
          }),
        ),
      );
      const rows = await t.rawRows('settings');
      const written = new Set(rows.map((r) => String(r['name'])));
      settings.forEach((name, i) => {
        const failed = i % 3 === 1;
        assert.equal(results[i]!.status, failed ? 'rejected' : 'fulfilled', name);
        assert.equal(written.has(name), !failed, name);
      });
      assert.ok(m.id);
    });

    it('keeps committed data across a restart', async () => {
      const { merchant: m } = await merchant('Durable');
      const o = await order(m.id);
      const reopened: Store = await t.reopen();
      deps = { ...deps, store: reopened };
      const found = await reopened.read((tx) => tx.findOrder(o.id));
      assert.equal(found?.capturedMinor, 1000);
      assert.equal((await reopened.read((tx) => tx.findMerchant(m.id)))?.name, 'Durable');
    });
  });
}
