/**
 * NetworkManager without NetworkManager: a private "system" bus (dbus-daemon, started by the test) serving
 * python-dbusmock's `networkmanager` template, extended through dbusmock's own API where the template is
 * thinner than NetworkManager (TOOLCHAIN.md, measured):
 *   - its ActivateConnection creates the active connection already ACTIVATED and says nothing; NetworkManager
 *     creates it ACTIVATING and reports each step with Connection.Active.StateChanged(state, reason). The
 *     override (AddMethod) leaves it ACTIVATING; the test then plays NetworkManager: `setState(path, 2, 1)`.
 *   - its DeactivateConnection only finds active connections through devices (a VPN without one stays);
 *     NetworkManager says DEACTIVATING then DEACTIVATED (reason 2, user disconnected) and drops it.
 *
 *     const nm = await startNetworkManagerMock();          // DBUS_SYSTEM_BUS_ADDRESS points at it
 *     await nm.addProfile({ id: 'Office', type: 'vpn' });
 *     ... await nm.setState(activePath, 2, 1) ...
 *     await nm.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import dbus, { type MessageBus, Variant } from 'dbus-next';
import { startPrivateBus } from './private-bus';

const PYTHON = '/usr/bin/python3';
const NM = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';
const ACTIVE = 'org.freedesktop.NetworkManager.Connection.Active';
const MOCK = 'org.freedesktop.DBus.Mock';
/** Where the test's own helper methods live on the NetworkManager object (not an interface NM has). */
const TEST_IFACE = 'org.linkwatch.Test';

/** Why the NetworkManager mock cannot run here, or null. */
export function networkManagerMockMissing(): string | null {
  if (spawnSync('dbus-daemon', ['--version'], { stdio: 'ignore' }).status !== 0) return 'dbus-daemon not installed (apt-get install dbus-daemon)';
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import dbusmock'], { stdio: 'ignore' }).status !== 0) {
    return 'python3-dbusmock not installed (apt-get install python3-dbusmock)';
  }
  return null;
}

/** Python run by dbusmock in the NetworkManager object: set an active connection's state, say so, and
 * when it is DEACTIVATED (4) drop it from ActiveConnections and the bus, as NetworkManager does. */
function setStateCode(pathExpr: string, stateExpr: string, reasonExpr: string): string {
  return [
    `ac = get_object(${pathExpr})`,
    `ac.Set('${ACTIVE}', 'State', dbus.UInt32(${stateExpr}))`,
    `ac.EmitSignal('${ACTIVE}', 'StateChanged', 'uu', [dbus.UInt32(${stateExpr}), dbus.UInt32(${reasonExpr})])`,
    `if int(${stateExpr}) == 4:`,
    `    acs = self.Get('${NM}', 'ActiveConnections')`,
    `    acs.remove(dbus.ObjectPath(${pathExpr}))`,
    `    self.SetProperty('${NM_PATH}', '${NM}', 'ActiveConnections', acs)`,
    `    self.object_manager_emit_removed(${pathExpr})`,
    `    self.RemoveObject(${pathExpr})`,
  ].join('\n');
}

export interface NmProfileSpec {
  id: string;
  /** "vpn", "wireguard", "802-3-ethernet"… */
  type: string;
  uuid?: string;
  /** `connection.autoconnect` (absent: NetworkManager's default, TRUE). */
  autoconnect?: boolean;
  /** `connection.secondaries`: the UUIDs of VPN profiles brought up with this one. */
  secondaries?: string[];
}

export interface NetworkManagerMock {
  /** The private bus's address (also put in process.env.DBUS_SYSTEM_BUS_ADDRESS). */
  address: string;
  /** Settings.AddConnection: a saved profile; returns its object path. */
  addProfile(profile: NmProfileSpec): Promise<string>;
  /** The active connections' object paths now. */
  activePaths(): Promise<string[]>;
  /** Play NetworkManager: the active connection enters `state` (NMActiveConnectionState) for `reason`. */
  setState(activePath: string, state: number, reason: number): Promise<void>;
  /** How DeactivateConnection behaves from now on: "normal", "refuse" (ConnectionNotActive), "silent" (no StateChanged). */
  setDeactivateMode(mode: 'normal' | 'refuse' | 'silent'): Promise<void>;
  /** How many times a method of the NetworkManager object was called (dbusmock's call log). */
  calls(method: string): Promise<number>;
  /** Stop the mock, keep the bus (NetworkManager "goes away"). */
  stopNetworkManager(): Promise<void>;
  stop(): Promise<void>;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startNetworkManagerMock(): Promise<NetworkManagerMock> {
  const privateBus = startPrivateBus();
  const address = privateBus.address;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = address;
  let mock: ChildProcess | null = spawn(PYTHON, ['-m', 'dbusmock', '--system', '--template', 'networkmanager'], {
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  mock.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const bus: MessageBus = dbus.systemBus();
  const stopMock = async (): Promise<void> => {
    const running = mock;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  const cleanup = async (): Promise<void> => {
    bus.disconnect();
    await stopMock();
    mock = null;
    privateBus.stop();
    if (process.env.DBUS_SYSTEM_BUS_ADDRESS === address) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
  };
  try {
    const root = await waitFor(`NetworkManager on the private bus (${stderr})`, async () => bus.getProxyObject(NM, NM_PATH));
    const mockIface = root.getInterface(MOCK);
    await mockIface.AddMethod!(NM, 'ActivateConnection', 'ooo', 'o', [
      'ret = self.activate_connection(self, args[0], args[1], args[2])',
      `get_object(ret).Set('${ACTIVE}', 'State', dbus.UInt32(1))`,
    ].join('\n'));
    // SetDeactivateMode (below) plays NetworkManager's failure modes: "refuse" raises the error NetworkManager
    // raises for a connection that is not active (nm-manager.c: NM_MANAGER_ERROR_CONNECTION_NOT_ACTIVE), and
    // "silent" accepts the call and never says DEACTIVATED (a hung VPN plugin).
    await mockIface.AddMethod!(NM, 'DeactivateConnection', 'o', '', [
      "mode = getattr(self, 'lw_deactivate_mode', 'normal')",
      "if mode == 'refuse':",
      "    raise dbus.exceptions.DBusException('The connection was not active.', name='org.freedesktop.NetworkManager.ConnectionNotActive')",
      "if mode == 'normal':",
      ...[setStateCode('args[0]', '3', '2'), setStateCode('args[0]', '4', '2')].join('\n').split('\n').map((line) => `    ${line}`),
    ].join('\n'));
    await mockIface.AddMethod!(TEST_IFACE, 'SetDeactivateMode', 's', '', 'self.lw_deactivate_mode = args[0]');
    await mockIface.AddMethod!(TEST_IFACE, 'SetActiveState', 'ouu', '', setStateCode('args[0]', 'args[1]', 'args[2]'));
    const test = (await bus.getProxyObject(NM, NM_PATH)).getInterface(TEST_IFACE);
    const settings = (await bus.getProxyObject(NM, `${NM_PATH}/Settings`)).getInterface('org.freedesktop.NetworkManager.Settings');
    const props = root.getInterface('org.freedesktop.DBus.Properties');
    return {
      address,
      addProfile: async (profile) =>
        String(
          await settings.AddConnection!({
            connection: {
              id: new Variant('s', profile.id),
              type: new Variant('s', profile.type),
              ...(profile.uuid ? { uuid: new Variant('s', profile.uuid) } : {}),
              ...(profile.autoconnect !== undefined ? { autoconnect: new Variant('b', profile.autoconnect) } : {}),
              ...(profile.secondaries ? { secondaries: new Variant('as', profile.secondaries) } : {}),
            },
          }),
        ),
      activePaths: async () => ((await props.Get!(NM, 'ActiveConnections')) as Variant<string[]>).value,
      setState: async (path, state, reason) => {
        await test.SetActiveState!(path, state, reason);
      },
      setDeactivateMode: async (mode) => {
        await test.SetDeactivateMode!(mode);
      },
      calls: async (method) => ((await mockIface.GetMethodCalls!(method)) as unknown[]).length,
      stopNetworkManager: stopMock,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
