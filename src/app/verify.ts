/**
 * `unwind verify`: recomputes every order from its ledger and checks the invariants, the
 * one-event-per-change rule, the dialects' own facts (their hooks, src/app/dialect-hooks.ts: Backd
 * refund requests' steps, Points wallets against their entries), every stored amount and points
 * figure and every merchant's settings against their bounds (src/domain/bounds.ts), and that
 * events reached the webhook endpoints that existed for them. It reads in pages (keyset over
 * orders) with a fixed number of queries per page (the orders, their ledger sums, their event
 * counts, one per dialect hook), so a million orders take a thousand pages, not a million
 * queries. Figures out of bounds are read as exact text first; the
 * orders holding them are left out of the pages, whose numbers are then all exact.
 */
import { ANNOUNCEMENT_EVENT_TYPES } from '../domain/events.js';
import { orderViolations, settingsViolations } from '../domain/ledger-checks.js';
import { formatCarries } from '../domain/webhooks.js';
import { type AppDeps, query } from './context.js';
import { dialectHooks, type Violation, type ViolationSubject } from './dialect-hooks.js';
import { eventFacts } from './events.js';
import { groupBy } from './group-by.js';
import { LIMITS } from './limits.js';

export type { Violation, ViolationSubject } from './dialect-hooks.js';

/** The subject of a figure out of bounds, by its table. */
const SUBJECT_OF_TABLE: Readonly<Record<string, ViolationSubject>> = {
  orders: 'order',
  transactions: 'transaction',
  points_customers: 'wallet',
  points_customer_entries: 'wallet_entry',
  points_checkout_sessions: 'checkout_session',
  backd_orders: 'backd_order',
  backd_refund_requests: 'refund_request',
  reconciliation_report_rows: 'report_row',
  reconciliation_findings: 'reconciliation_finding',
};

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
  /** UNWIND_DELIVERY_RETENTION_DAYS in ms: older events may have lost their delivered deliveries. */
  readonly deliveryRetentionMs?: number;
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

  await verifyBounds(deps, maxViolations, report);
  const orders = await verifyOrders(deps, options, pageSize, report);
  await verifyDialectTables(deps, maxViolations, report);
  const endpoints = await verifyFanOut(deps, options, maxViolations, report);
  return { orders, endpoints, violations, truncated };
}

/** Every order against its ledger, its events and its dialect's facts, a page at a time. */
async function verifyOrders(
  deps: AppDeps,
  options: VerifyOptions,
  pageSize: number,
  report: (v: Violation) => void,
): Promise<number> {
  let orders = 0;
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await query(deps, async (tx) => {
      const list = await tx.listOrders({
        limit: pageSize,
        withinBounds: true,
        ...(after ? { after } : {}),
      });
      const ids = list.map((o) => o.id);
      const dialectViolations: Violation[] = [];
      for (const hooks of dialectHooks()) {
        const own = list.filter((o) => o.dialect === hooks.dialect);
        dialectViolations.push(...((await hooks.verifyOrders?.(tx, own)) ?? []));
      }
      return {
        list,
        sums: await tx.transactionSums(ids),
        events: await tx.orderEventCounts(ids, ANNOUNCEMENT_EVENT_TYPES),
        dialectViolations,
      };
    });
    page.dialectViolations.forEach(report);
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
    if (!last || page.list.length < pageSize) return orders;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/** The dialects' own tables (Points wallets: each balance is the sum of its entries). */
async function verifyDialectTables(
  deps: AppDeps,
  maxViolations: number,
  report: (v: Violation) => void,
): Promise<void> {
  for (const hooks of dialectHooks()) {
    if (!hooks.verifyTables) continue;
    const verifyTables = hooks.verifyTables;
    (await query(deps, (tx) => verifyTables(tx, maxViolations))).forEach(report);
  }
}

/** Answers the number of live endpoints read. */
async function verifyFanOut(
  deps: AppDeps,
  options: VerifyOptions,
  maxViolations: number,
  report: (v: Violation) => void,
): Promise<number> {
  // Fan-out: an endpoint that was never changed since its creation (so it was enabled all its
  // life) must have a delivery for every later event of its merchant that its format carries.
  // Events in the endpoint's own millisecond are not judged: either order is possible there.
  // A deleted endpoint was changed (deletion sets updatedAt), so only live ones are read.
  // Events older than the delivery retention are not judged: their deliveries may be removed.
  const retained =
    deps.clock.now() -
    (options.deliveryRetentionMs ?? LIMITS.deliveryRetentionDaysDefault * 86_400_000);
  const endpoints = await query(deps, (tx) =>
    tx.listLiveWebhookEndpoints(LIMITS.webhookEndpointsMax * 100),
  );
  for (const endpoint of endpoints) {
    if (!endpoint.enabled || endpoint.updatedAt !== endpoint.createdAt) continue;
    const missing = await query(deps, (tx) =>
      tx.eventsWithoutDelivery(
        endpoint.id,
        endpoint.merchantId,
        Math.max(endpoint.createdAt, retained),
        maxViolations,
      ),
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
  return endpoints.length;
}

/** Stored figures and merchants' settings outside their bounds. */
async function verifyBounds(
  deps: AppDeps,
  maxViolations: number,
  report: (v: Violation) => void,
): Promise<void> {
  const figures = await query(deps, (tx) => tx.figuresOutOfBounds(maxViolations));
  for (const f of figures) {
    report({
      subject: SUBJECT_OF_TABLE[f.table] ?? 'order',
      id: f.id,
      problem: `${f.column} is ${f.value}, outside ${f.min}..${f.max}`,
    });
  }
  let after: { name: string; id: string } | undefined;
  for (;;) {
    const cursor = after;
    const merchants = await query(deps, (tx) => tx.listMerchants(MERCHANT_PAGE_SIZE, cursor));
    for (const m of merchants) {
      for (const problem of settingsViolations(m.settings)) {
        report({ subject: 'merchant', id: m.id, problem });
      }
    }
    const last = merchants.at(-1);
    if (!last || merchants.length < MERCHANT_PAGE_SIZE) return;
    after = { name: last.name, id: last.id };
  }
}

const MERCHANT_PAGE_SIZE = 500;
