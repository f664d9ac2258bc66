/**
 * Issue 29: a Linux tunnel NetworkManager does not own has no Disconnect, and its details say why; one it
 * owns has the button. The connections are what the Linux backend reports for them (linux-source.ts:
 * `canDisconnect` and `disconnectUnavailable`), served by a scripted source under the real monitor.
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import { STARTED_OUTSIDE_NM } from '../../electron/core/platforms/linux/linux-source';
import { ScriptedSource, sourceConnection } from '../support/scripted-source';
import { test, expect, openPopup, watchPageProblems } from './harness';
import { rowButton, rowOf } from './rows';

test('a tunnel started outside NetworkManager: no Disconnect, and the details say why; NetworkManager\'s VPN: Disconnect', async ({ page, popupServer }) => {
  const source = new ScriptedSource(true);
  const linux = { stateDetail: 'UP,POINTOPOINT,RUNNING,LOWER_UP state UNKNOWN', deviceType: 'tun', kind: 'vpn' as const };
  source.connections = [
    sourceConnection({ ...linux, id: 'netlink:7:tun0', name: 'Office OpenVPN', deviceName: 'tun0', addresses: ['10.77.0.2/24'], canDisconnect: true, disconnectUnavailable: null }),
    sourceConnection({ ...linux, id: 'netlink:9:lwhand0', name: 'OpenVPN (lwhand0)', deviceName: 'lwhand0', owner: 'OpenVPN', addresses: ['10.88.0.2/24'], canDisconnect: false, disconnectUnavailable: STARTED_OUTSIDE_NM }),
  ];
  const monitor = new ConnectionMonitor(source, { platform: 'linux' });
  const problems = watchPageProblems(page);
  const popup = await openPopup(page, { monitor, server: popupServer });
  try {
    const office = rowOf(page, 'Office OpenVPN');
    const hand = rowOf(page, 'OpenVPN (lwhand0)');
    await expect(office.getByRole('button', { name: 'Disconnect Office OpenVPN' })).toBeVisible();
    await expect(hand.getByRole('button', { name: /^Disconnect/ })).toHaveCount(0);
    await rowButton(page, 'OpenVPN (lwhand0)').click();
    await expect(hand.getByRole('region', { name: 'Details of OpenVPN (lwhand0)' })).toContainText('Not from Linkwatch: started outside NetworkManager');
    await rowButton(page, 'Office OpenVPN').click();
    await expect(office.getByRole('region', { name: 'Details of Office OpenVPN' })).toBeVisible();
    await expect(office.getByText(/Not from Linkwatch/)).toHaveCount(0);
  } finally {
    popup.close();
    monitor.close();
  }
  expect(problems, 'no CSP violation or page error').toEqual([]);
});
