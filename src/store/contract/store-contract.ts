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
import {
  executeWithIdempotencyKey,
  merchantKeyScope,
  reapExpiredIdempotencyKeys,
} from '../../app/idempotency.js';
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
import type { DailyLedgerCount } from '../../app/ports/reads.js';
import type { ListDirection, OrderFilter } from '../../app/ports/ledger.js';
import { createWebhookEndpoint, updateWebhookEndpoint } from '../../app/webhook-endpoints.js';
import { replayDelivery, replayEndpointSince } from '../../app/deliveries.js';
import { EMPTY_SUMMARY } from '../../domain/reconciliation.js';
import { orderSearchFor } from '../../domain/order-search.js';
import type { Delivery } from '../../domain/webhooks.js';
import type { RefundRequest } from '../../domain/refund-request.js';
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
      // Each engine names the broken rule: "CHECK constraint failed" (SQLite), "violates check
      // constraint" (PostgreSQL), and the append-only triggers' own message on both.
      const check = /check constraint/i;
      await assert.rejects(
        t.rawExec(`UPDATE orders SET refunded_minor = 2000 WHERE id = '${o.id}'`),
        check,
      );
      await assert.rejects(
        t.rawExec(`UPDATE orders SET voided_minor = 1 WHERE id = '${o.id}'`),
        check,
      );
      await assert.rejects(
        t.rawExec(`UPDATE orders SET status = 'refunded' WHERE id = '${o.id}'`),
        check,
      );
      await assert.rejects(
        t.rawExec(`UPDATE transactions SET amount_minor = 1 WHERE order_id = '${o.id}'`),
        /append-only/,
      );
      await assert.rejects(
        t.rawExec(`DELETE FROM transactions WHERE order_id = '${o.id}'`),
        /append-only/,
      );
      await assert.rejects(
        t.store.transaction((tx) => tx.updateOrder({ ...o, version: o.version + 5 })),
        /changed under a lock/,
      );
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
      const stuck = { scope, key: 'http-2', fingerprint: 'fp' };
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
        (await t.rawRows('idempotency_keys')).filter((r) => r['scope'] === scope).length,
        0,
      );
    });

    it('isolates a failing transaction among concurrent ones: it leaves no trace, the rest commit', async () => {
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
    });

    // ---- reads behind the dashboard (admin API) ------------------------------------------------

    /** Orders of one merchant, read with `filter`, as ids. */
    const listed = (filter: Omit<OrderFilter, 'limit'> & { limit?: number }) =>
      t.store
        .read((tx) => tx.listOrders({ limit: 500, ...filter }))
        .then((found) => found.map((o) => o.id));

    type Key = { createdAt: number; id: string };
    /**
     * Walks a keyset list in both directions, a page at a time (`read` gives the page after a
     * cursor), following each page's last row, and expects `ids` oldest first.
     */
    async function expectWalksBothWays(
      ids: readonly string[],
      read: (direction: ListDirection, after: Key | undefined) => Promise<Key[]>,
    ): Promise<void> {
      for (const direction of ['asc', 'desc'] as const) {
        const walked: string[] = [];
        let after: Key | undefined;
        for (let page = 0; page < 100; page++) {
          const rows = await read(direction, after);
          walked.push(...rows.map((r) => r.id));
          const last = rows.at(-1);
          if (!last) break;
          after = { createdAt: last.createdAt, id: last.id };
        }
        assert.deepEqual(walked, direction === 'asc' ? ids : [...ids].reverse(), direction);
      }
    }

    it('lists orders newest first or oldest first, with cursors in either direction', async () => {
      const { merchant: m } = await merchant('Directions');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await order(m.id)).id);
        // Two orders share each instant: the id breaks the tie, in both directions.
        if (i % 2 === 1) clock.advance(1000);
      }
      // UUIDv7 ids grow within an instant, so creation order is (created_at, id) order.
      assert.deepEqual(await listed({ merchantId: m.id }), ids);
      assert.deepEqual(await listed({ merchantId: m.id, direction: 'desc' }), [...ids].reverse());
      await expectWalksBothWays(ids, (direction, after) =>
        t.store.read((tx) =>
          tx.listOrders({ merchantId: m.id, direction, limit: 2, ...(after ? { after } : {}) }),
        ),
      );
    });

    it('filters orders by status and by a creation window, from inclusive, to exclusive', async () => {
      const { merchant: m } = await merchant('Windows');
      const start = clock.now();
      const a = await order(m.id);
      clock.advance(1000);
      const b = await order(m.id, { capture: 'authorize' });
      clock.advance(1000);
      const c = await order(m.id);
      await execute(
        deps,
        refundOrder({ merchantId: m.id, orderId: c.id, actor: admin, reason: null }),
      );
      assert.deepEqual(await listed({ merchantId: m.id, status: 'authorized' }), [b.id]);
      assert.deepEqual(await listed({ merchantId: m.id, status: 'refunded' }), [c.id]);
      assert.deepEqual(await listed({ merchantId: m.id, status: 'captured' }), [a.id]);
      assert.deepEqual(
        await listed({ merchantId: m.id, createdFrom: start + 1000, createdTo: start + 2000 }),
        [b.id],
      );
      assert.deepEqual(await listed({ merchantId: m.id, createdFrom: start }), [a.id, b.id, c.id]);
      assert.deepEqual(await listed({ merchantId: m.id, createdTo: start }), []);
      assert.deepEqual(
        await listed({ merchantId: m.id, dialect: 'admin', status: 'refunded', direction: 'desc' }),
        [c.id],
      );
      assert.deepEqual(await listed({ merchantId: m.id, dialect: 'points' }), []);
    });

    it('searches orders exactly by id, references and phone forms, with the other filters', async () => {
      const { merchant: m } = await merchant('Search');
      const { merchant: other } = await merchant('Search elsewhere');
      const byNumber = await order(m.id, { orderNumber: 'ORD-77' });
      const sameNumberElsewhere = await order(other.id, { orderNumber: 'ORD-77' });
      const backd = await order(m.id, {
        dialect: 'backd',
        kind: 'bnpl',
        merchantOrderId: 'merchant-ref-9',
        backdOrderId: 'bd_123',
      });
      const phone = await order(m.id, {
        dialect: 'points',
        kind: 'earning',
        customerRef: '501234567',
      });
      clock.advance(1000);
      const phoneAgain = await order(m.id, {
        dialect: 'points',
        kind: 'earning',
        customerRef: '501234567',
      });
      // An order whose number looks like the phone: found by the same search, once.
      const numberLikePhone = await order(m.id, { orderNumber: '501234567' });

      const search = (text: string, filter: Omit<OrderFilter, 'limit' | 'search'> = {}) =>
        listed({ ...filter, search: orderSearchFor(text), direction: 'desc' });
      assert.deepEqual(await search(byNumber.id), [byNumber.id]);
      assert.deepEqual(
        new Set(await search('ORD-77')),
        new Set([byNumber.id, sameNumberElsewhere.id]),
      );
      assert.deepEqual(await search('ORD-77', { merchantId: m.id }), [byNumber.id]);
      assert.deepEqual(await search('merchant-ref-9'), [backd.id]);
      assert.deepEqual(await search('bd_123'), [backd.id]);
      // The phone forms are tried on customer_ref only: the order whose number is 501234567 is
      // found by that exact text, not by a typed phone.
      assert.deepEqual(await search('+966 50 123 4567'), [phoneAgain.id, phone.id]);
      assert.deepEqual(await search('050-123-4567', { dialect: 'points' }), [
        phoneAgain.id,
        phone.id,
      ]);
      assert.deepEqual(await search('(050) 123.4567', { status: 'pending' }), []);
      // Exact only: a part of a value finds nothing.
      assert.deepEqual(await search('ORD-7'), []);
      assert.deepEqual(await search('50123456'), []);
      assert.deepEqual(await search('bd_12'), []);
      // A search pages like a list: each page is the next `limit` matches.
      const first = await t.store.read((tx) =>
        tx.listOrders({ search: orderSearchFor('501234567'), direction: 'desc', limit: 2 }),
      );
      const last = first.at(-1)!;
      const second = await t.store.read((tx) =>
        tx.listOrders({
          search: orderSearchFor('501234567'),
          direction: 'desc',
          limit: 2,
          after: { createdAt: last.createdAt, id: last.id },
        }),
      );
      assert.deepEqual(
        [...first, ...second].map((o) => o.id),
        [numberLikePhone.id, phoneAgain.id, phone.id],
      );
    });

    it('lists merchants by name, then id, with a cursor over every merchant once', async () => {
      const made = [];
      for (const name of ['Zq Charlie', 'Zq Alpha', 'Zq Bravo', 'Zq Bravo']) {
        made.push((await merchant(name)).merchant);
      }
      const walked: { name: string; id: string }[] = [];
      let after: { name: string; id: string } | undefined;
      for (let page = 0; page < 1000; page++) {
        const found = await t.store.read((tx) => tx.listMerchants(3, after));
        walked.push(...found.map((m) => ({ name: m.name, id: m.id })));
        if (found.length < 3) break;
        after = walked.at(-1)!;
      }
      assert.equal(walked.length, (await t.rawRows('merchants')).length);
      assert.equal(new Set(walked.map((m) => m.id)).size, walked.length);
      const mine = walked.filter((m) => m.name.startsWith('Zq '));
      const bravos = made
        .filter((m) => m.name === 'Zq Bravo')
        .map((m) => m.id)
        .sort();
      assert.deepEqual(
        mine.map((m) => m.id),
        [made[1]!.id, ...bravos, made[0]!.id],
      );
    });

    it('computes webhook health: attempts in a window, the latest failure, the backlog now', async () => {
      const { merchant: m } = await merchant('Health');
      const { merchant: other } = await merchant('Health elsewhere');
      const orders = [
        await order(m.id),
        await order(m.id),
        await order(m.id),
        await order(other.id),
      ];
      const events = await Promise.all(
        orders.map(
          async (o) => (await t.store.read((tx) => tx.listEvents({ orderId: o.id, limit: 1 })))[0]!,
        ),
      );
      const endpoint = async (merchantId: string, url: string) => {
        const r = await execute(deps, createWebhookEndpoint({ merchantId, url, name: null }));
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
      await t.store.transaction(async (tx) => {
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
          (await t.store.read((tx) => tx.webhookHealth(filter))).map((h) => [h.endpointId, h]),
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
      const live = await t.store.read((tx) => tx.listLiveWebhookEndpoints(100, m.id));
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
      assert.deepEqual(await t.store.read((tx) => tx.dailyAttemptCounts(days, m.id)), [
        { day: 0, attempts: 1, succeeded: 0 },
        { day: 1, attempts: 4, succeeded: 1 },
      ]);
      const everyone = await t.store.read((tx) => tx.dailyAttemptCounts(days));
      assert.deepEqual(
        everyone.find((d) => d.day === 1),
        { day: 1, attempts: 5, succeeded: 2 },
      );
    });

    it('counts approved refunds, cancels and voids per day, type and currency', async () => {
      clock.set(Date.UTC(2031, 0, 1, 10));
      const D = 86_400_000;
      const day0 = Date.UTC(2031, 0, 1);
      const { merchant: m } = await merchant('Daily');
      const { merchant: other } = await merchant('Daily elsewhere');
      const refund = (orderId: string, merchantId: string, amountMinor?: number) =>
        execute(
          deps,
          refundOrder({
            merchantId,
            orderId,
            actor: admin,
            reason: null,
            ...(amountMinor === undefined ? {} : { amountMinor }),
          }),
        );
      const a = await order(m.id);
      assert.ok((await refund(a.id, m.id, 300)).ok);
      assert.ok((await refund(a.id, m.id, 200)).ok);
      const eur = await order(m.id, { currency: 'EUR' });
      assert.ok((await refund(eur.id, m.id, 50)).ok);
      const b = await order(m.id, { capture: 'authorize' });
      assert.ok(
        (
          await execute(
            deps,
            voidOrder({
              merchantId: m.id,
              orderId: b.id,
              actor: admin,
              reason: null,
              amountMinor: 100,
            }),
          )
        ).ok,
      );
      const elsewhere = await order(other.id);
      assert.ok((await refund(elsewhere.id, other.id)).ok);
      // A refused refund writes no row and counts nowhere.
      assert.equal((await refund(a.id, m.id, 10_000)).ok, false);
      clock.set(day0 + D + 3_600_000);
      const c = await order(m.id, { capture: 'authorize' });
      assert.ok(
        (
          await execute(
            deps,
            cancelOrder({ merchantId: m.id, orderId: c.id, actor: admin, reason: null }),
          )
        ).ok,
      );

      const days = [
        { fromAt: day0, toAt: day0 + D },
        { fromAt: day0 + D, toAt: day0 + 2 * D },
        { fromAt: day0 + 2 * D, toAt: day0 + 3 * D },
      ];
      const sorted = (rows: DailyLedgerCount[]) =>
        [...rows].sort(
          (x, y) =>
            x.day - y.day || x.type.localeCompare(y.type) || x.currency.localeCompare(y.currency),
        );
      assert.deepEqual(sorted(await t.store.read((tx) => tx.dailyLedgerCounts(days, m.id))), [
        { day: 0, type: 'refund', currency: 'EUR', count: 1, amountMinor: 50n },
        { day: 0, type: 'refund', currency: 'SAR', count: 2, amountMinor: 500n },
        { day: 0, type: 'void', currency: 'SAR', count: 1, amountMinor: 100n },
        // A cancel of an authorized order writes the cancel row and the void releasing it.
        { day: 1, type: 'cancel', currency: 'SAR', count: 1, amountMinor: 0n },
        { day: 1, type: 'void', currency: 'SAR', count: 1, amountMinor: 1000n },
      ]);
      const everyone = sorted(await t.store.read((tx) => tx.dailyLedgerCounts(days)));
      assert.deepEqual(
        everyone.find((r) => r.day === 0 && r.type === 'refund' && r.currency === 'SAR'),
        { day: 0, type: 'refund', currency: 'SAR', count: 3, amountMinor: 1500n },
      );
      assert.deepEqual(await t.store.read((tx) => tx.dailyLedgerCounts([], m.id)), []);
    });

    it('lists reconciliation runs newest first with a cursor, of one scope or all', async () => {
      const base = clock.now();
      const { merchant: a } = await merchant('Runs A');
      const { merchant: b } = await merchant('Runs B');
      // Runs 0-1 have no scope (stored before migration 12); then A/points, A/mpg, B/points.
      const scopes = [
        null,
        null,
        { merchantId: a.id, dialect: 'points' },
        { merchantId: a.id, dialect: 'mpg' },
        { merchantId: b.id, dialect: 'points' },
      ] as const;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = `run-${base}-${i}`;
        ids.push(id);
        await t.store.transaction((tx) =>
          tx.insertReconciliationRun({
            id,
            status: 'completed',
            source: 'api',
            scope: scopes[i]!,
            fromAt: 0,
            toAt: 1,
            summary: EMPTY_SUMMARY,
            error: null,
            // Two runs share an instant: the id breaks the tie.
            createdAt: base + Math.floor(i / 2),
            completedAt: null,
            appliedAt: null,
          }),
        );
      }
      const walk = async (filter: { merchantId?: string; dialect?: 'points' | 'mpg' } = {}) => {
        const walked: string[] = [];
        let before: { createdAt: number; id: string } | undefined;
        for (let page = 0; page < 100; page++) {
          const runs = await t.store.read((tx) =>
            tx.listReconciliationRuns({ ...filter, ...(before ? { before } : {}), limit: 2 }),
          );
          walked.push(...runs.map((r) => r.id));
          const last = runs.at(-1);
          if (!last) break;
          before = { createdAt: last.createdAt, id: last.id };
        }
        return walked.filter((id) => id.startsWith(`run-${base}-`));
      };
      assert.deepEqual(await walk(), [...ids].reverse());
      assert.deepEqual(await walk({ merchantId: a.id }), [ids[3], ids[2]]);
      assert.deepEqual(await walk({ merchantId: a.id, dialect: 'points' }), [ids[2]]);
      assert.deepEqual(await walk({ dialect: 'points' }), [ids[4], ids[2]]);
      const stored = await t.store.read((tx) => tx.findReconciliationRun(ids[3]!));
      assert.deepEqual(stored?.scope, { merchantId: a.id, dialect: 'mpg' });
      assert.equal((await t.store.read((tx) => tx.findReconciliationRun(ids[0]!)))?.scope, null);
      // The second wall: a scope is both columns or neither, and never the admin face.
      const runSql = (id: string, merchantId: string | null, dialect: string | null) =>
        t.rawExec(
          `INSERT INTO reconciliation_runs (id, status, source, merchant_id, dialect, from_at,
             to_at, summary, created_at) VALUES ('${id}', 'completed', 'api',
             ${merchantId === null ? 'NULL' : `'${merchantId}'`},
             ${dialect === null ? 'NULL' : `'${dialect}'`}, 0, 1, '{}', 0)`,
        );
      await assert.rejects(runSql(`half-${base}`, a.id, null));
      await assert.rejects(runSql(`other-half-${base}`, null, 'points'));
      await assert.rejects(runSql(`admin-${base}`, a.id, 'admin'));
      await runSql(`whole-${base}`, a.id, 'backd');
    });

    it("reconciliation's ledger reads hold only the scope's orders", async () => {
      const { merchant: a } = await merchant('Scope A');
      const { merchant: b } = await merchant('Scope B');
      const mine = await order(a.id, { dialect: 'points', kind: 'earning' });
      const otherFace = await order(a.id, { dialect: 'mpg', kind: 'card' });
      const otherMerchant = await order(b.id, { dialect: 'points', kind: 'earning' });
      const all = [mine.id, otherFace.id, otherMerchant.id];
      const scope = { merchantId: a.id, dialect: 'points' } as const;
      const runId = `scope-run-${clock.now()}`;
      await t.store.transaction((tx) =>
        tx.insertReconciliationRun({
          id: runId,
          status: 'processing',
          source: 'api',
          scope,
          fromAt: mine.createdAt,
          toAt: mine.createdAt + 1,
          summary: EMPTY_SUMMARY,
          error: null,
          createdAt: clock.now(),
          completedAt: null,
          appliedAt: null,
        }),
      );
      const read = await t.store.read(async (tx) => ({
        found: (await tx.findScopedOrders(scope, all)).map((o) => o.id),
        page: await tx.ledgerOrderPage(scope, mine.createdAt, mine.createdAt + 1, '', 100),
        missing: (
          await tx.ledgerMissingFromReport(runId, scope, all, mine.createdAt, mine.createdAt + 1)
        ).map((m) => m.orderId),
      }));
      assert.deepEqual(read, { found: [mine.id], page: [mine.id], missing: [mine.id] });
    });

    it('lists deliveries oldest or newest first, with cursors in either direction', async () => {
      const { merchant: m } = await merchant('Delivery log');
      const r = await execute(
        deps,
        createWebhookEndpoint({ merchantId: m.id, url: 'https://example.com/log', name: null }),
      );
      assert.ok(r.ok);
      // Each order's creation fans out one delivery; two share each instant.
      for (let i = 0; i < 5; i++) {
        await order(m.id);
        if (i % 2 === 1) clock.advance(1000);
      }
      const all = await t.store.read((tx) => tx.listDeliveries({ merchantId: m.id, limit: 100 }));
      const ids = all.map((d) => d.id);
      assert.equal(ids.length, 5);
      await expectWalksBothWays(ids, (direction, after) =>
        t.store.read((tx) =>
          tx.listDeliveries({ merchantId: m.id, direction, limit: 2, ...(after ? { after } : {}) }),
        ),
      );
    });

    it('reads the attempts of many deliveries and the refund requests of many orders at once', async () => {
      const { merchant: m } = await merchant('Batch reads');
      const r = await execute(
        deps,
        createWebhookEndpoint({ merchantId: m.id, url: 'https://example.com/batch', name: null }),
      );
      assert.ok(r.ok);
      const orders = [await order(m.id), await order(m.id), await order(m.id)];
      const deliveries = await t.store.read((tx) =>
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
      await t.store.transaction(async (tx) => {
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

      const attempts = await t.store.read((tx) => tx.listDeliveryAttemptsFor([d1, d0]));
      // Only the listed deliveries, each one's attempts in attempt order, as read one by one.
      assert.equal(attempts.length, 3);
      for (const id of [d0, d1]) {
        assert.deepEqual(
          attempts.filter((a) => a.deliveryId === id),
          await t.store.read((tx) => tx.listDeliveryAttempts(id)),
        );
      }
      assert.deepEqual(
        attempts.filter((a) => a.deliveryId === d1).map((a) => a.attemptNumber),
        [1, 2],
      );
      assert.deepEqual(await t.store.read((tx) => tx.listDeliveryAttemptsFor([])), []);

      const requests = await t.store.read((tx) => tx.listBackdRefundRequestsFor([o1, o0]));
      assert.deepEqual(
        requests.filter((q) => q.orderId === o1).map((q) => q.id),
        [`br-${o1}-a`, `br-${o1}-b`],
      );
      assert.deepEqual(requests.map((q) => q.orderId).sort(), [o0, o1, o1].sort());
      assert.deepEqual(
        requests.filter((q) => q.orderId === o1),
        await t.store.read((tx) => tx.listBackdRefundRequests(o1)),
      );
      assert.deepEqual(await t.store.read((tx) => tx.listBackdRefundRequestsFor([])), []);
    });

    it('records admin actions with the action, in its transaction, append-only', async () => {
      const { merchant: m } = await merchant('Audited');
      const { merchant: other } = await merchant('Audited elsewhere');
      const endpointOf = async (merchantId: string, url: string) => {
        const r = await execute(deps, createWebhookEndpoint({ merchantId, url, name: 'CRM' }));
        assert.ok(r.ok);
        return r.value;
      };
      const endpoint = await endpointOf(m.id, 'https://example.com/audited');
      const otherEndpoint = await endpointOf(other.id, 'https://example.com/elsewhere');
      const since = clock.now();
      const o = await order(m.id);
      await order(other.id);
      const [delivery] = await t.store.read((tx) => tx.listDeliveries({ orderId: o.id, limit: 5 }));
      assert.ok(delivery);
      const audit = (reason: string | null) => ({ actor: admin, reason });
      const actions = (filter: {
        merchantId?: string;
        orderId?: string;
        action?: 'delivery.replayed' | 'webhook.disabled';
        direction?: ListDirection;
      }) => t.store.read((tx) => tx.listAdminActions({ limit: 100, ...filter }));

      // An action whose transaction rolls back leaves no record, and the record none of it.
      await assert.rejects(
        t.store.transaction(async (tx) => {
          const r = await replayDelivery(delivery.id, audit('lost'))(tx, {
            now: clock.now(),
            newId: deps.newId,
          });
          assert.ok(r.ok);
          throw new Error('rolled back after the replay');
        }),
        /rolled back/,
      );
      assert.deepEqual(await actions({ merchantId: m.id }), []);
      const unchanged = await t.store.read((tx) => tx.findDelivery(delivery.id));
      assert.deepEqual(unchanged, delivery);

      clock.advance(1000);
      const replayed = await execute(deps, replayDelivery(delivery.id, audit('CRM is back')));
      assert.ok(replayed.ok);
      clock.advance(1000);
      const disabled = await execute(
        deps,
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
        deps,
        replayEndpointSince(endpoint.id, since, undefined, audit(null)),
      );
      assert.ok(resent.ok);
      await execute(
        deps,
        updateWebhookEndpoint({
          merchantId: other.id,
          endpointId: otherEndpoint.id,
          rotateSecret: true,
          audit: audit('Leaked secret'),
        }),
      );
      // A change without an audit (a merchant's own, through Points) records nothing.
      await execute(
        deps,
        updateWebhookEndpoint({ merchantId: m.id, endpointId: endpoint.id, name: 'Renamed' }),
      );
      // A refused action records nothing.
      const missing = await execute(deps, replayDelivery('no-such-delivery', audit('nothing')));
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
        t.store.read((tx) =>
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
        t.rawExec(`UPDATE admin_actions SET reason = 'x' WHERE id = '${ids[0]}'`),
        /append-only/,
      );
      await assert.rejects(
        t.rawExec(`DELETE FROM admin_actions WHERE id = '${ids[0]}'`),
        /append-only/,
      );
      await assert.rejects(
        t.rawExec(
          `INSERT INTO admin_actions (id, action, actor, reason, merchant_id, order_id, subject_id,
             details, created_at)
           VALUES ('x-${ids[0]}', 'order.refunded', 'admin', NULL, '${m.id}', NULL, 's', '{}', 0)`,
        ),
        /check constraint/i,
      );
      assert.equal((await actions({ merchantId: m.id })).length, 3);
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
