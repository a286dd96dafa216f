// Proves that a delivery's body is the event, byte for byte, on SQLite and PostgreSQL: over HTTP
// to a real receiver, each delivery's failed first attempt and its successful retry, an admin
// replay of a delivered delivery, and an endpoint's replay since a time after it was disabled
// and enabled again, all carry the same bytes, in the standard and the Points format. Only the
// `webhook-timestamp` header and the signature follow the attempt; the body's `timestamp` is
// when the event occurred. Every request is verified with `standardwebhooks` (the reference
// implementation from npm) at the test clock's time of its attempt, and with verifyWebhook. An
// event stored before payload times were ISO strings (epoch ms) reads and sends as if it were.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../src/webhooks/verify.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  headerOf,
  type ReceivedRequest,
  type Receiver,
  startReceiver,
} from '../support/receiver.js';
import { referenceVerify } from '../support/standard-webhooks.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

interface EndpointJson {
  id: string;
  secret: string;
}

interface EventJson {
  id: string;
  type: string;
  created_at: string;
}

const FORMATS = { '/a': 'standard', '/b': 'standard', '/p': 'points' } as const;
type Path = keyof typeof FORMATS;

/** A received request with the test clock's time of the attempt that sent it. */
interface Sent {
  readonly path: Path;
  readonly request: ReceivedRequest;
  readonly atMs: number;
}

function suite(factory: StoreFactory, skip?: string) {
  describe(`webhook bodies are the event, byte for byte: ${factory.engine}`, { skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let merchant: string;
    let order: string;
    const endpoints = {} as Record<Path, EndpointJson>;
    const sent: Sent[] = [];
    const start = Date.UTC(2026, 10, 23, 12);

    /** Runs the jobs at the clock's time; records what arrived, each verified at that time. */
    const deliverNow = async (): Promise<Sent[]> => {
      const before = receiver.requests.length;
      await t.call({ method: 'POST', url: '/admin/jobs/run' }, 200);
      const atMs = t.clock.now();
      const fresh = receiver.requests.slice(before).map((request) => {
        const path = request.path as Path;
        const { secret } = endpoints[path];
        const parsed = JSON.parse(request.body) as unknown;
        assert.deepEqual(referenceVerify(secret, request, atMs), parsed, `${path} ${request.body}`);
        const ours = verifyWebhook(secret, request.headers, request.body, {
          nowSeconds: Math.floor(atMs / 1000),
        });
        assert.deepEqual(ours, parsed);
        assert.equal(headerOf(request, 'webhook-timestamp'), String(Math.floor(atMs / 1000)));
        return { path, request, atMs };
      });
      sent.push(...fresh);
      return fresh;
    };
    const advance = (seconds: number) =>
      t.call({ method: 'POST', url: '/admin/clock/advance', payload: { seconds } }, 200);
    const refund = (amountMinor: number) =>
      t.call(
        {
          method: 'POST',
          url: `/admin/orders/${order}/refund`,
          payload: { amount_minor: amountMinor },
        },
        200,
      );
    const setEnabled = (path: Path, enabled: boolean) =>
      t.call(
        {
          method: 'PATCH',
          url: `/admin/merchants/${merchant}/webhooks/${endpoints[path].id}`,
          payload: { enabled },
        },
        200,
      );
    /** What `path` received of `deliveryId`, in order. */
    const bodiesOf = (path: Path, deliveryId: string) =>
      sent
        .filter((s) => s.path === path && headerOf(s.request, 'webhook-id') === deliveryId)
        .map((s) => s.request.body);
    const eventIdOf = (s: Sent): string => {
      const body = JSON.parse(s.request.body) as { data?: { event_id: string } };
      assert.ok(body.data, 'a standard body names its event');
      return body.data.event_id;
    };

    before(async () => {
      t = await startTestApp(factory);
      receiver = await startReceiver({ status: 500 });
      merchant = (
        await t.call<{ id: string }>(
          { method: 'POST', url: '/admin/merchants', payload: { name: 'Same Bytes' } },
          201,
        )
      ).id;
      for (const [path, format] of Object.entries(FORMATS)) {
        endpoints[path as Path] = await t.call<EndpointJson>(
          {
            method: 'POST',
            url: `/admin/merchants/${merchant}/webhooks`,
            payload: { url: `${receiver.url}${path}`, format },
          },
          201,
        );
      }
      order = (
        await t.call<{ id: string }>(
          {
            method: 'POST',
            url: '/admin/orders',
            payload: { merchant_id: merchant, amount_minor: 10_000, capture: 'purchase' },
          },
          201,
        )
      ).id;
      t.clock.advance(250); // the refund occurs at a time with milliseconds
      await refund(1_000);
    });

    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('a failed attempt and its retry carry the same bytes; the body time is the event time', async () => {
      const failed = await deliverNow();
      assert.equal(failed.length, 6, 'two events, three endpoints');
      receiver.answerWith(200);
      await advance(120);
      const retried = await deliverNow();
      assert.equal(retried.length, 6);
      for (const first of failed) {
        const id = headerOf(first.request, 'webhook-id')!;
        const retry = retried.find((s) => headerOf(s.request, 'webhook-id') === id);
        assert.ok(retry, `delivery ${id} was retried`);
        assert.equal(retry.request.body, first.request.body);
        assert.notEqual(
          headerOf(retry.request, 'webhook-timestamp'),
          headerOf(first.request, 'webhook-timestamp'),
        );
        assert.notEqual(
          headerOf(retry.request, 'webhook-signature'),
          headerOf(first.request, 'webhook-signature'),
        );
      }

      const events = (
        await t.call<{ data: EventJson[] }>(
          { method: 'GET', url: `/admin/events?order_id=${order}&limit=50` },
          200,
        )
      ).data;
      assert.deepEqual(
        events.map((e) => e.created_at),
        [new Date(start).toISOString(), new Date(start + 250).toISOString()],
      );
      for (const s of failed) {
        const body = JSON.parse(s.request.body) as {
          timestamp: string;
          data?: { event_id: string };
        };
        if (FORMATS[s.path] === 'standard') {
          const event = events.find((e) => e.id === body.data?.event_id);
          assert.ok(event);
          assert.equal(body.timestamp, event.created_at);
        } else {
          // Points' own shape: to the second.
          assert.equal(body.timestamp, '2026-11-23T12:00:00Z');
        }
      }
    });

    it('an admin replay of a delivered delivery sends the same bytes again', async () => {
      const replayed: Array<{ path: Path; id: string }> = [];
      for (const path of ['/a', '/p'] as const) {
        const id = headerOf(sent.find((s) => s.path === path)!.request, 'webhook-id')!;
        await t.call({ method: 'POST', url: `/admin/deliveries/${id}/replay` }, 202);
        replayed.push({ path, id });
      }
      await advance(3_600);
      const fresh = await deliverNow();
      assert.equal(fresh.length, 2);
      for (const { path, id } of replayed) {
        const bodies = bodiesOf(path, id);
        assert.equal(bodies.length, 3, 'failed, retried, replayed');
        assert.equal(new Set(bodies).size, 1, `${path}: ${bodies.join('\n')}`);
      }
    });

    it('a replay since a time, after disabling and enabling, sends each event as first sent', async () => {
      await setEnabled('/a', false);
      await advance(60);
      await refund(500); // while /a is disabled: no delivery to it
      const whileDisabled = await deliverNow();
      assert.deepEqual(whileDisabled.map((s) => s.path).sort(), ['/b', '/p']);
      await advance(7_200);
      await setEnabled('/a', true);
      const replay = await t.call<{ reset: number; created: number }>(
        {
          method: 'POST',
          url: `/admin/webhooks/${endpoints['/a'].id}/replay`,
          payload: { since: new Date(start - 1).toISOString() },
        },
        202,
      );
      assert.deepEqual([replay.reset, replay.created], [2, 1]);
      const again = await deliverNow();
      assert.equal(again.length, 3);
      const firstBodyOf = (path: Path, eventId: string) =>
        sent.find((s) => s.path === path && eventIdOf(s) === eventId)?.request.body;
      for (const s of again) {
        const eventId = eventIdOf(s);
        // The same bytes as the other standard endpoint got, whenever it got them.
        assert.equal(s.request.body, firstBodyOf('/b', eventId));
        assert.equal(s.request.body, firstBodyOf('/a', eventId));
      }
    });

    it('an event stored with epoch-ms times (before they were ISO) reads and sends as ISO', async () => {
      // Events are append-only, so the old shape is written as a new row: a copy of the refund's
      // event, under another id and no order, with its order snapshot's times in epoch ms.
      const [stored] = (await t.testStore.rawRows('events')).filter(
        (row) => String(row['type']) === 'order.refunded',
      );
      assert.ok(stored);
      const payload = JSON.parse(String(stored['payload'])) as { order: Record<string, unknown> };
      for (const field of ['captured_at', 'created_at', 'updated_at']) {
        payload.order[field] = Date.parse(String(payload.order[field]));
      }
      const copy = crypto.randomUUID();
      const text = (v: unknown) => (v === null ? 'NULL' : `'${String(v).replaceAll("'", "''")}'`);
      await t.testStore.rawExec(
        `INSERT INTO events (id, merchant_id, order_id, type, actor, reason, status_before,
           status_after, idempotency_key, request_fingerprint, payload, created_at)
         VALUES (${text(copy)}, ${text(merchant)}, NULL, 'order.refunded', ${text(stored['actor'])},
           NULL, ${text(stored['status_before'])}, ${text(stored['status_after'])}, NULL, NULL,
           ${text(JSON.stringify(payload))}, ${Number(stored['created_at'])})`,
      );

      const shown = await t.call<{ data: Array<{ id: string; payload: typeof payload }> }>(
        { method: 'GET', url: `/admin/events?merchant_id=${merchant}&limit=50` },
        200,
      );
      const payloadOf = (id: unknown) => shown.data.find((e) => e.id === id)?.payload;
      assert.deepEqual(payloadOf(copy), payloadOf(stored['id']));
      assert.equal(payloadOf(copy)?.order['created_at'], new Date(start).toISOString());

      // Sent as the original was, but for its event id (every endpoint gets its delivery).
      for (const endpoint of Object.values(endpoints)) {
        await t.call(
          {
            method: 'POST',
            url: `/admin/webhooks/${endpoint.id}/replay`,
            payload: { since: new Date(Number(stored['created_at']) - 1).toISOString() },
          },
          202,
        );
      }
      await advance(60);
      const again = await deliverNow();
      const legacy = again.find((s) => s.path === '/b' && eventIdOf(s) === copy);
      const first = sent.find((s) => s.path === '/b' && eventIdOf(s) === stored['id']);
      assert.ok(legacy && first);
      assert.equal(legacy.request.body, first.request.body.replace(String(stored['id']), copy));
    });
  });
}

suite(sqliteFactory);
suite(postgresFactory, await postgresSkipReason());
