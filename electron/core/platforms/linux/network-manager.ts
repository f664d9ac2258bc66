/**
 * NetworkManager's view, over the system D-Bus: the names users gave their VPN and WireGuard profiles, and
 * the VPNs that have no interface of their own (policy-based IPsec, FIELD-NOTES). Optional in every way: no
 * system bus socket, no `dbus-next` package or no NetworkManager on the bus means an empty answer, quietly.
 *
 * `dbus-next` (pure JS, the D-Bus client most Node projects use) is imported lazily and only when the bus
 * socket exists, so machines without D-Bus load nothing and pay nothing.
 *
 * API: org.freedesktop.NetworkManager (ActiveConnections), ….Connection.Active (Id, Uuid, Type, State,
 * Devices), ….Device (Interface). NMActiveConnectionState: 0 unknown, 1 activating, 2 activated,
 * 3 deactivating, 4 deactivated.
 */
import { existsSync } from 'node:fs';
import type { ConnectionState } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import type { NmProfile } from './classify';

export interface NmActiveConnection {
  id: string;
  uuid: string;
  /** "vpn", "wireguard", "802-3-ethernet"… */
  type: string;
  state: number;
  /** Interface names of the connection's devices (for a plugin VPN: the device it runs over). */
  interfaces: string[];
}

/** NMActiveConnectionState → ours. A Map: the key is whatever the bus answered. */
const NM_STATES = new Map<number, { state: ConnectionState; detail: string }>([
  [0, { state: 'connecting', detail: 'unknown' }],
  [1, { state: 'connecting', detail: 'activating' }],
  [2, { state: 'connected', detail: 'activated' }],
  [3, { state: 'disconnected', detail: 'deactivating' }],
  [4, { state: 'disconnected', detail: 'deactivated' }],
]);

export interface NmMapping {
  /** Profile names for tunnel links, by ifname. */
  byInterface: Map<string, NmProfile>;
  /** VPNs with no tunnel link to show them by: listed as connections of their own. */
  withoutInterface: SourceConnection[];
}

function profileOf(active: NmActiveConnection): NmProfile {
  const mapped = NM_STATES.get(active.state) ?? { state: 'connecting' as const, detail: `state ${active.state}` };
  return { name: active.id, state: mapped.state, stateDetail: `NetworkManager ${mapped.detail}` };
}

/**
 * A WireGuard profile's device is the wireguard link itself: named by interface. A plugin VPN's device is
 * the link it runs over, and its tunnel (tun, ppp) is not tied to it on D-Bus. So: with exactly one plugin
 * VPN and exactly one unnamed tun/ppp link, that link is the VPN; with no such link at all (policy-based
 * IPsec), the VPN is shown on its own; otherwise the links keep their kernel names rather than a guess.
 */
export function mapNetworkManager(actives: readonly NmActiveConnection[], unnamedTunnelLinks: readonly string[]): NmMapping {
  const byInterface = new Map<string, NmProfile>();
  const withoutInterface: SourceConnection[] = [];
  for (const active of actives) {
    if (active.type !== 'wireguard') continue;
    for (const ifname of active.interfaces) byInterface.set(ifname, profileOf(active));
  }
  const vpns = actives.filter((a) => a.type === 'vpn');
  const unnamed = unnamedTunnelLinks.filter((name) => !byInterface.has(name));
  const [onlyVpn] = vpns;
  const [onlyLink] = unnamed;
  if (vpns.length === 1 && unnamed.length === 1 && onlyVpn && onlyLink) {
    byInterface.set(onlyLink, profileOf(onlyVpn));
  } else if (unnamed.length === 0) {
    for (const vpn of vpns) {
      const profile = profileOf(vpn);
      withoutInterface.push({
        id: `nm:${vpn.uuid}`,
        name: vpn.id,
        kind: 'vpn',
        state: profile.state,
        stateDetail: profile.stateDetail,
        deviceType: 'vpn',
        deviceName: vpn.interfaces[0] ?? '',
        phonebook: null,
        adHoc: false,
        phoneNumber: null,
        owner: 'NetworkManager',
        addresses: [],
        mtu: null,
        bytesIn: null,
        bytesOut: null,
        upSince: null,
        lastError: null,
        canDisconnect: false,
      });
    }
  }
  return { byInterface, withoutInterface };
}

const SYSTEM_BUS_SOCKET = '/run/dbus/system_bus_socket';

/** The part of dbus-next's MessageBus the reader uses. */
export interface MinimalBus {
  getProxyObject(name: string, path: string): Promise<{ getInterface(name: string): unknown }>;
  disconnect(): void;
}
type Properties = { Get(iface: string, prop: string): Promise<{ value: unknown }> };

export interface NetworkManagerReaderOptions {
  /**
   * How long one read may wait for NetworkManager. The Linux source awaits this read before it answers, so a
   * hung NetworkManager must not hold every tunnel update back (D-Bus itself waits up to 25 s).
   */
  timeoutMs?: number;
  /** After a timeout, NetworkManager is not asked again for this long (a hung service stays hung a while). */
  backoffMs?: number;
  /** The bus to use; by default dbus-next's system bus, when there is one. */
  connectBus?: () => Promise<MinimalBus | null>;
  now?: () => number;
}

export const NM_READ_TIMEOUT_MS = 500;
export const NM_BACKOFF_MS = 30_000;

/** Reads NetworkManager's active connections; keeps one bus connection open until close(). */
export class NetworkManagerReader {
  private bus: MinimalBus | null = null;
  private unavailable = false;
  private lastGood: NmActiveConnection[] = [];
  private quietUntil = 0;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly connectBus: () => Promise<MinimalBus | null>;
  private readonly now: () => number;

  constructor(options: NetworkManagerReaderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? NM_READ_TIMEOUT_MS;
    this.backoffMs = options.backoffMs ?? NM_BACKOFF_MS;
    this.connectBus = options.connectBus ?? systemBus;
    this.now = options.now ?? Date.now;
  }

  /**
   * Active connections, or [] when there is no bus, no dbus-next, or no NetworkManager. Never throws, and
   * never waits longer than `timeoutMs`: a NetworkManager that does not answer in time keeps the names of its
   * last answer and is left alone for `backoffMs`.
   */
  async read(): Promise<NmActiveConnection[]> {
    if (this.unavailable) return [];
    if (this.now() < this.quietUntil) return this.lastGood;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const answer = await Promise.race([this.query(), timedOut]);
      if (answer === 'timeout') {
        this.quietUntil = this.now() + this.backoffMs;
        return this.lastGood;
      }
      this.lastGood = answer;
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  private async query(): Promise<NmActiveConnection[]> {
    try {
      const bus = await this.connect();
      if (!bus) return [];
      const props = async (path: string): Promise<Properties> =>
        (await bus.getProxyObject('org.freedesktop.NetworkManager', path)).getInterface('org.freedesktop.DBus.Properties') as Properties;
      const root = await props('/org/freedesktop/NetworkManager');
      const paths = (await root.Get('org.freedesktop.NetworkManager', 'ActiveConnections')).value as string[];
      const ACTIVE = 'org.freedesktop.NetworkManager.Connection.Active';
      return await Promise.all(
        paths.map(async (path) => {
          const p = await props(path);
          const get = async (name: string): Promise<unknown> => (await p.Get(ACTIVE, name)).value;
          const devices = (await get('Devices')) as string[];
          const interfaces = await Promise.all(
            devices.map(async (device) => String((await (await props(device)).Get('org.freedesktop.NetworkManager.Device', 'Interface')).value)),
          );
          return {
            id: String(await get('Id')),
            uuid: String(await get('Uuid')),
            type: String(await get('Type')),
            state: Number(await get('State')),
            interfaces,
          };
        }),
      );
    } catch {
      // NetworkManager not on the bus (ServiceUnknown), or the bus went away: no names, not an error.
      this.close();
      return [];
    }
  }

  close(): void {
    this.bus?.disconnect();
    this.bus = null;
  }

  private async connect(): Promise<MinimalBus | null> {
    if (this.bus) return this.bus;
    this.bus = await this.connectBus();
    if (!this.bus) this.unavailable = true;
    return this.bus;
  }
}

/** dbus-next's system bus, or null when there is no bus socket or no dbus-next. */
async function systemBus(): Promise<MinimalBus | null> {
  if (!process.env.DBUS_SYSTEM_BUS_ADDRESS && !existsSync(SYSTEM_BUS_SOCKET)) return null;
  try {
    const moduleName = 'dbus-next';
    const dbus = (await import(moduleName)) as { systemBus(): MinimalBus; default?: { systemBus(): MinimalBus } };
    const connect = dbus.systemBus ?? dbus.default?.systemBus;
    return connect ? connect() : null;
  } catch {
    return null;
  }
}
