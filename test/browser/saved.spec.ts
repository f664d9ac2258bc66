/**
 * The popup's Saved section as a user meets it, over the real core: the production build in Chromium,
 * `window.linkwatch` backed by a ConnectionMonitor and SavedConnections reading the fake rasapi32's phone book
 * and dialler (test/fixtures/fake-rasapi32-dial.c) through the RAS backend. Every dial runs in the fake.
 */
import type { Page } from '@playwright/test';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { SavedConnections } from '../../electron/core/saved';
import { FAKE_SAVED_PASSWORD_PLACEHOLDER, loadFakeRas, type FakeRas } from '../support/fake-ras';
import { test as base, expect, openPopup, watchPageProblems, type PopupBridge } from './harness';

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

const savedRows = (page: Page) => page.getByRole('list', { name: 'Saved connections' }).getByRole('listitem');
const savedRow = (page: Page, name: string) => savedRows(page).filter({ has: page.getByText(name, { exact: true }) });
const activeRows = (page: Page) => page.getByRole('list', { name: 'Active connections' }).getByRole('listitem');

test('Connect: the row shows each dialling step live, then the connection is in the active list and the entry says Connected', async ({ page, ras: { fake, open } }) => {
  fake.addEntry({ name: 'Office VPN', states: 6, stepMs: 150 });
  fake.addEntry({ name: 'Lab', allUsers: true });
  const popup = await open();
  await expect(page.getByRole('heading', { name: 'Saved' })).toBeVisible();
  await expect(savedRows(page)).toHaveCount(2);
  await expect(savedRow(page, 'Lab')).toContainText('All users');

  // Every status the row shows, as the page renders it (a poll from the test could miss a short step).
  // (Page-side source text: the Node side is type-checked without the DOM library.)
  await page.evaluate(`(() => {
    const seen = [];
    globalThis.seenStatuses = seen;
    new MutationObserver(() => {
      for (const node of document.querySelectorAll('.saved-row .saved-status')) {
        const text = node.textContent || '';
        if (node.closest('li').textContent.includes('Office VPN') && seen[seen.length - 1] !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.getByRole('button', { name: 'Connect Office VPN', exact: true }).click();
  const row = savedRow(page, 'Office VPN');
  // (Each step lasts 150 ms: the page's own record below proves every one was shown; a poll could miss one.)
  await expect(page.getByRole('button', { name: 'Cancel connecting Office VPN' })).toBeVisible();
  await expect(row).toContainText('Connected', { timeout: 5000 });
  const statuses = await page.evaluate(() => (globalThis as unknown as { seenStatuses: string[] }).seenStatuses);
  expect(statuses.filter((text) => text !== 'Connecting: Starting…')).toEqual([
    'Connecting: Opening the port…',
    'Connecting: Port opened…',
    'Connecting: Connecting the device…',
    'Connecting: Device connected…',
    'Connecting: Devices connected…',
    'Connecting: Signing in…',
    'Connected',
  ]);
  await expect(page.getByRole('button', { name: 'Connect Office VPN', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel connecting Office VPN' }), 'focus stayed in the Saved section').toHaveCount(0);
  await expect(activeRows(page).filter({ hasText: 'Office VPN' })).toContainText('Connected');

  const connects = popup.requests.filter((r) => r.channel === 'connections:connect');
  expect(connects.map((r) => r.args)).toEqual([['Office VPN']]);
  expect(JSON.stringify(popup.requests)).not.toContain('pbk');
});

test('a refused dial (691) shows the RAS reason and code in the row and offers Retry; the active list stays as it was', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Already up' });
  fake.addEntry({ name: 'Office VPN', outcome: 'fail', states: 6, error: 691, stepMs: 10 });
  await open();
  await expect(activeRows(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Connect Office VPN', exact: true }).click();
  const alert = savedRow(page, 'Office VPN').getByRole('alert');
  await expect(alert).toContainText('username or password is invalid');
  await expect(alert).toContainText('691');
  await expect(savedRow(page, 'Office VPN')).toContainText('Couldn’t connect');
  await expect(page.getByRole('button', { name: 'Retry connecting Office VPN' })).toBeFocused();
  await expect(activeRows(page)).toHaveCount(1);
  await expect(page.locator('body')).not.toContainText(FAKE_SAVED_PASSWORD_PLACEHOLDER);

  // The server takes the credentials now: Retry dials again and the error goes.
  fake.reset();
  fake.addEntry({ name: 'Office VPN', states: 2, stepMs: 10 });
  await page.keyboard.press('Enter');
  await expect(savedRow(page, 'Office VPN')).toContainText('Connected');
  await expect(savedRow(page, 'Office VPN').getByRole('alert')).toHaveCount(0);
});

test('a dial that hangs: Cancel (keyboard) hangs it up, the row goes back to Connect, nothing is left in the active list', async ({ page, ras: { fake, open } }) => {
  fake.addEntry({ name: 'Stuck', outcome: 'hang', states: 3, stepMs: 10 });
  const popup = await open();
  const connect = page.getByRole('button', { name: 'Connect Stuck', exact: true });
  await connect.focus();
  await page.keyboard.press('Enter');
  await expect(savedRow(page, 'Stuck')).toContainText('Connecting: Connecting the device…');
  const cancel = page.getByRole('button', { name: 'Cancel connecting Stuck' });
  await expect(cancel, 'the one button changed its job and kept focus').toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Connect Stuck', exact: true })).toBeVisible();
  await expect(activeRows(page)).toHaveCount(0);
  const cancels = popup.requests.filter((r) => r.channel === 'connections:cancel');
  expect(cancels).toHaveLength(1);
  expect(String(cancels[0]!.args[0])).toMatch(/^ras:[0-9a-f]+$/);
});

test('keyboard: ↑/↓, Home and End move between saved rows; one tab stop', async ({ page, ras: { fake, open } }) => {
  for (const name of ['A', 'B', 'C']) fake.addEntry({ name });
  await open();
  await expect(savedRows(page)).toHaveCount(3);
  await page.getByRole('button', { name: 'Connect A' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Connect B' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: 'Connect C' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('button', { name: 'Connect A' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Connect B' })).toHaveAttribute('tabindex', '-1');
});

test('a name the core never listed is refused by main, whatever the page sends', async ({ page, ras: { fake, open } }) => {
  fake.addEntry({ name: 'Office VPN' });
  await open();
  await expect(savedRows(page)).toHaveCount(1);
  const answer = await page.evaluate(() =>
    (globalThis as unknown as { linkwatch: { invoke(c: string, ...a: unknown[]): Promise<unknown> } }).linkwatch.invoke('connections:connect', 'C:\\Users\\x\\evil.pbk'),
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'ENOENT' } });
  expect(fake.dialCalls('RasDialW')).toBe(0);
});
