/**
 * Reads per minute of the Windows backend while nothing changes and nobody looks, over the two contract fakes
 * (RasEnumConnectionsW, GetAdaptersAddresses and the notification wait's WaitForMultipleObjects, as the fakes
 * count them): today's cadence against the 5 s safety read it replaced, in the same run. Not part of
 * `npm run bench` (it takes two minutes of wall time): `npx tsx test/bench/windows-idle-reads.ts [seconds]`.
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createWin32Source } from '../../electron/core/platforms/win32/win32-source';
import { loadFakeIphlpapi, netLuid } from '../support/fake-iphlpapi';
import { loadFakeRas } from '../support/fake-ras';

const seconds = Number(process.argv[2] ?? 60);
const ras = loadFakeRas();
const adapters = loadFakeIphlpapi();

async function measure(safetyPollMs: number | undefined): Promise<{ enum: number; gaa: number; waits: number }> {
  ras.reset();
  ras.add({ name: 'Office VPN', projection: { kind: 'ikev2', ipv4: '10.10.0.5' } });
  adapters.reset();
  adapters.setState([{ ifIndex: 7, luid: netLuid(53, 2), friendlyName: 'office', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/32'] }]);
  const source = createWin32Source({ rasLibrary: ras.path, iphlpapiLibrary: adapters.path });
  const monitor = new ConnectionMonitor(source, safetyPollMs === undefined ? {} : { safetyPollMs });
  const unsubscribe = monitor.subscribe(() => {});
  await monitor.refresh();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = { enum: ras.calls('RasEnumConnectionsW'), gaa: adapters.calls('GetAdaptersAddresses'), waits: ras.calls('WaitForMultipleObjects') };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = { enum: ras.calls('RasEnumConnectionsW'), gaa: adapters.calls('GetAdaptersAddresses'), waits: ras.calls('WaitForMultipleObjects') };
  unsubscribe();
  monitor.close();
  source.close();
  return { enum: after.enum - before.enum, gaa: after.gaa - before.gaa, waits: after.waits - before.waits };
}

const now = await measure(undefined);
const before = await measure(5000);
console.log(JSON.stringify({ seconds, now, fiveSecondSafetyRead: before }));
