/**
 * systemd-resolved without systemd-resolved (issue 25): a private "system" bus (dbus-daemon started by the
 * test, as test/support/nm-bus.ts does) and python-dbusmock serving org.freedesktop.resolve1 with the objects
 * and properties of org.freedesktop.resolve1(5) that Linkwatch reads, added through dbusmock's own API:
 *   Manager (/org/freedesktop/resolve1): DNS a(iiay), Domains a(isb), GetLink(i) → o;
 *   Link (/org/freedesktop/resolve1/link/_<ifindex>): DefaultRoute b, DNS a(iay), Domains a(sb).
 * `startPrivateBus` alone gives a bus with nothing on it: no NetworkManager, no resolved.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dbus, { type MessageBus } from 'dbus-next';

const PYTHON = '/usr/bin/python3';
const RESOLVE1 = 'org.freedesktop.resolve1';
const PATH = '/org/freedesktop/resolve1';
const MOCK = 'org.freedesktop.DBus.Mock';

import { startPrivateBus, type PrivateBus } from './private-bus';

export { startPrivateBus, type PrivateBus };

export interface ResolvedLinkSpec {
  ifindex: number;
  servers: string[];
  domains?: { domain: string; routeOnly: boolean }[];
  defaultRoute: boolean;
}

export interface ResolvedMock {
  bus: PrivateBus;
  stop(): Promise<void>;
}

/** Text of a Python expression for `ay` from an address ('10.0.0.1' → IPv4 bytes, else IPv6). */
function family(address: string): number {
  return address.includes(':') ? 10 : 2;
}

function bytes(address: string): string {
  if (!address.includes(':')) return `dbus.Array([dbus.Byte(b) for b in [${address.split('.').join(', ')}]], signature='y')`;
  return `dbus.Array([dbus.Byte(b) for b in __import__('ipaddress').ip_address('${address}').packed], signature='y')`;
}

async function waitFor<T>(what: string, probe: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** resolved on a private bus, with these links (and global servers); the links' ifindexes are the caller's. */
export async function startResolvedMock(spec: { global: string[]; links: ResolvedLinkSpec[] }): Promise<ResolvedMock> {
  const bus = startPrivateBus();
  const mock: ChildProcess = spawn(PYTHON, ['-m', 'dbusmock', '--system', RESOLVE1, PATH, `${RESOLVE1}.Manager`], {
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  mock.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  let own: MessageBus | null = null;
  const stop = async (): Promise<void> => {
    own?.disconnect();
    if (mock.exitCode === null && mock.signalCode === null) {
      const exited = new Promise((resolve) => mock.once('exit', resolve));
      mock.kill('SIGTERM');
      await exited;
    }
    bus.stop();
  };
  try {
    // dbus-next reads DBUS_SYSTEM_BUS_ADDRESS when the bus is made: this process's own is left as it was.
    const saved = process.env.DBUS_SYSTEM_BUS_ADDRESS;
    process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address;
    try {
      own = dbus.systemBus();
    } finally {
      if (saved === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
      else process.env.DBUS_SYSTEM_BUS_ADDRESS = saved;
    }
    (own as unknown as NodeJS.EventEmitter).on('error', () => {});
    const client = own;
    const root = await waitFor(`resolve1 on the private bus (${stderr})`, async () => client.getProxyObject(RESOLVE1, PATH));
    const mockIface = root.getInterface(MOCK);
    const dnsEntries = [
      ...spec.global.map((a) => `(dbus.Int32(0), dbus.Int32(${family(a)}), ${bytes(a)})`),
      ...spec.links.flatMap((l) => l.servers.map((a) => `(dbus.Int32(${l.ifindex}), dbus.Int32(${family(a)}), ${bytes(a)})`)),
    ];
    const domainEntries = spec.links.flatMap((l) => (l.domains ?? []).map((d) => `(dbus.Int32(${l.ifindex}), '${d.domain}', ${d.routeOnly ? 'True' : 'False'})`));
    // Properties set from Python: their D-Bus types (a(iiay), a(isb)) are spelt exactly, as resolved's are.
    await mockIface.AddMethod!('org.linkwatch.Test', 'Setup', '', '', [
      `self.props['${RESOLVE1}.Manager']['DNS'] = dbus.Array([${dnsEntries.join(', ')}], signature='(iiay)')`,
      `self.props['${RESOLVE1}.Manager']['Domains'] = dbus.Array([${domainEntries.join(', ')}], signature='(isb)')`,
      ...spec.links.map((l) =>
        [
          `self.AddObject('${PATH}/link/_${l.ifindex}', '${RESOLVE1}.Link', {`,
          `  'DefaultRoute': dbus.Boolean(${l.defaultRoute ? 'True' : 'False'}),`,
          `  'DNS': dbus.Array([${l.servers.map((a) => `(dbus.Int32(${family(a)}), ${bytes(a)})`).join(', ')}], signature='(iay)'),`,
          `  'Domains': dbus.Array([${(l.domains ?? []).map((d) => `('${d.domain}', ${d.routeOnly ? 'True' : 'False'})`).join(', ')}], signature='(sb)'),`,
          `}, [])`,
        ].join('\n'),
      ),
    ].join('\n'));
    await mockIface.AddMethod!(`${RESOLVE1}.Manager`, 'GetLink', 'i', 'o', `ret = dbus.ObjectPath('${PATH}/link/_%d' % args[0])`);
    await (await client.getProxyObject(RESOLVE1, PATH)).getInterface('org.linkwatch.Test').Setup!();
    client.disconnect();
    own = null;
    return { bus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * NetworkManager (python-dbusmock's `networkmanager` template) on a private bus, with one ACTIVATED connection
 * of `type` whose device is `ifname` and whose IP4Config carries `servers` as NameserverData (aa{sv}), the
 * objects NetworkManager itself exposes (org.freedesktop.NetworkManager(5)); added through dbusmock's API.
 */
export async function startNetworkManagerWithDns(spec: { ifname: string; type: string; uuid: string; id: string; servers: string[] }): Promise<ResolvedMock> {
  const bus = startPrivateBus();
  const NM = 'org.freedesktop.NetworkManager';
  const NM_PATH = '/org/freedesktop/NetworkManager';
  const mock: ChildProcess = spawn(PYTHON, ['-m', 'dbusmock', '--system', '--template', 'networkmanager'], {
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  mock.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (mock.exitCode === null && mock.signalCode === null) {
      const exited = new Promise((resolve) => mock.once('exit', resolve));
      mock.kill('SIGTERM');
      await exited;
    }
    bus.stop();
  };
  const saved = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address;
  let client: MessageBus;
  try {
    client = dbus.systemBus();
  } finally {
    if (saved === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
    else process.env.DBUS_SYSTEM_BUS_ADDRESS = saved;
  }
  (client as unknown as NodeJS.EventEmitter).on('error', () => {});
  try {
    const root = await waitFor(`NetworkManager on the private bus (${stderr})`, async () => client.getProxyObject(NM, NM_PATH));
    const servers = spec.servers.map((a) => `dbus.Dictionary({'address': dbus.String('${a}', variant_level=1)}, signature='sv')`).join(', ');
    await root.getInterface(MOCK).AddMethod!('org.linkwatch.Test', 'Setup', '', '', [
      `dev = self.AddEthernetDevice('lwdev', '${spec.ifname}', 100)`,
      `ip4 = '${NM_PATH}/IP4Config/77'`,
      `self.AddObject(ip4, '${NM}.IP4Config', {'NameserverData': dbus.Array([${servers}], signature='a{sv}'), 'Nameservers': dbus.Array([], signature='u')}, [])`,
      `ac = '${NM_PATH}/ActiveConnection/77'`,
      `self.AddObject(ac, '${NM}.Connection.Active', {'Devices': dbus.Array([dbus.ObjectPath(dev)], signature='o'), 'Type': '${spec.type}', 'Uuid': '${spec.uuid}', 'Id': '${spec.id}', 'State': dbus.UInt32(2), 'Vpn': ${spec.type === 'vpn' ? 'True' : 'False'}, 'Ip4Config': dbus.ObjectPath(ip4), 'Ip6Config': dbus.ObjectPath('/'), 'Default': False, 'Default6': False, 'Connection': dbus.ObjectPath('/'), 'SpecificObject': dbus.ObjectPath('/'), 'Master': dbus.ObjectPath('/')}, [])`,
      `acs = self.Get('${NM}', 'ActiveConnections')`,
      `acs.append(dbus.ObjectPath(ac))`,
      `self.SetProperty('${NM_PATH}', '${NM}', 'ActiveConnections', acs)`,
    ].join('\n'));
    await (await client.getProxyObject(NM, NM_PATH)).getInterface('org.linkwatch.Test').Setup!();
    client.disconnect();
    return { bus, stop };
  } catch (error) {
    client.disconnect();
    await stop();
    throw error;
  }
}
