// The dashboard on a 390 px phone, left to right (English) and right to left (Arabic), in
// Chromium against a real `unwind serve`, on SQLite and on PostgreSQL: on every page (the tour of
// test/support/dashboard-tour.ts, a refund dialog included) nothing makes the page scroll
// sideways; every field, button, id, badge and secondary line lies inside the box it belongs to
// (its card, table cell, dialog or timeline entry); a table cell's lines stay in the value's
// column, beside its label and never under it. A screenshot of each page goes to
// test-artifacts/dashboard/phone-<store>-<lang>-<page>.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type BrowserSession, chromiumSkipReason, launchBrowser } from '../support/browser.js';
import { type DashboardFixture, startDashboardFixture } from '../support/dashboard-fixture.js';
import { signIn, tour, visit } from '../support/dashboard-tour.js';
import { killAllServers } from '../support/server-process.js';
import {
  postgresFactory,
  postgresSkipReason,
  sqliteFactory,
  type StoreFactory,
} from '../support/stores.js';

const PHONE = { width: 390, height: 844 };

/**
 * What sticks out on the page as it is now, one line each. Runs in the page as text (this
 * compilation has no DOM types). Boxes are compared with half a pixel of slack for rounding.
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const problems = [];
    const rtl = document.documentElement.dir === 'rtl';
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width)
      problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
    const shown = (el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && !el.closest('.visually-hidden, thead');
    };
    const within = (inner, outer) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
    const scope = document.querySelector('dialog[open]') || document.querySelector('main');
    const parts = scope.querySelectorAll('input, select, textarea, button, code, .badge, .muted, .help, dd, time');
    for (const el of parts) {
      if (!shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.left < -0.5 || box.right > width + 0.5) problems.push('off screen: ' + name(el));
      const holder = el.parentElement.closest('.cell, td, .card, dialog, li.entry, .field, section, main');
      if (holder && !within(box, holder.getBoundingClientRect()))
        problems.push(name(el) + ' sticks out of ' + name(holder));
    }
    // A cell on a phone is a grid: its label (::before) first, its value's one box after it.
    for (const td of scope.querySelectorAll('table.responsive td:not(.primary)')) {
      const cell = td.querySelector(':scope > .cell');
      if (!cell || !shown(cell) || getComputedStyle(td).display !== 'grid') continue;
      const t = td.getBoundingClientRect();
      const c = cell.getBoundingClientRect();
      const besideLabel = rtl ? c.right <= t.right - 40 : c.left >= t.left + 40;
      if (!besideLabel) problems.push('a value under its label: ' + name(td));
      for (const child of cell.children) {
        if (shown(child) && !within(child.getBoundingClientRect(), c))
          problems.push('a line out of its column: ' + name(child) + ' in ' + name(td));
      }
    }
    return problems;
  })()`);
}

function phoneSuite(factory: StoreFactory, skip?: string) {
  describe(`the dashboard on a 390 px phone: ${factory.engine}`, { skip }, () => {
    let fx: DashboardFixture;
    let browser: BrowserSession;

    before(async () => {
      fx = await startDashboardFixture(factory);
      browser = await launchBrowser({ timezoneId: 'Asia/Riyadh', viewport: PHONE });
    });

    after(async () => {
      await browser?.close();
      await fx?.close();
      await killAllServers();
    });

    for (const lang of ['en', 'ar'] as const) {
      it(`keeps every box in its place, ${lang === 'en' ? 'left to right' : 'right to left'}`, async () => {
        const page = browser.page;
        await signIn(page, fx.server.url, lang);
        assert.equal(
          await page.evaluate<string>('document.documentElement.dir'),
          lang === 'ar' ? 'rtl' : 'ltr',
        );
        const found: string[] = [];
        for (const stop of tour(fx)) {
          await visit(page, fx.server.url, stop);
          found.push(...(await layoutProblems(page)).map((p) => `${stop.name}: ${p}`));
          await browser.screenshot(`phone-${factory.engine}-${lang}-${stop.name}`);
        }
        assert.deepEqual(found, []);
      });
    }

    it('ran without script errors', () => {
      const probe = /^console: Failed to load resource: the server responded with a status of 401/;
      assert.deepEqual(
        browser.problems.filter((p) => !probe.test(p)),
        [],
      );
    });
  });
}

phoneSuite(sqliteFactory, chromiumSkipReason());
phoneSuite(postgresFactory, chromiumSkipReason() ?? (await postgresSkipReason()));
