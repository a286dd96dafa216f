/**
 * Signing the dashboard in with the admin token, for every browser suite. The sign-in page asks
 * for an operator's name and password (test/e2e/operators-browser.test.ts); the admin token is
 * behind a button on it. These speak to the English page.
 */
import type { Page } from 'playwright-core';
import { E2E_ADMIN_TOKEN } from './server-process.js';

/** On the sign-in page, switches to the admin token and waits for its field. */
export async function chooseAdminToken(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Use the admin token instead' }).click();
  await page.getByLabel('Admin token').waitFor();
}

/** From the sign-in page, signs in with the admin token and waits for the dashboard. */
export async function signInWithAdminToken(page: Page, token = E2E_ADMIN_TOKEN): Promise<void> {
  await chooseAdminToken(page);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.top').waitFor();
}
