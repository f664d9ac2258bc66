/**
 * The hidden popup does nothing (issue 23): while the main process says it is hidden (`popup:visibility`
 * false, as electron/main.ts pushes when it hides the window) and Chromium says so too (`document.hidden`),
 * React renders nothing and the page starts no timer, however much the connections change; shown again, it
 * shows the values of that moment at once.
 *
 * Renders are counted by React's own commit hook (render-counter.ts), timers by wrapping the page's timer
 * functions before its scripts run. Headless Chromium never hides a page by itself, so the test hides the
 * document the way Chromium does for a hidden window (`visibilityState` "hidden" and a `visibilitychange`
 * event); unlike a real hidden window, timers here are not throttled, so a ticker left running would be seen.
 */
import type { Page } from '@playwright/test';
import { expect, test, watchPageProblems } from './harness';
import { countRenders, renderCount } from './render-counter';
import { rowButton, rowOf } from './rows';
import { openShowcase } from './showcase';

const HIDDEN_MS = 10_000;

/** Counts setTimeout/setInterval/requestAnimationFrame calls made by the page, and lets the test hide it. */
const PAGE_SCRIPT = `(() => {
  const timers = { count: 0 };
  Object.defineProperty(window, '__timers', { value: timers });
  for (const name of ['setTimeout', 'setInterval', 'requestAnimationFrame']) {
    const original = window[name].bind(window);
    window[name] = (...args) => { timers.count += 1; return original(...args); };
  }
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(window, '__setHidden', {
    value: (value) => { hidden = value; document.dispatchEvent(new Event('visibilitychange')); },
  });
})();`;

type PageGlobals = { __timers: { count: number }; __setHidden(hidden: boolean): void };

const timerCount = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__timers.count);
const setHidden = (page: Page, hidden: boolean) => page.evaluate((value) => (globalThis as unknown as PageGlobals).__setHidden(value), hidden);

test('hidden for 10 s while connections change: zero React renders and no timer; shown again, current values at once', async ({ page, popupServer }) => {
  test.setTimeout(60_000);
  const problems = watchPageProblems(page);
  await countRenders(page);
  await page.addInitScript({ content: PAGE_SCRIPT });
  const { showcase, popup } = await openShowcase(page, popupServer, { clock: 'real' });
  try {
    await expect(rowOf(page, 'Office VPN')).toContainText('/s');
    // Open the details too: the sparkline and its clock are among what must stop.
    await rowButton(page, 'Office VPN').click();
    await expect(rowOf(page, 'Office VPN').getByRole('img', { name: /^Throughput over the last/ })).toBeVisible({ timeout: 10_000 });
    const shownRenders = await renderCount(page);
    await page.waitForTimeout(2000);
    expect(await renderCount(page), 'shown, the popup does render: the count is real').toBeGreaterThan(shownRenders);

    // Hide it as the app does: the main process's word, then the window's.
    await popup.setVisible(false);
    await setHidden(page, true);
    await page.waitForTimeout(300);
    const rendersAtHide = await renderCount(page);
    const timersAtHide = await timerCount(page);
    const elapsedAtHide = await rowOf(page, 'Office VPN').locator('time').first().textContent();

    // Ten seconds of changes: a dial, a connection gone, the list going stale and coming back.
    await page.waitForTimeout(2000);
    const connect = showcase.saved.start('Branch office');
    await connect;
    await page.waitForTimeout(2000);
    showcase.finishDial('connected');
    await page.waitForTimeout(2000);
    showcase.failReads(true);
    await page.waitForTimeout(2000);
    showcase.failReads(false);
    await page.waitForTimeout(HIDDEN_MS - 8000);

    expect(await renderCount(page), 'no React render while hidden').toBe(rendersAtHide);
    expect(await timerCount(page), 'no timer started while hidden').toBe(timersAtHide);
    await expect(rowOf(page, 'Office VPN').locator('time').first(), 'the clock stood still').toHaveText(elapsedAtHide ?? '');
    await expect(rowOf(page, 'Branch office'), 'nothing that changed meanwhile reached the page').toContainText('Not connected');

    // Shown again: what is true now, at once, and the clock moves again.
    await setHidden(page, false);
    await popup.setVisible(true);
    await expect(rowOf(page, 'Branch office')).toContainText('Connected');
    await expect(rowOf(page, 'Office VPN').locator('time').first()).not.toHaveText(elapsedAtHide ?? '');
    await expect(page.getByRole('heading', { name: 'Can’t read the connections' })).toHaveCount(0);
    const afterShow = await renderCount(page);
    await page.waitForTimeout(1500);
    expect(await renderCount(page), 'ticking again').toBeGreaterThan(afterShow);
    // Nothing that happened while nobody looked is read out on opening.
    await expect(page.getByRole('status').filter({ hasText: /connected|disconnected|read/ })).toHaveCount(0);
  } finally {
    popup.close();
    showcase.close();
  }
  expect(problems).toEqual([]);
});
