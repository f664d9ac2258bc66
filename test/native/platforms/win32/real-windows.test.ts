/**
 * The Windows backend on real Windows (CI's windows-latest runner): the real `rasapi32.dll` and `iphlpapi.dll`,
 * no fake, no Wine. A runner has no RAS connection and no VPN, so what this proves is the loading, the calling
 * convention and the struct sizes Windows itself accepts, the answers for "nothing there", and the verdicts on
 * the runner's real adapters:
 * - `linkwatch list --json` exits 0 with backend rasapi32+iphlpapi, push updates, no error, no connection;
 * - RAS in process: RasEnumConnectionsW answers zero connections without an error (ERROR_INVALID_SIZE would
 *   mean a RASCONNW layout Windows refuses);
 * - `linkwatch diagnose --json`: every adapter GetAdaptersAddresses reports is classified with a reason, none
 *   is listed as a VPN, and at least one is up with an IPv4 address (the runner is online).
 *
 * Windows only. Elsewhere it does not apply (the fake-DLL tests and the Wine tier cover the same code), so it
 * is skipped through node:test's own `skip` with that reason, as real-mac.test.ts is, not through skipUnless:
 * it is not a missing tool, and LINKWATCH_NO_SKIP=1 on Linux must not fail it. On Windows nothing in it skips.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../../../shared/connection';
import type { Diagnostics } from '../../../../shared/diagnostics';
import { createRasSource } from '../../../../electron/core/platforms/win32/ras-source';

const CLI = fileURLToPath(new URL('../../../../bin/linkwatch.js', import.meta.url));
const notWindows = process.platform !== 'win32' ? `applies to real Windows only (this is ${process.platform}); the fake DLLs and the Wine tier cover the backend here` : false;

/** The CLI with the real libraries: every override a test environment may carry removed. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const name of ['LINKWATCH_RASAPI', 'LINKWATCH_IPHLPAPI', 'LINKWATCH_LIBSYSTEM', 'FAKE_RAS_STATE', 'FAKE_IPHLPAPI_STATE']) delete env[name];
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }));
  });
}

describe('Windows: the real rasapi32.dll and iphlpapi.dll on this machine', { skip: notWindows }, () => {
  it('linkwatch list --json: backend rasapi32+iphlpapi, no error, no connection (a runner has no RAS connection and no VPN)', async () => {
    const { code, stdout, stderr } = await cli(['list', '--json']);
    assert.equal(code, 0, stderr);
    const snapshot = JSON.parse(stdout) as Snapshot;
    assert.equal(snapshot.platform, 'win32');
    assert.equal(snapshot.backend, 'rasapi32+iphlpapi');
    // Push needs RasMan to take RasConnectionNotificationW; a server image may keep it stopped, and polling is
    // then the documented fallback, not an error. The log says which this runner gave.
    console.log(`# updates: ${snapshot.updates}`);
    assert.equal(snapshot.error, null);
    assert.deepEqual(snapshot.connections, []);
  });

  it('in process: RasEnumConnectionsW answers zero connections, without an error, with the RASCONNW size Windows accepts', async () => {
    const ras = createRasSource('rasapi32.dll');
    try {
      assert.deepEqual(await ras.read({ counters: true }), []);
      // A second read: the reused buffer and the size the first call settled on still do.
      assert.deepEqual(await ras.read({ counters: false }), []);
    } finally {
      ras.close();
    }
  });

  it("linkwatch diagnose --json: the runner's adapters are all classified, with a reason, and none is listed as a VPN", async () => {
    const { code, stdout, stderr } = await cli(['diagnose', '--json']);
    assert.equal(code, 0, stderr);
    const diagnostics = JSON.parse(stdout) as Diagnostics;
    assert.equal(diagnostics.error, null);
    for (const part of diagnostics.parts) assert.equal(part.lastError, null, `${part.name}: ${JSON.stringify(part.lastError)}`);
    assert.ok(diagnostics.interfaces.length > 0, 'GetAdaptersAddresses listed the adapters');
    console.log(`# ${diagnostics.interfaces.map((i) => `${i.name} [${i.type}, ${i.state}]: ${i.reason}`).join('\n# ')}`);
    for (const adapter of diagnostics.interfaces) {
      assert.ok(adapter.reason.length > 0, `${adapter.name} has a reason`);
      assert.match(adapter.type, /^IfType \d+/, `${adapter.name}: ${adapter.type}`);
      assert.equal(adapter.listed, false, `${adapter.name} (${adapter.description}, ${adapter.type}) listed as a VPN: ${adapter.reason}`);
      assert.equal(adapter.connectionId, null);
    }
    assert.equal(diagnostics.connections, 0);
    const online = diagnostics.interfaces.filter((i) => i.state === 'IfOperStatusUp' && i.addresses.some((a) => /^\d+\.\d+\.\d+\.\d+\//.test(a) && !a.startsWith('127.')));
    assert.ok(online.length > 0, 'at least one adapter is up with an IPv4 address');
  });
});
