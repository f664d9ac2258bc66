/**
 * The Linux backend ("netlink"): every tunnel and point-to-point link the kernel knows, read straight from
 * rtnetlink (no `ip`, `nmcli` or other program), named from /proc (tun owners), wireguard-go's control
 * sockets, /proc/net/ppp* and, where present, NetworkManager. Live through rtnetlink multicast groups.
 */
import type { ProbeResult } from '../../../../shared/health';
import { echoLinux } from '../../health/linux-icmp';
import { refuseProbe, type ProbeRequest } from '../../health/probe-target';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ErrorInfo } from '../../../../shared/connection';
import type { SourceDiagnosis } from '../../../../shared/diagnostics';
import { BackendError, toErrorInfo } from '../../backend-error';
import type { ConnectionSource, DialProgress, ReadOptions, SourceConnection, SourceEntry } from '../source';
import { isCandidate, linkFamily, linkVerdict, stateDetail, toConnection, type LinkHints, type NmProfile } from './classify';
import { NetworkManagerReader, mapNetworkManager, nmConnectionId, type NmSavedProfile } from './network-manager';
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
import { LinuxRoutingReader, type LinuxRoutingOptions } from './linux-routing';
import { RTMGRP_IPV4_ROUTE, RTMGRP_IPV4_RULE, RTMGRP_IPV6_ROUTE, RTMGRP_IPV6_RULE, RTM_DELROUTE, RTM_DELRULE, RTM_NEWROUTE, RTM_NEWRULE, routeMessageMatters } from './rtnetlink-routes';
import type { RoutingReading } from '../../routing/routing-reading';

/** wireguard-go's UAPI socket directory (the same path in every network namespace). */
const WIREGUARD_SOCKET_DIR = '/var/run/wireguard';
/** A dump that raced a change (NLM_F_DUMP_INTR) is redone this many times before its answer is used. */
const DUMP_RETRIES = 3;
/**
 * How long a hang-up may take, from DeactivateConnection to the tunnel's link gone. NetworkManager answers at
 * once and says DEACTIVATED within milliseconds; the plugin's VPN program then exits (OpenVPN over UDP first
 * tells the server, `--explicit-exit-notify`), which takes its tun with it.
 */
export const HANG_UP_TIMEOUT_MS = 15_000;
/** `disconnectUnavailable` of a tunnel NetworkManager does not own (issue 29). */
export const STARTED_OUTSIDE_NM = 'started outside NetworkManager';
export const NO_NETWORK_MANAGER = 'started outside NetworkManager (none is reachable here)';
/** A tun named after NetworkManager's only VPN by elimination, which NetworkManager has not (yet) tied to it. */
export const NOT_TIED_TO_NM = 'NetworkManager does not say this tunnel is its VPN\'s';

/** A connection NetworkManager owns, as the last read saw it: what Disconnect deactivates and waits for. */
interface NmOwned {
  name: string;
  activePath: string;
  /** Its link, when it has one (a VPN without an interface of its own has none). */
  link: { index: number; name: string } | null;
}

export interface LinuxSourceOptions {
  procRoot?: string;
  /** Set false to leave NetworkManager out (tests, benchmarks). */
  networkManager?: boolean;
  /** How long a hang-up may take (HANG_UP_TIMEOUT_MS): tests of a NetworkManager that never answers. */
  hangUpTimeoutMs?: number;
  /** SO_RCVBUF of the change subscription (route-socket.ts); tests make it tiny to provoke ENOBUFS. */
  receiveBufferBytes?: number;
  /**
   * The idle cadence before issue 23: the subscription's poll(2) woken every second and a safety read every
   * 5 s. Only for `npm run bench`, which measures before and after in one run (LINKWATCH_IDLE_CADENCE=before,
   * read in platforms/index.ts); never set otherwise.
   */
  legacyCadence?: boolean;
  /** Routes and resolvers (issue 25); false leaves readRouting out. */
  routing?: LinuxRoutingOptions | false;
}

/** Routes and rules pushed (issue 25): a change there re-reads the routing alone (onChange('routing')). */
const ROUTING_GROUPS = RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_RULE | RTMGRP_IPV6_RULE;

/** Does this pushed message change a route or rule that a verdict reads? */
function routingMessage(type: number, payload: Buffer): boolean {
  if (type === RTM_NEWROUTE || type === RTM_DELROUTE) return routeMessageMatters(payload);
  return type === RTM_NEWRULE || type === RTM_DELRULE;
}

/** LinuxSourceOptions.legacyCadence: what the reader and the monitor did before issue 23. */
const LEGACY_POLL_TIMEOUT_MS = 1000;
const LEGACY_SAFETY_READ_MS = 5000;

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
  const hangUpTimeoutMs = options.hangUpTimeoutMs ?? HANG_UP_TIMEOUT_MS;
  const routing = options.routing === false ? null : new LinuxRoutingReader(options.routing);
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
    owned = new Map();
    if (links.length === 0 && actives.length === 0) return [];
    const addresses = links.length > 0 ? await dumpAddresses(socket, candidates) : new Map<number, AddressMessage[]>();
    const hints = await hintsFor(links);
    const connections: SourceConnection[] = [];
    for (const link of links) {
      const connection = toConnection(link, addresses.get(link.index) ?? [], hints, readOptions.counters);
      if (connection) connections.push(connection);
    }
    const notOwned = nm && !['ENOBUS', 'ENONM'].includes(String(nm.lastError?.code)) ? STARTED_OUTSIDE_NM : NO_NETWORK_MANAGER;
    const linkOf = new Map(links.map((l) => [`netlink:${l.index}:${l.name}`, { index: l.index, name: l.name ?? '' }]));
    const guessed = new Set<string>();
    if (actives.length > 0) {
      const unnamed = connections.filter((c) => c.deviceType === 'tun' || c.deviceType === 'ppp').map((c) => c.deviceName);
      const mapping = mapNetworkManager(actives, unnamed);
      for (const c of connections) {
        const profile = mapping.byInterface.get(c.deviceName);
        if (!profile) continue;
        c.name = profile.name;
        if (profile.activePath) owned.set(c.id, { name: c.name, activePath: profile.activePath, link: linkOf.get(c.id) ?? null });
        else guessed.add(c.id);
      }
      for (const c of mapping.withoutInterface) {
        const active = actives.find((a) => nmConnectionId(a.uuid) === c.id);
        if (active) owned.set(c.id, { name: c.name, activePath: active.path, link: null });
      }
      connections.push(...mapping.withoutInterface);
    }
    for (const c of connections) {
      c.canDisconnect = owned.has(c.id);
      c.disconnectUnavailable = c.canDisconnect ? null : guessed.has(c.id) ? NOT_TIED_TO_NM : notOwned;
      // NetworkManager has let go of a VPN being hung up before its plugin's program has closed the tun: the
      // row keeps its name and says it is going, rather than turning into an unknown tunnel for a second.
      const going = goingDown.get(c.id);
      if (going && !c.canDisconnect) {
        c.name = going;
        c.state = 'disconnected';
        c.stateDetail = 'NetworkManager deactivated, tunnel closing';
        c.disconnectUnavailable = 'being hung up';
      }
    }
    lastRead = new Map(connections.map((c) => [c.id, c]));
    return connections;
  }

  /** Resolves once link `index` is gone (RTM_DELLINK, or a dump without it); rejects after `timeoutMs`. */
  function linkGone(link: { index: number; name: string }, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let finished = false;
      const finish = (error?: Error): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        unsubscribe();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => finish(new BackendError('ETIMEDOUT', `NetworkManager deactivated it, but ${link.name} was still there after ${timeoutMs} ms`)),
        Math.max(0, timeoutMs),
      );
      const check = (): void => {
        const run = queue.then(async () => {
          socket ??= new RouteSocket();
          return dumpLinks(socket, false);
        });
        queue = run.catch(() => undefined);
        run.then((all) => {
          if (!all.some((l) => l.index === link.index)) finish();
        }, finish);
      };
      // Subscribe first, then look: a link that goes between the two is seen either way.
      const unsubscribe = subscribeGroups(RTMGRP_LINK, (messages, overflow) => {
        if (overflow) check();
        else if (messages.some((m) => m.type === RTM_DELLINK && parseLinkMessage(m.payload, false)?.index === link.index)) finish();
      });
      check();
    });
  }

  async function hangUp(id: string): Promise<void> {
    // A VPN that has just come up may have been read before NetworkManager tied its tun to it (the link's
    // address can come before NetworkManager's signal): read once more before refusing.
    if (!owned.has(id) && nm) {
      const run = queue.then(() => readOnce({ counters: false }));
      queue = run.catch(() => undefined);
      await run.catch(() => undefined);
    }
    const target = owned.get(id);
    if (!target || !nm) {
      const seen = lastRead.get(id);
      if (!seen) throw new BackendError('ENOENT', `No connection with id ${id.slice(0, 100)}`);
      throw new BackendError('ENOTSUP', `${seen.name} cannot be hung up from here: ${seen.disconnectUnavailable ?? STARTED_OUTSIDE_NM}`);
    }
    const started = Date.now();
    goingDown.set(id, target.name);
    try {
      await nm.deactivate(target.activePath, hangUpTimeoutMs);
      if (target.link) await linkGone(target.link, hangUpTimeoutMs - (Date.now() - started));
    } finally {
      goingDown.delete(id);
    }
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

  /** What the last read found NetworkManager owns (Disconnect acts on these only), and every connection it listed. */
  let owned = new Map<string, NmOwned>();
  let lastRead = new Map<string, SourceConnection>();
  /** Names of the connections whose hang-up is under way, by id. */
  const goingDown = new Map<string, string>();

  /** NetworkManager's profiles as last listed (connect dials only these), and its dials under way by id. */
  let profiles = new Map<string, NmSavedProfile>();
  const dials = new Map<string, () => Promise<void>>();

  async function listEntries(): Promise<SourceEntry[] | null> {
    const listed = nm ? await nm.listProfiles() : null;
    if (listed === null) return null;
    profiles = new Map(listed.map((p) => [p.id, p]));
    return listed.map((p) => ({ name: p.id, scope: 'system', kind: 'vpn', phonebook: null, ...(p.systemReconnects ? { systemReconnects: p.systemReconnects } : {}) }));
  }

  async function connect(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
    if (!nm) throw new BackendError('ENOTSUP', 'NetworkManager is left out of this source');
    if (!profiles.has(name)) await listEntries();
    const profile = profiles.get(name);
    if (!profile) throw new BackendError('ENOENT', `NetworkManager has no VPN or WireGuard profile named "${name.slice(0, 100)}"`);
    const id = nmConnectionId(profile.uuid);
    const dial = await nm.activate(profile, onProgress).catch((error: unknown) => {
      throw new BackendError('EACTIVATE', `NetworkManager refused to activate "${profile.id}": ${(error as Error).message}`, { cause: error });
    });
    // activate() has reported the state it found (activating) already: no second "activating" step here.
    dials.set(id, dial.cancel);
    try {
      return await dial.done;
    } finally {
      dials.delete(id);
    }
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
      notes: ['netlink reports every change, and says when it had to drop some (ENOBUFS): the list is read again then, and never on a timer while nothing changes'],
    };
  }

  function readRouting(): Promise<RoutingReading> {
    const run = queue.then(() => {
      socket ??= new RouteSocket();
      return (routing as LinuxRoutingReader).read(socket);
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    backend: 'netlink',
    // No safety read: rtnetlink reports every change of the groups below, and the one way it can lose some
    // (a full receive buffer) is reported too (ENOBUFS), upon which watch() says "changed" and the monitor
    // reads everything again. So with nothing changing nothing is read (README, "How often the list is read").
    safetyReadMs: options.legacyCadence ? LEGACY_SAFETY_READ_MS : null,
    listEntries,
    connect,
    hangUp,
    async cancel(connectionId: string): Promise<void> {
      const cancel = dials.get(connectionId);
      if (!cancel) throw new BackendError('EINVAL', `No NetworkManager activation under way with id ${connectionId.slice(0, 100)}`);
      await cancel();
    },
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
    watch(onChange: (scope?: 'routing') => void, onUnavailable?: (error: ErrorInfo) => void): () => void {
      const groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | (routing ? ROUTING_GROUPS : 0);
      const unsubscribe = subscribeGroups(
        groups,
        (messages, overflow) => {
          // Overflow: the kernel dropped messages we cannot know, any of which may have been relevant.
          if (overflow || messages.some((m) => relevant(m.type, m.payload))) {
            routing?.invalidate();
            onChange();
          } else if (routing && messages.some((m) => routingMessage(m.type, m.payload))) {
            routing.invalidate();
            onChange('routing');
          }
        },
        {
          receiveBufferBytes: options.receiveBufferBytes,
          onFailure: (error) => onUnavailable?.(toErrorInfo(error)),
          ...(options.legacyCadence ? { pollTimeoutMs: LEGACY_POLL_TIMEOUT_MS } : {}),
        },
      );
      // NetworkManager's own signals (a VPN activated, a profile added): read again, as for a link change.
      const unsubscribeNm = nm?.onChange(onChange);
      return () => {
        unsubscribe();
        unsubscribeNm?.();
      };
    },
    /** One ICMP echo inside a connected tunnel, checked against a fresh reading first (health/probe-target.ts). */
    async probe(this: ConnectionSource, request: ProbeRequest): Promise<ProbeResult> {
      const refused = refuseProbe(request, await this.read({ counters: false }));
      if (refused) return { target: request.target, rttMs: null, at: Date.now(), error: { code: 'EOUTSIDE', message: refused } };
      return echoLinux(request);
    },
    close(): void {
      socket?.close();
      socket = null;
      nm?.close();
      routing?.close();
    },
    ...(routing ? { readRouting } : {}),
  };
}
