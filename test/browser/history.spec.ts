/**
 * The History view and the sparklines as a user meets them, over the real core: the production popup in
 * Chromium, a real ConnectionMonitor, and a real HistoryRecorder writing a temp SQLite file, wired as
 * electron/main.ts wires them (recordHistory). Connections change in the fake rasapi32 (hang-ups go through
 * RasHangUpW) or in a source whose counters grow; the page learns everything from pushed updates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { rowButton, rowOf, rows } from './rows';
import { recordHistory, type OpenedHistory } from '../../electron/core/history/record-history';
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource } from '../../electron/core/platforms/source';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { sourceConnection } from '../support/connections';
import { loadFakeRas, RASCS, type FakeRas } from '../support/fake-ras';
import { test as base, expect, openPopup, watchPageProblems, type PopupBridge } from './harness';

interface HistoryPopup {
  /** Open the popup over `monitor`, with a history recording it into a fresh file. */
  open(monitor: ConnectionMonitor): Promise<PopupBridge>;
}

const test = base.extend<{ historyPopup: HistoryPopup }>({
  historyPopup: async ({ page, popupServer }, use) => {
    const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-browser-'));
    const problems = watchPageProblems(page);
    const opened: { popup: PopupBridge; history: OpenedHistory; monitor: ConnectionMonitor }[] = [];
    await use({
      open: async (monitor) => {
        const history = recordHistory(monitor, join(folder, 'history.sqlite'));
        if (!history.recorder) throw new Error(history.problem ?? 'no history');
        const popup = await openPopup(page, { monitor, server: popupServer, history: history.recorder });
        opened.push({ popup, history, monitor });
        return popup;
      },
    });
    for (const { popup, history, monitor } of opened) {
      popup.close();
      history.close();
      monitor.close();
    }
    rmSync(folder, { recursive: true, force: true });
    expect(problems, 'no CSP violation or page error').toEqual([]);
  },
});

const historyTab = (page: Page) => page.getByRole('tab', { name: 'History' });
const today = (page: Page) => page.getByRole('list', { name: 'Sessions, Today' });
const session = (page: Page, name: string) => today(page).getByRole('listitem').filter({ hasText: name });

function rasMonitor(fake: FakeRas): ConnectionMonitor {
  fake.reset();
  return new ConnectionMonitor(createRasSource(fake.path), { platform: 'win32' });
}

test('History: a hang-up and a drop, with its reason, under Today with the day’s total', async ({ page, historyPopup }) => {
  const fake = loadFakeRas();
  const monitor = rasMonitor(fake);
  fake.add({ name: 'Office' });
  const lab = fake.add({ name: 'Lab', deviceName: 'WAN Miniport (SSTP)' });
  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  await historyPopup.open(monitor);
  await expect(rows(page)).toHaveCount(3);

  // Office is hung up from Linkwatch; Lab drops with error 628, then its row goes.
  await page.getByRole('button', { name: 'Disconnect Office' }).click();
  await page.getByRole('group', { name: 'Disconnect Office?' }).getByRole('button', { name: 'Disconnect' }).click();
  await expect(rows(page)).toHaveCount(2);
  fake.setState(lab, RASCS.Disconnected, 628);
  await expect(rowButton(page, 'Lab')).toHaveAccessibleName(/Disconnected/);
  fake.remove(lab);
  await expect(rows(page)).toHaveCount(1);

  await historyTab(page).click();
  await expect(historyTab(page)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: /^Today/ })).toContainText('3 sessions · 1 drop');
  await expect(page.getByText('3 sessions in 7 days'), 'the header counts what this tab shows').toBeVisible();
  await expect(session(page, 'Lab')).toContainText('Dropped');
  await expect(session(page, 'Lab')).toContainText('Last error: The other side closed the connection before it was complete.');
  await expect(session(page, 'Office')).toContainText('Hung up from Linkwatch');
  await expect(session(page, 'Office')).not.toContainText('Last error');
  await expect(session(page, 'Home DSL')).toContainText('Up now');
  // The drop is marked in words, not by colour alone, and a screen reader hears the whole story.
  await expect(session(page, 'Lab')).toHaveAttribute('aria-label', /^VPN Lab, .*, dropped, last error: The other side closed the connection before it was complete\./);
});

test('History follows events while it is open, without polling', async ({ page, historyPopup }) => {
  const fake = loadFakeRas();
  const monitor = rasMonitor(fake);
  const popup = await historyPopup.open(monitor);
  await historyTab(page).click();
  await expect(page.getByText('No sessions in the last days')).toBeVisible();
  const branch = fake.add({ name: 'Branch', deviceType: 'isdn', deviceName: 'ISDN Adapter' });
  await expect(session(page, 'Branch')).toContainText('Up now');
  fake.remove(branch);
  await expect(session(page, 'Branch')).toContainText('Dropped');
  await expect(session(page, 'Branch')).toContainText('No error was reported before it went');
  await popup.flushed();
  const asked = popup.requests.filter((request) => request.channel === 'history:sessions').length;
  await page.waitForTimeout(1500);
  expect(popup.requests.filter((request) => request.channel === 'history:sessions').length, 'no request without an event').toBe(asked);
});

test('keyboard: tabs with the arrows, sessions with ↑/↓, Escape back to the list, then closes', async ({ page, historyPopup }) => {
  const fake = loadFakeRas();
  const monitor = rasMonitor(fake);
  fake.add({ name: 'Office' });
  const second = fake.add({ name: 'Second' });
  const popup = await historyPopup.open(monitor);
  await expect(rows(page)).toHaveCount(2);
  fake.remove(second);
  await expect(rows(page)).toHaveCount(1);

  const officeRow = rowButton(page, 'Office');
  await expect(officeRow).toBeFocused();
  // Shift+Tab from the list reaches the tabs; → selects History.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('tab', { name: 'Connections' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(historyTab(page)).toBeFocused();
  await expect(historyTab(page)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'History' })).toBeVisible();
  await expect(today(page).getByRole('listitem')).toHaveCount(2);

  // Tab enters the sessions (newest first): one tab stop, arrows within.
  await page.keyboard.press('Tab');
  await expect(session(page, 'Second')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(session(page, 'Office')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(session(page, 'Office'), 'the last stays put').toBeFocused();
  await page.keyboard.press('Home');
  await expect(session(page, 'Second')).toBeFocused();
  await page.keyboard.press('End');
  await expect(session(page, 'Office')).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(page.getByRole('tab', { name: 'Connections' })).toHaveAttribute('aria-selected', 'true');
  await expect(officeRow).toBeFocused();
  expect(popup.hideRequests(), 'Escape in History only goes back').toBe(0);
  await page.keyboard.press('Escape');
  await expect.poll(() => popup.hideRequests()).toBe(1);
});

/** A source whose counters grow each read by a changing amount, as a busy tunnel's do. */
function busySource(): ConnectionSource {
  let reads = 0;
  return {
    backend: 'scripted',
    async read({ counters }) {
      reads += 1;
      // Growing by a varying amount (never backwards: that would be a reset, and no rate).
      const grown = (perRead: number) => (counters ? reads * perRead + ((reads % 3) * perRead) / 4 : null);
      return [sourceConnection({ id: 'tun:1', name: 'Tunnel', deviceType: 'tun', deviceName: 'tun0', stateDetail: 'UP,LOWER_UP', bytesIn: grown(40_000), bytesOut: grown(4000) })];
    },
    close() {},
  };
}

test('a row’s sparkline draws throughput from pushed rates once it has enough, with its peak labelled and in words', async ({ page, historyPopup }) => {
  const monitor = new ConnectionMonitor(busySource(), { platform: 'linux', countersIntervalMs: 150 });
  const popup = await historyPopup.open(monitor);
  await rowButton(page, 'Tunnel').click();
  const sparkline = rowOf(page, 'Tunnel').getByRole('img', { name: /^Throughput over the last \d+s: received up to .+\/s, sent up to .+\/s$/ });
  await expect(sparkline).toBeVisible();
  await expect.poll(async () => Number(await sparkline.getAttribute('data-samples')), { timeout: 5000 }).toBeGreaterThanOrEqual(4);
  const received = await sparkline.locator('polyline.sparkline-in').getAttribute('points');
  const heights = new Set((received ?? '').split(' ').map((point) => point.split(',')[1]));
  expect(heights.size, 'the line moves with the rate').toBeGreaterThan(1);
  await expect(rowOf(page, 'Tunnel').getByText(/^Peak .+\/s over the last \d+s$/), 'the scale is labelled').toBeVisible();
  expect(
    popup.requests.map((request) => request.channel).sort(),
    'the page asked once (the list, the saved connections, the policy) and was pushed the rest',
  ).toEqual(['connections:saved', 'connections:subscribe', 'settings:policy']);
});

test('the retention setting is chosen in the History view and saved through settings:set', async ({ page, historyPopup }) => {
  const fake = loadFakeRas();
  const popup = await historyPopup.open(rasMonitor(fake));
  await historyTab(page).click();
  const keep = page.getByRole('combobox', { name: 'Keep history for' });
  await expect(keep).toHaveValue('90');
  await keep.selectOption({ label: '30 days' });
  await expect(keep).toHaveValue('30');
  await expect.poll(() => popup.requests.filter((request) => request.channel === 'settings:set').map((request) => request.args)).toEqual([[{ historyDays: 30 }]]);
  // A change made elsewhere (the settings pushed) shows here too.
  await popup.push('settings:changed', { notifications: true, startAtLogin: false, historyDays: 365, exportDirectory: null });
  await expect(keep).toHaveValue('365');
});
