/**
 * Every page of the dashboard over the fixture's data (test/support/dashboard-fixture.ts), each
 * with what shows it is ready: the phone-layout suite checks each one's geometry, and the docs'
 * screenshot script photographs each one.
 */
import type { Page } from 'playwright-core';
import type { DashboardFixture } from './dashboard-fixture.js';
import { signInWithAdminToken } from './dashboard-sign-in.js';

export interface TourStop {
  /** A file-name part: `order-declined`. */
  readonly name: string;
  /** The path below /dashboard. */
  readonly path: string;
  /** A selector present once the page shows its data. */
  readonly ready: string;
  /** What the page is, for docs/dashboard.md. */
  readonly title: string;
  /** Something to do after it is ready (open a dialog). */
  readonly then?: (page: Page) => Promise<void>;
}

export function tour(fx: DashboardFixture): readonly TourStop[] {
  return [
    { name: 'overview', path: '/', ready: 'figure.chart svg', title: 'Overview' },
    {
      name: 'orders',
      path: `/orders?merchant_id=${fx.merchantId}`,
      ready: 'table.responsive tbody tr',
      title: 'Orders',
    },
    {
      name: 'order',
      path: `/orders/${fx.adminOrderId}`,
      // The endpoint names arrive after the history.
      ready: 'li.entry-delivery dd:has-text("Flaky CRM")',
      title: 'An order with its timeline',
    },
    {
      name: 'order-refund',
      path: `/orders/${fx.adminOrderId}`,
      ready: 'section[aria-labelledby="actions-title"] button.primary',
      title: 'The refund dialog',
      then: async (page) => {
        await page.locator('section[aria-labelledby="actions-title"] button.primary').click();
        await page.locator('dialog[open] input[value="partial"]').check();
        await page.locator('dialog[open] #refund-amount').waitFor();
      },
    },
    {
      name: 'order-declined',
      path: `/orders/${fx.declinedOrderId}`,
      ready: '[data-declined]',
      title: 'A declined card payment',
    },
    {
      name: 'order-points',
      path: `/orders/${fx.pointsOrderId}`,
      ready: '#points-title',
      title: 'A Points order',
    },
    {
      name: 'order-backd',
      path: `/orders/${fx.backdOrderId}`,
      ready: 'section[aria-labelledby="backd-title"] tbody tr',
      title: 'A Backd order',
    },
    {
      name: 'webhooks',
      path: `/webhooks?merchant_id=${fx.merchantId}`,
      ready: 'section[aria-labelledby="log-title"] tbody tr',
      title: 'Webhooks',
    },
    {
      name: 'api-keys',
      path: `/api-keys?merchant_id=${fx.merchantId}`,
      ready: 'table.responsive tbody tr',
      title: 'API keys',
    },
    {
      name: 'dead-deliveries',
      path: '/webhooks/dead',
      ready: 'table.responsive tbody tr',
      title: 'Dead deliveries',
    },
    {
      name: 'reconciliation',
      path: `/reconciliation?run=${fx.runId}`,
      ready: 'section[aria-labelledby="run-title"] tbody tr',
      title: 'Reconciliation',
    },
  ];
}

/** Signs the page in with the e2e admin token (unless it is signed in), then shows it in `lang`. */
export async function signIn(page: Page, baseUrl: string, lang: 'en' | 'ar'): Promise<void> {
  const showIn = async (chosen: 'en' | 'ar') => {
    await page.evaluate(`localStorage.setItem('unwind.dashboard.lang', '${chosen}')`);
    await page.reload();
    await page.locator('main.sign-in, header.top').first().waitFor();
  };
  await page.goto(`${baseUrl}/dashboard/`);
  // The sign-in helper speaks to the English page.
  await showIn('en');
  if ((await page.locator('header.top').count()) === 0) await signInWithAdminToken(page);
  await showIn(lang);
  await page.locator('header.top').waitFor();
}

/** Opens a stop and waits for its data (and its action, if any). */
export async function visit(page: Page, baseUrl: string, stop: TourStop): Promise<void> {
  await page.goto(`${baseUrl}/dashboard${stop.path}`);
  await page.locator(stop.ready).first().waitFor();
  if (stop.then) await stop.then(page);
  // Fonts and late answers (endpoint names) settle before anything is measured.
  await page.waitForLoadState('networkidle');
}
