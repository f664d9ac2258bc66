/**
 * The app asks for diagnostics through its core process (the backend runs in a process of its own): the
 * `diagnose` call crosses the core protocol and back with every interface's verdict, over the two Windows
 * contract fakes driven through their state files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { collectDiagnostics } from '../../../electron/core/diagnostics';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { createCoreSource } from '../../../electron/core/host/core-client';
import { forkCore } from '../../../electron/core/host/fork-channel';
import { loadFakeIphlpapi, rasConnectionAdapter, writeFakeIphlpapiState } from '../../support/fake-iphlpapi';
import { loadFakeRas, writeFakeRasState } from '../../support/fake-ras';

const CORE_ENTRY = new URL('../../../electron/core/host/core-process.ts', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-diagnose-threaded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('diagnostics:get in the app: through the core process, RAS + adapters, each interface with its verdict', async () => {
  const rasState = join(dir, 'ras');
  const adapterState = join(dir, 'adapters');
  const office = { handle: 0x100000, name: 'Office VPN', projection: { kind: 'ikev2' as const, ipv4: '10.10.0.5' } };
  writeFakeRasState(rasState, [office]);
  writeFakeIphlpapiState(adapterState, [
    rasConnectionAdapter(office, 9, 1),
    { ifIndex: 7, luid: 0x35000002000000n, friendlyName: 'office', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/32'] },
  ]);
  const source = createCoreSource({
    backend: 'rasapi32+iphlpapi',
    spawn: forkCore({
      entry: CORE_ENTRY,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LINKWATCH_RASAPI: loadFakeRas().path, LINKWATCH_IPHLPAPI: loadFakeIphlpapi().path, FAKE_RAS_STATE: rasState, FAKE_IPHLPAPI_STATE: adapterState },
    }),
    log: () => {},
  });
  const monitor = new ConnectionMonitor(source, { platform: 'win32' });
  try {
    await monitor.refresh();
    const d = await collectDiagnostics(monitor);
    assert.equal(d.backend, 'rasapi32+iphlpapi');
    assert.equal(d.connections, 2);
    assert.deepEqual(
      d.interfaces.map((i) => [i.name, i.listed, i.reason]),
      [
        ['Office VPN', false, 'the adapter of the RAS connection "Office VPN" (IfType 23 (PPP), named after the entry): listed by RAS'],
        ['office', true, 'IfType 53 (virtual), description matches WireGuard Tunnel'],
      ],
    );
  } finally {
    monitor.close();
    await source.shutdown();
  }
});
