/**
 * The Linux backend ("netlink"): every tunnel and point-to-point link the kernel knows, read straight from
 * rtnetlink (no `ip`, `nmcli` or other program), named from /proc (tun owners), wireguard-go's control
 * sockets, /proc/net/ppp* and, where present, NetworkManager. Live through rtnetlink multicast groups.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ErrorInfo } from '../../../../shared/connection';
import type { SourceDiagnosis } from '../../../../shared/diagnostics';
import { toErrorInfo } from '../../backend-error';
import type { ConnectionSource, ReadOptions, SourceConnection } from '../source';
import { isCandidate, linkFamily, linkVerdict, stateDetail, toConnection, type LinkHints, type NmProfile } from './classify';
import { NetworkManagerReader, mapNetworkManager } from './network-manager';
import { classifyPppLinks, type PppCarrier } from './ppp';
import { RouteSocket, subscribeGroups } from './route-socket';
import {
  RTMGRP_IPV4_IFADDR,
  RTMGRP_IPV6_IFADDR,
  RTMGRP_LINK,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_NEWADDR,
  RTM_NEWLINK,
  IFF,
  buildDumpRequest,
  parseAddressMessage,
  parseLinkMessage,
  type AddressMessage,
  type LinkMessage,
} from './rtnetlink';
import { pickOwner, scanTunOwners, type TunOwner } from './tun-owners';

/** wireguard-go's UAPI socket directory (the same path in every network namespace). */
const WIREGUARD_SOCKET_DIR = '/var/run/wireguard';
/** A dump that raced a change (NLM_F_DUMP_INTR) is redone this many times before its answer is used. */
const DUMP_RETRIES = 3;

export interface LinuxSourceOptions {
  procRoot?: string;
  /** Set false to leave NetworkManager out (tests, benchmarks). */
  networkManager?: boolean;
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** One readdir of a small tmpfs directory, instead of a stat per tun: the names with a `.sock`. */
function wireguardSocketNames(): Set<string> {
  try {
    return new Set(readdirSync(WIREGUARD_SOCKET_DIR).flatMap((f) => (f.endsWith('.sock') ? [f.slice(0, -5)] : [])));
  } catch {
    return new Set();
  }
}

export function createLinuxSource(options: LinuxSourceOptions = {}): ConnectionSource {
  const procRoot = options.procRoot ?? '/proc';
  let socket: RouteSocket | null = null;
  const nm = options.networkManager === false ? null : new NetworkManagerReader();
  /**
   * Tun owners by `index:name:lower-up`: a device's owner does not change while it lives, and a scan of
   * /proc costs milliseconds, so it runs only for a tun not seen before (or whose carrier changed: a
   * persistent tun re-attached by another program).
   */
  let owners = new Map<string, TunOwner | null>();
  /** Indexes of candidate links, for the watch filter; kept current by reads and by the events themselves. */
  const candidates = new Set<number>();
  let queue: Promise<unknown> = Promise.resolve();

  let netlinkError: ErrorInfo | null = null;
  const ownerKey = (link: LinkMessage): string => `${link.index}:${link.name}:${(link.flags & IFF.LOWER_UP) !== 0}`;

  async function dumpLinks(sock: RouteSocket, counters: boolean): Promise<LinkMessage[]> {
    for (let attempt = 0; ; attempt++) {
      const result = await sock.dump(
        (seq) => buildDumpRequest(RTM_GETLINK, seq, { skipStats: !counters }),
        (m) => (m.type === RTM_NEWLINK ? parseLinkMessage(m.payload, counters) : null),
      );
      if (!result.interrupted || attempt >= DUMP_RETRIES) return result.items;
    }
  }

  async function dumpAddresses(sock: RouteSocket, wanted: ReadonlySet<number>): Promise<Map<number, AddressMessage[]>> {
    for (let attempt = 0; ; attempt++) {
      const byIndex = new Map<number, AddressMessage[]>();
      const result = await sock.dump(
        (seq) => buildDumpRequest(RTM_GETADDR, seq),
        (m) => {
          if (m.type !== RTM_NEWADDR) return null;
          const address = parseAddressMessage(m.payload);
          if (!address || !wanted.has(address.index)) return null;
          const list = byIndex.get(address.index) ?? [];
          list.push(address);
          byIndex.set(address.index, list);
          return null;
        },
      );
      if (!result.interrupted || attempt >= DUMP_RETRIES) return byIndex;
    }
  }

  async function hintsFor(links: LinkMessage[]): Promise<LinkHints> {
    const tuns = links.filter((l) => {
      const family = linkFamily(l);
      return family === 'tun' || family === 'tap';
    });
    if (tuns.some((l) => !owners.has(ownerKey(l)))) {
      const scanned = await scanTunOwners(procRoot);
      const next = new Map<string, TunOwner | null>();
      for (const l of tuns) next.set(ownerKey(l), pickOwner(scanned.get(l.name ?? '')));
      owners = next;
    }
    const ownersByName = new Map<string, TunOwner | null>(tuns.map((l) => [l.name ?? '', owners.get(ownerKey(l)) ?? null]));
    const wireguardSockets = tuns.length > 0 ? wireguardSocketNames() : new Set<string>();
    const pppNames = links.filter((l) => linkFamily(l) === 'ppp' && l.name).map((l) => l.name as string);
    let ppp = new Map<string, PppCarrier>();
    if (pppNames.length > 0) {
      const [pppoe, l2tp] = await Promise.all([readOptional(`${procRoot}/net/pppoe`), readOptional(`${procRoot}/net/pppol2tp`)]);
      ppp = classifyPppLinks(pppNames, pppoe, l2tp);
    }
    return { owners: ownersByName, wireguardSockets, ppp, networkManager: new Map<string, NmProfile>() };
  }

  async function readOnce(readOptions: ReadOptions): Promise<SourceConnection[]> {
    socket ??= new RouteSocket();
    const links = (await dumpLinks(socket, readOptions.counters)).filter(isCandidate);
    candidates.clear();
    for (const l of links) candidates.add(l.index);
    const actives = nm ? await nm.read() : [];
    if (links.length === 0 && actives.length === 0) return [];
    const addresses = links.length > 0 ? await dumpAddresses(socket, candidates) : new Map<number, AddressMessage[]>();
    const hints = await hintsFor(links);
    const connections: SourceConnection[] = [];
    for (const link of links) {
      const connection = toConnection(link, addresses.get(link.index) ?? [], hints, readOptions.counters);
      if (connection) connections.push(connection);
    }
    if (actives.length > 0) {
      const unnamed = connections.filter((c) => c.deviceType === 'tun' || c.deviceType === 'ppp').map((c) => c.deviceName);
      const mapping = mapNetworkManager(actives, unnamed);
      for (const c of connections) {
        const profile = mapping.byInterface.get(c.deviceName);
        if (profile) c.name = profile.name;
      }
      connections.push(...mapping.withoutInterface);
    }
    return connections;
  }

  /** Does this notification concern a link we show (or might now show)? Unrelated churn (veths) is ignored. */
  function relevant(type: number, payload: Buffer): boolean {
    if (type === RTM_NEWLINK || type === RTM_DELLINK) {
      const link = parseLinkMessage(payload, false);
      if (!link) return false;
      const was = candidates.has(link.index);
      if (type === RTM_NEWLINK && isCandidate(link)) {
        candidates.add(link.index);
        return true;
      }
      if (type === RTM_DELLINK) candidates.delete(link.index);
      return was;
    }
    if (type === RTM_NEWADDR || type === RTM_DELADDR) {
      const address = parseAddressMessage(payload);
      return address !== null && candidates.has(address.index);
    }
    return false;
  }

  /** Every link of the namespace with its verdict (the same rules as a read), for `linkwatch diagnose`. */
  async function diagnoseOnce(): Promise<SourceDiagnosis> {
    let interfaces: SourceDiagnosis['interfaces'] = [];
    try {
      socket ??= new RouteSocket();
      const links = await dumpLinks(socket, false);
      const addresses = await dumpAddresses(socket, new Set(links.map((l) => l.index)));
      const hints = await hintsFor(links.filter(isCandidate));
      interfaces = links.map((link) => {
        const verdict = linkVerdict(link, hints);
        return {
          name: link.name ?? `#${link.index}`,
          description: '',
          type: verdict.type,
          state: stateDetail(link),
          addresses: (addresses.get(link.index) ?? []).flatMap((a) => (a.address ? [`${a.address}/${a.prefixlen}`] : [])),
          listed: verdict.listed,
          reason: verdict.reason,
          connectionId: verdict.listed && link.name ? `netlink:${link.index}:${link.name}` : null,
        };
      });
      netlinkError = null;
    } catch (error) {
      netlinkError = toErrorInfo(error);
    }
    if (nm) await nm.read();
    return {
      parts: [
        { name: 'netlink', detail: 'NETLINK_ROUTE (links, addresses; live groups)', lastError: netlinkError },
        ...(nm ? [{ name: 'NetworkManager', detail: 'system D-Bus: profile names, VPNs without an interface', lastError: nm.lastError }] : []),
      ],
      interfaces,
      notes: [],
    };
  }

  return {
    backend: 'netlink',
    read(readOptions: ReadOptions): Promise<SourceConnection[]> {
      // One dump socket, one dump at a time: concurrent reads queue behind each other.
      const run = queue.then(() => readOnce(readOptions)).then(
        (connections) => {
          netlinkError = null;
          return connections;
        },
        (error: unknown) => {
          netlinkError = toErrorInfo(error);
          throw error;
        },
      );
      queue = run.catch(() => undefined);
      return run;
    },
    diagnose(): Promise<SourceDiagnosis> {
      const run = queue.then(diagnoseOnce);
      queue = run.catch(() => undefined);
      return run;
    },
    watch(onChange: () => void): () => void {
      return subscribeGroups(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, (messages, overflow) => {
        if (overflow || messages.some((m) => relevant(m.type, m.payload))) onChange();
      });
    },
    close(): void {
      socket?.close();
      socket = null;
      nm?.close();
    },
  };
}
