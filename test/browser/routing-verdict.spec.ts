/**
 * The routing verdict in the popup (issue 25): the production popup in Chromium over a real ConnectionMonitor
 * whose source reports routes as the Linux backend does (ScriptedSource.useRouting); the core computes the
 * verdict, the popup only says it. One line under the header, the warnings that are switched on, the switch
 * that turns one off (saved through `settings:set`), and each row's routes and resolvers in its details.
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { RouteEntry, RoutingReading } from '../../electron/core/routing/routing-reading';
import { ScriptedSource, sourceConnection } from '../support/scripted-source';
import { expect, openPopup, test, watchPageProblems } from './harness';

const route = (destination: string, iface: string, connectionId: string | null): RouteEntry => ({
  family: destination.includes(':') ? 6 : 4,
  destination,
  interface: iface,
  connectionId,
  gateway: null,
  table: 254,
  metric: 0,
  type: 'unicast',
  ownSubnet: false,
});

const FULL_WITH_LEAKS: RoutingReading = {
  routes: [route('0.0.0.0/0', 'eth0', null), route('::/0', 'eth0', null), route('0.0.0.0/1', 'tun0', 'tun:1'), route('128.0.0.0/1', 'tun0', 'tun:1')],
  rules: [],
  lookups: [
    { family: 4, target: '198.51.100.1', interface: 'tun0', connectionId: 'tun:1', gateway: null },
    { family: 6, target: '2001:db8::1', interface: 'eth0', connectionId: null, gateway: null },
  ],
  dns: { source: 'resolv.conf', used: [{ address: '192.168.1.1', interface: 'eth0', connectionId: null }], supplied: [{ connectionId: 'tun:1', addresses: ['10.8.0.1'] }] },
};

const SPLIT: RoutingReading = {
  routes: [route('0.0.0.0/0', 'eth0', null), route('10.99.0.0/16', 'tun0', 'tun:1'), route('192.168.50.0/24', 'tun0', 'tun:1')],
  rules: [],
  lookups: [{ family: 4, target: '198.51.100.1', interface: 'eth0', connectionId: null, gateway: null }],
  dns: { source: 'resolv.conf', used: [{ address: '10.8.0.1', interface: 'tun0', connectionId: 'tun:1' }], supplied: [] },
};

test('one line under the header says where traffic goes; leaks warn until switched off; rows show their routes', async ({ page, popupServer }) => {
  const source = new ScriptedSource(true);
  source.pollWhileConnecting = false;
  source.connections = [sourceConnection({ id: 'tun:1', name: 'Office VPN', deviceName: 'tun0', deviceType: 'tun' })];
  source.useRouting(FULL_WITH_LEAKS);
  const monitor = new ConnectionMonitor(source, { platform: 'linux' });
  const problems = watchPageProblems(page);
  const popup = await openPopup(page, { monitor, server: popupServer });
  try {
    const verdict = page.getByRole('region', { name: 'Where traffic goes' });
    await expect(verdict.locator('.verdict-line')).toHaveText('IPv4 traffic goes through Office VPN; IPv6 bypasses the VPN (eth0)');
    await expect(verdict.getByText('Names are looked up outside the VPN (192.168.1.1)')).toBeVisible();
    const warnings = verdict.locator('.verdict-warning');
    await expect(warnings).toHaveCount(2);
    await expect(warnings.first()).toContainText('IPv6 bypasses the VPN: IPv4 goes through it, IPv6 does not');

    // "Don't warn about this" on the IPv6 warning: saved as the user's setting, and that warning goes.
    await warnings.filter({ hasText: 'IPv6 bypasses' }).getByRole('button', { name: 'Don’t warn about this' }).click();
    await expect(warnings).toHaveCount(1);
    await expect(warnings).toContainText('Names are looked up outside the VPN while all traffic goes through it');
    await expect.poll(() => popup.requests.filter((r) => r.channel === 'settings:set').map((r) => r.args)).toEqual([[{ warnIpv6Bypass: false }]]);

    // The switches: the DNS one off by the checkbox; the IPv6 one shows unchecked.
    await verdict.getByText('Warnings', { exact: true }).click();
    await expect(verdict.getByRole('checkbox', { name: 'Warn when IPv6 bypasses the VPN' })).not.toBeChecked();
    await verdict.getByRole('checkbox', { name: 'Warn when names are looked up outside a full VPN' }).uncheck();
    await expect(warnings).toHaveCount(0);

    // The row's details: all of IPv4, and the resolver it supplies.
    const row = page.getByRole('list', { name: 'Connections' }).getByRole('listitem').first();
    await row.getByRole('button', { name: /^Office VPN,/ }).click();
    await expect(row.locator('.detail').filter({ hasText: 'Routes' })).toHaveText('Routesall IPv4');
    await expect(row.locator('.detail').filter({ hasText: 'DNS' })).toHaveText('DNS10.8.0.1');

    // A route change pushed as routes only: the line follows without a reload.
    source.useRouting(SPLIT);
    source.notify('routing');
    await expect(verdict.locator('.verdict-line')).toHaveText('Only 2 networks go through Office VPN; everything else goes direct');
    await expect(verdict.getByText('Names are looked up through Office VPN (10.8.0.1)')).toBeVisible();
    await expect(row.locator('.detail').filter({ hasText: 'Routes' })).toHaveText('Routes10.99.0.0/16, 192.168.50.0/24');
  } finally {
    popup.close();
    monitor.close();
  }
  expect(problems, 'no CSP violation or page error').toEqual([]);
});

test('no line at all where the backend reads no routes', async ({ page, popupServer }) => {
  const source = new ScriptedSource();
  source.connections = [sourceConnection({ id: 'ras:1', name: 'Office VPN' })];
  const monitor = new ConnectionMonitor(source, { platform: 'win32' });
  const popup = await openPopup(page, { monitor, server: popupServer });
  try {
    await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('region', { name: 'Where traffic goes' })).toHaveCount(0);
  } finally {
    popup.close();
    monitor.close();
  }
});
