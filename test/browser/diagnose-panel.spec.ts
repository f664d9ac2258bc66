/**
 * The Diagnostics panel as a user meets it: the production popup in Chromium, `window.linkwatch` backed by a
 * monitor over the Windows backend (RAS + adapters) reading the two contract fakes. The panel asks the main
 * process through the `diagnostics:get` request channel; what it shows is what `linkwatch diagnose` prints.
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createWin32Source } from '../../electron/core/platforms/win32/win32-source';
import { loadFakeIphlpapi, type FakeAdapter } from '../support/fake-iphlpapi';
import { loadFakeRas } from '../support/fake-ras';
import { expect, openPopup, test, watchPageProblems } from './harness';

const wireguard: FakeAdapter = { ifIndex: 17, luid: 0x35000002000000n, friendlyName: 'office', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/32'] };
const ethernet: FakeAdapter = { ifIndex: 3, luid: 0x6000001000000n, ifType: 6, friendlyName: 'Ethernet', description: 'Intel(R) Ethernet Connection', addresses: ['192.168.1.20/24'] };

test('the Diagnostics link opens the panel: backend and mode, parts, each interface listed or not and why; Refresh and Escape', async ({ page, popupServer }) => {
  const ras = loadFakeRas();
  ras.reset();
  ras.add({ name: 'Office VPN' });
  const fake = loadFakeIphlpapi();
  fake.reset();
  fake.setState([ethernet, wireguard]);
  const monitor = new ConnectionMonitor(createWin32Source({ rasLibrary: ras.path, iphlpapiLibrary: fake.path }), { platform: 'win32' });
  const problems = watchPageProblems(page);
  const popup = await openPopup(page, { monitor, server: popupServer });
  try {
    const list = page.getByRole('list', { name: 'Connections' });
    await expect(list.getByRole('listitem')).toHaveCount(2);

    const link = page.getByRole('button', { name: 'Why is a VPN not listed?' });
    await link.click();
    const panel = page.getByRole('region', { name: 'Diagnostics' });
    await expect(panel.getByRole('heading', { name: 'Diagnostics' })).toBeFocused();
    await expect(panel.getByText('Read by rasapi32+iphlpapi on win32, with change notifications · 2 listed')).toBeVisible();
    const parts = panel.getByRole('list', { name: 'Parts of the reader' }).getByRole('listitem');
    await expect(parts).toHaveText([/^rasapi32 .* working$/, /^iphlpapi .* working$/]);
    const interfaces = panel.getByRole('list', { name: 'Interfaces' }).getByRole('listitem');
    await expect(interfaces).toHaveText([
      /^Not listed Ethernet \(Intel\(R\) Ethernet Connection\)physical Ethernet192\.168\.1\.20\/24$/,
      /^Listed office \(WireGuard Tunnel\)IfType 53 \(virtual\), description matches WireGuard Tunnel10\.6\.0\.2\/32$/,
    ]);

    // An adapter that appears while the panel is open shows after Refresh.
    fake.setState([ethernet, wireguard, { ifIndex: 21, luid: 0x6000003000000n, ifType: 6, friendlyName: 'Lab', description: 'Acme Gigabit NIC' }]);
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect(interfaces).toHaveCount(3);
    await expect(interfaces.nth(2)).toContainText('physical Ethernet');

    // Escape closes the panel first (not the popup), back to the list, focus on the link that opened it.
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await expect(link).toBeFocused();
    expect(popup.hideRequests()).toBe(0);
    expect(popup.requests.filter((r) => r.channel === 'diagnostics:get')).toHaveLength(2);
    expect(popup.failures).toEqual([]);
    expect(problems, 'no CSP violation or page error').toEqual([]);
  } finally {
    popup.close();
    monitor.close();
    ras.reset();
    fake.reset();
  }
});
