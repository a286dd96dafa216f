// The dashboard's API keys page in Chromium, on both stores, against a real server process: an
// admin lists a merchant's keys; is stopped in the browser by a missing permission and by a line
// of the whitelist that is no address, and shown a refusal of the server beside its field; issues
// an MPG key with two permissions and a whitelist (sent with an Idempotency-Key), sees the key
// once and copies it; the key is served on the MPG face for its permissions and answers the
// documented 403 for another; once revoked with a reason it is refused (403 "Unauthorized", as
// docs/dialects/mpg.md says of a revoked key) while the merchant's own key keeps working; both are
// admin actions. A viewer reads the list without any button. The page passes the accessibility
// rules in English and in Arabic, right to left.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityProblems,
  type BrowserSession,
  chromiumSkipReason,
  eventually,
  launchBrowser,
  textOf,
} from '../support/browser.js';
import { signInWithAdminToken } from '../support/dashboard-sign-in.js';
import { OPERATOR_PASSWORD } from '../support/operators.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import { onEveryStore, type StoreFactory, type TestStore } from '../support/stores.js';

const MISSING_ORDER = '00000000-0000-4000-8000-000000000000';

function apiKeysBrowserSuite(factory: StoreFactory, skip?: string) {
  describe(
    `API keys in a browser: ${factory.engine}`,
    { skip: skip ?? chromiumSkipReason() },
    () => {
      let store: TestStore;
      let server: ServerProcess;
      let browser: BrowserSession;
      let page: Page;
      let merchantId = '';
      let merchantKey = '';
      let issued = { key: '', prefix: '' };
      const url = (path: string) => `${server.url}/dashboard${path}`;
      const status = () => textOf(page.locator('.announcer'));
      const credentials = async () =>
        (await server.call('GET', `/admin/merchants/${merchantId}`, undefined, 200))
          .credentials as { prefix: string; revoked_at: string | null }[];
      const mpg = (method: string, path: string, body: unknown, key: string) =>
        server.http(method, `/mpg${path}`, body, { token: key });
      const actions = async (action: string) =>
        (
          await server.call(
            'GET',
            `/admin/actions?merchant_id=${merchantId}&action=${action}`,
            undefined,
            200,
          )
        ).data as { actor: string; reason: string | null; details: { prefix: string } }[];

      before(async () => {
        store = await factory.create();
        server = await startServer({
          env: { ...store.env, UNWIND_TEST_CLOCK: '1', UNWIND_WORKERS: '0' },
          logLevel: 'warn',
        });
        const merchant = await server.call('POST', '/admin/merchants', { name: 'Key Shop' }, 201);
        merchantId = merchant.id;
        merchantKey = merchant.credentials.mpg.api_key;
        const invited = await server.call(
          'POST',
          '/admin/operators',
          { name: 'vic', role: 'viewer' },
          201,
        );
        await server.call(
          'POST',
          '/admin/invites/accept',
          { token: invited.invite_token, password: OPERATOR_PASSWORD },
          200,
          { token: null },
        );
        browser = await launchBrowser();
        page = browser.page;
        await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: server.url,
        });
        await page.goto(url('/'));
        await signInWithAdminToken(page);
      });

      after(async () => {
        await browser?.close();
        await server?.stop().catch(() => undefined);
        await killAllServers();
        await store?.cleanup();
      });

      it('lists the merchant’s keys on every face, and checks the form before sending', async () => {
        await page.getByRole('link', { name: 'API keys' }).click();
        await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
        await page.getByLabel('Merchant').selectOption({ label: 'Key Shop' });
        const table = page.getByRole('table', { name: 'Keys of this merchant, newest first' });
        await table.waitFor();
        // Points' two keys, Backd's pair and MPG's key, each live, none with its secret.
        assert.equal(await table.locator('tbody tr').count(), 5);
        const text = await textOf(table);
        for (const words of ['Points · API key', 'Backd · Secret key', 'MPG · API key', 'active']) {
          assert.ok(text.includes(words), `${words} in ${text}`);
        }
        assert.ok(!text.includes(merchantKey));

        await page.getByRole('button', { name: 'Issue the key' }).click();
        await page.getByText('Choose at least one permission.').waitFor();
        await page.getByLabel('Read orders').check();
        await page.getByLabel('Create orders').check();
        await page.getByLabel('IP whitelist (optional)').fill('127.0.0.1\n2001:db8::/129');
        await page.getByRole('button', { name: 'Issue the key' }).click();
        await page.getByText('Line 2: “2001:db8::/129” is not an IP address').waitFor();
        assert.equal(
          await page.getByLabel('IP whitelist (optional)').getAttribute('aria-invalid'),
          'true',
        );
        assert.equal((await credentials()).length, 5, 'nothing was sent');
        assert.deepEqual(await accessibilityProblems(page), [], 'accessibility of the page');
      });

      it('shows a refusal of the server beside its field, naming the line of the entry', async () => {
        // A server whose rule were stricter than the page's: its 422 names the second entry,
        // typed on the third line (blank lines are skipped).
        const route = `**/admin/merchants/${merchantId}/mpg-keys`;
        await page.route(route, (r) =>
          r.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'validation_failed',
                message: 'Request validation failed.',
                issues: [{ path: 'ip_whitelist.1', message: 'Not this block.' }],
              },
            }),
          }),
        );
        try {
          await page.getByLabel('IP whitelist (optional)').fill('127.0.0.1\n\n2001:db8::/32');
          await page.getByRole('button', { name: 'Issue the key' }).click();
          const error = page.locator('#key-whitelist-error');
          await eventually(
            'the refusal beside the whitelist',
            () => textOf(error),
            (t) => t.includes('Line 3: Not this block.'),
          );
          assert.equal(await page.locator('main [role="alert"]').count(), 0, 'said once');
        } finally {
          await page.unroute(route);
        }
      });

      it('issues the key once with an Idempotency-Key; it may do what it was given, and only that', async () => {
        await page.getByLabel('IP whitelist (optional)').fill('127.0.0.1\n\n2001:db8::/32\n');
        const sent = page.waitForRequest(
          (r) => r.url().endsWith('/mpg-keys') && r.method() === 'POST',
        );
        await page.getByRole('button', { name: 'Issue the key' }).click();
        const request = await sent;
        assert.match(request.headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
        assert.deepEqual(request.postDataJSON(), {
          permissions: ['orders_read', 'orders_create'],
          ip_whitelist: ['127.0.0.1', '2001:db8::/32'],
        });

        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        assert.match(await textOf(dialog), /you will not see it again/);
        const field = dialog.getByLabel('MPG API key');
        issued = { key: await field.inputValue(), prefix: '' };
        assert.match(issued.key, /^merchant_key_/);
        await dialog.getByRole('button', { name: 'Copy the key' }).click();
        await dialog.getByText('The key is copied to the clipboard.').waitFor();
        assert.equal(await page.evaluate('navigator.clipboard.readText()'), issued.key);
        assert.deepEqual(await accessibilityProblems(page), [], 'accessibility of the key dialog');
        await dialog.getByRole('button', { name: 'I have copied it' }).click();
        await dialog.waitFor({ state: 'hidden' });
        assert.match(await status(), /Key merchant_key_[\w-]+… issued\./);

        // Shown once: the page no longer holds it; the list shows its prefix, rights and addresses.
        const table = page.getByRole('table', { name: 'Keys of this merchant, newest first' });
        await eventually(
          'the new key listed',
          () => table.locator('tbody tr').count(),
          (n) => n === 6,
        );
        assert.ok(!(await page.content()).includes(issued.key));
        const newest = await textOf(table.locator('tbody tr').first());
        issued.prefix = issued.key.slice(0, 'merchant_key_'.length + 6);
        for (const words of [`${issued.prefix}…`, 'Read orders', 'Create orders', '127.0.0.1']) {
          assert.ok(newest.includes(words), `${words} in ${newest}`);
        }
        assert.ok(newest.includes('2001:db8::/32') && !newest.includes('Capture orders'));

        const read = await mpg('GET', '/v1/orders', undefined, issued.key);
        assert.equal(read.status, 200, JSON.stringify(read.body));
        const voided = await mpg(
          'POST',
          `/v1/orders/${MISSING_ORDER}/void`,
          { amount: 100 },
          issued.key,
        );
        assert.deepEqual([voided.status, voided.body], [403, { message: 'Unauthorized' }]);
        const recorded = await actions('mpg_key.issued');
        assert.deepEqual(
          recorded.map((a) => [a.actor, a.details.prefix]),
          [['admin', issued.prefix]],
        );
      });

      it('revokes the key with a reason: refused at once; the merchant’s own key still works', async () => {
        const row = page.getByRole('row', { name: new RegExp(`${issued.prefix}…`) });
        await row.getByRole('button', { name: `Revoke ${issued.prefix}…` }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('heading', { name: `Revoke the key ${issued.prefix}…?` }).waitFor();
        await dialog.getByRole('button', { name: 'Revoke the key' }).click();
        await dialog.getByText('Give the reason for this action.').waitFor();
        assert.equal((await mpg('GET', '/v1/orders', undefined, issued.key)).status, 200);
        await dialog.getByLabel('Reason (required)').fill('The merchant’s laptop was stolen');
        await dialog.getByRole('button', { name: 'Revoke the key' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await eventually('the announcement', status, (t) => t.includes('revoked'));
        await eventually(
          'the row revoked',
          () => textOf(row),
          (t) => t.includes('revoked'),
        );
        assert.equal(await row.getByRole('button').count(), 0, 'a revoked key offers nothing');

        const refused = await mpg('GET', '/v1/orders', undefined, issued.key);
        assert.deepEqual([refused.status, refused.body], [403, { message: 'Unauthorized' }]);
        assert.equal((await mpg('GET', '/v1/orders', undefined, merchantKey)).status, 200);
        const revoked = (await credentials()).filter((c) => c.revoked_at !== null);
        assert.deepEqual(
          revoked.map((c) => c.prefix),
          [issued.prefix],
        );
        const recorded = await actions('credential.revoked');
        assert.deepEqual(
          recorded.map((a) => [a.actor, a.reason, a.details.prefix]),
          [['admin', 'The merchant’s laptop was stolen', issued.prefix]],
        );
      });

      it('speaks Arabic right to left, and shows a viewer the list without any button', async () => {
        await page.getByRole('button', { name: /العربية/ }).click();
        await page.getByRole('heading', { level: 1, name: 'مفاتيح الواجهة البرمجية' }).waitFor();
        assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
        assert.ok((await textOf(page.locator('main'))).includes('قراءة الطلبات'));
        assert.deepEqual(await accessibilityProblems(page), [], 'accessibility in Arabic');
        await browser.screenshot(`${factory.engine}-api-keys-ar`);
        await page.getByRole('button', { name: /English/ }).click();
        await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
        await browser.screenshot(`${factory.engine}-api-keys-en`);

        // Nothing failed while the admin worked: the answers of 400 or more are the session check
        // before signing in and the refusal the test made up (the browser logs both), and there
        // is no other console error.
        assert.deepEqual(browser.failedResponses, [
          '401 GET /admin/session',
          `422 POST /admin/merchants/${merchantId}/mpg-keys`,
        ]);
        assert.deepEqual(
          browser.problems.filter((p) => !/status of (401|422)/.test(p)),
          [],
        );
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByLabel('Operator name').fill('vic');
        await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        // Signed in, the page is the one she was on.
        await eventually(
          'signed in as vic',
          () => textOf(page.locator('header.top')),
          (t) => t.includes('vic (Viewer)'),
        );
        await page.goto(url(`/api-keys?merchant_id=${merchantId}`));
        const table = page.getByRole('table', { name: 'Keys of this merchant, newest first' });
        await table.waitFor();
        assert.equal(await table.locator('tbody tr').count(), 6);
        await page.getByText('Only an admin issues and revokes keys').waitFor();
        assert.equal(await page.locator('main').getByRole('button').count(), 0);
        assert.equal(await page.getByLabel('Read orders').count(), 0);
        assert.deepEqual(await accessibilityProblems(page), [], 'accessibility for a viewer');
      });
    },
  );
}

await onEveryStore(apiKeysBrowserSuite);
