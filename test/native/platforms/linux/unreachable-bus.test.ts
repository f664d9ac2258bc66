/**
 * Issue 28, item 1: a system bus that cannot be reached must not take the list down. Two ways it happens:
 *   - a socket at the default path with no dbus-daemon behind it (a stale socket: containers, a stopped
 *     daemon): connect() gives ECONNREFUSED;
 *   - DBUS_SYSTEM_BUS_ADDRESS naming a socket that is gone: ENOENT.
 * dbus-next reports both only as an `error` event on its MessageBus; unhandled, it killed the CLI and the
 * core process on every read. Each case runs in a private mount and network namespace (unshare): a tmpfs over
 * /run holds the stale socket, so the host's real bus is never touched, and a tun made there is the tunnel the
 * list must still show (from netlink), with diagnose saying why NetworkManager's part is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { skipUnless } from '../../../support/skip';
import { hasCommand } from '../../../support/tunnels';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = 'electron/core/cli.ts';
const CORE_CHILD = 'test/fixtures/nm/core-reads-child.ts';
const TUN = 'lwnobus0';

function support(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (unshare --mount --net)';
  const missing = ['unshare', 'ip'].filter((c) => !hasCommand(c));
  if (missing.length > 0) return `missing commands: ${missing.join(', ')}`;
  return null;
}
const missing = support();

/**
 * Run `commands` (one per line, each printing what it prints) in fresh mount and network namespaces with a tun
 * up and `setup` done first; every output is delimited by a marker line. The namespaces die with the shell.
 */
function inNamespaces(setup: string, env: Record<string, string | undefined>, commands: string[]): { outputs: { status: number; stdout: string }[]; stderr: string } {
  const node = `'${process.execPath}' --import tsx`;
  const script = [
    'set -e',
    setup,
    `ip tuntap add mode tun name ${TUN}`,
    `ip addr add 10.99.0.2/24 dev ${TUN}`,
    `ip link set ${TUN} up`,
    'set +e',
    ...commands.map((command) => `${node} ${command}; echo "@@status $?"`),
  ].join('\n');
  const cleanEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete cleanEnv[key];
  const r = spawnSync('unshare', ['--mount', '--net', '--propagation', 'private', 'sh', '-c', script], { cwd: ROOT, encoding: 'utf8', env: cleanEnv, timeout: 60_000 });
  assert.equal(r.status, 0, `the namespace script failed (${r.status}): ${r.stderr}`);
  const outputs = r.stdout.split(/^@@status (\d+)\n/m);
  const parsed: { status: number; stdout: string }[] = [];
  for (let i = 0; i + 1 < outputs.length; i += 2) parsed.push({ stdout: outputs[i]!, status: Number(outputs[i + 1]) });
  assert.equal(parsed.length, commands.length, `every command reported (stdout: ${r.stdout}; stderr: ${r.stderr})`);
  return { outputs: parsed, stderr: r.stderr };
}

/** A Unix socket bound and never listened on, left at the system bus's default path (inside the tmpfs). */
const STALE_SOCKET = [
  'mount -t tmpfs linkwatch-run /run',
  'mkdir -p /run/dbus',
  `/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("/run/dbus/system_bus_socket")'`,
  'test -S /run/dbus/system_bus_socket',
].join('\n');

describe('an unreachable system bus (issue 28)', () => {
  it('a socket at the default path with no daemon: list, diagnose and entries work; the core process lives', async (t) => {
    if (!skipUnless(t, missing === null, missing ?? '')) return;
    const { outputs, stderr } = inNamespaces(STALE_SOCKET, { DBUS_SYSTEM_BUS_ADDRESS: undefined }, [
      `${CLI} list --json`,
      `${CLI} diagnose --json`,
      `${CLI} entries --json`,
      CORE_CHILD,
    ]);
    const [list, diagnose, entries, core] = outputs;
    assert.equal(list!.status, 0, stderr);
    const snapshot = JSON.parse(list!.stdout);
    assert.equal(snapshot.error, null);
    assert.deepEqual(snapshot.connections.map((c: { deviceName: string; addresses: string[] }) => [c.deviceName, c.addresses]), [[TUN, ['10.99.0.2/24']]]);

    assert.equal(diagnose!.status, 0, stderr);
    const part = JSON.parse(diagnose!.stdout).parts.find((p: { name: string }) => p.name === 'NetworkManager');
    assert.equal(part.lastError.code, 'ENOBUS');
    assert.match(part.lastError.message, /system bus at unix:path=\/run\/dbus\/system_bus_socket cannot be reached \(connect ECONNREFUSED/);

    assert.equal(entries!.status, 0, stderr);
    assert.deepEqual(JSON.parse(entries!.stdout), { platform: 'linux', backend: 'netlink', available: false, entries: [], error: null });

    assert.equal(core!.status, 0, stderr);
    const result = JSON.parse(core!.stdout);
    assert.deepEqual(result.reads, [[`Tunnel (${TUN})`], [`Tunnel (${TUN})`], [`Tunnel (${TUN})`]]);
    assert.equal(result.restarts, 0, 'the core process never died');
    assert.equal(result.networkManager.lastError.code, 'ENOBUS');
  });

  it('DBUS_SYSTEM_BUS_ADDRESS naming a socket that is gone: the list is read from netlink, diagnose says why', async (t) => {
    if (!skipUnless(t, missing === null, missing ?? '')) return;
    const { outputs, stderr } = inNamespaces('true', { DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/linkwatch-bus' }, [`${CLI} list --json`, `${CLI} diagnose --json`]);
    const [list, diagnose] = outputs;
    assert.equal(list!.status, 0, stderr);
    assert.doesNotMatch(stderr, /Unhandled 'error' event/);
    assert.deepEqual(JSON.parse(list!.stdout).connections.map((c: { deviceName: string }) => c.deviceName), [TUN]);
    const part = JSON.parse(diagnose!.stdout).parts.find((p: { name: string }) => p.name === 'NetworkManager');
    assert.deepEqual(part.lastError.code, 'ENOBUS');
    assert.match(part.lastError.message, /unix:path=\/nonexistent\/linkwatch-bus cannot be reached \(connect ENOENT/);
  });
});
