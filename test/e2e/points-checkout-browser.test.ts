// Proves, with Chromium driving a real `unwind serve` on each store, that the verified hosted
// checkout works for a person: every step (phone, code, wallet, and a sandbox number without an
// account) passes the automated accessibility checks (axe-core WCAG 2.1 A/AA and the house
// rules), the page runs under its Content-Security-Policy without a console error, the browser's
// own same-origin form posts pass the cross-site check, and confirming lands on the merchant's
// callback_url with the order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  accessibilityProblems,
  type BrowserSession,
  chromiumSkipReason,
  launchBrowser,
} from '../support/browser.js';
import { beginCheckout, codeOf, pointsMerchant, wrongCode } from '../support/checkout-steps.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
  type TestStore,
} from '../support/stores.js';

function suite(factory: StoreFactory, skip?: string) {
  describe(`Points hosted checkout in a browser: ${factory.engine}`, { skip }, () => {
    let store: TestStore;
    let server: ServerProcess;
    let browser: BrowserSession;

    before(async () => {
      store = await factory.create();
      server = await startServer({ env: { ...store.env, UNWIND_WORKERS: '0' }, logLevel: 'warn' });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await killAllServers();
      await store?.cleanup();
    });

    const accessible = async (step: string) =>
      assert.deepEqual(await accessibilityProblems(browser.page), [], `accessibility: ${step}`);
    /**
     * Console errors (a CSP violation is one) and answers of 400 or more since `from`, leaving out
     * the browser's own favicon request and the failed loads it reports for those answers.
     */
    const troubleSince = (from: { problems: number; responses: number }) => ({
      problems: browser.problems
        .slice(from.problems)
        .filter((p) => !p.startsWith('console: Failed to load resource')),
      responses: browser.failedResponses
        .slice(from.responses)
        .filter((r) => r !== '404 GET /favicon.ico')
        .map((r) => r.replace(/\/points\/pay\/[^/ ]+/, '/points/pay/{session}')),
    });
    const mark = () => ({
      problems: browser.problems.length,
      responses: browser.failedResponses.length,
    });

    it('walks phone, code and wallet accessibly and lands on the callback with the order', async () => {
      const page = browser.page;
      const from = mark();
      const phone = '567777777';
      await server.call(
        'POST',
        '/admin/points/customers',
        { phone_number: phone, balance: 640 },
        201,
      );
      const shop = await pointsMerchant(server, 'Browser Shop');
      const path = await beginCheckout(server, shop, {
        total_price: 50,
        callback_url: `${server.url}/healthz?from=checkout`,
      });
      await page.goto(`${server.url}${path}`);
      await accessible('phone');
      assert.doesNotMatch(await page.content(), /640/);
      await page.getByLabel('Mobile number').fill(`0${phone}`);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByLabel('Verification code').waitFor();
      await accessible('code');
      await page.getByLabel('Verification code').fill(wrongCode(await codeOf(server, path)));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').waitFor();
      assert.match(await page.getByRole('alert').innerText(), /incorrect\. 4 attempts left/);
      await accessible('wrong code');
      await page.getByLabel('Verification code').fill(await codeOf(server, path));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByLabel(/Points to redeem/).waitFor();
      assert.match(await page.locator('main').innerText(), /Points balance for 0567777777: 640/);
      await accessible('wallet');
      await page.getByLabel(/Points to redeem/).fill('300');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL(/\/healthz\?/);
      const landed = new URL(page.url());
      assert.equal(landed.searchParams.get('from'), 'checkout');
      assert.equal(landed.searchParams.get('status'), 'new');
      assert.ok(landed.searchParams.get('order_uuid'));
      const wallet = await server.call('GET', `/admin/points/customers/${phone}`, undefined, 200);
      assert.equal(wallet.balance, 340);
      assert.deepEqual(troubleSince(from), {
        problems: [],
        responses: ['400 POST /points/pay/{session}/verify'],
      });
    });

    it('tells a sandbox number without an account so, accessibly, in Arabic', async () => {
      const page = browser.page;
      const from = mark();
      const shop = await pointsMerchant(server, 'Sandbox Browser Shop', { sandbox: true });
      const path = await beginCheckout(server, shop);
      await page.goto(`${server.url}${path}`);
      await page.getByLabel('Mobile number').fill('0500000003');
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByLabel('Verification code').fill(await codeOf(server, path));
      await page.getByRole('button', { name: 'Verify' }).click();
      const status = page.locator('p[role="status"][lang="ar"]');
      await status.waitFor();
      assert.equal(await status.innerText(), 'للاسف ما عندك حساب في بوينتس');
      assert.equal(await page.getByLabel(/Points to redeem/).count(), 0);
      await accessible('no account');
      assert.deepEqual(troubleSince(from), { problems: [], responses: [] });
    });
  });
}

const chromiumSkip = chromiumSkipReason();
suite(sqliteFactory, chromiumSkip);
suite(postgresFactory, chromiumSkip ?? (await postgresSkipReason()));
