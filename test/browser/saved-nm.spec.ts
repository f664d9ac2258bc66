/**
 * The Saved section on Linux: NetworkManager's VPN and WireGuard profiles in the production popup, over the
 * real Linux source and monitor, with NetworkManager played by python-dbusmock on a private D-Bus
 * (test/support/nm-bus.ts). The test drives NetworkManager's StateChanged; the popup learns it through the
 * core's signal subscription only.
 */
import type { Page } from '@playwright/test';
import { createLinuxSource } from '../../electron/core/platforms/linux/linux-source';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { SavedConnections } from '../../electron/core/saved';
import { networkManagerMockMissing, startNetworkManagerMock } from '../support/nm-bus';
import { test, expect, openPopup, watchPageProblems } from './harness';
import { rowButton, rowOf, rows } from './rows';

const missing = networkManagerMockMissing();
const savedRow = (page: Page, name: string) => rowOf(page, name);

test('NetworkManager profiles: Connect activates, the row follows StateChanged; a refused login shows its reason with Retry', async ({ page, popupServer }) => {
  if (missing && process.env.LINKWATCH_NO_SKIP === '1') throw new Error(`required in CI but unavailable: ${missing}`);
  test.skip(missing !== null, missing ?? '');
  const nm = await startNetworkManagerMock();
  const source = createLinuxSource();
  const monitor = new ConnectionMonitor(source, { platform: 'linux' });
  try {
    await nm.addProfile({ id: 'Office OpenVPN', type: 'vpn', uuid: 'u-office' });
    await nm.addProfile({ id: 'Home WireGuard', type: 'wireguard', uuid: 'u-home' });
    await nm.addProfile({ id: 'Wired', type: '802-3-ethernet' });
    const saved = new SavedConnections(source, monitor);
    const problems = watchPageProblems(page);
    const popup = await openPopup(page, { monitor, saved, server: popupServer });
    await expect(rows(page), 'the two VPN profiles, not the wired one').toHaveCount(2);
    await rowButton(page, 'Office OpenVPN').click();
    await expect(savedRow(page, 'Office OpenVPN')).toContainText('Everyone on this computer (NetworkManager)');

    await page.getByRole('button', { name: 'Connect Office OpenVPN', exact: true }).click();
    await expect(savedRow(page, 'Office OpenVPN')).toContainText('Activating…');
    const [active] = await nm.activePaths();
    await nm.setState(active!, 2, 1);
    await expect(rowButton(page, 'Office OpenVPN')).toHaveAccessibleName(/^Office OpenVPN, Connected/);

    await page.getByRole('button', { name: 'Connect Home WireGuard', exact: true }).click();
    await expect(savedRow(page, 'Home WireGuard')).toContainText('Activating…');
    const wg = (await nm.activePaths()).find((path) => path !== active);
    await nm.setState(wg!, 4, 10);
    await expect(savedRow(page, 'Home WireGuard')).toContainText('The server refused the user name or password.');
    await expect(rowButton(page, 'Home WireGuard')).toHaveAccessibleName(/^Home WireGuard, Couldn’t connect/);
    await expect(page.getByRole('button', { name: 'Retry connecting Home WireGuard' })).toBeVisible();
    popup.close();
    expect(problems, 'no CSP violation or page error').toEqual([]);
  } finally {
    monitor.close();
    await nm.stop();
  }
});
