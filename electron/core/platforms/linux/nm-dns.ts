/**
 * NetworkManager's per-connection DNS servers (issue 25), for `Connection.routing.dns` where NetworkManager
 * runs: each active connection's IP4Config.NameserverData (aa{sv}, "address"; NetworkManager 1.14+) or, before
 * it, IP4Config.Nameservers (au, network byte order), and IP6Config.Nameservers (aay). API:
 * org.freedesktop.NetworkManager(5): Manager.ActiveConnections, Connection.Active (Type, Uuid, Devices,
 * Ip4Config, Ip6Config), Device.Interface.
 *
 * Which Linkwatch connection it is: a connection whose device is the tunnel itself (WireGuard) by that
 * device's interface; a plugin VPN (type "vpn", whose device is the link it runs over) by the same rule as
 * network-manager.ts mapNetworkManager (exactly one plugin VPN and exactly one tun/ppp link not otherwise
 * named), and always also as `nm:<uuid>` (listed when it has no interface at all: policy-based IPsec).
 * Where systemd-resolved runs, NetworkManager gives it the same servers per link; this reader serves where it
 * does not (NetworkManager writing resolv.conf itself).
 */
import type { MinimalBus } from './network-manager';
import { nmConnectionId } from './network-manager';
import { formatAddress, AF_INET, AF_INET6 } from './rtnetlink';

const NM = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';
const PROPS = 'org.freedesktop.DBus.Properties';

type Properties = { Get(iface: string, name: string): Promise<{ value: unknown }> };

export interface NmDns {
  uuid: string;
  type: string;
  /** The interfaces of its devices. */
  interfaces: string[];
  servers: string[];
}

async function props(bus: MinimalBus, path: string): Promise<Properties> {
  return (await bus.getProxyObject(NM, path)).getInterface(PROPS) as Properties;
}

async function get(p: Properties, iface: string, name: string): Promise<unknown> {
  try {
    return (await p.Get(iface, name)).value;
  } catch {
    return undefined;
  }
}

/** IP4Config.NameserverData: [{ address: Variant<'s'> }, …]. */
export function nameserverData(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const address = (entry as Record<string, { value?: unknown } | undefined> | null)?.address?.value;
    return typeof address === 'string' ? [address] : [];
  });
}

/** IP4Config.Nameservers (au): each address a u32 in network byte order as stored (little-endian hosts read it swapped). */
export function ipv4Nameservers(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((n: unknown) => {
    if (typeof n !== 'number') return [];
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return [formatAddress(AF_INET, b) as string];
  });
}

/** IP6Config.Nameservers (aay): 16 bytes each. */
export function ipv6Nameservers(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw: unknown) => {
    const bytes = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.from(raw.map(Number)) : null;
    const text = bytes ? formatAddress(AF_INET6, bytes) : null;
    return text ? [text] : [];
  });
}

/** Every active connection's DNS servers; [] when NetworkManager is not on the bus. */
export async function readNmDns(bus: MinimalBus): Promise<NmDns[]> {
  let actives: unknown;
  try {
    actives = await get(await props(bus, NM_PATH), NM, 'ActiveConnections');
  } catch {
    return [];
  }
  const result: NmDns[] = [];
  for (const path of Array.isArray(actives) ? actives : []) {
    if (typeof path !== 'string') continue;
    const active = await props(bus, path).catch(() => null);
    if (!active) continue;
    const iface = `${NM}.Connection.Active`;
    const [uuid, type, devices, ip4, ip6] = await Promise.all(['Uuid', 'Type', 'Devices', 'Ip4Config', 'Ip6Config'].map((name) => get(active, iface, name)));
    const servers: string[] = [];
    if (typeof ip4 === 'string' && ip4 !== '/') {
      const config = await props(bus, ip4).catch(() => null);
      if (config) {
        const data = nameserverData(await get(config, `${NM}.IP4Config`, 'NameserverData'));
        servers.push(...(data.length > 0 ? data : ipv4Nameservers(await get(config, `${NM}.IP4Config`, 'Nameservers'))));
      }
    }
    if (typeof ip6 === 'string' && ip6 !== '/') {
      const config = await props(bus, ip6).catch(() => null);
      if (config) servers.push(...ipv6Nameservers(await get(config, `${NM}.IP6Config`, 'Nameservers')));
    }
    const interfaces: string[] = [];
    for (const device of Array.isArray(devices) ? devices : []) {
      if (typeof device !== 'string') continue;
      const name = await get(await props(bus, device).catch(() => ({ Get: async () => ({ value: undefined }) }) as Properties), `${NM}.Device`, 'Interface');
      if (typeof name === 'string' && name) interfaces.push(name);
    }
    if (typeof uuid === 'string') result.push({ uuid, type: typeof type === 'string' ? type : '', interfaces, servers });
  }
  return result;
}

/**
 * The resolvers each listed connection supplies, by the pairing rule above. `tunnelLinks`: the tun and ppp
 * links' ids by interface name (the candidates a plugin VPN may be).
 */
export function nmSupplied(dns: readonly NmDns[], linkIdOf: (ifname: string) => string | null, tunnelLinks: ReadonlyMap<string, string>): { connectionId: string; addresses: string[] }[] {
  const supplied: { connectionId: string; addresses: string[] }[] = [];
  const named = new Set<string>();
  for (const c of dns) {
    if (c.servers.length === 0) continue;
    supplied.push({ connectionId: nmConnectionId(c.uuid), addresses: c.servers });
    if (c.type === 'wireguard') {
      for (const ifname of c.interfaces) {
        named.add(ifname);
        const id = linkIdOf(ifname);
        if (id) supplied.push({ connectionId: id, addresses: c.servers });
      }
    }
  }
  const vpns = dns.filter((c) => c.type === 'vpn');
  const unnamed = [...tunnelLinks.entries()].filter(([ifname]) => !named.has(ifname));
  const [onlyVpn] = vpns;
  const [onlyLink] = unnamed;
  if (vpns.length === 1 && unnamed.length === 1 && onlyVpn && onlyLink && onlyVpn.servers.length > 0) supplied.push({ connectionId: onlyLink[1], addresses: onlyVpn.servers });
  return supplied;
}
