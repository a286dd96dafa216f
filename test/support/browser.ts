/**
 * A real browser for the dashboard's end-to-end tests: Playwright (`playwright-core`, which
 * downloads nothing) driving Debian's Chromium at /usr/bin/chromium, headless, with a fresh
 * profile directory per launch. When Chromium is missing the suite is skipped with a loud
 * message, unless UNWIND_REQUIRE_CHROMIUM=1 makes that a failure (as .ci/run does).
 *
 * Every console error and uncaught page error is collected, so a test can assert that the
 * dashboard ran without one (a Content-Security-Policy violation is a console error).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['UNWIND_CHROMIUM'] || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** test-artifacts/dashboard/ at the repository root (this file runs from dist/test/support). */
export const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-artifacts/dashboard',
);

/** Undefined when Chromium is there; otherwise why the suite is skipped (printed loudly). */
export function chromiumSkipReason(): string | undefined {
  if (fs.existsSync(CHROMIUM_PATH)) return undefined;
  const why = `Chromium not found at ${CHROMIUM_PATH}`;
  if (process.env['UNWIND_REQUIRE_CHROMIUM'] === '1') {
    throw new Error(`Chromium is required (UNWIND_REQUIRE_CHROMIUM=1) but missing: ${why}`);
  }
  const message = `SKIPPING dashboard browser tests: ${why}. Install Debian's chromium to run them.`;
  process.stderr.write(`\n${'!'.repeat(80)}\n!! ${message}\n${'!'.repeat(80)}\n`);
  return message;
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions seen so far, in order. */
  readonly problems: string[];
  /** Every answer with a status of 400 or more, as `<status> <method> <path>`. */
  readonly failedResponses: string[];
  /** Saves a full-page screenshot as test-artifacts/dashboard/<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  readonly timezoneId?: string;
  readonly locale?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 900 },
      timezoneId: options.timezoneId ?? 'UTC',
      locale: options.locale ?? 'en-US',
      acceptDownloads: true,
    });
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const failedResponses: string[] = [];
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const { pathname } = new URL(response.url());
    failedResponses.push(`${response.status()} ${response.request().method()} ${pathname}`);
  });
  return {
    context,
    page,
    problems,
    failedResponses,
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
