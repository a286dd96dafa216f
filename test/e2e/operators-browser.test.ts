// The acceptance of issue 17 in Chromium, on both stores, against a real server process: two
// operators with different roles sign in by name and password; the support operator cannot do
// an admin's work (the Operators page says so, and the admin API answers 403
// auth.role_forbidden to its own session); the support operator's refund above the four-eyes
// limit waits for approval; the admin approves it on the Approvals page; both names are in the
// order's timeline and in GET /admin/actions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityProblems,
  type BrowserSession,
  chromiumSkipReason,
  launchBrowser,
} from '../support/browser.js';
import { OPERATOR_PASSWORD } from '../support/operators.js';
import { killAllServers, type ServerProcess, startServer } from '../support/server-process.js';
import { onEveryStore, type StoreFactory, type TestStore } from '../support/stores.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(what: string, probe: () => Promise<string>, ok: (v: string) => boolean) {
  const deadline = Date.now() + 10_000;
  let last = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last: ${last}`);
    await delay(100);
    last = await probe();
  }
  return last;
}

function operatorsBrowserSuite(factory: StoreFactory, skip?: string) {
  describe(
    `operators in a browser: ${factory.engine}`,
    { skip: skip ?? chromiumSkipReason() },
    () => {
      let store: TestStore;
      let server: ServerProcess;
      let browser: BrowserSession;
      let page: Page;
      let orderId: string;
      const url = (path: string) => `${server.url}/dashboard${path}`;
      const status = () => page.getByRole('status').first().innerText();

      const invite = async (name: string, role: string, limit?: number) => {
        const invited = await server.call(
          'POST',
          '/admin/operators',
          { name, role, ...(limit === undefined ? {} : { limit_minor: limit }) },
          201,
        );
        await server.call(
          'POST',
          '/admin/invites/accept',
          { token: invited.invite_token, password: OPERATOR_PASSWORD },
          200,
          { token: null },
        );
      };

      const signInAs = async (name: string) => {
        await page.goto(url('/'));
        await page.getByLabel('Operator name').fill(name);
        await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      };

      before(async () => {
        store = await factory.create();
        server = await startServer({
          env: {
            ...store.env,
            UNWIND_TEST_CLOCK: '1',
            UNWIND_WORKERS: '0',
            UNWIND_REFUND_APPROVAL_ABOVE_MINOR: '5000',
          },
          logLevel: 'warn',
        });
        const merchant = await server.call('POST', '/admin/merchants', { name: 'Four Eyes' }, 201);
        const order = await server.call(
          'POST',
          '/admin/orders',
          { merchant_id: merchant.id, amount_minor: 10_000, order_number: 'OPS-1' },
          201,
        );
        orderId = order.id;
        await invite('sara', 'support', 20_000);
        await invite('omar', 'admin');
        browser = await launchBrowser();
        page = browser.page;
      });

      after(async () => {
        await browser?.close();
        await server?.stop().catch(() => undefined);
        await killAllServers();
        await store?.cleanup();
      });

      it('a support operator signs in by name and cannot do an admin’s work (UI and API)', async () => {
        await signInAs('sara');
        assert.match(await page.locator('.signed-in-as').innerText(), /sara \(Support\)/);
        await page.goto(url('/operators'));
        await page.getByText('Only an admin manages operators.').waitFor();
        const answer = await page.evaluate(async () => {
          const session = (await (await fetch('/admin/session')).json()) as { csrf_token: string };
          const r = await fetch('/admin/merchants', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
            body: JSON.stringify({ name: 'Not for support' }),
          });
          return { status: r.status, body: (await r.json()) as { error: { code: string } } };
        });
        assert.deepEqual([answer.status, answer.body.error.code], [403, 'auth.role_forbidden']);
      });

      it('her refund above the limit waits; an admin approves it; both names are recorded', async () => {
        await page.goto(url(`/orders/${orderId}`));
        await page.getByRole('button', { name: 'Refund', exact: true }).click();
        const d = page.locator('dialog[open]');
        await d.getByLabel('Partial refund').check();
        await d.getByLabel('Amount in SAR').fill('60.00');
        await d.getByLabel('Reason (required)').fill('Damaged on arrival');
        await d.getByRole('button', { name: 'Refund', exact: true }).click();
        await eventually('the four-eyes announcement', status, (t) =>
          t.includes('waits for a second operator'),
        );
        const before = await server.call('GET', `/admin/orders/${orderId}`, undefined, 200);
        assert.equal(before.refunded_minor, 0, 'no money moved yet');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await signInAs('omar');
        await page.goto(url('/operators'));
        await page.getByRole('table').waitFor();
        assert.deepEqual(await accessibilityProblems(page), [], 'accessibility of operators');
        await browser.screenshot(`${factory.engine}-operators`);
        await page.goto(url('/approvals'));
        const row = page.getByRole('row', { name: /sara/ });
        await row.waitFor();
        assert.deepEqual(await accessibilityProblems(page), [], 'accessibility of approvals');
        await browser.screenshot(`${factory.engine}-approvals`);
        await row.getByRole('button', { name: 'Approve the refund' }).click();
        await eventually('the approval announcement', status, (t) =>
          t.includes('approved and made'),
        );
        const after = await server.call('GET', `/admin/orders/${orderId}`, undefined, 200);
        assert.equal(after.refunded_minor, 6_000);

        await page.goto(url(`/orders/${orderId}`));
        const main = page.locator('main');
        await eventually(
          'both names in the timeline',
          () => main.innerText(),
          (t) => t.includes('operator:sara') && t.includes('operator:omar'),
        );
        const actions = await server.call(
          'GET',
          `/admin/actions?order_id=${orderId}`,
          undefined,
          200,
        );
        assert.deepEqual(
          actions.data.map((a: { action: string; actor: string }) => `${a.action} ${a.actor}`),
          ['refund.approval_requested operator:sara', 'refund.approved operator:omar'],
        );
      });
    },
  );
}

await onEveryStore(operatorsBrowserSuite);
