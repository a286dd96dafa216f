/**
 * `unwind verify`: recomputes every order from its ledger and checks the invariants, the
 * one-event-per-change rule, Backd refund requests' steps, Points wallets against their entries,
 * and that events reached the webhook endpoints that existed for them. It reads in pages (keyset
 * over orders) with a fixed number of queries per page (the orders, their ledger sums, their event
 * counts, their Backd refund requests), so a million orders take a thousand pages, not a million
 * queries.
 */
import { ANNOUNCEMENT_EVENT_TYPES } from '../domain/events.js';
import { orderViolations, refundRequestViolations } from '../domain/ledger-checks.js';
import { formatCarries } from '../domain/webhooks.js';
import { type AppDeps, query } from './context.js';
import { eventFacts } from './events.js';
import { groupBy } from './group-by.js';
import { LIMITS } from './limits.js';

export interface Violation {
  /** What kind of thing is wrong: `order`, `webhook`. */
  readonly subject: 'order' | 'refund_request' | 'wallet' | 'webhook';
  readonly id: string;
  readonly problem: string;
}

export interface VerifyReport {
  readonly orders: number;
  /** Live (not deleted) webhook endpoints read for the fan-out check. */
  readonly endpoints: number;
  readonly violations: readonly Violation[];
  /** True when more violations existed than were kept. */
  readonly truncated: boolean;
}

export interface VerifyOptions {
  readonly pageSize?: number;
  readonly maxViolations?: number;
  readonly onProgress?: (ordersChecked: number) => void;
}

export async function verifyLedger(
  deps: AppDeps,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 1000;
  const maxViolations = options.maxViolations ?? 1000;
  const violations: Violation[] = [];
  let truncated = false;
  const report = (v: Violation) => {
    if (violations.length < maxViolations) violations.push(v);
    else truncated = true;
  };

  let orders = 0;
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await query(deps, async (tx) => {
      const list = await tx.listOrders({ limit: pageSize, ...(after ? { after } : {}) });
      const ids = list.map((o) => o.id);
      const backd = list.filter((o) => o.dialect === 'backd');
      return {
        list,
        sums: await tx.transactionSums(ids),
        events: await tx.orderEventCounts(ids, ANNOUNCEMENT_EVENT_TYPES),
        refundRequests: await tx.listBackdRefundRequestsFor(backd.map((o) => o.id)),
      };
    });
    const requestsByOrder = groupBy(page.refundRequests, (r) => r.orderId);
    for (const order of page.list) {
      if (order.dialect !== 'backd') continue;
      for (const v of refundRequestViolations(order, requestsByOrder.get(order.id) ?? [])) {
        report({ subject: 'refund_request', id: v.id, problem: v.problem });
      }
    }
    const sumsByOrder = groupBy(page.sums, (s) => s.orderId);
    const eventsByOrder = new Map(page.events.map((e) => [e.orderId, e.count]));
    for (const order of page.list) {
      const problems = orderViolations(
        order,
        sumsByOrder.get(order.id) ?? [],
        eventsByOrder.get(order.id) ?? 0,
      );
      for (const problem of problems) report({ subject: 'order', id: order.id, problem });
    }
    orders += page.list.length;
    options.onProgress?.(orders);
    const last = page.list.at(-1);
    if (!last || page.list.length < pageSize) break;
    after = { createdAt: last.createdAt, id: last.id };
  }

  // Points wallets: each balance is the sum of its append-only entries.
  const wallets = await query(deps, (tx) => tx.walletMismatches(maxViolations));
  for (const w of wallets) {
    report({
      subject: 'wallet',
      id: w.phone,
      problem: `balance ${w.balance} but the entries sum to ${w.entriesSum}`,
    });
  }

  // Fan-out: an endpoint that was never changed since its creation (so it was enabled all its
  // life) must have a delivery for every later event of its merchant that its format carries.
  // Events in the endpoint's own millisecond are not judged: either order is possible there.
  // A deleted endpoint was changed (deletion sets updatedAt), so only live ones are read.
  const endpoints = await query(deps, (tx) =>
    tx.listLiveWebhookEndpoints(LIMITS.webhookEndpointsMax * 100),
  );
  for (const endpoint of endpoints) {
    if (!endpoint.enabled || endpoint.updatedAt !== endpoint.createdAt) continue;
    const missing = await query(deps, (tx) =>
      tx.eventsWithoutDelivery(endpoint.id, endpoint.merchantId, endpoint.createdAt, maxViolations),
    );
    for (const event of missing) {
      if (formatCarries(endpoint.format, eventFacts(event))) {
        report({
          subject: 'webhook',
          id: event.id,
          problem: `event has no delivery to endpoint ${endpoint.id}`,
        });
      }
    }
  }
  return { orders, endpoints: endpoints.length, violations, truncated };
}
