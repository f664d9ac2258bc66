/**
 * The popup over real Linux tunnels: an OpenVPN and a wireguard-go tunnel come up between two network
 * namespaces (test/support/tunnels.ts) and their rows appear with their addresses; they go down and the
 * rows go. The netlink source runs in the client namespace (test/fixtures/tunnels/monitor-child.ts) and a
 * relay source feeds its connections to the monitor behind the harness's bridge in this process.
 */
import { fileURLToPath } from 'node:url';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createRelaySource } from '../fixtures/tunnels/relay-source';
import { TunnelLab, tunnelSupport } from '../support/tunnels';
import { test, expect, openPopup, watchPageProblems } from './harness';
import { rowButton, rowOf as row, rows } from './rows';

const MONITOR_CHILD = fileURLToPath(new URL('../fixtures/tunnels/monitor-child.ts', import.meta.url));
const support = tunnelSupport();


test('OpenVPN and WireGuard rows appear with their addresses and disappear when the tunnels drop', async ({ page, popupServer }) => {
  if (!support.ok && process.env.LINKWATCH_NO_SKIP === '1') throw new Error(`required in CI but unavailable: ${support.reason}`);
  test.skip(!support.ok, support.reason);
  test.setTimeout(60_000);
  const lab = new TunnelLab();
  let monitor: ConnectionMonitor | null = null;
  try {
    lab.setup();
    const child = lab.spawnNodeInClient(MONITOR_CHILD, ['--counters'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const relay = createRelaySource(child);
    await expect.poll(() => relay.updates(), { timeout: 15_000 }).toBeGreaterThan(0);
    monitor = new ConnectionMonitor(relay, { platform: 'linux' });
    const problems = watchPageProblems(page);
    const popup = await openPopup(page, { monitor, server: popupServer });
    await expect(page.getByText('No dial-up or VPN connection')).toBeVisible();

    const ovpnName = `OpenVPN (${lab.openvpn.ifname})`;
    const wgName = `WireGuard (${lab.wireguard.ifname})`;
    await lab.openvpnUp();
    await expect(rowButton(page, ovpnName), 'the program, not "tun"').toHaveAccessibleName(`${ovpnName}, Connected · OpenVPN`, { timeout: 10_000 });
    await rowButton(page, ovpnName).click();
    await expect(row(page, ovpnName)).toContainText(`${lab.openvpn.clientAddress}/24`);
    await lab.wireguardUp();
    await expect(rowButton(page, wgName)).toHaveAccessibleName(`${wgName}, Connected · WireGuard`, { timeout: 10_000 });
    await rowButton(page, wgName).click();
    await expect(row(page, wgName)).toContainText(`${lab.wireguard.clientAddress}/24`);
    await expect(rows(page)).toHaveCount(2);

    await lab.openvpnDown();
    await expect(row(page, ovpnName)).toHaveCount(0, { timeout: 10_000 });
    await expect(row(page, wgName)).toBeVisible();
    await lab.wireguardDown();
    await expect(rows(page)).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByText('No dial-up or VPN connection')).toBeVisible();
    popup.close();
    expect(problems, 'no CSP violation or page error').toEqual([]);
  } finally {
    monitor?.close();
    lab.teardown();
  }
});
