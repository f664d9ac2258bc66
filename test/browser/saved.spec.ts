/**
 * Saved connections in the popup's one list as a user meets them, over the real core: the production build in Chromium,
 * `window.linkwatch` backed by a ConnectionMonitor and SavedConnections reading the fake rasapi32's phone book
 * and dialler (test/fixtures/fake-rasapi32-dial.c) through the RAS backend. Every dial runs in the fake.
 */
import type { Page } from '@playwright/test';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { SavedConnections } from '../../electron/core/saved';
import { FAKE_SAVED_PASSWORD_PLACEHOLDER, loadFakeRas, type FakeRas } from '../support/fake-ras';
import { test as base, expect, openPopup, watchPageProblems, type PopupBridge } from './harness';
import { rowButton, rowOf, rows } from './rows';

interface SavedPopup {
  fake: FakeRas;
  open(): Promise<PopupBridge>;
}

const test = base.extend<{ ras: SavedPopup }>({
  ras: async ({ page, popupServer }, use) => {
    const fake = loadFakeRas();
    fake.reset();
    const source = createRasSource(fake.path);
    const monitor = new ConnectionMonitor(source, { platform: 'win32' });
    const saved = new SavedConnections(source, monitor);
    const problems = watchPageProblems(page);
    const opened: PopupBridge[] = [];
    await use({
      fake,
      open: async () => {
        const popup = await openPopup(page, { monitor, saved, server: popupServer });
        opened.push(popup);
        return popup;
      },
    });
    for (const popup of opened) popup.close();
    monitor.close();
    fake.reset();
    expect(problems, 'no CSP violation or page error').toEqual([]);
  },
});

/**
 * Page side, as source text: records every text the row named `name` shows as its dialling step, and every
 * announcement the live region makes, as the page renders them (a poll from the test could miss a step).
 */
const RECORD = `((name) => {
  const steps = [];
  const said = [];
  globalThis.seen = { steps, said };
  new MutationObserver(() => {
    for (const li of document.querySelectorAll('li[data-row-key]')) {
      if (!li.querySelector('.row-name')?.textContent?.startsWith(name)) continue;
      const text = li.querySelector('.row-step')?.textContent ?? '';
      if (text && steps[steps.length - 1] !== text) steps.push(text);
    }
    const region = document.querySelector('[role="status"][aria-live]');
    const text = region?.textContent ?? '';
    if (text && said[said.length - 1] !== text) said.push(text);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})`;

const seen = (page: Page) => page.evaluate(() => (globalThis as unknown as { seen: { steps: string[]; said: string[] } }).seen);

test('Connect: one row whose button changes in place (Connect, Cancel, Disconnect) and keeps focus; each step in plain words; one announcement', async ({ page, ras: { fake, open } }) => {
  fake.addEntry({ name: 'Office VPN', states: 6, stepMs: 150 });
  fake.addEntry({ name: 'Lab', allUsers: true });
  const popup = await open();
  await expect(rows(page)).toHaveCount(2);
  await expect(rowButton(page, 'Office VPN')).toHaveAccessibleName('Office VPN, Not connected · VPN');
  await rowButton(page, 'Lab').click();
  await expect(rowOf(page, 'Lab')).toContainText('Everyone on this computer');

  await page.evaluate(`${RECORD}('Office VPN')`);
  const button = rowOf(page, 'Office VPN').locator('[data-row-action]');
  await button.focus();
  await expect(button).toHaveAccessibleName('Connect Office VPN');
  await page.keyboard.press('Enter');
  await expect(button).toHaveAccessibleName('Cancel connecting Office VPN');
  await expect(button, 'the one button changed its job and kept focus').toBeFocused();
  await expect(button).toHaveAccessibleName('Disconnect Office VPN', { timeout: 5000 });
  await expect(button).toBeFocused();
  await expect(rowButton(page, 'Office VPN')).toHaveAccessibleName('Office VPN, Connected · IKEv2 VPN');
  await expect(rows(page), 'still one row for the profile, not a second one for its connection').toHaveCount(2);
  await expect(rows(page).first(), 'connected rows first').toContainText('Office VPN');

  const { steps, said } = await seen(page);
  expect(steps.filter((text) => text !== 'Starting…')).toEqual(['Opening the port…', 'Reaching the server…', 'Signing in…']);
  await expect(page.getByRole('status').last()).toHaveText('Office VPN connected');
  expect((await seen(page)).said, 'one announcement for the dial, not one per step').toEqual(['Office VPN connected']);
  expect(said.length).toBeLessThanOrEqual(1);

  const connects = popup.requests.filter((r) => r.channel === 'connections:connect');
  expect(connects.map((r) => r.args)).toEqual([['Office VPN']]);
  expect(JSON.stringify(popup.requests)).not.toContain('pbk');
});

test('a refused dial (691): the reason as a sentence, the code one click away, Retry with focus kept, said once', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Already up' });
  fake.addEntry({ name: 'Office VPN', outcome: 'fail', states: 6, error: 691, stepMs: 10 });
  await open();
  await expect(rows(page)).toHaveCount(2);
  await page.evaluate(`${RECORD}('Office VPN')`);
  await page.getByRole('button', { name: 'Connect Office VPN', exact: true }).click();
  const row = rowOf(page, 'Office VPN');
  await expect(row).toContainText('The server refused the user name or password.');
  await expect(rowButton(page, 'Office VPN')).toHaveAccessibleName('Office VPN, Couldn’t connect · VPN');
  const retry = page.getByRole('button', { name: 'Retry connecting Office VPN' });
  await expect(retry).toBeFocused();
  await expect(retry).toHaveAccessibleDescription(/The server refused the user name or password\./);
  await expect(row).not.toContainText('691');
  await row.getByRole('button', { name: 'Why?' }).click();
  await expect(row.getByRole('region', { name: 'Details of Office VPN' })).toContainText('691');
  await expect(row.getByRole('region', { name: 'Details of Office VPN' })).toContainText('username or password is invalid');
  await expect(page.locator('body')).not.toContainText(FAKE_SAVED_PASSWORD_PLACEHOLDER);
  await expect(page.getByRole('status').last()).toHaveText('Office VPN couldn’t connect: The server refused the user name or password.');
  expect((await seen(page)).said).toEqual(['Office VPN couldn’t connect: The server refused the user name or password.']);

  // The server takes the credentials now: Retry dials again and the error goes.
  fake.reset();
  fake.add({ name: 'Already up' });
  fake.addEntry({ name: 'Office VPN', states: 2, stepMs: 10 });
  await retry.focus();
  await page.keyboard.press('Enter');
  await expect(rowButton(page, 'Office VPN')).toHaveAccessibleName(/^Office VPN, Connected/);
  await expect(row).not.toContainText('refused');
});

test('a dial that hangs: Cancel (keyboard) hangs it up, the row goes back to Connect with focus kept, no row left behind', async ({ page, ras: { fake, open } }) => {
  fake.addEntry({ name: 'Stuck', outcome: 'hang', states: 3, stepMs: 10 });
  const popup = await open();
  const button = rowOf(page, 'Stuck').locator('[data-row-action]');
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(rowOf(page, 'Stuck')).toContainText('Reaching the server…');
  await expect(button).toHaveAccessibleName('Cancel connecting Stuck');
  await expect(button, 'the one button changed its job and kept focus').toBeFocused();
  await expect(button).toHaveAttribute('aria-disabled', 'false');
  await page.keyboard.press('Enter');
  await expect(button).toHaveAccessibleName('Connect Stuck');
  await expect(button).toBeFocused();
  await expect(rows(page)).toHaveCount(1);
  const cancels = popup.requests.filter((r) => r.channel === 'connections:cancel');
  expect(cancels).toHaveLength(1);
  expect(String(cancels[0]!.args[0])).toMatch(/^ras:[0-9a-f]+$/);
});

test('keyboard: ↑/↓, Home and End move between rows from a row’s button too; one tab stop', async ({ page, ras: { fake, open } }) => {
  for (const name of ['A', 'B', 'C']) fake.addEntry({ name });
  await open();
  await expect(rows(page)).toHaveCount(3);
  await expect(rowButton(page, 'A')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rowButton(page, 'B')).toBeFocused();
  await page.keyboard.press('End');
  await expect(rowButton(page, 'C')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Connect C' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rowButton(page, 'A')).toBeFocused();
  await expect(rowButton(page, 'B')).toHaveAttribute('tabindex', '-1');
  await expect(page.getByRole('button', { name: 'Connect B' })).toHaveAttribute('tabindex', '-1');
});

test('a name the core never listed is refused by main, whatever the page sends', async ({ page, ras: { fake, open } }) => {
  fake.addEntry({ name: 'Office VPN' });
  await open();
  await expect(rows(page)).toHaveCount(1);
  const answer = await page.evaluate(() =>
    (globalThis as unknown as { linkwatch: { invoke(c: string, ...a: unknown[]): Promise<unknown> } }).linkwatch.invoke('connections:connect', 'C:\\Users\\x\\evil.pbk'),
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'ENOENT' } });
  expect(fake.dialCalls('RasDialW')).toBe(0);
});
