/**
 * The crash drill: a load of refunds and order creations runs against a real server process
 * while it is killed with SIGKILL at random moments and restarted each time. At the end:
 *  - every acknowledged (2xx) refund and order is in the ledger;
 *  - `verifyLedger` finds no violation;
 *  - every event was delivered to the webhook receiver (at least once).
 *
 *   npm run drill:crash -- [--kills 20] [--store sqlite|postgres|both]
 * `test/e2e/crash-drill.test.ts` runs it in a bounded mode on both stores.
 */
import crypto from 'node:crypto';
import { systemClock } from '../../src/app/clocks.js';
import { uuidV7Generator } from '../../src/app/ids.js';
import { verifyLedger, type Violation } from '../../src/app/verify.js';
import { DELIVERY_LEASE_MS_MIN } from '../../src/config.js';
import { startReceiver } from '../support/receiver.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import {
  postgresFactory,
  postgresUnavailable,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

export interface CrashDrillOptions {
  readonly factory: StoreFactory;
  readonly kills: number;
  /** Concurrent request loops during each cycle. */
  readonly clients?: number;
  /** Random time each cycle runs before the kill, in ms. */
  readonly cycleMs?: readonly [number, number];
  readonly log?: (line: string) => void;
}

export interface CrashDrillReport {
  readonly store: string;
  readonly kills: number;
  readonly acknowledgedRefunds: number;
  readonly acknowledgedOrders: number;
  readonly missingRefunds: readonly string[];
  readonly missingOrders: readonly string[];
  readonly violations: readonly Violation[];
  readonly undeliveredEvents: number;
  readonly events: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCrashDrill(o: CrashDrillOptions): Promise<CrashDrillReport> {
  const log = o.log ?? (() => undefined);
  const clients = o.clients ?? 6;
  const [minMs, maxMs] = o.cycleMs ?? [150, 700];
  const testStore = await o.factory.create();
  const receiver = await startReceiver({ status: 200 });
  let server: ServerProcess | null = null;
  try {
    // The shortest claim lease, so deliveries claimed by a killed server are sent again sooner
    // than the production minute; private delivery, since the receiver is on 127.0.0.1.
    const start = () =>
      startServer({
        env: {
          ...testStore.env,
          UNWIND_DELIVERY_LEASE_MS: String(DELIVERY_LEASE_MS_MIN),
          UNWIND_WEBHOOK_ALLOW_PRIVATE: '1',
        },
        logLevel: 'warn',
      });
    server = await start();
    const merchant = (await server.http('POST', '/admin/merchants', { name: 'Drill' })).body as {
      id: string;
    };
    const endpoint = await server.http('POST', `/admin/merchants/${merchant.id}/webhooks`, {
      url: `${receiver.url}/hook`,
    });
    if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.status}`);
    const orderIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await server.http('POST', '/admin/orders', {
        merchant_id: merchant.id,
        amount_minor: 100_000_000,
      });
      orderIds.push((r.body as { id: string }).id);
    }

    const ackRefunds = new Map<string, string>(); // transaction id → order id
    const ackOrders = new Set<string>(orderIds);
    for (let cycle = 0; cycle < o.kills; cycle++) {
      const current = server;
      let running = true;
      const loops = Array.from({ length: clients }, async (_, client) => {
        while (running) {
          try {
            if (client === 0) {
              const r = await current.http(
                'POST',
                '/admin/orders',
                {
                  merchant_id: merchant.id,
                  amount_minor: 1_000,
                },
                { timeoutMs: 2000 },
              );
              if (r.status === 201) ackOrders.add((r.body as { id: string }).id);
            } else {
              const orderId = orderIds[crypto.randomInt(orderIds.length)]!;
              const r = await current.http(
                'POST',
                `/admin/orders/${orderId}/refund`,
                {
                  amount_minor: 1 + crypto.randomInt(100),
                },
                { timeoutMs: 2000 },
              );
              if (r.status === 200) {
                for (const t of (r.body as { transactions: { id: string; type: string }[] })
                  .transactions) {
                  if (t.type === 'refund') ackRefunds.set(t.id, orderId);
                }
              }
            }
          } catch {
            // The server died under this request: it may or may not have committed, and it
            // was not acknowledged, so the drill promises nothing about it.
          }
        }
      });
      // Kill at a random moment, but never before this cycle's load has had a refund
      // acknowledged: on a loaded machine one refund can outlast the whole window, and a drill
      // that acknowledged nothing proves nothing.
      const ackedBefore = ackRefunds.size;
      await sleep(minMs + crypto.randomInt(maxMs - minMs));
      const ackDeadline = Date.now() + 60_000;
      while (ackRefunds.size === ackedBefore) {
        if (Date.now() > ackDeadline) throw new Error('no refund acknowledged within 60 s');
        await sleep(10);
      }
      current.kill('SIGKILL');
      await current.waitForExit();
      running = false;
      await Promise.all(loops);
      log(
        `kill ${cycle + 1}/${o.kills}: ${ackRefunds.size} refunds and ${ackOrders.size} orders acknowledged so far`,
      );
      server = await start();
    }

    // Let the dispatcher of the last server deliver everything that is due.
    // Claims of the last killed server come due after the lease, then are sent.
    const deadline = Date.now() + DELIVERY_LEASE_MS_MIN + 30_000;
    for (;;) {
      const pending = await server.http('GET', '/admin/deliveries?status=pending&limit=1');
      if ((pending.body as { data: unknown[] }).data.length === 0 || Date.now() > deadline) break;
      await sleep(200);
    }

    const store = testStore.store;
    const missingRefunds: string[] = [];
    const byOrder = new Map<string, string[]>();
    for (const [txId, orderId] of ackRefunds)
      byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), txId]);
    for (const [orderId, txIds] of byOrder) {
      const rows = new Set(
        (await store.read((tx) => tx.listTransactions(orderId))).map((r) => r.id),
      );
      for (const id of txIds) if (!rows.has(id)) missingRefunds.push(id);
    }
    const missingOrders: string[] = [];
    for (const id of ackOrders) {
      if (!(await store.read((tx) => tx.findOrder(id)))) missingOrders.push(id);
    }
    const report = await verifyLedger({
      store,
      clock: systemClock,
      newId: uuidV7Generator(systemClock),
    });
    const events = await testStore.rawRows('events');
    const delivered = new Set(
      (await testStore.rawRows('deliveries'))
        .filter((d) => d['status'] === 'delivered')
        .map((d) => String(d['event_id'])),
    );
    const received = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    const deliveryIds = (await testStore.rawRows('deliveries'))
      .filter((d) => d['status'] === 'delivered')
      .map((d) => String(d['id']));
    const notReceived = deliveryIds.filter((id) => !received.has(id)).length;
    return {
      store: o.factory.engine,
      kills: o.kills,
      acknowledgedRefunds: ackRefunds.size,
      acknowledgedOrders: ackOrders.size,
      missingRefunds,
      missingOrders,
      violations: report.violations,
      undeliveredEvents: events.filter((e) => !delivered.has(String(e['id']))).length + notReceived,
      events: events.length,
    };
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await server.waitForExit().catch(() => undefined);
    }
    await receiver.close();
    await testStore.cleanup();
  }
}

const isMain = process.argv[1]?.endsWith('crash-drill.js') ?? false;
if (isMain) {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1]! : fallback;
  };
  const kills = Number(arg('kills', '20'));
  const which = arg('store', 'both');
  const factories = [
    ...(which !== 'postgres' ? [sqliteFactory] : []),
    ...(which !== 'sqlite' && (await postgresUnavailable()) === null ? [postgresFactory] : []),
  ];
  let failed = false;
  for (const factory of factories) {
    const started = Date.now();
    const report = await runCrashDrill({
      factory,
      kills,
      log: (l) => console.log(`[${factory.engine}] ${l}`),
    });
    const ok =
      report.missingRefunds.length === 0 &&
      report.missingOrders.length === 0 &&
      report.violations.length === 0 &&
      report.undeliveredEvents === 0;
    failed ||= !ok;
    console.log(
      `[${factory.engine}] ${ok ? 'PASS' : 'FAIL'} kills=${report.kills} acknowledged refunds=${report.acknowledgedRefunds} orders=${report.acknowledgedOrders} missing=${report.missingRefunds.length + report.missingOrders.length} violations=${report.violations.length} events=${report.events} undelivered=${report.undeliveredEvents} (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    for (const v of report.violations.slice(0, 20))
      console.log(`  ${v.subject} ${v.id}: ${v.problem}`);
  }
  process.exit(failed ? 1 : 0);
}
