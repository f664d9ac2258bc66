/**
 * Saved connections on macOS: the network services (System Settings' VPNs, Network Extension VPNs) as rows of the
 * production popup's one list, over the real macOS source and monitor, with the fake libSystem (interfaces, kernel
 * events) and the fake scutil (services; formats from configd's scutil) standing in for the Mac. Connect runs
 * `scutil --nc start` and follows `scutil --nc watch`; the row follows it, and the live list names the tunnel
 * by its service once it is up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDarwinSource } from '../../electron/core/platforms/darwin/darwin-source';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { SavedConnections } from '../../electron/core/saved';
import { DARWIN, loadFakeLibSystem } from '../support/fake-libsystem';
import { fakeScutilPath, writeFakeScutilState } from '../support/fake-scutil';
import { test, expect, openPopup, watchPageProblems } from './harness';
import { rowButton, rowOf, rows } from './rows';

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
    await expect(rows(page)).toHaveCount(2);
    await expect(rowButton(page, 'Office L2TP')).toHaveAccessibleName(/^Office L2TP, Not connected/);

    await page.getByRole('button', { name: 'Connect Office L2TP', exact: true }).click();
    // scutil's "Connecting" in plain words; the raw status stays in the details.
    await expect(rowOf(page, 'Office L2TP')).toContainText('Reaching the server…');
    // PPP brings ppp0 up with its address as the service connects (the kernel event reaches the monitor).
    fake.addInterface({ name: 'ppp0', index: 32, type: DARWIN.IFT_PPP, addresses: [{ address: '192.168.50.10', prefix: 32, peer: '192.168.50.1' }] });
    await expect(rowButton(page, 'Office L2TP')).toHaveAccessibleName(/^Office L2TP, Connected/, { timeout: 5000 });
    await expect(rows(page), 'one row for the service and its tunnel').toHaveCount(2);
    await rowButton(page, 'Office L2TP').click();
    await expect(rowOf(page, 'Office L2TP').getByRole('region', { name: 'Details of Office L2TP' })).toContainText('Everyone on this computer (System Settings)');

    await page.getByRole('button', { name: 'Connect Cisco at work', exact: true }).click();
    const retry = page.getByRole('button', { name: 'Retry connecting Cisco at work' });
    await expect(retry).toBeVisible();
    // scutil's refusal as a sentence on the row; its own words one click away.
    await expect(rowOf(page, 'Cisco at work')).toContainText('The system could not start this VPN.');
    await rowOf(page, 'Cisco at work').getByRole('button', { name: 'Why?' }).click();
    await expect(rowOf(page, 'Cisco at work').getByRole('region', { name: 'Details of Cisco at work' })).toContainText('Invalid service');
    popup.close();
    expect(problems, 'no CSP violation or page error').toEqual([]);
  } finally {
    monitor.close();
    fake.reset();
    rmSync(dir, { recursive: true, force: true });
  }
});
