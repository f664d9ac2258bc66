/**
 * The Linux routing reading (issue 25) for ConnectionSource.readRouting: every table's routes and the policy
 * rules (RTM_GETROUTE and RTM_GETRULE dumps), the kernel's own route lookup for a public address of each family
 * and for each resolver (RTM_GETROUTE requests: nothing is sent), and the resolvers from systemd-resolved over
 * D-Bus, else /etc/resolv.conf. Interfaces are paired with connections by the id the source gives a link
 * (`netlink:<index>:<name>`, classify.ts).
 */
import type { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { BackendError } from '../../backend-error';
import { VERDICT_TARGETS, type DnsReading, type DnsServerReading, type RouteEntry, type RouteLookup, type RouteRule, type RoutingReading } from '../../routing/routing-reading';
import { addressValue, type IpFamily } from '../../routing/prefix';
import { systemBus, type MinimalBus } from './network-manager';
import type { RouteSocket } from './route-socket';
import { ordinaryServers, readResolvConf, readResolved, type ResolvedState } from './resolvers';
import { linkFamily } from './classify';
import { nmSupplied, readNmDns } from './nm-dns';
import { RTM_GETLINK, RTM_NEWLINK, buildDumpRequest, parseLinkMessage } from './rtnetlink';
import {
  RTM_F_CLONED,
  RTM_GETROUTE,
  RTM_GETRULE,
  RTM_NEWROUTE,
  RTM_NEWRULE,
  RTPROT_KERNEL,
  RT_TABLE_LOCAL,
  buildRouteLookupRequest,
  buildRoutingDumpRequest,
  parseRouteMessage,
  parseRuleMessage,
  type RouteMessage,
} from './rtnetlink-routes';

/** errno names that mean "no route" in a lookup's answer, not a failure to ask. */
const NO_ROUTE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EACCES', 'EINVAL', 'EAFNOSUPPORT', 'EPERM']);

/**
 * How long the resolvers read are kept when nothing is signalled: resolv.conf and the D-Bus services send no
 * netlink message when they change, and the popup's live poll reads every 250 ms.
 */
const DNS_KEEP_MS = 5000;
/** Longest a systemd-resolved read may take before resolv.conf answers instead. */
const RESOLVED_TIMEOUT_MS = 1000;

export interface LinuxRoutingOptions {
  /** resolv.conf to read where systemd-resolved is not on the bus (tests point it elsewhere). */
  resolvConfPath?: string;
  /** The system bus; by default dbus-next's, when there is one. Null: do not ask systemd-resolved. */
  connectBus?: (() => Promise<MinimalBus | null>) | null;
  now?: () => number;
}

export function linkConnectionId(index: number, name: string): string {
  return `netlink:${index}:${name}`;
}

function idOfName(names: ReadonlyMap<number, string>, ifname: string): string | null {
  for (const [index, name] of names) if (name === ifname) return linkConnectionId(index, name);
  return null;
}

function addressBytes(text: string): Buffer {
  const parsed = addressValue(text);
  if (!parsed) throw new Error(`not an address: ${text}`);
  const size = parsed.family === 4 ? 4 : 16;
  const buf = Buffer.alloc(size);
  let value = parsed.value;
  for (let i = size - 1; i >= 0; i--) {
    buf[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return buf;
}

export class LinuxRoutingReader {
  private readonly resolvConfPath: string;
  private readonly connectBus: (() => Promise<MinimalBus | null>) | null;
  private bus: MinimalBus | null | undefined;
  /** Where the resolvers came from last time, and why resolved was not used ("diagnose"). */
  lastDnsSource: string | null = null;
  private dnsKept: { key: string; at: number; dns: DnsReading | null } | null = null;
  private readonly now: () => number;

  constructor(options: LinuxRoutingOptions = {}) {
    this.resolvConfPath = options.resolvConfPath ?? '/etc/resolv.conf';
    this.connectBus = options.connectBus === undefined ? systemBus : options.connectBus;
    this.now = options.now ?? Date.now;
  }

  async read(socket: RouteSocket): Promise<RoutingReading> {
    const names = new Map<number, string>();
    /** tun and ppp links by name (what a NetworkManager plugin VPN may be): nm-dns.ts nmSupplied. */
    const tunnelLinks = new Map<string, string>();
    await socket.dump(
      (seq) => buildDumpRequest(RTM_GETLINK, seq, { skipStats: true }),
      (m) => {
        const link = m.type === RTM_NEWLINK ? parseLinkMessage(m.payload, false) : null;
        if (link?.name) {
          names.set(link.index, link.name);
          const family = linkFamily(link);
          if (family === 'tun' || family === 'ppp') tunnelLinks.set(link.name, linkConnectionId(link.index, link.name));
        }
        return null;
      },
    );
    const ifname = (index: number): string | null => names.get(index) ?? null;
    const idOf = (index: number | null): string | null => {
      const name = index === null ? null : ifname(index);
      return name === null || index === null ? null : linkConnectionId(index, name);
    };

    const routes: RouteEntry[] = [];
    const routeDump = await socket.dump((seq) => buildRoutingDumpRequest(RTM_GETROUTE, seq), (m) => (m.type === RTM_NEWROUTE ? parseRouteMessage(m.payload) : null));
    for (const route of routeDump.items) {
      if (route.flags & RTM_F_CLONED || route.table === RT_TABLE_LOCAL) continue;
      const entry = (oif: number | null): RouteEntry => ({
        family: route.family,
        destination: route.destination,
        interface: oif === null ? null : ifname(oif),
        connectionId: idOf(oif),
        gateway: route.gateway,
        table: route.table,
        metric: route.metric,
        type: route.type,
        ownSubnet: route.protocol === RTPROT_KERNEL,
      });
      if (route.oifs.length === 0) routes.push(entry(null));
      for (const oif of route.oifs) routes.push(entry(oif));
    }
    const ruleDump = await socket.dump((seq) => buildRoutingDumpRequest(RTM_GETRULE, seq), (m) => (m.type === RTM_NEWRULE ? parseRuleMessage(m.payload) : null));
    const rules: RouteRule[] = ruleDump.items;

    const lookup = async (target: string): Promise<RouteLookup | null> => {
      const family = (isIP(target) === 4 ? 4 : 6) as IpFamily;
      let answer: RouteMessage | undefined;
      try {
        [answer] = await socket.ask((seq) => buildRouteLookupRequest(family, addressBytes(target), seq), (m) => (m.type === RTM_NEWROUTE ? parseRouteMessage(m.payload) : null));
      } catch (error) {
        if (error instanceof BackendError && NO_ROUTE.has(String(error.code))) return { family, target, interface: null, connectionId: null, gateway: null };
        throw error;
      }
      if (!answer) return null;
      // IPv6 answers "no route" with the null entry: an unreachable route over lo.
      if (answer.type !== 'unicast' && answer.type !== 'local') return { family, target, interface: null, connectionId: null, gateway: null };
      const oif = answer.oifs[0] ?? null;
      return { family, target, interface: oif === null ? null : ifname(oif), connectionId: idOf(oif), gateway: answer.gateway };
    };
    // One request at a time: the socket is not reentrant (route-socket.ts).
    const lookups: RouteLookup[] = [];
    for (const target of [VERDICT_TARGETS[4], VERDICT_TARGETS[6]]) {
      const answer = await lookup(target);
      if (answer) lookups.push(answer);
    }
    // The resolvers cost D-Bus round trips (systemd-resolved, NetworkManager): kept for DNS_KEEP_MS unless a
    // link, address, route or rule changed (invalidate) or the links are others (the key).
    const key = [...names].join(',');
    const now = this.now();
    if (!this.dnsKept || this.dnsKept.key !== key || now - this.dnsKept.at >= DNS_KEEP_MS) {
      this.dnsKept = { key, at: now, dns: await this.readAllDns(names, idOf, lookup, tunnelLinks) };
    }
    return { routes, rules, lookups, dns: this.dnsKept.dns };
  }

  /** Something changed that may move a resolver's way out or its link: the next read asks again. */
  invalidate(): void {
    this.dnsKept = null;
  }

  private async readAllDns(
    names: Map<number, string>,
    idOf: (index: number | null) => string | null,
    lookup: (target: string) => Promise<RouteLookup | null>,
    tunnelLinks: ReadonlyMap<string, string>,
  ): Promise<DnsReading | null> {
    const dns = await this.readDns(names, idOf, lookup);
    // NetworkManager's per-connection servers, where it runs (it may write resolv.conf itself).
    const bus = await this.connectedBus();
    const nm = bus ? nmSupplied(await this.inTime(readNmDns(bus), []), (ifname) => tunnelLinks.get(ifname) ?? idOfName(names, ifname), tunnelLinks) : [];
    if (nm.length === 0) return dns;
    return dns ? { ...dns, supplied: [...dns.supplied, ...nm] } : { source: 'NetworkManager', used: [], supplied: nm };
  }

  /** systemd-resolved where it is on the bus, else resolv.conf; each server with the way its queries leave. */
  private async readDns(names: Map<number, string>, idOf: (index: number | null) => string | null, lookup: (target: string) => Promise<RouteLookup | null>): Promise<DnsReading | null> {
    const viaRoute = async (address: string): Promise<DnsServerReading> => {
      const route = await lookup(address);
      return { address, interface: route?.interface ?? null, connectionId: route?.connectionId ?? null };
    };
    const resolved = await this.resolvedState();
    if (resolved) {
      this.lastDnsSource = 'systemd-resolved';
      const used: DnsServerReading[] = [];
      for (const server of ordinaryServers(resolved)) {
        used.push(server.ifindex === null ? await viaRoute(server.address) : { address: server.address, interface: names.get(server.ifindex) ?? null, connectionId: idOf(server.ifindex) });
      }
      const supplied = resolved.links.flatMap((link) => {
        const connectionId = idOf(link.ifindex);
        return connectionId && link.servers.length > 0 ? [{ connectionId, addresses: link.servers }] : [];
      });
      return { source: 'systemd-resolved', used, supplied };
    }
    const servers = readResolvConf(this.resolvConfPath);
    if (servers === null) {
      this.lastDnsSource = null;
      return null;
    }
    this.lastDnsSource = 'resolv.conf';
    const byName = new Map([...names].map(([index, name]) => [name, index]));
    const used: DnsServerReading[] = [];
    for (const { address, zone } of servers) {
      const index = zone === null ? undefined : byName.get(zone);
      used.push(index === undefined ? await viaRoute(address) : { address, interface: zone, connectionId: idOf(index) });
    }
    return { source: 'resolv.conf', used, supplied: [] };
  }

  /** The system bus, connected once; null where there is none (or it failed). */
  private async connectedBus(): Promise<MinimalBus | null> {
    if (!this.connectBus) return null;
    if (this.bus === undefined) {
      const bus = await this.connectBus().catch(() => null);
      // dbus-next reports a bus it cannot reach (no socket, refused) as an 'error' event: unhandled, that
      // would end the process. Here it only means "no systemd-resolved": resolv.conf answers.
      (bus as unknown as Partial<EventEmitter> | null)?.on?.('error', () => {
        if (this.bus === bus) this.bus = null;
        bus?.disconnect();
      });
      this.bus = bus;
    }
    return this.bus;
  }

  /** A bus call that never answers (its peer gone mid-call) must not hold the verdict: `fallback` then. */
  private async inTime<T>(call: Promise<T>, fallback: T): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), RESOLVED_TIMEOUT_MS);
    });
    try {
      return await Promise.race([call, late]);
    } catch {
      return fallback; // the service left the bus mid-read
    } finally {
      clearTimeout(timer);
    }
  }

  private async resolvedState(): Promise<ResolvedState | null> {
    const bus = await this.connectedBus();
    return bus ? this.inTime(readResolved(bus), null) : null;
  }

  close(): void {
    this.bus?.disconnect();
    this.bus = undefined;
  }
}
