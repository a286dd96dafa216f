/**
 * `npm run docs:screenshots`: the pictures of docs/dashboard.md. Starts the dashboard fixture
 * (test/support/dashboard-fixture.ts: a real `unwind serve` on SQLite with a test clock, seeded
 * through its APIs), then photographs every page of the tour (test/support/dashboard-tour.ts) in
 * English and in Arabic at 1280×800, and the pages an operator uses on the go at 390×844, into
 * docs/images/dashboard/<page>-<lang>[-phone].png. Only the first screen of each page is taken,
 * so the files stay small. Needs Chromium (/usr/bin/chromium, or UNWIND_CHROMIUM).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../support/browser.js';
import { startDashboardFixture } from '../support/dashboard-fixture.js';
import { signIn, tour, visit } from '../support/dashboard-tour.js';
import { killAllServers } from '../support/server-process.js';
import { sqliteFactory } from '../support/stores.js';

const OUT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../docs/images/dashboard',
);
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The pages shown on a phone too. */
const ON_THE_PHONE = new Set(['orders', 'order', 'order-refund', 'order-declined']);

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const fx = await startDashboardFixture(sqliteFactory);
  const written: string[] = [];
  try {
    for (const [size, viewport] of [
      ['', DESKTOP],
      ['-phone', PHONE],
    ] as const) {
      const browser = await launchBrowser({ timezoneId: 'Asia/Riyadh', viewport });
      try {
        for (const lang of ['en', 'ar'] as const) {
          await signIn(browser.page, fx.server.url, lang);
          for (const stop of tour(fx)) {
            if (size && !ON_THE_PHONE.has(stop.name)) continue;
            await visit(browser.page, fx.server.url, stop);
            const file = path.join(OUT, `${stop.name}-${lang}${size}.png`);
            await browser.page.screenshot({ path: file });
            written.push(file);
          }
        }
        if (browser.problems.some((p) => !/status of 401/.test(p))) {
          throw new Error(`the dashboard reported problems: ${browser.problems.join('; ')}`);
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await fx.close();
    await killAllServers();
  }
  for (const file of written) {
    const kb = Math.round(fs.statSync(file).size / 1024);
    process.stdout.write(`${path.relative(process.cwd(), file)} (${kb} KB)\n`);
  }
}

await main();
