/**
 * The saved connections and Disconnect end to end through the CLI, on a REAL NetworkManager (Debian's, with
 * its OpenVPN plugin) against a real OpenVPN server, all inside namespaces this test makes (see
 * test/support/real-nm.ts): `entries`, a tunnel started outside NetworkManager that stays not disconnectable,
 * a refused `connect` with NetworkManager's reason, `connect`, and `disconnect` that returns only once the
 * tun is gone. The dbusmock tests (network-manager-dbus.test.ts) keep the failure modes a real NetworkManager
 * cannot be made to produce.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { GOOD_PROFILE, REFUSED_PROFILE, RealNetworkManager, VPN_SUBNET, realNetworkManagerMissing } from '../../../support/real-nm';
import { skipUnless } from '../../../support/skip';

const missing = realNetworkManagerMissing();
let lab: RealNetworkManager | null = null;
const HAND_TUN = 'lwhand0';

interface Row {
  id: string;
  name: string;
  state: string;
  deviceType: string;
  deviceName: string;
  addresses: string[];
  canDisconnect: boolean;
  disconnectUnavailable?: string | null;
}

before(async () => {
  if (missing) return;
  lab = new RealNetworkManager();
  await lab.setup();
  // A tun NetworkManager did not start (as a hand-started OpenVPN or a vendor client would make).
  for (const args of [['tuntap', 'add', 'mode', 'tun', 'name', HAND_TUN], ['addr', 'add', '10.88.0.2/24', 'dev', HAND_TUN], ['link', 'set', HAND_TUN, 'up']]) {
    assert.equal(spawnSync('ip', ['-n', lab.client, ...args]).status, 0);
  }
});
after(() => lab?.teardown());

async function list(): Promise<Row[]> {
  const r = await lab!.cli(['list', '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).connections as Row[];
}

/** The lines of a `--json` command that prints one object per line. */
const lines = (stdout: string): Record<string, unknown>[] => stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a real NetworkManager (network-manager 1.42 + network-manager-openvpn, private bus and namespaces)', () => {
  it('entries: its VPN profiles, not its ethernet one, none up', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const r = await lab!.cli(['entries', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.available, true);
    assert.deepEqual(
      out.entries.map((e: { name: string; scope: string; connectionId: string | null }) => [e.name, e.scope, e.connectionId]).sort(),
      [[GOOD_PROFILE, 'system', null], [REFUSED_PROFILE, 'system', null]],
    );
  });

  it('a tun started outside NetworkManager: listed, not disconnectable, and the details say why', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const row = (await list()).find((c) => c.deviceName === HAND_TUN);
    assert.deepEqual([row?.canDisconnect, row?.disconnectUnavailable], [false, 'started outside NetworkManager']);
    const r = await lab!.cli(['disconnect', '--json', row!.id]);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.disconnected, null);
    assert.equal(out.error.code, 'ENOTSUP');
    assert.match(out.error.message, /started outside NetworkManager/);
    assert.ok(lab!.links().includes(HAND_TUN), 'left alone');
  });

  it('a refused connect (the server does not know the client certificate): exit 1 with NetworkManager\'s reason', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const r = await lab!.cli(['connect', '--json', REFUSED_PROFILE]);
    assert.equal(r.status, 1, r.stderr);
    const steps = lines(r.stdout);
    assert.equal(steps[0]?.phase, 'dialling');
    const last = steps.at(-1) as { phase: string; detail: string; error: { code: string; message: string } };
    // The plugin retries after a TLS refusal, so NetworkManager ends it when vpn.timeout runs out (TOOLCHAIN.md).
    assert.deepEqual([last.phase, last.detail, last.error.code], ['failed', 'NetworkManager deactivated', 'NM_REASON_CONNECT_TIMEOUT']);
    assert.match(last.error.message, /timed out \(NetworkManager reason 6\)/);
    assert.match(lab!.log('openvpn-server'), /certificate verify failed/, 'the server did refuse it');
    assert.equal((await list()).filter((c) => c.name === REFUSED_PROFILE).length, 0);
  });

  it('connect: exit 0 once NetworkManager says activated; the tun is then listed under the profile\'s name, disconnectable', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const r = await lab!.cli(['connect', '--json', GOOD_PROFILE]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const steps = lines(r.stdout);
    assert.deepEqual(steps.map((s) => [s.phase, s.detail]), [['dialling', 'NetworkManager activating'], ['connected', 'NetworkManager activated']]);
    const row = (await list()).find((c) => c.name === GOOD_PROFILE);
    assert.ok(row, 'listed under the profile name');
    assert.equal(row.deviceType, 'tun');
    assert.equal(row.state, 'connected');
    assert.deepEqual(row.addresses, [`${VPN_SUBNET}.2/24`]);
    assert.deepEqual([row.canDisconnect, row.disconnectUnavailable], [true, null]);
    const entries = JSON.parse((await lab!.cli(['entries', '--json'])).stdout);
    assert.equal(entries.entries.find((e: { name: string }) => e.name === GOOD_PROFILE).connectionId, row.id);
    assert.equal((await list()).find((c) => c.deviceName === HAND_TUN)?.canDisconnect, false, 'the other tun is still not NetworkManager\'s');
  });

  it('disconnect: DeactivateConnection, and the command returns only once the tun is gone', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const row = (await list()).find((c) => c.name === GOOD_PROFILE);
    assert.ok(row);
    const r = await lab!.cli(['disconnect', '--json', GOOD_PROFILE]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout), { disconnected: { id: row.id, name: GOOD_PROFILE }, error: null });
    assert.ok(!lab!.links().includes(row.deviceName), `${row.deviceName} is gone when disconnect returns`);
    assert.equal(lab!.nmcli(['-t', '-f', 'NAME,TYPE', 'connection', 'show', '--active']).includes(GOOD_PROFILE), false, 'NetworkManager has it down');
    assert.deepEqual((await list()).map((c) => c.deviceName), [HAND_TUN]);
    const again = await lab!.cli(['disconnect', '--json', GOOD_PROFILE]);
    assert.equal(again.status, 1);
    assert.equal(JSON.parse(again.stdout).error.code, 'ENOENT');
  });
});
