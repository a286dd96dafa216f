// What the dashboard shows is what is true, in Chromium against a real `unwind serve`, on SQLite
// and on PostgreSQL (the data: test/support/dashboard-fixture.ts): a declined card payment is
// shown declined with the issuer's code and message and offers nothing to cancel or refund; a
// failed delivery shows the receiver's status and the start of its answer; a delivery waiting on
// a disabled endpoint claims no next attempt, and the page does not poll for it; the delivery log
// tells orders apart by the random end of their ids; a Backd order shows Backd's status and all
// its refund requests; the Points card only on Points orders, the phone where there is one; a
// page of dead deliveries across merchants; endpoints added and their secrets rotated, each
// secret shown once; in Arabic, an amount typed in Arabic-Indic digits refunds that amount, and
// the dialog's buttons say what they do.
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
import { type DashboardFixture, startDashboardFixture } from '../support/dashboard-fixture.js';
import { signInWithAdminToken } from '../support/dashboard-sign-in.js';
import { killAllServers } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function truthSuite(factory: StoreFactory, skip?: string) {
  describe(`the dashboard tells the truth: ${factory.engine}`, { skip }, () => {
    let fx: DashboardFixture;
    let browser: BrowserSession;
    let page: Page;
    const url = (path: string) => `${fx.server.url}/dashboard${path}`;
    const dialog = () => page.locator('dialog[open]');
    const orderPage = async (id: string) => {
      await page.goto(url(`/orders/${id}`));
      await page.locator('ol.timeline, p.empty').first().waitFor();
    };

    before(async () => {
      fx = await startDashboardFixture(factory);
      browser = await launchBrowser({ timezoneId: 'Asia/Riyadh' });
      page = browser.page;
      await page.goto(url('/'));
      await signInWithAdminToken(page);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    });

    after(async () => {
      await browser?.close();
      await fx?.close();
      await killAllServers();
    });

    it('shows a declined card payment as declined, with the issuer answer, and offers no cancel or refund', async () => {
      await orderPage(fx.declinedOrderId);
      assert.match(await textOf(page.locator('.order-status')), /declined/);
      assert.match(
        // The answer is isolated for right-to-left text (FSI … PDI), invisible to a reader.
        (await textOf(page.locator('[data-declined]'))).replace(/[\u2068\u2069]/g, ''),
        /declined: 05 · DO NOT HONOUR\. No money moved\./,
      );
      const row = page.locator('li.entry-transaction[data-transaction-status="failed"]');
      assert.equal(await textOf(fact(row, 'Issuer answer')), '05 · DO NOT HONOUR');
      assert.equal(await page.locator('section[aria-labelledby="actions-title"]').count(), 0);
      assert.equal(await page.getByRole('button', { name: /Cancel|Refund/ }).count(), 0);
      assert.equal(
        await page.locator('#points-title').count(),
        0,
        'no Points card on a card order',
      );
      assert.deepEqual(await accessibilityProblems(page), [], 'the declined order page');

      // The approved one is not called declined.
      await orderPage(fx.approvedCardOrderId);
      assert.equal(await page.locator('[data-declined]').count(), 0);
      assert.match(await textOf(page.locator('.order-status')), /captured/);
    });

    it("shows the Points card and the customer's phone on a Points order only", async () => {
      await orderPage(fx.pointsOrderId);
      await page.locator('#points-title').waitFor();
      assert.match(await textOf(fact(page, 'Customer phone')), /512345678$/);
      await orderPage(fx.adminOrderId);
      assert.equal(await page.locator('#points-title').count(), 0);
      assert.equal(await fact(page, 'Customer phone').count(), 0);
    });

    it("shows a failed delivery's answer, claims no attempt for a disabled endpoint, and stops polling", async () => {
      await orderPage(fx.adminOrderId);
      const dead = page.locator('li.entry-delivery', { has: page.locator('[data-status="dead"]') });
      await eventually(
        'the endpoint names',
        () => textOf(fact(dead.first(), 'Endpoint')),
        (t) => t === 'Flaky CRM',
      );
      assert.match(await textOf(fact(dead.first(), 'Receiver answered')), /^500/);
      const attempt = dead.first().locator('tbody tr').first();
      assert.match(await textOf(attempt), /Attempt 1.*500/);
      // The receiver's body starts the excerpt column (the test receiver answers "ok").
      assert.notEqual(await textOf(attempt.locator('td').nth(4)), '');

      const paused = page.locator('li.entry-delivery', {
        has: page.locator('dd', { hasText: 'Paused ERP' }),
      });
      // What happened before it was disabled waits for it (what came after was never queued).
      assert.ok((await paused.count()) >= 1, 'a delivery waits for the disabled endpoint');
      for (const entry of await paused.all()) {
        assert.match(await textOf(entry.locator('.badge')), /pending/);
        assert.equal(
          await textOf(fact(entry, 'Next attempt')),
          'None while the endpoint is disabled',
        );
      }
      // Nothing else can change by itself, so the page says nothing of updating and asks no more.
      assert.doesNotMatch(await textOf(page.locator('main')), /updates by itself/);
      let asked = 0;
      const count = (r: { url(): string }) => {
        if (r.url().includes('/history')) asked += 1;
      };
      page.on('request', count);
      await delay(2_500); // longer than the page's poll interval
      page.off('request', count);
      assert.equal(asked, 0, 'no poll while only a disabled endpoint waits');
    });

    it("shows Backd's own status, the buyer's phone and every refund request", async () => {
      await orderPage(fx.backdOrderId);
      assert.match(await textOf(page.locator('.order-status')), /Backd status: ● confirmed/);
      assert.deepEqual(await accessibilityProblems(page), [], 'the Backd order page');
      const card = page.locator('section[aria-labelledby="backd-title"]');
      const rows = card.locator('tbody tr');
      assert.equal(await rows.count(), 2);
      assert.match(await textOf(rows.nth(0)), /draft.*\$7\.25/);
      assert.match(await textOf(rows.nth(1)), /declined.*\$10\.00.*withdrawn/);
      assert.ok((await textOf(fact(page, 'Customer phone'))).length > 5);
      assert.equal(await page.locator('#points-title').count(), 0);
    });

    it('tells orders apart in the delivery log by the random end of their ids', async () => {
      await page.goto(url(`/webhooks?merchant_id=${fx.merchantId}`));
      const log = page.locator('section[aria-labelledby="log-title"]');
      await log.locator('tbody tr').first().waitFor();
      const links = await log.locator('td[data-label="Order"] code').allInnerTexts();
      const tails = new Set(links.map((l) => l.trim()));
      assert.ok(tails.has(`…${fx.adminOrderId.slice(-12)}`), [...tails].join());
      assert.ok(tails.has(`…${fx.pointsOrderId.slice(-12)}`), [...tails].join());
      // Orders made the same minute share their first characters; their ends differ.
      assert.ok(tails.size >= 3, [...tails].join());
    });

    it('adds an endpoint and rotates its secret, each secret shown once', async () => {
      await page.goto(url(`/webhooks?merchant_id=${fx.merchantId}`));
      await page.getByRole('button', { name: 'Add an endpoint' }).click();
      await dialog().getByLabel('URL (https)').fill('https://erp.example/hooks');
      await dialog().getByLabel('Name (optional)').fill('New ERP');
      await dialog().getByRole('button', { name: 'Add the endpoint' }).click();
      const secret = dialog().getByLabel('Signing secret');
      await secret.waitFor();
      const first = await secret.inputValue();
      assert.match(first, /^whsec_/);
      assert.deepEqual(await accessibilityProblems(page), [], 'the secret dialog');
      await dialog().getByRole('button', { name: 'I have copied it' }).click();
      await dialog().waitFor({ state: 'detached' });
      const listed = await fx.server.call(
        'GET',
        `/admin/merchants/${fx.merchantId}/webhooks`,
        undefined,
        200,
      );
      const created = listed.data.find((e: { name: string }) => e.name === 'New ERP');
      assert.ok(created, 'the endpoint exists');
      assert.equal(created.secret, undefined, 'the list never carries the secret');
      assert.equal(created.secret_prefix, first.slice(0, 12));
      const row = page.locator('section[aria-labelledby="endpoints-title"] tbody tr', {
        hasText: 'New ERP',
      });
      assert.ok((await textOf(row)).includes(`${first.slice(0, 12)}…`), 'the prefix is listed');

      await row.getByRole('button', { name: 'Rotate secret New ERP' }).click();
      assert.equal(await textOf(dialog().getByRole('button').last()), 'Keep it as it is');
      await dialog().getByLabel('Reason (required)').fill('Secret pasted in a ticket');
      await dialog().getByRole('button', { name: 'Rotate the secret' }).click();
      await dialog().getByLabel('Signing secret').waitFor();
      const second = await dialog().getByLabel('Signing secret').inputValue();
      assert.match(second, /^whsec_/);
      assert.notEqual(second, first);
      await dialog().getByRole('button', { name: 'I have copied it' }).click();
      await eventually(
        'the new prefix',
        () => textOf(row),
        (t) => t.includes(`${second.slice(0, 12)}…`),
      );
      const actions = await fx.server.call(
        'GET',
        `/admin/actions?merchant_id=${fx.merchantId}&action=webhook.secret_rotated`,
        undefined,
        200,
      );
      assert.equal(actions.data[0].reason, 'Secret pasted in a ticket');
    });

    it('lists the dead deliveries of every merchant and replays one', async () => {
      const dead = await fx.server.call('GET', '/admin/deliveries?status=dead', undefined, 200);
      assert.ok(dead.data.length > 0);
      await page.goto(url('/webhooks'));
      await page.getByRole('link', { name: 'Dead deliveries of every merchant' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dead deliveries' }).waitFor();
      const rows = page.locator('table.responsive tbody tr');
      await eventually(
        'every dead delivery',
        () => rows.count(),
        (n) => n === dead.data.length,
      );
      assert.match(await textOf(rows.first()), /Oud & Amber.*Flaky CRM.*dead.*500/);
      assert.deepEqual(await accessibilityProblems(page), [], 'the dead deliveries page');
      await rows
        .first()
        .getByRole('button', { name: /^Replay/ })
        .click();
      assert.equal(await textOf(dialog().getByRole('button').last()), 'Do not send');
      await dialog().getByLabel('Reason (required)').fill('CRM is back up');
      await dialog().getByRole('button', { name: 'Replay delivery' }).click();
      await eventually(
        'one dead row fewer',
        () => rows.count(),
        (n) => n === dead.data.length - 1,
      );
    });

    it('refunds an amount typed in Arabic-Indic digits, from a dialog whose buttons say what they do', async () => {
      await orderPage(fx.adminOrderId);
      await page.getByRole('button', { name: 'العربية — Switch the interface to Arabic' }).click();
      await page.getByRole('button', { name: 'استرداد', exact: true }).click();
      // "Refund" and "Keep the order", not two buttons that both say cancel.
      const buttons = (await dialog().locator('.dialog-actions button').allInnerTexts()).map((b) =>
        b.trim(),
      );
      assert.deepEqual(buttons, ['استرداد', 'إبقاء الطلب']);
      await dialog().getByLabel('استرداد جزئي').check();
      await dialog().locator('#refund-amount').fill('١٠٫٥٠');
      await dialog().locator('#dialog-reason').fill('زجاجة مكسورة');
      await dialog().locator('.dialog-actions button').first().click();
      await dialog().waitFor({ state: 'detached' });
      const order = await fx.server.call('GET', `/admin/orders/${fx.adminOrderId}`, undefined, 200);
      assert.equal(order.refunded_minor, 2_550 + 1_050);
    });

    it("says an API refusal in Arabic by its code, not in the API's English", async () => {
      // Still in Arabic: the endpoint added earlier has this URL already.
      await page.goto(url(`/webhooks?merchant_id=${fx.merchantId}`));
      await page.getByRole('button', { name: 'إضافة عنوان' }).click();
      await dialog().getByLabel('العنوان (https)').fill('https://erp.example/hooks');
      await dialog().getByRole('button', { name: 'إضافة العنوان' }).click();
      await eventually(
        'the refusal in Arabic',
        () => textOf(dialog().locator('[role="alert"]')),
        (t) => t.includes('لدى هذا التاجر عنوان بهذا الرابط من قبل.'),
      );
      await dialog().getByRole('button', { name: 'رجوع' }).click();
      await dialog().waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'English — Switch the interface to English' }).click();
    });

    it('ran without script errors or failed requests', () => {
      // One refusal is the session probe before signing in.
      // The other, the duplicate endpoint asked for on purpose.
      assert.deepEqual(browser.failedResponses, [
        '401 GET /admin/session',
        `409 POST /admin/merchants/${fx.merchantId}/webhooks`,
      ]);
      const probe =
        /^console: Failed to load resource: the server responded with a status of 40[19]/;
      assert.deepEqual(
        browser.problems.filter((p) => !probe.test(p)),
        [],
      );
    });
  });
}

truthSuite(sqliteFactory, chromiumSkipReason());
truthSuite(postgresFactory, chromiumSkipReason() ?? (await postgresSkipReason()));
