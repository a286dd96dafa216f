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
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

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

const require = createRequire(import.meta.url);
/** axe-core's browser build, read once; evaluated in the page (CDP evaluation is not bound by CSP). */
let axeSource: string | null = null;

/**
 * What axe-core finds against WCAG 2.1 A and AA on the page as it is now: contrast, names,
 * roles, ARIA use, landmarks, language, focusable hidden content. One line per violation and
 * element, with axe's rule id.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate<string[]>(`(async () => {
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
    );
  })()`);
}

/**
 * What an automated pass can find wrong with the page's accessibility (the rest needs a person
 * with a screen reader): axe-core's WCAG 2.1 A/AA rules, and our own house rules on top:
 * `<html lang>`, exactly one h1, heading levels that never skip one on the way down, a label for
 * every form control, a name for every button, link and image.
 * Runs in the page as text, since this compilation has no DOM types.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return [...(await axeViolations(page)), ...(await houseRuleProblems(page))];
}

function houseRuleProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const problems = [];
    const describe = (el) => el.outerHTML.slice(0, 120);
    const named = (el) =>
      (el.getAttribute('aria-label') || '').trim() !== '' ||
      (el.getAttribute('aria-labelledby') || '').trim() !== '' ||
      (el.textContent || '').trim() !== '';
    if (!document.documentElement.lang) problems.push('<html> has no lang');
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
    const h1s = headings.filter((h) => h.tagName === 'H1');
    if (h1s.length !== 1) problems.push(h1s.length + ' h1 elements');
    let level = 0;
    for (const h of headings) {
      const next = Number(h.tagName[1]);
      if (next > level + 1) problems.push('heading skips from h' + level + ' to ' + describe(h));
      level = next;
    }
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      if (el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        problems.push('no label: ' + describe(el));
    }
    for (const el of document.querySelectorAll('button, a[href]'))
      if (!named(el)) problems.push('no name: ' + describe(el));
    for (const el of document.querySelectorAll('[role="img"], img'))
      if (!el.getAttribute('aria-label') && !el.getAttribute('alt')) problems.push('no text: ' + describe(el));
    return problems;
  })()`);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until `ok` holds; fails with the last value after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline)
      assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await delay(100);
    last = await probe();
  }
  return last;
}

/** The text a person reads in `locator`, its white space collapsed. */
export const textOf = async (locator: Locator) =>
  (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** The value beside a label in a facts list (`<dt>label</dt><dd>value</dd>`). */
export const fact = (scope: Page | Locator, label: string) =>
  scope.locator(`dl.facts > div:has(> dt:text-is("${label}")) > dd`);
