/**
 * The app asks for diagnostics through its threaded source (the backend runs on a worker thread): the
 * `diagnose` request crosses to the worker and back with every interface's verdict, over the two Windows
 * contract fakes driven through their state files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { collectDiagnostics } from '../../../electron/core/diagnostics';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { createThreadedSource } from '../../../electron/core/platforms/threaded-source';
import { loadFakeIphlpapi, writeFakeIphlpapiState } from '../../support/fake-iphlpapi';
import { loadFakeRas, writeFakeRasState } from '../../support/fake-ras';

const WORKER_URL = new URL('../../../electron/core/platforms/source-worker.ts', import.meta.url);
const TSX_REGISTER = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`;
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-diagnose-threaded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('diagnostics:get in the app: through the worker thread, RAS + adapters, each interface with its verdict', async () => {
  const rasState = join(dir, 'ras');
  const adapterState = join(dir, 'adapters');
  writeFakeRasState(rasState, [{ handle: 0x100000, name: 'Office VPN' }]);
  writeFakeIphlpapiState(adapterState, [
    { ifIndex: 9, luid: 0x10000n, ifType: 23, friendlyName: 'Office VPN', description: 'WAN Miniport (IKEv2)', addresses: ['10.10.0.5/32'] },
    { ifIndex: 7, luid: 0x35000002000000n, friendlyName: 'office', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/32'] },
  ]);
  // The fakes' getenv() sees the process environment, which only the main thread's process.env writes.
  process.env.FAKE_RAS_STATE = rasState;
  process.env.FAKE_IPHLPAPI_STATE = adapterState;
  const source = createThreadedSource({
    workerUrl: WORKER_URL,
    execArgv: ['--import', `data:text/javascript,${encodeURIComponent(TSX_REGISTER)}`],
    env: { ...process.env, LINKWATCH_RASAPI: loadFakeRas().path, LINKWATCH_IPHLPAPI: loadFakeIphlpapi().path },
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
        ['Office VPN', false, 'the adapter of a RAS connection (listed by RAS)'],
        ['office', true, 'IfType 53 (virtual), description matches WireGuard Tunnel'],
      ],
    );
  } finally {
    monitor.close();
    delete process.env.FAKE_RAS_STATE;
    delete process.env.FAKE_IPHLPAPI_STATE;
  }
});
