// The operator dashboard in a real browser (Chromium driven by Playwright) against a real
// `unwind serve` process, on SQLite and on PostgreSQL. Everything the operator does goes through
// the page; the test seeds data and moves the test clock and the jobs over the admin and Points
// APIs, and checks the outcome there too. The flow: a wrong token is refused, then sign-in; find
// an order by its order_number; refund part of it with a reason (the browser refuses a bad
// amount first); watch its webhook delivery turn "delivered" without a reload; a Backd order's
// refund request (no plain Refund: withdraw the draft, submit another); replay a dead delivery
// from the webhooks page; upload a settlement report, which runs only once the merchant and face
// are chosen, see the dry run and apply it (the order missing from the report is auto-refunded
// after its grace period; another face's order is an unknown order); the overview charts; the
// Arabic interface (right to left); a phone-sized screen; an ended session. A screenshot of every
// page goes to test-artifacts/dashboard/<store>-<page>.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityProblems,
  type BrowserSession,
  chromiumSkipReason,
  eventually,
  fact,
  launchBrowser,
  textOf,
} from '../support/browser.js';
import { confirmedBackdOrder } from '../support/dashboard-fixture.js';
import { letDeliveriesDie } from '../support/dead-deliveries.js';
import { chooseAdminToken } from '../support/dashboard-sign-in.js';
import { redeemAndComplete } from '../support/points.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import {
  E2E_ADMIN_TOKEN,
  killAllServers,
  type ServerProcess,
  startServer,
} from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

/** Where the test clock stands when the suite starts. */
const START = '2026-11-23T12:00:00.000Z';
/** The viewer's zone: neither UTC nor Chicago, so every zone conversion shows. */
const VIEWER_ZONE = 'Asia/Riyadh';
const ORDER_NUMBER = 'DASH-1001';
const PHONE = '512345678';
const REPORT_HEADER = 'order_reference,transaction_reference,type,amount,currency,settled_at';
/** An order event type as the English dashboard says it: `order.refunded` is "order refunded". */
const eventWords = (type: string) => type.replace('.', ' ');

function dashboardSuite(factory: StoreFactory, skip?: string) {
  describe(`dashboard in a browser: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let server: ServerProcess;
    let hooks: Receiver;
    let failing: Receiver;
    let browser: BrowserSession;
    let page: Page;
    let merchantId: string;
    let orderId: string;
    let deadEndpointId: string;
    const redeemed: string[] = [];
    /** Every page that gets a screenshot also gets the automated accessibility pass. */
    const shot = async (name: string) => {
      assert.deepEqual(await accessibilityProblems(page), [], `accessibility of ${name}`);
      await browser.screenshot(`${factory.engine}-${name}`);
    };
    const url = (path: string) => `${server.url}/dashboard${path}`;
    const runJobs = () => server.call('POST', '/admin/jobs/run', undefined, 200);
    const advance = (seconds: number) =>
      server.call('POST', '/admin/clock/advance', { seconds }, 200);
    const heading = () => page.getByRole('heading', { level: 1 });
    const nav = (name: string) =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
    const dialog = () => page.locator('dialog[open]');
    // Expressions run in the page, as text: this compilation has no DOM types.
    const inPage = <T>(expression: string) => page.evaluate<T>(expression);

    before(async () => {
      store = await factory.create();
      hooks = await startReceiver();
      failing = await startReceiver({ status: 500 });
      server = await startServer({
        env: { ...store.env, UNWIND_TEST_CLOCK: '1', UNWIND_WORKERS: '0' },
        logLevel: 'warn',
      });
      // 26 orders an hour before START, a second apart, nothing captured: the paging fixture.
      const bulk = await server.call('POST', '/admin/merchants', { name: 'Bulk Bazaar' }, 201);
      for (let n = 1; n <= 26; n++) {
        const at = new Date(Date.parse(START) - 3600_000 + n * 1000).toISOString();
        await server.call('POST', '/admin/clock', { now: at }, 200);
        await server.call(
          'POST',
          '/admin/orders',
          {
            merchant_id: bulk.id,
            amount_minor: 1000 + n,
            capture: 'none',
            order_number: `BULK-${String(n).padStart(2, '0')}`,
          },
          201,
        );
      }
      await server.call('POST', '/admin/clock', { now: START }, 200);

      const merchant = await server.call('POST', '/admin/merchants', { name: 'Oud & Amber' }, 201);
      merchantId = merchant.id;
      const points = merchant.credentials.points as { api_key: string; public_key: string };
      await server.call(
        'POST',
        `/admin/merchants/${merchantId}/webhooks`,
        { url: `${hooks.url}/hooks`, name: 'Shop backend' },
        201,
      );
      // Answers 500 to everything; the Points policy gives up after three attempts.
      const dead = await server.call(
        'POST',
        `/admin/merchants/${merchantId}/webhooks`,
        { url: `${failing.url}/flaky`, name: 'Flaky CRM', retry_policy: 'points' },
        201,
      );
      deadEndpointId = dead.id;

      const order = await server.call(
        'POST',
        '/admin/orders',
        { merchant_id: merchantId, amount_minor: 10_000, order_number: ORDER_NUMBER },
        201,
      );
      orderId = order.id;
      // Another order, so the search has something to leave out.
      await server.call(
        'POST',
        '/admin/orders',
        { merchant_id: merchantId, amount_minor: 4_200, order_number: 'DASH-1002' },
        201,
      );

      // Two Points redeem orders, paid at the hosted checkout and completed (captured) at START.
      await server.call(
        'POST',
        '/admin/points/customers',
        { phone_number: PHONE, balance: 1000 },
        201,
      );
      for (const n of [1, 2]) {
        redeemed.push(
          await redeemAndComplete(
            server,
            points,
            { total_price: 50, order_number: `REDEEM-${n}` },
            { phoneNumber: PHONE, redeemPoints: 100 },
          ),
        );
      }

      // Deliver what is due, then let the flaky endpoint's deliveries die: 3 attempts each, 10 s
      // and 60 s apart (with ±20% jitter), one probe per pause once its circuit opens.
      await letDeliveriesDie(server, merchantId, deadEndpointId);
      const deadOnes = await server.call(
        'GET',
        `/admin/deliveries?endpoint_id=${deadEndpointId}&status=dead`,
        undefined,
        200,
      );
      assert.ok(deadOnes.data.length > 0, 'the flaky endpoint has dead deliveries');

      browser = await launchBrowser({ timezoneId: VIEWER_ZONE });
      page = browser.page;
    });

    after(async () => {
      await browser?.close();
      await server?.stop().catch(() => undefined);
      await killAllServers();
      await hooks?.close();
      await failing?.close();
      await store?.cleanup();
    });

    it('refuses a wrong token with a visible error, then signs in', async () => {
      await page.goto(url('/'));
      // Operators sign in by name (test/e2e/operators-browser.test.ts); the bootstrap token too.
      await chooseAdminToken(page);
      await page.getByLabel('Admin token').fill('unwind_admin_not_the_token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const error = page.locator('#sign-in-error');
      await error.waitFor();
      assert.match(await textOf(error), /not valid/);
      assert.equal(await page.getByLabel('Admin token').getAttribute('aria-invalid'), 'true');
      await shot('signin');

      await page.getByLabel('Admin token').fill(E2E_ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await nav('Overview').waitFor();
      assert.equal(await textOf(heading()), 'Overview');
      // The session is a cookie the page's scripts cannot read.
      const cookies = await browser.context.cookies();
      const session = cookies.find((c) => c.name === 'unwind_session');
      assert.ok(session, 'session cookie set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');
      assert.equal(await inPage<string>('document.cookie'), '');
    });

    it('filters by merchant, face and status, newest first, with pages that back, forward and reload keep', async () => {
      await page.goto(url('/orders'));
      await page.getByLabel('Merchant', { exact: true }).selectOption({ label: 'Bulk Bazaar' });
      await page.getByLabel('Face', { exact: true }).selectOption('admin');
      await page.getByLabel('Status', { exact: true }).selectOption('pending');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/status=pending/);
      const query = new URL(page.url()).searchParams;
      assert.equal(query.get('dialect'), 'admin');
      assert.ok(query.get('merchant_id'));
      const rows = page.locator('table.responsive tbody tr');
      const numbers = async () =>
        (await rows.locator('td.primary').allInnerTexts()).map((t) => t.trim());
      const expectPage = async (what: string, first: string, count: number) =>
        eventually(what, numbers, (n) => n[0] === first && n.length === count);
      const pager = page.locator('nav.pager');
      const previous = pager.getByRole('button', { name: 'Previous page' });
      const next = pager.getByRole('button', { name: 'Next page' });

      const firstPage = await expectPage('page 1, newest first', 'BULK-26', 25);
      assert.equal(firstPage.at(-1), 'BULK-02');
      assert.equal(await previous.isDisabled(), true);
      await next.click();
      await expectPage('page 2', 'BULK-01', 1);
      assert.equal(await next.isDisabled(), true);
      assert.match(page.url(), /cursor=/);

      await page.goBack();
      await expectPage('page 1 after Back', 'BULK-26', 25);
      await page.goForward();
      await expectPage('page 2 after Forward', 'BULK-01', 1);
      await page.reload();
      await expectPage('page 2 after a reload', 'BULK-01', 1);
      assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'pending');
      assert.equal(await previous.isDisabled(), false);
      await previous.click();
      await expectPage('page 1 by Previous', 'BULK-26', 25);
      assert.equal(await previous.isDisabled(), true);
    });

    it('finds an order by its order_number; the URL keeps the search', async () => {
      await nav('Overview').click();
      await nav('Orders').click();
      await eventually(
        'the Orders heading focused',
        () => inPage<string>("document.activeElement?.id ?? ''"),
        (id) => id === 'page-title',
      );
      await page.getByRole('searchbox', { name: 'Search' }).fill(ORDER_NUMBER);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/dashboard\/orders\?q=DASH-1001$/);
      const rows = page.locator('table.responsive tbody tr');
      await eventually(
        'one matching row',
        () => rows.count(),
        (n) => n === 1,
      );
      assert.match(
        await textOf(rows.first()),
        /DASH-1001.*Oud & Amber.*Admin.*captured.*SAR\s?100\.00/,
      );
      await shot('orders');

      // A reload keeps the search.
      await page.reload();
      await eventually(
        'the search after a reload',
        () => rows.count(),
        (n) => n === 1,
      );
      assert.equal(
        await page.getByRole('searchbox', { name: 'Search' }).inputValue(),
        ORDER_NUMBER,
      );

      await rows.first().getByRole('link', { name: ORDER_NUMBER }).click();
      await page.waitForURL(new RegExp(`/dashboard/orders/${orderId}$`));
      await eventually(
        'the order title',
        () => textOf(heading()),
        (t) => t === `Order ${ORDER_NUMBER}`,
      );
      assert.equal(await textOf(fact(page, 'Captured')), 'SAR 100.00');
      assert.equal(await textOf(fact(page, 'Refundable')), 'SAR 100.00');
      assert.equal(await textOf(fact(page, 'Refunded')), 'SAR 0.00');
    });

    it('refunds part of the order with a reason; its delivery turns delivered without a reload', async () => {
      const refundButton = page.getByRole('button', { name: 'Refund', exact: true });
      // Esc closes the dialog and gives focus back to the button that opened it.
      await refundButton.click();
      await dialog().waitFor();
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      assert.equal(await inPage<string>('document.activeElement?.textContent'), 'Refund');

      await refundButton.click();
      const d = dialog();
      assert.equal(await textOf(d.getByRole('heading')), `Refund order ${ORDER_NUMBER}`);
      await d.getByLabel('Partial refund').check();
      const amount = d.getByLabel('Amount in SAR');
      const reason = d.getByLabel('Reason (required)');
      const confirm = d.getByRole('button', { name: 'Refund', exact: true });
      assert.match(await textOf(d.locator('#refund-amount-help')), /Refundable: SAR 100\.00/);

      // Refused in the browser, next to the field, with nothing sent.
      await amount.fill('12.345');
      await reason.fill('Customer returned one bottle');
      await confirm.click();
      const amountError = d.locator('#refund-amount-error');
      await eventually(
        'the decimals error',
        () => textOf(amountError),
        (t) => t === 'SAR has 2 decimal places at most.',
      );
      assert.equal(await amount.getAttribute('aria-invalid'), 'true');
      await amount.fill('100.01');
      await confirm.click();
      await eventually(
        'the refundable error',
        () => textOf(amountError),
        (t) => /exceeds the refundable SAR 100\.00/.test(t),
      );
      // A reason of spaces is no reason.
      await amount.fill('25.50');
      await reason.fill('   ');
      await confirm.click();
      await eventually(
        'the reason error',
        () => textOf(d.locator('#dialog-reason-error')),
        (t) => t === 'Give the reason for this action.',
      );
      const before = await server.call('GET', `/admin/orders/${orderId}`, undefined, 200);
      assert.equal(before.refunded_minor, 0, 'nothing was sent');

      await reason.fill('Customer returned one bottle');
      await shot('refund-dialog');
      // The first answer is lost on the way back (the server did refund); the operator confirms
      // again, and the retry carries the same Idempotency-Key, so the refund happens once.
      const sent: Record<string, string>[] = [];
      let lose = true;
      await page.route(`**/admin/orders/${orderId}/refund`, async (route) => {
        sent.push(route.request().headers());
        if (!lose) return route.continue();
        lose = false;
        await route.fetch();
        await route.abort('connectionreset');
      });
      await confirm.click();
      await eventually(
        'the lost answer shown',
        () => textOf(d.locator('.error')),
        (t) => /Something went wrong/.test(t),
      );
      await confirm.click();
      await dialog().waitFor({ state: 'detached' });
      await page.unroute(`**/admin/orders/${orderId}/refund`);
      assert.equal(sent.length, 2);
      assert.match(sent[0]!['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(sent[1]!['idempotency-key'], sent[0]!['idempotency-key']);
      assert.match(sent[0]!['x-csrf-token'] ?? '', /^[A-Za-z0-9_-]{43}$/);
      await eventually(
        'the announcement',
        () => textOf(page.getByRole('status').first()),
        (t) => t === `Refunded SAR 25.50 on order ${ORDER_NUMBER}.`,
      );
      await eventually(
        'the new totals',
        () => textOf(fact(page, 'Refunded')),
        (t) => t === 'SAR 25.50',
      );
      assert.equal(await textOf(fact(page, 'Refundable')), 'SAR 74.50');
      assert.equal(await inPage<string>('document.activeElement?.textContent'), 'Refund');

      // The server recorded the refund by the admin with the reason, once.
      const events = await server.call(
        'GET',
        `/admin/events?order_id=${orderId}&type=order.refunded`,
        undefined,
        200,
      );
      assert.equal(events.data.length, 1);
      assert.equal(events.data[0].actor, 'admin');
      assert.equal(events.data[0].reason, 'Customer returned one bottle');

      // The timeline shows the refund row and its event, and the delivery to the shop, pending.
      const timeline = page.locator('ol.timeline');
      await timeline.locator('li', { hasText: 'Ledger: refund' }).waitFor();
      const refundEvent = timeline.locator('li.entry-event', { hasText: 'Event: order refunded' });
      assert.match(
        await textOf(refundEvent),
        /admin.*Customer returned one bottle.*captured → partially refunded/,
      );
      const delivery = (
        await server.call(
          'GET',
          `/admin/deliveries?order_id=${orderId}&type=order.refunded`,
          undefined,
          200,
        )
      ).data.find((x: { endpoint_id: string }) => x.endpoint_id !== deadEndpointId);
      assert.ok(delivery, 'a delivery of order.refunded to the shop');
      const entry = timeline.locator(`li[data-delivery-id="${delivery.id}"]`);
      assert.match(await textOf(entry.locator('.badge')), /pending/);
      assert.match(await textOf(page.locator('main')), /this page updates by itself/);
      await shot('order');

      // The dispatcher runs; the page polls and shows the delivered attempt on its own.
      const seen = hooks.requests.length;
      await runJobs();
      await hooks.waitForRequests(seen + 1);
      await eventually(
        'the delivery shown as delivered',
        () => textOf(entry.locator('.badge')),
        (t) => /delivered/.test(t),
      );
      assert.match(await textOf(entry.locator('tbody tr').first()), /Attempt 1.*200.*ms/);
    });

    it('replays a dead delivery from the webhooks page', async () => {
      // The refund's delivery to the flaky endpoint fails too: it dies, and the endpoint's circuit
      // pause ends, so the replay below goes at once.
      await letDeliveriesDie(server, merchantId, deadEndpointId);
      await nav('Webhooks').click();
      await page.getByLabel('Merchant', { exact: true }).selectOption({ label: 'Oud & Amber' });
      await page.waitForURL(new RegExp(`/dashboard/webhooks\\?merchant_id=${merchantId}$`));
      const endpoints = page.locator('section[aria-labelledby="endpoints-title"] tbody tr');
      await eventually(
        'two endpoints',
        () => endpoints.count(),
        (n) => n === 2,
      );
      const flaky = endpoints.filter({ hasText: 'Flaky CRM' });
      // Health: every attempt to the flaky endpoint failed, with the last failure shown.
      assert.match(await textOf(flaky), /0%.*500/);
      assert.match(await textOf(endpoints.filter({ hasText: 'Shop backend' })), /100%/);

      const log = page.locator('section[aria-labelledby="log-title"]');
      await log.getByLabel('Status').selectOption('dead');
      await log.getByLabel('Endpoint').selectOption({ label: 'Flaky CRM' });
      const asked = page.waitForRequest((r) => r.url().includes('/admin/deliveries?'));
      await log.getByRole('button', { name: 'Apply filters' }).click();
      // The log reads newest first.
      assert.equal(new URL((await asked).url()).searchParams.get('order'), 'desc');
      const rows = log.locator('tbody tr');
      await eventually(
        'only dead rows',
        async () => (await rows.allInnerTexts()).join('|'),
        (t) => t !== '' && !/pending|delivered/.test(t),
      );
      const deadRows = await rows.count();
      const newestFirst = await server.call(
        'GET',
        `/admin/deliveries?endpoint_id=${deadEndpointId}&status=dead&order=desc&limit=25`,
        undefined,
        200,
      );
      assert.deepEqual(
        (await rows.locator('td.primary').allInnerTexts()).map((x) => x.trim()),
        newestFirst.data.map((d: { event_type: string }) => eventWords(d.event_type)),
      );
      await shot('webhooks');

      failing.answerWith(200);
      const firstRow = rows.first();
      const eventType = newestFirst.data[0].event_type as string;
      assert.equal(await textOf(firstRow.locator('td').first()), eventWords(eventType));
      await firstRow.getByRole('button', { name: /^Replay/ }).click();
      await dialog().getByLabel('Reason (required)').fill('CRM is back up');
      await dialog().getByRole('button', { name: 'Replay delivery' }).click();
      await dialog().waitFor({ state: 'detached' });
      await eventually(
        'the announcement',
        () => textOf(page.getByRole('status').first()),
        (t) => t === `Delivery of ${eventWords(eventType)} queued again.`,
      );
      await eventually(
        'one dead row fewer',
        () => rows.count(),
        (n) => n === deadRows - 1,
      );

      const seen = failing.requests.length;
      await runJobs();
      await failing.waitForRequests(seen + 1);
      const delivered = await server.call(
        'GET',
        `/admin/deliveries?endpoint_id=${deadEndpointId}&status=delivered`,
        undefined,
        200,
      );
      assert.equal(delivered.data.length, 1);
      assert.equal(delivered.data[0].event_type, eventType);
      // The server recorded the replay with the admin as the actor and the reason typed.
      const replays = await server.call(
        'GET',
        `/admin/actions?merchant_id=${merchantId}&action=delivery.replayed`,
        undefined,
        200,
      );
      assert.equal(replays.data.length, 1);
      const replayAction = replays.data[0];
      assert.equal(replayAction.actor, 'admin');
      assert.equal(replayAction.reason, 'CRM is back up');
      assert.equal(replayAction.subject_id, delivered.data[0].id);
      assert.equal(replayAction.order_id, delivered.data[0].order_id);
      assert.ok(replayAction.order_id, 'the replayed delivery belongs to an order');

      // Disable the flaky endpoint, then enable it again, each confirmed.
      const endpointState = async () =>
        (
          await server.call(
            'GET',
            `/admin/merchants/${merchantId}/webhooks/${deadEndpointId}`,
            undefined,
            200,
          )
        ).enabled as boolean;
      await page.getByRole('button', { name: 'Disable Flaky CRM' }).click();
      assert.equal(await textOf(dialog().getByRole('heading')), 'Disable Flaky CRM?');
      // No reason, no action.
      await dialog().getByRole('button', { name: 'Disable', exact: true }).click();
      await eventually(
        'the reason error',
        () => textOf(dialog().locator('#dialog-reason-error')),
        (t) => t === 'Give the reason for this action.',
      );
      assert.equal(await endpointState(), true);
      await dialog().getByLabel('Reason (required)').fill('CRM maintenance window');
      await dialog().getByRole('button', { name: 'Disable', exact: true }).click();
      await dialog().waitFor({ state: 'detached' });
      await eventually(
        'the disabled badge',
        () => textOf(flaky.locator('.badge')),
        (t) => /disabled/.test(t),
      );
      assert.equal(await endpointState(), false);
      await page.getByRole('button', { name: 'Enable Flaky CRM' }).click();
      await dialog().getByLabel('Reason (required)').fill('CRM maintenance over');
      await dialog().getByRole('button', { name: 'Enable', exact: true }).click();
      await dialog().waitFor({ state: 'detached' });
      await eventually(
        'the enabled badge',
        () => textOf(flaky.locator('.badge')),
        (t) => /enabled/.test(t),
      );
      assert.equal(await endpointState(), true);

      // Replay everything since 23 November, 00:00 in the viewer's zone, to the shop.
      const shop = endpoints.filter({ hasText: 'Shop backend' });
      await shop.getByLabel('Replay since').fill('2026-11-23T00:00:00');
      await shop.getByRole('button', { name: 'Replay events Shop backend' }).click();
      assert.match(
        await textOf(dialog().getByRole('heading')),
        /^Replay every event since Nov 23, 2026, 12:00:00 AM GMT\+3 to Shop backend\?$/,
      );
      await dialog().getByLabel('Reason (required)').fill('Shop restored from a backup');
      await dialog().getByRole('button', { name: 'Replay events' }).click();
      await dialog().waitFor({ state: 'detached' });
      const announced = await eventually(
        'the replay announcement',
        () => textOf(page.getByRole('status').first()),
        (t) => /^Replay queued: \d+ deliveries reset, \d+ created\.$/.test(t),
      );
      const reset = Number(/(\d+) deliveries reset/.exec(announced)![1]);
      assert.ok(reset > 0, announced);
      const seenBefore = hooks.requests.length;
      await runJobs();
      await hooks.waitForRequests(seenBefore + reset);

      // Every action of this page is in the audit trail, in order, with its reason (after the
      // set-up's own merchant.created and webhook.created).
      const recorded = await server.call(
        'GET',
        `/admin/actions?merchant_id=${merchantId}`,
        undefined,
        200,
      );
      const setUp = new Set(['merchant.created', 'webhook.created']);
      const pageActions = recorded.data.filter((a: { action: string }) => !setUp.has(a.action));
      assert.deepEqual(
        pageActions.map((a: { action: string; actor: string; reason: string }) => [
          a.action,
          a.actor,
          a.reason,
        ]),
        [
          ['delivery.replayed', 'admin', 'CRM is back up'],
          ['webhook.disabled', 'admin', 'CRM maintenance window'],
          ['webhook.enabled', 'admin', 'CRM maintenance over'],
          ['webhook.replayed_since', 'admin', 'Shop restored from a backup'],
        ],
      );
      assert.equal(pageActions[3].details.reset, reset);

      // The replayed delivery's order shows the replay in its timeline: who, what and why.
      await page.goto(url(`/orders/${replayAction.order_id}`));
      const action = page.locator(
        `ol.timeline li.entry-admin-action[data-admin-action-id="${replayAction.id}"]`,
      );
      await action.waitFor();
      assert.equal(await textOf(action.locator('h3')), 'Admin action: delivery replayed');
      assert.equal(await textOf(fact(action, 'Actor')), 'admin');
      assert.equal(await textOf(fact(action, 'Reason')), 'CRM is back up');
      assert.equal(await textOf(fact(action, 'Webhook')), eventWords(eventType));
      // The page shows the endpoint's id until the merchant's endpoint names have loaded.
      await eventually(
        'the endpoint name',
        () => textOf(fact(action, 'Endpoint')),
        (t) => t === 'Flaky CRM',
      );
      // It comes after the delivery it replayed.
      const entries = await page
        .locator('ol.timeline > li')
        .evaluateAll((items) =>
          items.map(
            (li) =>
              li.getAttribute('data-delivery-id') ?? li.getAttribute('data-admin-action-id') ?? '',
          ),
        );
      assert.ok(
        entries.indexOf(replayAction.subject_id) < entries.indexOf(replayAction.id),
        'the replay follows its delivery',
      );
      await shot('order-replayed');
    });

    it('uploads a settlement report, shows the dry run and applies it: the missing order is auto-refunded', async () => {
      // Past the 48 h grace period, so the dry run proposes the refund and Apply makes it.
      await advance(49 * 3600);
      await nav('Reconciliation').click();
      await heading().filter({ hasText: 'Reconciliation' }).waitFor();
      // Oud & Amber's Points report: the first redeem order's payment, and a row naming the
      // merchant's admin order (another face): the second redeem order's payment is missing.
      const settled = '2026-11-23T18:00:00Z';
      const report = [
        REPORT_HEADER,
        `${redeemed[0]},T-1,payment,50.00,SAR,${settled}`,
        `${orderId},T-2,payment,100.00,SAR,${settled}`,
      ].join('\n');
      // Nothing runs until the operator names whose report it is.
      await page.getByLabel('Report file (CSV or NDJSON)').setInputFiles({
        name: 'settlement.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${report}\n`),
      });
      // The window in the viewer's zone (UTC+3): 23 Nov 00:00 to 24 Nov 03:00 covers 12:00 UTC.
      await page.getByLabel('Window starts (your time)').fill('2026-11-23T00:00');
      await page.getByLabel('Window ends (your time)').fill('2026-11-24T03:00');
      await page.getByRole('button', { name: 'Dry run' }).click();
      await eventually(
        'the merchant asked for',
        () => textOf(page.locator('#recon-merchant-error')),
        (text) => text === 'Choose the merchant whose report this is.',
      );
      await page.getByLabel('Merchant', { exact: true }).selectOption({ label: 'Oud & Amber' });
      await page.getByLabel('Face the report comes from').selectOption({ label: 'Points' });
      await page.getByRole('button', { name: 'Dry run' }).click();
      await page.waitForURL(/\/dashboard\/reconciliation\?run=/);
      const runId = new URL(page.url()).searchParams.get('run')!;
      const run = await server.call('GET', `/admin/reconciliations/${runId}`, undefined, 200);
      assert.equal(run.from, '2026-11-22T21:00:00.000Z');
      assert.equal(run.to, '2026-11-24T00:00:00.000Z');
      assert.deepEqual([run.merchant_id, run.dialect], [merchantId, 'points']);

      const findings = page.locator('section[aria-labelledby="run-title"] tbody tr');
      await eventually(
        'two findings',
        () => findings.count(),
        (n) => n === 2,
      );
      assert.match(await textOf(findings.nth(0)), new RegExp(`Unknown order.*${orderId}`));
      assert.match(
        await textOf(findings.nth(1)),
        new RegExp(`Missing in report.*${redeemed[1]}.*payment.*to auto-refund`),
      );
      assert.equal(await textOf(fact(page, 'Rows read')), '2');
      assert.equal(await textOf(fact(page, 'Matched')), '1');
      assert.equal(await textOf(fact(page, 'Unknown order')), '1');
      const csv = page.getByRole('link', { name: 'Download findings (CSV)' });
      assert.equal(await csv.getAttribute('href'), `/admin/reconciliations/${runId}?format=csv`);
      const download = await Promise.all([page.waitForEvent('download'), csv.click()]).then(
        ([d]) => d,
      );
      const stream = await download.createReadStream();
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      assert.match(text, new RegExp(`missing_in_report,,${redeemed[1]}`));
      await shot('reconciliation');

      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      await dialog().getByRole('button', { name: 'Apply', exact: true }).click();
      await dialog().waitFor({ state: 'detached' });
      await eventually(
        'the announcement',
        () => textOf(page.getByRole('status').first()),
        (t) => t === 'Run applied. Orders auto-refunded: 1.',
      );
      await eventually(
        'the finding auto-refunded',
        () => textOf(findings.nth(1)),
        (t) => /auto-refunded/.test(t),
      );
      const refunded = await server.call('GET', `/admin/orders/${redeemed[1]}`, undefined, 200);
      assert.equal(refunded.status, 'refunded');
      const kept = await server.call('GET', `/admin/orders/${redeemed[0]}`, undefined, 200);
      assert.equal(kept.status, 'captured');
      // The past runs list has it, applied.
      const past = page.locator('section[aria-labelledby="runs-title"] tbody tr');
      await eventually(
        'the run listed as applied, with its scope',
        () => textOf(past.first()),
        (t) => /applied/.test(t) && /Oud & Amber · Points/.test(t),
      );

      // Twenty runs later (through the API, over a quiet window) it is on the second page of
      // past runs, 20 to a page, newest first.
      for (let i = 0; i < 20; i++) {
        const res = await fetch(
          `${server.url}/admin/reconciliations?merchant_id=${merchantId}&dialect=points` +
            '&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
          {
            method: 'POST',
            headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
            body: `${REPORT_HEADER}\n`,
          },
        );
        assert.equal(res.status, 201, await res.text());
      }
      await page.reload();
      const runsPager = page.locator('section[aria-labelledby="runs-title"] nav.pager');
      await eventually(
        'a full first page',
        () => past.count(),
        (n) => n === 20,
      );
      assert.equal(
        await runsPager.getByRole('button', { name: 'Previous page' }).isDisabled(),
        true,
      );
      await runsPager.getByRole('button', { name: 'Next page' }).click();
      await eventually(
        'the applied run on page 2',
        async () => (await past.allInnerTexts()).join('|'),
        (t) => t.split('|').length === 1 && /applied/.test(t),
      );
      assert.equal(await runsPager.getByRole('button', { name: 'Next page' }).isDisabled(), true);
      await runsPager.getByRole('button', { name: 'Previous page' }).click();
      await eventually(
        'page 1 again',
        () => past.count(),
        (n) => n === 20,
      );
    });

    it("shows a Backd refund request's lock in the viewer's zone and in Chicago, counting down on the server's clock", async () => {
      // A Backd order, confirmed, with a refund request: locked_at is a business-day deadline
      // in Chicago. The test clock runs about two days ahead of the browser's clock here, so a
      // countdown on the browser's clock would be two days off.
      const { backdOrderId, ref, auth } = await confirmedBackdOrder(server, 'BK-77');
      await server.call('POST', '/backd/refund', { ...ref, refund_amount: 10 }, 200, auth);

      // Found by its Backd order id.
      await nav('Orders').click();
      await page.getByRole('searchbox', { name: 'Search' }).fill(backdOrderId);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: 'BK-77' }).click();
      const request = page.locator('li.entry-refund-request');
      await request.waitFor();
      const history = await server.call(
        'GET',
        `/admin/orders/${new URL(page.url()).pathname.split('/').pop()}/history`,
        undefined,
        200,
      );
      const lockedAt = history.entries.find((e: { kind: string }) => e.kind === 'refund_request')
        .refund_request.locked_at as string;
      const inZone = (zone: string) =>
        new Intl.DateTimeFormat('en', {
          dateStyle: 'medium',
          timeStyle: 'long',
          timeZone: zone,
        }).format(new Date(lockedAt));
      assert.equal(
        await textOf(fact(request, 'Locks at (your time)')),
        inZone(VIEWER_ZONE).replace(/\s+/g, ' '),
      );
      assert.equal(
        await textOf(fact(request, 'Locks at (Chicago)')),
        inZone('America/Chicago').replace(/\s+/g, ' '),
      );
      assert.match(await textOf(fact(request, 'Locks at (Chicago)')), /CST|GMT-6/);

      const serverNow = Date.parse((await server.call('GET', '/admin/clock', undefined, 200)).now);
      const timer = request.getByRole('timer');
      const remaining = async () => Number(await timer.getAttribute('data-remaining-ms'));
      const first = await remaining();
      // The test clock stands still, so the server's "now" moves on only as real time passes
      // on the page: the countdown is lockedAt − (server now + time since the clock was read).
      const expected = Date.parse(lockedAt) - serverNow;
      assert.ok(
        Math.abs(first - expected) < 5_000,
        `countdown ${first} ms, server says ${expected} ms`,
      );
      await eventually('the countdown ticking', remaining, (ms) => ms < first);
      assert.match(await textOf(timer), /^(\d+d )?\d{2}:\d{2}:\d{2}$/);

      // A Backd order is refunded only through requests: its card shows the active one, and the
      // actions are to withdraw it or to submit another, never the plain Refund.
      const card = page.locator('section[aria-labelledby="backd-title"]');
      assert.equal(await textOf(fact(card, 'Backd status')), '● confirmed');
      assert.equal(await textOf(fact(card, 'Active refund request')), '… draft');
      assert.equal(await textOf(fact(card, 'Amount')), '$10.00');
      const actions = page.locator('section[aria-labelledby="actions-title"]');
      assert.equal(await actions.getByRole('button', { name: 'Refund', exact: true }).count(), 0);
      await shot('order-backd');

      await actions.getByRole('button', { name: 'Withdraw the refund request' }).click();
      await dialog().getByLabel('Reason (required)').fill('Merchant asked support');
      await dialog().getByRole('button', { name: 'Withdraw the request' }).click();
      await dialog().waitFor({ state: 'detached' });
      await eventually(
        'no active request',
        () => textOf(fact(card, 'Active refund request')),
        (t) => t === 'None',
      );

      await actions.getByRole('button', { name: 'Request a refund' }).click();
      await dialog().getByLabel('Amount in USD').fill('7.25');
      await dialog().getByLabel('Reason (required)').fill('One widget returned');
      await dialog().getByRole('button', { name: 'Submit the request' }).click();
      await dialog().waitFor({ state: 'detached' });
      await eventually(
        'the new draft',
        () => textOf(fact(card, 'Amount')),
        (t) => t === '$7.25',
      );
      const orderPath = new URL(page.url()).pathname.split('/').pop();
      const after = await server.call('GET', `/admin/orders/${orderPath}/history`, undefined, 200);
      assert.equal(after.backd.active_refund_request.amount_minor, 725);
      assert.equal(after.order.refunded_minor, 0, 'no money moved yet');
      const byOperator = (
        after.entries as { kind: string; event?: { type: string; actor: string; reason: string } }[]
      )
        .filter((e) => e.kind === 'event' && e.event!.actor === 'admin')
        .map((e) => [e.event!.type, e.event!.reason]);
      assert.deepEqual(byOperator, [
        ['refund_request.declined', 'Merchant asked support'],
        ['refund_request.submitted', 'One widget returned'],
      ]);
    });

    it('shows the overview charts with spoken summaries and their numbers as tables', async () => {
      await nav('Overview').click();
      const charts = page.locator('figure.chart svg[role="img"]');
      await eventually(
        'three charts',
        () => charts.count(),
        (n) => n === 3,
      );
      const labels = await charts.evaluateAll((svgs) =>
        svgs.map((s) => s.getAttribute('aria-label')),
      );
      // One admin refund and one auto-refund, on the server's today and the day before.
      assert.match(labels[0] ?? '', /^2 refunds in 30 days/);
      assert.match(labels[1] ?? '', /^0 cancels in 30 days/);
      assert.match(labels[2] ?? '', /delivery attempts in 30 days/);
      const tables = page.locator('figure.chart table.visually-hidden');
      assert.equal(await tables.count(), 3);
      assert.equal(await tables.first().locator('tbody tr').count(), 30);
      await shot('overview');
    });

    it('switches to Arabic, right to left, and remembers it across a reload', async () => {
      await nav('Orders').click();
      await page.getByRole('button', { name: 'العربية — Switch the interface to Arabic' }).click();
      await eventually(
        'dir=rtl',
        () => inPage<string>('document.documentElement.dir'),
        (d) => d === 'rtl',
      );
      assert.equal(await inPage<string>('document.documentElement.lang'), 'ar');
      assert.equal(await textOf(heading()), 'الطلبات');
      await page.goto(url(`/orders/${orderId}`));
      await eventually(
        'the Arabic order page',
        () => textOf(heading()),
        (t) => t === `الطلب ${ORDER_NUMBER}`,
      );
      assert.equal(await inPage<string>('document.documentElement.dir'), 'rtl');
      // The nav starts at the right edge in RTL.
      const box = await page.locator('header.top .brand').boundingBox();
      assert.ok(box && box.x > 640, `the brand sits on the right: x=${box?.x}`);
      await shot('order-ar');
      await page.getByRole('button', { name: 'English — Switch the interface to English' }).click();
      await eventually(
        'dir=ltr',
        () => inPage<string>('document.documentElement.dir'),
        (d) => d === 'ltr',
      );
    });

    it('is usable on a phone-sized screen: the nav collapses and tables become labelled cards', async () => {
      await page.setViewportSize({ width: 360, height: 740 });
      try {
        await page.goto(url(`/orders?q=${ORDER_NUMBER}`));
        const menu = page.getByRole('button', { name: 'Menu' });
        await menu.waitFor();
        assert.equal(await nav('Orders').isVisible(), false);
        await menu.click();
        assert.equal(await menu.getAttribute('aria-expanded'), 'true');
        assert.equal(await nav('Orders').isVisible(), true);
        await menu.click();
        await page.locator('table.responsive tbody td[data-label="Status"]').first().waitFor();
        const label = await inPage<string>(
          `getComputedStyle(document.querySelector('table.responsive tbody td[data-label="Status"]'), '::before').content`,
        );
        assert.equal(label, '"Status"');
        const width = await inPage<number>('document.documentElement.scrollWidth');
        assert.ok(width <= 360, `no sideways scrolling: ${width}px`);
        await shot('orders-phone');
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });

    it('sends an ended session back to sign-in, then to the page it was on', async () => {
      await nav('Webhooks').click();
      await eventually(
        'the webhooks page',
        () => textOf(heading()),
        (t) => t === 'Webhooks',
      );
      // The session ends under the page (the cookie is gone); the next API call says 401.
      await browser.context.clearCookies();
      await nav('Orders').click();
      await chooseAdminToken(page);
      assert.match(await textOf(page.locator('.notice')), /Your session has ended/);
      await page.getByLabel('Admin token').fill(E2E_ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await eventually(
        'the orders page again',
        () => textOf(heading()),
        (t) => t === 'Orders',
      );
    });

    it('works with the keyboard alone: skip link, search, an order, a refund dialog that keeps focus', async () => {
      const focused = () =>
        inPage<string>(
          `(() => { const e = document.activeElement; return e ? e.tagName + '|' + (e.getAttribute('type') || '') + '|' + (e.textContent || '').trim() + '|' + (e.closest('dialog') ? 'dialog' : '') + '|' + (e.closest('main') ? 'main' : '') : '' })()`,
        );
      /** Presses Tab until `wanted` matches what has focus; fails after `max` presses. */
      const tabTo = async (what: string, wanted: (f: string) => boolean, max = 60) => {
        for (let i = 0; i < max; i += 1) {
          await page.keyboard.press('Tab');
          if (wanted(await focused())) return;
        }
        assert.fail(`Tab never reached ${what}`);
      };
      await page.goto(url('/orders'));
      await eventually(
        'the Orders page',
        () => textOf(heading()),
        (t) => t === 'Orders',
      );
      // The results arrive after the heading and re-render <main>: keys pressed before they are
      // in would land on elements about to be replaced, and focus would fall back to <body>.
      await eventually(
        'the first page of orders',
        () => page.locator('table.responsive tbody tr').count(),
        (n) => n > 0,
      );
      // And nothing is still loading (the session check after the last test's sign-out).
      await page.waitForLoadState('networkidle');
      // The first Tab reaches the skip link; following it puts the next Tab inside <main>.
      await page.keyboard.press('Tab');
      assert.match(await focused(), /^A\|\|Skip to content/);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.match(await focused(), /\|main$/, 'after the skip link, focus is in main');

      await tabTo('the search box', (f) => f.startsWith('INPUT|search|'));
      await page.keyboard.type(ORDER_NUMBER);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/dashboard\/orders\?q=DASH-1001$/);
      await tabTo('the order link', (f) => f.startsWith(`A||${ORDER_NUMBER}|`));
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/dashboard/orders/${orderId}$`));
      await eventually(
        'the order title focused',
        () => inPage<string>("document.activeElement?.id ?? ''"),
        (id) => id === 'page-title',
      );

      await tabTo('the Refund button', (f) => /^BUTTON\|[^|]*\|Refund\|/.test(f));
      await page.keyboard.press('Enter');
      await dialog().waitFor();
      // The page behind the modal dialog is inert: however far the keyboard goes, focus is in
      // the dialog, or passes through the browser's own controls (the document, for a headless
      // browser) and comes back; it never reaches the page's content behind.
      let inDialog = 0;
      for (let i = 0; i < 16; i += 1) {
        const now = await focused();
        if (now.includes('|dialog|')) inDialog += 1;
        else assert.match(now, /^BODY\|/, `Tab ${i}: focus reached the page behind (${now})`);
        await page.keyboard.press('Tab');
      }
      assert.ok(inDialog >= 12, `focus was in the dialog ${inDialog} times of 16`);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      assert.match(await focused(), /^BUTTON\|[^|]*\|Refund\|/, 'focus is back on Refund');
    });

    it('ran without script errors, Content-Security-Policy violations or unexpected errors', () => {
      // The failed answers are the ones the flow asked for: the session probe before sign-in,
      // the wrong token, the calls after the session ended, and the refund answer the test
      // cut off. Each also logs a console line.
      const expected = new Set([
        '401 GET /admin/session',
        '401 POST /admin/session',
        '401 GET /admin/orders',
      ]);
      assert.deepEqual(
        browser.failedResponses.filter((r) => !expected.has(r)),
        [],
      );
      const reset = /^console: Failed to load resource: net::ERR_CONNECTION_RESET$/;
      assert.equal(browser.problems.filter((p) => reset.test(p)).length, 1, 'the one lost answer');
      const unexpected = browser.problems.filter(
        (p) =>
          !reset.test(p) &&
          !/^console: Failed to load resource: the server responded with a status of 401/.test(p),
      );
      assert.deepEqual(unexpected, []);
    });
  });
}

dashboardSuite(sqliteFactory, chromiumSkipReason());
dashboardSuite(postgresFactory, chromiumSkipReason() ?? (await postgresSkipReason()));
