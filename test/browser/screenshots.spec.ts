/**
 * Every state of the popup, light and dark, over the real monitor and saved-connections core (showcase.ts):
 * each one checked by axe-core (WCAG 2.1 A and AA, and axe's best practices) with zero violations allowed,
 * and photographed. The README's pictures (the list with saved entries, a dial in progress, the history) are
 * written to docs/ only by `npm run screenshots` (LINKWATCH_SCREENSHOTS=1), since they are part of the
 * repository and must change on purpose; otherwise into the test's output folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { REPO_ROOT } from './build-renderer';
import { expect, test, watchPageProblems } from './harness';
import { rowButton, rowOf } from './rows';
import { openShowcase, type Showcase } from './showcase';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];


interface State {
  name: string;
  /** The README's picture for this state (docs/popup-<file>-<theme>.png). */
  readme?: string;
  reach(page: Page, showcase: Showcase): Promise<void>;
}

async function ratesShown(page: Page): Promise<void> {
  await expect(rowOf(page, 'Office VPN')).toContainText('/s');
  await expect(rowOf(page, 'Home DSL')).toContainText('/s');
}

const STATES: State[] = [
  { name: 'connections', readme: '', reach: ratesShown },
  {
    name: 'details',
    async reach(page) {
      await ratesShown(page);
      await rowButton(page, 'Office VPN').click();
      await expect(rowOf(page, 'Office VPN').getByRole('img', { name: /^Throughput over the last/ })).toBeVisible({ timeout: 10_000 });
      await rowOf(page, 'Office VPN').getByText('System details').click();
    },
  },
  {
    name: 'dialling',
    readme: 'dialling',
    async reach(page) {
      await ratesShown(page);
      await page.getByRole('button', { name: 'Connect Branch office' }).click();
      await expect(rowOf(page, 'Branch office')).toContainText('Signing in…');
    },
  },
  {
    name: 'failed',
    async reach(page, showcase) {
      await page.getByRole('button', { name: 'Connect Branch office' }).click();
      await expect(rowOf(page, 'Branch office')).toContainText('Signing in…');
      showcase.finishDial('failed');
      await expect(rowOf(page, 'Branch office')).toContainText('The server refused the user name or password.');
      await rowOf(page, 'Branch office').getByRole('button', { name: 'Why?' }).click();
      await expect(rowOf(page, 'Branch office')).toContainText('691');
    },
  },
  {
    name: 'confirm',
    async reach(page) {
      await ratesShown(page);
      await page.getByRole('button', { name: 'Disconnect Office VPN' }).click();
      await expect(page.getByRole('group', { name: 'Disconnect Office VPN?' })).toBeVisible();
    },
  },
  {
    name: 'stale',
    async reach(page, showcase) {
      await ratesShown(page);
      showcase.failReads(true);
      await expect(page.getByRole('heading', { name: 'Can’t read the connections' })).toBeVisible();
      await page.getByRole('button', { name: 'Why?' }).click();
    },
  },
  {
    name: 'empty',
    async reach(page, showcase) {
      showcase.clear();
      await expect(page.getByText('No dial-up or VPN connection')).toBeVisible();
    },
  },
  {
    name: 'history',
    readme: 'history',
    async reach(page) {
      await page.getByRole('tab', { name: 'History' }).click();
      await expect(page.getByRole('list', { name: /^Sessions, / }).first()).toBeVisible();
    },
  },
  {
    name: 'diagnostics',
    async reach(page) {
      await page.getByRole('button', { name: 'Why is a VPN not listed?' }).click();
      await expect(page.getByRole('heading', { name: 'Diagnostics' })).toBeVisible();
      await expect(page.getByText('physical Ethernet')).toBeVisible();
    },
  },
];

test.use({ deviceScaleFactor: 2, viewport: { width: 360, height: 480 } });

const results: Record<string, number> = {};

for (const colorScheme of ['light', 'dark'] as const) {
  for (const state of STATES) {
    test(`${state.name}, ${colorScheme}: no axe violation, and its picture`, async ({ page, popupServer }, testInfo) => {
      const problems = watchPageProblems(page);
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      const { showcase, popup } = await openShowcase(page, popupServer);
      try {
        await expect(page.locator('body')).toHaveCSS('background-color', colorScheme === 'dark' ? 'rgb(29, 29, 32)' : 'rgb(243, 243, 245)');
        await state.reach(page, showcase);
        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        const violations = axe.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        results[`${state.name}-${colorScheme}`] = axe.violations.length;
        writeFileSync(testInfo.outputPath('axe.json'), JSON.stringify({ state: state.name, colorScheme, passes: axe.passes.length, violations: axe.violations }, null, 2));
        expect(violations, `axe in ${state.name}, ${colorScheme}`).toEqual([]);
        await expect(page.locator('body'), 'focus is never dropped to <body> once the popup has a row').not.toBeFocused();
        const file = state.readme === undefined ? null : `popup${state.readme ? `-${state.readme}` : ''}-${colorScheme}.png`;
        const path = file && process.env.LINKWATCH_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs', file) : testInfo.outputPath(`popup-${state.name}-${colorScheme}.png`);
        mkdirSync(join(path, '..'), { recursive: true });
        await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      } finally {
        popup.close();
        showcase.close();
      }
      expect(problems).toEqual([]);
    });
  }
}

test.afterAll(() => {
  // One line per state for the report (npm run screenshots prints it).
  console.log(`axe violations per state: ${JSON.stringify(results)}`);
});
