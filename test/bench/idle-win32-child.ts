/**
 * Run under Windows Node by test/bench/idle-cost.ts: the Windows backend (RAS + adapters, win32-source.ts)
 * over both contract fakes, one RAS connection and one WireGuard adapter up, under the real ConnectionMonitor
 * with nobody looking (the closed popup). After a settle, counts the fakes' own call counters over
 * argv[2] seconds and prints "idle {json}": RasEnumConnectionsW and GetAdaptersAddresses calls per minute.
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createWin32Source } from '../../electron/core/platforms/win32/win32-source';
import { loadFakeIphlpapi } from '../support/fake-iphlpapi';
import { loadFakeRas } from '../support/fake-ras';

const seconds = Number(process.argv[2] ?? 30);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ras = loadFakeRas();
const adapters = loadFakeIphlpapi();
ras.add({ name: 'Office VPN', deviceType: 'vpn', deviceName: 'WAN Miniport (IKEv2)' });
adapters.setState([
  { ifIndex: 3, luid: 0x6000001000000n, ifType: 6, friendlyName: 'Ethernet', description: 'Intel(R) Ethernet Connection' },
  { ifIndex: 17, luid: 0x35000002000000n, friendlyName: 'office', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/32'] },
]);
const monitor = new ConnectionMonitor(createWin32Source({ rasLibrary: ras.path, iphlpapiLibrary: adapters.path }), { platform: 'win32' });
let updates = '';
monitor.subscribe((update) => (updates = update.snapshot.updates));
await sleep(3000);
const t0 = performance.now();
const enums = ras.calls('RasEnumConnectionsW');
const lists = adapters.calls('GetAdaptersAddresses');
await sleep(seconds * 1000);
const minutes = (performance.now() - t0) / 60_000;
const figures = { updates, ras: (ras.calls('RasEnumConnectionsW') - enums) / minutes, adapters: (adapters.calls('GetAdaptersAddresses') - lists) / minutes };
console.log(`idle ${JSON.stringify(figures)}`);
monitor.close();
process.exit(0);
