// Proves, with Chromium driving a real `unwind serve` on each store, that the verified hosted
// checkout works for a person: every step (phone, code, wallet, and a sandbox number without an
// account) passes the automated accessibility checks (axe-core WCAG 2.1 A/AA and the house
// rules), the page runs under its Content-Security-Policy without a console error, the browser's
// own same-origin form posts pass the cross-site check, and confirming lands on the merchant's
// callback_url with the order. The page speaks Arabic right to left by default, switches to
// English (and back) by its link on the same session, keeps the language through its forms, and
// never scrolls sideways on a 390 px phone.
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
      await page.goto(`${server.url}${path}?lang=en`);
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
      assert.equal(landed.searchParams.get('status'), 'approved');
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
      await page.getByLabel('رقم الجوال').fill('0500000003');
      await page.getByRole('button', { name: 'إرسال الرمز' }).click();
      await page.getByLabel('رمز التحقق').fill(await codeOf(server, path));
      await page.getByRole('button', { name: 'تحقق' }).click();
      const status = page.locator('p[role="status"]');
      await status.waitFor();
      assert.equal(await status.innerText(), 'للاسف ما عندك حساب في بوينتس');
      assert.equal(await page.getByLabel(/النقاط المراد استبدالها/).count(), 0);
      await accessible('no account');
      assert.deepEqual(troubleSince(from), { problems: [], responses: [] });
    });

    /** The page's language, direction and whether it is wider than the window. */
    const layout = () =>
      browser.page.evaluate<{ lang: string; dir: string; overflowPx: number; viewport: string }>(
        `(() => {
          const root = document.documentElement;
          const meta = document.querySelector('meta[name="viewport"]');
          return {
            lang: root.lang,
            dir: root.dir,
            overflowPx: root.scrollWidth - root.clientWidth,
            viewport: meta ? meta.getAttribute('content') : '',
          };
        })()`,
      );

    it('speaks Arabic right to left, switches to English on the same session, fits 390 px', async () => {
      const page = browser.page;
      const from = mark();
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        const shop = await pointsMerchant(server, 'متجر العطور والهدايا الفاخرة للتوصيل السريع');
        // An order number with no place to break: the page must wrap it, not scroll.
        const path = await beginCheckout(server, shop, {
          total_price: 1234567.89,
          order_number: `LONG-${'X'.repeat(60)}-${process.pid}`,
        });
        await page.goto(`${server.url}${path}`);
        const arabic = {
          lang: 'ar',
          dir: 'rtl',
          overflowPx: 0,
          viewport: 'width=device-width, initial-scale=1',
        };
        assert.deepEqual(await layout(), arabic, 'Arabic by default');
        await page.getByRole('heading', { name: 'ادفع بنقاط بوينتس' }).waitFor();
        await accessible('Arabic phone at 390 px');
        await page.getByLabel('رقم الجوال').fill('0561111111');
        await page.getByRole('button', { name: 'إرسال الرمز' }).click();
        await page.getByLabel('رمز التحقق').waitFor();
        assert.deepEqual(await layout(), arabic, 'Arabic code step');
        await accessible('Arabic code at 390 px');

        await page.getByRole('link', { name: 'English' }).click();
        await page.getByRole('heading', { name: 'Pay with Points' }).waitFor();
        assert.equal(new URL(page.url()).pathname, path, 'the same session');
        assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
        const english = { ...arabic, lang: 'en', dir: 'ltr' };
        assert.deepEqual(await layout(), english, 'English on request');
        await accessible('English phone at 390 px');
        await page.getByLabel('Mobile number').fill('0561111111');
        await page.getByRole('button', { name: 'Send code' }).click();
        await page.getByLabel('Verification code').waitFor();
        assert.deepEqual(await layout(), english, 'the form kept the language');

        await page.getByRole('link', { name: 'العربية' }).click();
        await page.getByLabel('رقم الجوال').waitFor();
        assert.deepEqual(await layout(), arabic, 'back to Arabic');
        assert.deepEqual(troubleSince(from), { problems: [], responses: [] });
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });
  });
}

const chromiumSkip = chromiumSkipReason();
suite(sqliteFactory, chromiumSkip);
suite(postgresFactory, chromiumSkip ?? (await postgresSkipReason()));
