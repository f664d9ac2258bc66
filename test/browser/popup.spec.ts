/**
 * The popup as a user meets it, over the real core: the production build in Chromium, `window.linkwatch`
 * backed by a ConnectionMonitor reading the fake rasapi32 (test/fixtures/fake-rasapi32.c) through the RAS
 * backend. Every change is made in the fake library; the popup learns it only through pushed updates.
 */
import type { Page } from '@playwright/test';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { loadFakeRas, RASCS, type FakeRas, type RasFunction } from '../support/fake-ras';
import { test as base, expect, openPopup, watchPageProblems, type PopupBridge } from './harness';

interface RasPopup {
  fake: FakeRas;
  monitor: ConnectionMonitor;
  /** Open and show the popup over this monitor; the bridge's Node side is returned. */
  open(): Promise<PopupBridge>;
}

/** Per test: a reset fake, a monitor at default settings over it, and a check that the page stayed clean. */
const test = base.extend<{ ras: RasPopup }>({
  ras: async ({ page, popupServer }, use) => {
    const fake = loadFakeRas();
    fake.reset();
    const monitor = new ConnectionMonitor(createRasSource(fake.path), { platform: 'win32' });
    const problems = watchPageProblems(page);
    const opened: PopupBridge[] = [];
    await use({
      fake,
      monitor,
      open: async () => {
        const popup = await openPopup(page, { monitor, server: popupServer });
        opened.push(popup);
        return popup;
      },
    });
    for (const popup of opened) popup.close();
    monitor.close();
    expect(problems, 'no CSP violation or page error').toEqual([]);
  },
});

/** Make every RasEnumConnectionsW fail with `code` until the returned function is called. */
function holdFault(fake: FakeRas, fn: RasFunction, code: number): () => void {
  fake.failNext(fn, code);
  const timer = setInterval(() => fake.failNext(fn, code), 10);
  return () => {
    clearInterval(timer);
    fake.failNext(fn, 0);
  };
}

const rows = (page: Page) => page.getByRole('list', { name: 'Active connections' }).getByRole('listitem');
const row = (page: Page, name: string) => rows(page).filter({ has: page.getByText(name, { exact: true }) });
const liveRegion = (page: Page) => page.getByRole('status');

test('rows follow connections coming, changing and going, without a reload, and the live region says so', async ({ page, ras: { fake, open } }) => {
  const popup = await open();
  await expect(page.getByText('No active dial-up or VPN connection')).toBeVisible();
  await expect(page.getByText('0 connections')).toBeVisible();
  await expect(page.getByText('Live updates'), 'the fake signals RasConnectionNotificationW: push, and the popup says so quietly').toBeVisible();

  const office = fake.add({ name: 'Office', state: RASCS.ConnectDevice });
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, 'Office')).toContainText('Connecting');
  await expect(row(page, 'Office')).toContainText('WAN Miniport (IKEv2) · vpn');
  await expect(page.getByText('No active dial-up or VPN connection')).toHaveCount(0);

  fake.setState(office, RASCS.Connected);
  await expect(row(page, 'Office')).toContainText('Connected');
  await expect(liveRegion(page)).toHaveText('VPN Office connected');

  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByText('2 connections')).toBeVisible();
  await expect(rows(page).nth(1)).toContainText('Home DSL');
  await expect(page.getByRole('button', { name: /^Broadband Home DSL, connected/ })).toBeVisible();
  await expect(liveRegion(page)).toHaveText('Broadband Home DSL connected');

  fake.remove(office);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, 'Office')).toHaveCount(0);
  await expect(liveRegion(page)).toHaveText('Office disconnected');

  const subscribes = popup.requests.filter((request) => request.channel === 'connections:subscribe');
  expect(subscribes, 'one subscribe: the popup never reloads or polls').toHaveLength(1);
});

test('a flapping connection is not announced again and again', async ({ page, ras: { fake, open } }) => {
  const office = fake.add({ name: 'Office' });
  await open();
  await expect(rows(page)).toHaveCount(1);
  // Down and up again within the announcer's quiet time: the popup shows both, the live region neither.
  fake.setState(office, RASCS.Disconnected, 668);
  await expect(row(page, 'Office')).toContainText('Disconnected');
  fake.setState(office, RASCS.Connected);
  await expect(row(page, 'Office')).toContainText('Connected');
  await page.waitForTimeout(1200);
  await expect(liveRegion(page)).toHaveText('');
  // A real drop is still announced.
  fake.remove(office);
  await expect(liveRegion(page)).toHaveText('Office disconnected');
});

test('keyboard: arrows, Home and End move between rows; Disconnect asks first; Escape cancels, then closes', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  fake.add({ name: 'Lab', deviceName: 'WAN Miniport (SSTP)' });
  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  const popup = await open();
  await expect(rows(page)).toHaveCount(3);

  const office = page.getByRole('button', { name: /^VPN Office, connected/ });
  const lab = page.getByRole('button', { name: /^VPN Lab, connected/ });
  const dsl = page.getByRole('button', { name: /^Broadband Home DSL, connected/ });
  await expect(office, 'showing the popup focuses the first row').toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(lab).toBeFocused();
  await page.keyboard.press('End');
  await expect(dsl).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dsl, 'the last row stays put').toBeFocused();
  await page.keyboard.press('Home');
  await expect(office).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(office).toBeFocused();

  // Enter on a row expands its details.
  await expect(office).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(office).toHaveAttribute('aria-expanded', 'true');
  await expect(row(page, 'Office').getByText('RASCS_Connected')).toBeVisible();

  // Tab reaches the row's Disconnect; Enter opens the confirmation; Escape cancels it, focus comes back.
  await page.keyboard.press('Tab');
  const disconnectOffice = page.getByRole('button', { name: 'Disconnect Office' });
  await expect(disconnectOffice).toBeFocused();
  await page.keyboard.press('Enter');
  const confirmation = page.getByRole('group', { name: 'Disconnect Office?' });
  await expect(confirmation).toBeVisible();
  await expect(confirmation.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirmation).toHaveCount(0);
  await expect(disconnectOffice).toBeFocused();
  expect(popup.hideRequests(), 'Escape with a confirmation open only cancels it').toBe(0);

  // Confirming hangs up through RasHangUpW and the row goes; focus stays in the list.
  await page.keyboard.press('Enter');
  await expect(confirmation).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(confirmation.getByRole('button', { name: 'Disconnect' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(page, 'Office')).toHaveCount(0);
  expect(fake.calls('RasHangUpW')).toBe(1);
  await expect(rows(page)).toHaveCount(2);
  await expect(lab).toBeFocused();
  await expect(liveRegion(page)).toHaveText('Office disconnected');

  // Escape with nothing open closes the popup.
  await page.keyboard.press('Escape');
  await expect.poll(() => popup.hideRequests()).toBe(1);
});

test('a failed hang-up is shown on its row, as data', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  await open();
  fake.failNext('RasHangUpW', 668);
  await row(page, 'Office').getByRole('button', { name: 'Disconnect Office' }).click();
  await page.getByRole('group', { name: 'Disconnect Office?' }).getByRole('button', { name: 'Disconnect' }).click();
  const alert = row(page, 'Office').getByRole('alert');
  await expect(alert).toContainText('Couldn’t disconnect Office');
  await expect(alert).toContainText('The connection was terminated');
  await expect(alert).toContainText('668');
  await expect(rows(page)).toHaveCount(1);
});

test('a backend error shows a banner and keeps the last good list; it clears on recovery', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  await open();
  await expect(rows(page)).toHaveCount(2);

  const release = holdFault(fake, 'RasEnumConnectionsW', 834);
  try {
    const banner = page.getByRole('alert').filter({ hasText: 'Can’t read connections' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Remote Access Connection Manager service stopped');
    await expect(banner).toContainText('Code 834');
    await expect(rows(page), 'the last good list stays').toHaveCount(2);
    await page.waitForTimeout(500);
    await expect(banner).toBeVisible();
  } finally {
    release();
  }
  await expect(page.getByText('Can’t read connections')).toHaveCount(0);
  await expect(rows(page)).toHaveCount(2);
});

test('a connection dialled without an entry shows its number, labelled; a last error is shown', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: '.5551234', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem' });
  fake.add({ name: 'Branch', deviceType: 'isdn', deviceName: 'ISDN Adapter', state: RASCS.Authenticate, error: 691 });
  await open();
  const adHoc = row(page, '5551234');
  await expect(adHoc).toContainText('dialled without an entry');
  await expect(page.getByRole('button', { name: /^Dial-up 5551234, dialled without an entry, connected/ })).toBeVisible();
  const branch = row(page, 'Branch');
  await expect(branch).toContainText('Connecting');
  await expect(branch).toContainText('Last error: Access was denied');
  await expect(branch).toContainText('691');
});

test('the connected duration ticks in the page, without updates from the core', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  await open();
  const elapsed = row(page, 'Office').locator('time');
  await expect(elapsed).toHaveText(/^\ds$/);
  const before = await elapsed.textContent();
  await expect(elapsed).not.toHaveText(before ?? '', { timeout: 2500 });
});

test('showing the popup again puts focus back on the first row', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  fake.add({ name: 'Lab' });
  const popup = await open();
  const office = page.getByRole('button', { name: /^VPN Office, connected/ });
  await expect(office).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: /^VPN Lab, connected/ })).toBeFocused();
  await popup.setVisible(false);
  await popup.setVisible(true);
  await expect(office).toBeFocused();
});
