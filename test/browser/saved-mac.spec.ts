/**
 * The Saved section on macOS: the network services (System Settings' VPNs, Network Extension VPNs) in the
 * production popup, over the real macOS source and monitor, with the fake libSystem (interfaces, kernel
 * events) and the fake scutil (services; formats from configd's scutil) standing in for the Mac. Connect runs
 * `scutil --nc start` and follows `scutil --nc watch`; the row follows it, and the live list names the tunnel
 * by its service once it is up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createDarwinSource } from '../../electron/core/platforms/darwin/darwin-source';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { SavedConnections } from '../../electron/core/saved';
import { DARWIN, loadFakeLibSystem } from '../support/fake-libsystem';
import { fakeScutilPath, writeFakeScutilState } from '../support/fake-scutil';
import { test, expect, openPopup, watchPageProblems } from './harness';

const savedRow = (page: Page, name: string) =>
  page.getByRole('list', { name: 'Saved connections' }).getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });

test('macOS VPN services: Connect shows each step and ends with the tunnel named by its service; a refused start shows scutil\'s reason with Retry', async ({ page, popupServer }) => {
  test.skip(process.platform !== 'linux', 'the fake libSystem builds on Linux only (a Mac runs the real system in npm run test:mac)');
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-saved-mac-'));
  const state = join(dir, 'scutil.json');
  process.env.FAKE_SCUTIL_STATE = state;
  const fake = loadFakeLibSystem();
  fake.reset();
  writeFakeScutilState(state, {
    services: [
      {
        id: 'A5F0C1D2-1111-4C3B-9D1E-0123456789AB',
        name: 'Office L2TP',
        display: 'L2TP',
        type: 'PPP',
        subtype: 'L2TP',
        status: 'Disconnected',
        dial: [{ afterMs: 100, status: 'Connecting' }, { afterMs: 1500, status: 'Connected', interface: 'ppp0' }],
      },
      { id: '0B1C2D3E-3333-4444-5555-666677778888', name: 'Cisco at work', display: 'IPSec', type: 'IPSec', status: 'Disconnected', startError: 'Invalid service' },
    ],
  });
  const source = createDarwinSource(fake.path, fakeScutilPath());
  const monitor = new ConnectionMonitor(source, { platform: 'darwin' });
  try {
    const saved = new SavedConnections(source, monitor);
    const problems = watchPageProblems(page);
    const popup = await openPopup(page, { monitor, saved, server: popupServer });
    await expect(page.getByRole('list', { name: 'Saved connections' }).getByRole('listitem')).toHaveCount(2);
    await expect(savedRow(page, 'Office L2TP')).toContainText('System Settings');

    await page.getByRole('button', { name: 'Connect Office L2TP', exact: true }).click();
    await expect(savedRow(page, 'Office L2TP')).toContainText('Connecting: Negotiating with the server…');
    // PPP brings ppp0 up with its address as the service connects (the kernel event reaches the monitor).
    fake.addInterface({ name: 'ppp0', index: 32, type: DARWIN.IFT_PPP, addresses: [{ address: '192.168.50.10', prefix: 32, peer: '192.168.50.1' }] });
    await expect(savedRow(page, 'Office L2TP')).toContainText('Connected', { timeout: 5000 });
    await expect(page.getByRole('list', { name: 'Active connections' })).toContainText('Office L2TP');

    await page.getByRole('button', { name: 'Connect Cisco at work', exact: true }).click();
    await expect(savedRow(page, 'Cisco at work').getByRole('alert')).toContainText('Could not start connection: Invalid service');
    await expect(page.getByRole('button', { name: 'Retry connecting Cisco at work' })).toBeVisible();
    popup.close();
    expect(problems, 'no CSP violation or page error').toEqual([]);
  } finally {
    monitor.close();
    fake.reset();
    rmSync(dir, { recursive: true, force: true });
  }
});
