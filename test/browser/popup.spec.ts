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
import { rowButton, rowOf, rows } from './rows';

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

const liveRegion = (page: Page) => page.getByRole('status').filter({ hasNot: page.locator('.copied') }).last();
const row = rowOf;

test('rows follow connections coming, changing and going, without a reload, in plain words; the live region says so once', async ({ page, ras: { fake, open } }) => {
  const popup = await open();
  await expect(page.getByText('No dial-up or VPN connection')).toBeVisible();
  await expect(page.getByText('None connected')).toBeVisible();
  await expect(page.getByText('Live updates'), 'the fake signals RasConnectionNotificationW: push, and the popup says so quietly').toBeVisible();

  const office = fake.add({ name: 'Office', state: RASCS.ConnectDevice });
  await expect(rows(page)).toHaveCount(1);
  await expect(rowButton(page, 'Office'), 'name, state and type in plain words: the row’s whole accessible name').toHaveAccessibleName('Office, Connecting · IKEv2 VPN');
  await expect(row(page, 'Office')).toContainText('Reaching the server…');
  await expect(row(page, 'Office'), 'system words stay in the details').not.toContainText('WAN Miniport');
  await expect(row(page, 'Office').getByRole('button', { name: 'Cancel connecting Office' }), 'a connecting row offers Cancel, not Disconnect').toBeVisible();
  await expect(row(page, 'Office'), 'no rates on a row that is not connected').not.toContainText('/s');

  fake.setState(office, RASCS.Connected);
  await expect(rowButton(page, 'Office')).toHaveAccessibleName('Office, Connected · IKEv2 VPN');
  await expect(row(page, 'Office').getByRole('button', { name: 'Disconnect Office' })).toBeVisible();
  await expect(liveRegion(page)).toHaveText('Office connected');

  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByText('2 connected')).toBeVisible();
  await expect(rowButton(page, 'Home DSL')).toHaveAccessibleName('Home DSL, Connected · Broadband (PPPoE)');
  await expect(liveRegion(page)).toHaveText('Home DSL connected');

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
  await expect(rowButton(page, 'Office')).toHaveAccessibleName(/Disconnected/);
  fake.setState(office, RASCS.Connected);
  await expect(rowButton(page, 'Office')).toHaveAccessibleName(/Connected/);
  await page.waitForTimeout(1200);
  await expect(liveRegion(page)).toHaveText('');
  // A real drop is still announced.
  fake.remove(office);
  await expect(liveRegion(page)).toHaveText('Office disconnected');
});

test('keyboard: arrows, Home and End move between rows; Enter opens the details; Disconnect asks first; Escape cancels, then closes', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  fake.add({ name: 'Lab', deviceName: 'WAN Miniport (SSTP)' });
  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  const popup = await open();
  await expect(rows(page)).toHaveCount(3);

  const office = rowButton(page, 'Office');
  const lab = rowButton(page, 'Lab');
  const dsl = rowButton(page, 'Home DSL');
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

  // Enter on a row expands its details; the system's own words are one more step away, labelled.
  await expect(office).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(office).toHaveAttribute('aria-expanded', 'true');
  const details = row(page, 'Office').getByRole('region', { name: 'Details of Office' });
  await expect(details).toContainText('IKEv2 VPN');
  await expect(details.getByText('RASCS_Connected')).toBeHidden();
  await details.getByText('System details').click();
  await expect(details.getByText('RASCS_Connected')).toBeVisible();
  await expect(details).toContainText('WAN Miniport (IKEv2) · vpn');
  await office.focus();

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

  // Confirming hangs up through RasHangUpW and the row goes; focus stays in the list, on its neighbour.
  await page.keyboard.press('Enter');
  await expect(confirmation).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(confirmation.getByRole('button', { name: 'Disconnect' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(page, 'Office')).toHaveCount(0);
  expect(fake.calls('RasHangUpW')).toBe(1);
  await expect(rows(page)).toHaveCount(2);
  await expect(page.locator('body'), 'focus is never dropped to <body>').not.toBeFocused();
  await expect(page.locator('[data-row-key]').first()).toContainText(/Lab|Home DSL/);
  await expect(liveRegion(page)).toHaveText('Office disconnected');

  // Escape with nothing open closes the popup.
  await page.keyboard.press('Escape');
  await expect.poll(() => popup.hideRequests()).toBe(1);
});

test('a failed hang-up is shown on its row as a sentence, with the code one click away', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  await open();
  fake.failNext('RasHangUpW', 668);
  await row(page, 'Office').getByRole('button', { name: 'Disconnect Office' }).click();
  await page.getByRole('group', { name: 'Disconnect Office?' }).getByRole('button', { name: 'Disconnect' }).click();
  const alert = row(page, 'Office').getByRole('alert');
  await expect(alert).toHaveText(/^Couldn’t disconnect: The connection was lost\./);
  await expect(alert).not.toContainText('668');
  await alert.getByRole('button', { name: 'Why?' }).click();
  await expect(row(page, 'Office').getByRole('region', { name: 'Details of Office' })).toContainText('668');
  await expect(rows(page)).toHaveCount(1);
});

test('a backend error: the list goes stale (grey, still, buttons unavailable with the reason), Retry and Diagnostics offered; recovery announced once', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: 'Office' });
  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  const popup = await open();
  await expect(rows(page)).toHaveCount(2);

  const release = holdFault(fake, 'RasEnumConnectionsW', 834);
  try {
    const banner = page.getByRole('region', { name: 'Can’t read the connections' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Windows’ Remote Access service is not running.');
    await expect(banner).toContainText('may be out of date');
    await expect(liveRegion(page)).toHaveText('Can’t read the connections. The list may be out of date.');
    await expect(rows(page), 'the last good list stays').toHaveCount(2);
    const disconnect = row(page, 'Office').getByRole('button', { name: 'Disconnect Office' });
    await expect(disconnect).toHaveAttribute('aria-disabled', 'true');
    await expect(disconnect).toHaveAccessibleDescription('Unavailable while the list can’t be read');
    // (Playwright will not click an aria-disabled button; a user can, and nothing must happen.)
    await disconnect.dispatchEvent('click');
    await expect(page.getByRole('group', { name: 'Disconnect Office?' }), 'a stale row’s button does nothing').toHaveCount(0);
    const time = row(page, 'Office').locator('time');
    const frozen = await time.textContent();
    await page.waitForTimeout(1500);
    await expect(time, 'the timers stopped').toHaveText(frozen ?? '');
    await banner.getByRole('button', { name: 'Why?' }).click();
    await expect(banner).toContainText('Code 834');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => popup.requests.filter((r) => r.channel === 'connections:refresh').length).toBe(1);
    await expect(banner, 'Retry read again, and the system still refuses').toBeVisible();
  } finally {
    release();
  }
  await expect(page.getByRole('region', { name: 'Can’t read the connections' })).toHaveCount(0);
  await expect(liveRegion(page)).toHaveText('The connections can be read again.');
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, 'Office').getByRole('button', { name: 'Disconnect Office' })).toHaveAttribute('aria-disabled', 'false');
});

test('a connection dialled without an entry shows its number; a connection’s last error is a sentence on its row', async ({ page, ras: { fake, open } }) => {
  fake.add({ name: '.5551234', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem' });
  fake.add({ name: 'Branch', deviceType: 'isdn', deviceName: 'ISDN Adapter', state: RASCS.Authenticate, error: 691 });
  await open();
  await expect(rowButton(page, '5551234')).toHaveAccessibleName('5551234, Connected · Dial-up modem');
  await rowButton(page, '5551234').click();
  await expect(row(page, '5551234').getByRole('region', { name: 'Details of 5551234' })).toContainText('Number dialled5551234');
  const branch = row(page, 'Branch');
  await expect(rowButton(page, 'Branch')).toHaveAccessibleName('Branch, Connecting · ISDN');
  await expect(branch).toContainText('The server refused the user name or password.');
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
  const office = rowButton(page, 'Office');
  await expect(office).toBeFocused();
  await page.keyboard.press('End');
  await expect(rowButton(page, 'Lab')).toBeFocused();
  await popup.setVisible(false);
  await popup.setVisible(true);
  await expect(office).toBeFocused();
});
