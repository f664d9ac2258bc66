/**
 * The popup in the pseudo-locale (`en-XA`, shared/i18n/pseudo.ts: every message accented, about 40% longer,
 * between ⟦ and ⟧), in the states where most words show. Two proofs: no word of the popup's own is left
 * plain (everything goes through the catalogue), and no message is cut: each one's closing bracket is
 * inside its element's box, and no element holding one overflows it. Data (names, addresses, the system's
 * own words) is the showcase's and stays as it is.
 */
import type { Page } from '@playwright/test';
import { expect, test, watchPageProblems } from './harness';
import { openShowcase, RASMAN_STOPPED, SHOWCASE_DATA } from './showcase';

/** The system's own words the showcase's details show (a path, device names): data, not catalogue. */
const SYSTEM_WORDS = ['C:\\Users\\ana\\AppData\\Roaming\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk', 'WAN Miniport (SSTP)', 'RASCS_Authenticate', RASMAN_STOPPED];

test.use({ locale: 'en-XA', viewport: { width: 360, height: 480 } });

// The list's and the buttons' names are pseudo-words here: rows are found by the data they show.
const rowOf = (page: Page, name: string) => page.locator('li[data-row-key]').filter({ has: page.locator('.row-name', { hasText: name }) });
const rowButton = (page: Page, name: string) => rowOf(page, name).locator('[data-row-main]');

interface TextProblem {
  text: string;
  problem: string;
}

/**
 * Page side, as source text: every visible text node, with what is wrong with it. A text of the popup's own
 * is one with an ASCII word (two letters or more) left after removing the data; a cut one is a message
 * whose element overflows its box or whose closing bracket lies outside the element's visible box.
 */
const FIND_PROBLEMS = `((data) => {
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const visible = (element) => element.checkVisibility({ visibilityProperty: true }) && !element.closest('.visually-hidden, .name-separator, [hidden]');
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.textContent || '';
    if (!element || !text.trim() || !visible(element)) continue;
    let rest = text;
    for (const item of data) rest = rest.split(item).join(' ');
    if (/[A-Za-z]{2,}/.test(rest.replace(/\\b(AM|PM)\\b|\\b(kB|MB|GB|TB|B)\\/s\\b|\\b(kB|MB|GB|TB)\\b|\\b\\d+[dhms]\\b/g, ' '))) problems.push({ text, problem: 'not from the catalogue' });
    if (text.includes('⟦')) {
      if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible') problems.push({ text, problem: 'overflows its box' });
      const range = document.createRange();
      const end = text.lastIndexOf('⟧');
      if (end >= 0) {
        range.setStart(node, end);
        range.setEnd(node, end + 1);
        const bracket = range.getBoundingClientRect();
        let box = element;
        while (box && getComputedStyle(box).overflowX === 'visible' && box !== document.body) box = box.parentElement;
        const clip = (box || document.body).getBoundingClientRect();
        if (bracket.right > clip.right + 1 || bracket.left < clip.left - 1) problems.push({ text, problem: 'its end is cut off' });
      }
    }
  }
  return problems;
})`;

async function problemsIn(page: Page): Promise<TextProblem[]> {
  return page.evaluate(`${FIND_PROBLEMS}(${JSON.stringify([...SHOWCASE_DATA, ...SYSTEM_WORDS])})`);
}

test('en-XA: every word of the popup comes from the catalogue and none is cut, in the list, details, a failed dial, the stale list, History and Diagnostics', async ({ page, popupServer }) => {
  test.setTimeout(60_000);
  const problems = watchPageProblems(page);
  const { showcase, popup } = await openShowcase(page, popupServer);
  try {
    expect(await page.evaluate(() => navigator.language)).toBe('en-XA');
    await expect(rowOf(page, 'Office VPN')).toContainText('/s');
    await expect(page.getByRole('tab', { name: /^⟦Çöññéçţîöñš~+⟧$/ }), 'the pseudo-locale is on').toBeVisible();
    expect(await problemsIn(page), 'the list').toEqual([]);

    await rowButton(page, 'Office VPN').click();
    await expect(rowOf(page, 'Office VPN').locator('.details')).toBeVisible();
    await rowOf(page, 'Office VPN').locator('summary').click();
    expect(await problemsIn(page), 'details').toEqual([]);
    await rowButton(page, 'Office VPN').click();

    await rowOf(page, 'Branch office').locator('[data-row-action]').click();
    await expect(rowOf(page, 'Branch office').locator('.row-step')).toBeVisible();
    expect(await problemsIn(page), 'a dial in progress').toEqual([]);
    showcase.finishDial('failed');
    await expect(rowOf(page, 'Branch office').locator('.row-error')).toBeVisible();
    expect(await problemsIn(page), 'a failed dial').toEqual([]);

    showcase.failReads(true);
    await expect(page.locator('.banner')).toBeVisible();
    await page.locator('.banner [aria-expanded]').click();
    expect(await problemsIn(page), 'the stale list').toEqual([]);
    showcase.failReads(false);
    await expect(page.locator('.banner')).toHaveCount(0);

    await page.locator('.diagnostics-link button').click();
    await expect(page.locator('.diagnostics-interfaces')).toBeVisible();
    // The interfaces' reasons are the core's words (data), not the popup's.
    expect((await problemsIn(page)).filter((p) => !/physical Ethernet|a RAS connection|Intel|Ethernet|rasapi32|IfType|IfOperStatus|System32|192\.168|Windows|showcase|win32/.test(p.text)), 'Diagnostics').toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('tab').nth(1).click();
    await expect(page.locator('.history-day').first()).toBeVisible();
    expect(await problemsIn(page), 'History').toEqual([]);
    await page.getByRole('tab').first().click();
    await page.screenshot({ path: test.info().outputPath('popup-en-XA.png') });
  } finally {
    popup.close();
    showcase.close();
  }
  expect(problems).toEqual([]);
});
