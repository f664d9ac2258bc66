/**
 * Health and Keep connected in the popup (issue 26), over the real core where it matters: a stalled tunnel's
 * row says so with its reason and offers the stall-alert mute; a saved entry has a Keep connected checkbox (off
 * by default) that goes through the app's handler into the settings, shows what Keep connected is doing, and
 * says why an entry cannot be kept.
 */
import type { Page } from '@playwright/test';
import type { Snapshot } from '../../shared/connection';
import type { KeepStatus } from '../../shared/reconnect';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { SavedConnections } from '../../electron/core/saved';
import { connection } from '../support/connections';
import { loadFakeRas } from '../support/fake-ras';
import { test, expect, openPopup, watchPageProblems } from './harness';
import { rowOf } from './rows';

/** The row of `name`, its details opened (the popup's one list: test/browser/rows.ts). */
async function openRow(page: Page, name: string) {
  const row = rowOf(page, name);
  if ((await row.locator('[data-row-main]').getAttribute('aria-expanded')) !== 'true') await row.locator('[data-row-main]').click();
  return row;
}

test('a stalled tunnel: the row says Stalled with why; muting its alerts and turning the probe on reach the settings', async ({ page, popupServer }) => {
  const fake = loadFakeRas();
  fake.reset();
  const monitor = new ConnectionMonitor(createRasSource(fake.path), { platform: 'win32' });
  const problems = watchPageProblems(page);
  const popup = await openPopup(page, { monitor, server: popupServer });
  const stalled = connection({ id: 'ras:1', name: 'Office VPN', health: { status: 'stalled', since: Date.now() - 25_000, reason: 'sent 12 KB in 24 s, received nothing', probe: null } });
  const snapshot: Snapshot = { platform: 'win32', backend: 'rasapi32', updates: 'push', connections: [stalled], error: null, takenAt: Date.now(), verdict: null };
  await popup.push('connections:update', { events: [{ type: 'added', connection: stalled }], snapshot });
  const row = rowOf(page, 'Office VPN');
  await expect(row.getByRole('status')).toHaveText('Stalled');
  await expect(row.getByRole('status')).toHaveAttribute('title', /received nothing/);
  await row.getByLabel('Mute stall alerts').check();
  await expect.poll(() => popup.requests.filter((r) => r.channel === 'connections:mute-health').map((r) => r.args)).toEqual([['Office VPN', true]]);
  await expect(row.getByLabel('Mute stall alerts')).toBeChecked();
  // Healthy with a probe: the round-trip time shows.
  const healthy = { ...stalled, health: { status: 'healthy' as const, since: Date.now(), reason: 'echo from 10.8.0.1 in 23 ms', probe: { target: '10.8.0.1', rttMs: 23.4, at: Date.now(), error: null } } };
  await popup.push('connections:update', { events: [{ type: 'changed', connection: healthy, previous: stalled, fields: ['health'] }], snapshot: { ...snapshot, connections: [healthy] } });
  await expect(row.getByRole('status')).toHaveText('Healthy · 23 ms');
  await expect(row.getByLabel('Mute stall alerts')).toHaveCount(0);
  // The details: why, the probe's last echo, and the choice to probe (off by default).
  await openRow(page, 'Office VPN');
  await expect(row.getByText('Echo from 10.8.0.1 in 23 ms')).toBeVisible();
  const probe = row.getByLabel('Probe inside the tunnel');
  await expect(probe).not.toBeChecked();
  await probe.check();
  await expect.poll(() => popup.requests.filter((r) => r.channel === 'connections:probe').map((r) => r.args)).toEqual([['Office VPN', true]]);
  await expect(probe).toBeChecked();
  popup.close();
  monitor.close();
  expect(problems).toEqual([]);
});

test('Keep connected: off by default, turned on through the app, its status and a blocked entry\'s reason shown', async ({ page, popupServer }) => {
  const fake = loadFakeRas();
  fake.reset();
  fake.addEntry({ name: 'Office VPN' });
  fake.addEntry({ name: 'Lab' });
  const source = createRasSource(fake.path);
  const monitor = new ConnectionMonitor(source, { platform: 'win32' });
  const saved = new SavedConnections(source, monitor);
  const problems = watchPageProblems(page);
  const statuses: KeepStatus[] = [];
  const popup = await openPopup(page, { monitor, saved, server: popupServer, keep: { get statuses() { return statuses; } } });
  const office = await openRow(page, 'Office VPN');
  const toggle = office.getByLabel('Keep connected');
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(toggle).toBeChecked();
  await expect.poll(() => popup.requests.filter((r) => r.channel === 'connections:keep').map((r) => r.args)).toEqual([['Office VPN', true]]);
  await popup.push('connections:keep', [{ name: 'Office VPN', phase: 'needs-user', attempts: 1, nextAttemptAt: null, downSince: Date.now(), lastError: { code: 691, message: 'The user name or password is not valid' }, note: null }]);
  await expect(office.getByText(/Could not reconnect: The user name or password is not valid \(691\)/)).toBeVisible();
  // An entry without a saved password (as the RAS backend reports it): greyed, with the reason.
  const state = await saved.refresh();
  await popup.push('connections:saved', { ...state, entries: state.entries.map((e) => (e.name === 'Lab' ? { ...e, keepBlocked: 'No saved password: Windows would ask at every redial' } : e)) });
  const lab = await openRow(page, 'Lab');
  await expect(lab.getByLabel('Keep connected')).toBeDisabled();
  await expect(lab.getByText('No saved password: Windows would ask at every redial')).toBeVisible();
  popup.close();
  monitor.close();
  fake.reset();
  expect(problems).toEqual([]);
});
