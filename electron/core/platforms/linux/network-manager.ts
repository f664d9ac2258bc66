/**
 * NetworkManager's view, over the system D-Bus: the names users gave their VPN and WireGuard profiles, and
 * the VPNs that have no interface of their own (policy-based IPsec, FIELD-NOTES). Optional in every way: no
 * system bus socket, no `dbus-next` package or no NetworkManager on the bus means an empty answer, quietly.
 *
 * `dbus-next` (pure JS, the D-Bus client most Node projects use) is imported lazily and only when the bus
 * socket exists, so machines without D-Bus load nothing and pay nothing.
 *
 * API: org.freedesktop.NetworkManager (ActiveConnections, Devices), ….Connection.Active (Id, Uuid, Type, State,
 * Devices, Ip4Config, Ip6Config), ….Device (Interface, Ip4Config, Ip6Config). NMActiveConnectionState:
 * 0 unknown, 1 activating, 2 activated, 3 deactivating, 4 deactivated.
 *
 * Disconnect (issue 29): DeactivateConnection(active) on what NetworkManager owns, confirmed by StateChanged
 * (deactivated); linux-source.ts then waits for the tunnel's link to go. The bus itself may be unreachable (a
 * socket with no daemon behind it): that is "no NetworkManager", never a crash (issue 28).
 *
 * Saved profiles: ….Settings.ListConnections, ….Settings.Connection.GetSettings (the `connection` setting's
 * id, uuid and type), brought up with ActivateConnection(profile, "/", "/") and down with
 * DeactivateConnection(active). Progress and the failure reason come from the active connection's
 * StateChanged(state, reason) signal. The reader subscribes to NetworkManager's signals (one match rule on
 * its bus name) and answers reads from what it last read until a signal says something changed.
 */
import { existsSync } from 'node:fs';
import type { ConnectionState, ErrorInfo } from '../../../../shared/connection';
import { BackendError } from '../../backend-error';
import type { DialProgress, SourceConnection } from '../source';
import type { NmProfile } from './classify';

export interface NmActiveConnection {
  id: string;
  uuid: string;
  /** "vpn", "wireguard", "802-3-ethernet"… */
  type: string;
  state: number;
  /** Interface names of the connection's devices (for a plugin VPN: the device it runs over). */
  interfaces: string[];
  /** Its Connection.Active object path: what DeactivateConnection takes. */
  path: string;
  /**
   * A plugin VPN's own data interface (the tun its plugin's OpenVPN, openconnect… opened), or null while it
   * has none or NetworkManager does not say. NetworkManager exports one IP4Config/IP6Config object per
   * interface, and the VPN's `Ip4Config` is the one of the tun device it tracks (measured on 1.42.4: the VPN
   * and the tun's Device share `/org/freedesktop/NetworkManager/IP4Config/N`).
   */
  ipInterface: string | null;
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

/** `owned`: NetworkManager says this link is the connection's (so DeactivateConnection takes it down). */
function profileOf(active: NmActiveConnection, owned: boolean): NmProfile {
  const mapped = NM_STATES.get(active.state) ?? { state: 'connecting' as const, detail: `state ${active.state}` };
  return { name: active.id, state: mapped.state, stateDetail: `NetworkManager ${mapped.detail}`, activePath: owned ? active.path : null };
}

/**
 * A WireGuard profile's device is the wireguard link itself: named by interface. A plugin VPN's device is
 * the link it runs over; its tunnel (tun, ppp) is the interface whose IP configuration the VPN shares
 * (`ipInterface`). Both are NetworkManager's own: Disconnect deactivates them. A plugin VPN whose tunnel
 * NetworkManager does not name (an older NetworkManager, a VPN still activating) is matched as before, for
 * its name only: with exactly one such VPN and exactly one unnamed tun/ppp link, that link is the VPN; with
 * no such link at all (policy-based IPsec), the VPN is shown on its own (and is NetworkManager's to take
 * down); otherwise the links keep their kernel names rather than a guess.
 */
export function mapNetworkManager(actives: readonly NmActiveConnection[], unnamedTunnelLinks: readonly string[]): NmMapping {
  const byInterface = new Map<string, NmProfile>();
  const withoutInterface: SourceConnection[] = [];
  for (const active of actives) {
    if (active.type === 'wireguard') for (const ifname of active.interfaces) byInterface.set(ifname, profileOf(active, true));
    else if (active.type === 'vpn' && active.ipInterface && unnamedTunnelLinks.includes(active.ipInterface)) byInterface.set(active.ipInterface, profileOf(active, true));
  }
  const vpns = actives.filter((a) => a.type === 'vpn' && !(a.ipInterface && byInterface.has(a.ipInterface)));
  const unnamed = unnamedTunnelLinks.filter((name) => !byInterface.has(name));
  const [onlyVpn] = vpns;
  const [onlyLink] = unnamed;
  if (vpns.length === 1 && unnamed.length === 1 && onlyVpn && onlyLink) {
    byInterface.set(onlyLink, profileOf(onlyVpn, false));
  } else if (unnamed.length === 0) {
    for (const vpn of vpns) {
      const profile = profileOf(vpn, true);
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
        canDisconnect: true,
        disconnectUnavailable: null,
      });
    }
  }
  return { byInterface, withoutInterface };
}

const SYSTEM_BUS_SOCKET = '/run/dbus/system_bus_socket';
const NM_NAME = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';
const ACTIVE_IFACE = 'org.freedesktop.NetworkManager.Connection.Active';
const SETTINGS_IFACE = 'org.freedesktop.NetworkManager.Settings';
/** The profile types Linkwatch offers to bring up: plugin VPNs (OpenVPN, strongSwan…) and WireGuard. */
export const NM_SAVED_TYPES: ReadonlySet<string> = new Set(['vpn', 'wireguard']);

/** A D-Bus message as dbus-next delivers it (the fields the signal handler reads). */
export interface BusMessage {
  type: number;
  path?: string;
  interface?: string;
  member?: string;
  body?: unknown[];
}

/** The part of dbus-next's MessageBus the reader uses. `call` and `on` (signals) are optional: without them
 * the reader asks NetworkManager on every read, as before. */
export interface MinimalBus {
  /** `xml`: the object's introspection data, when known (dbus-next then skips the Introspect round trip). */
  getProxyObject(name: string, path: string, xml?: string): Promise<{ getInterface(name: string): unknown }>;
  disconnect(): void;
  call?(message: unknown): Promise<unknown>;
  /**
   * `message`: every message received (signals included). `error`: the connection failed (dbus-next's
   * MessageBus forwards socket and handshake errors as this event, and an EventEmitter with no `error`
   * listener throws it: issue 28, the bus socket with no daemon behind it).
   */
  on?(event: 'message' | 'error', listener: (value: never) => void): unknown;
}

/**
 * The one interface the reader needs on NetworkManager's objects, as introspection data: given to dbus-next,
 * it spares an Introspect call (and the parse of NetworkManager's large answer) for every object read.
 * org.freedesktop.DBus.Properties.Get(s interface, s property) → v (the D-Bus specification).
 */
const PROPERTIES_XML = `<node><interface name="org.freedesktop.DBus.Properties"><method name="Get"><arg direction="in" type="s"/><arg direction="in" type="s"/><arg direction="out" type="v"/></method></interface></node>`;

/** The system bus cannot be reached: its socket refuses (no daemon behind it), is gone, or never answers. */
export class BusUnreachableError extends Error {
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`the system bus at ${address} cannot be reached (${reason})`);
    this.name = 'BusUnreachableError';
  }
}

/** A saved VPN or WireGuard profile. */
export interface NmSavedProfile {
  id: string;
  uuid: string;
  type: string;
  /** Its Settings.Connection object path. */
  path: string;
  /**
   * Whether NetworkManager brings it up by itself (issue 26: Keep connected then says so and stays out):
   * a WireGuard profile whose `connection.autoconnect` is not false (NetworkManager's default is TRUE), or a
   * VPN listed in another profile's `connection.secondaries` (NetworkManager's way to autoconnect a VPN: its
   * settings documentation says autoconnect "is not implemented for VPN profiles"). The words to say, or null.
   */
  systemReconnects?: string | null;
}

/** See NmSavedProfile.systemReconnects. Pure: from the profile's type, its autoconnect, and the bases that list it. */
export function nmSystemReconnects(type: string, autoconnect: unknown, secondaryOf: readonly string[]): string | null {
  if (type === 'wireguard' && autoconnect !== false) return 'NetworkManager reconnects it itself (connection.autoconnect)';
  if (type === 'vpn' && secondaryOf.length > 0) return `NetworkManager brings it up with "${secondaryOf[0]}" (connection.secondaries)`;
  return null;
}

/** NMActiveConnectionStateReason (NetworkManager's nm-dbus-interface.h), in words for the popup. */
const NM_REASONS: ReadonlyMap<number, readonly [code: string, message: string]> = new Map([
  [0, ['NM_REASON_UNKNOWN', 'NetworkManager gave no reason']],
  [1, ['NM_REASON_NONE', 'NetworkManager gave no reason']],
  [2, ['NM_REASON_USER_DISCONNECTED', 'Disconnected by the user']],
  [3, ['NM_REASON_DEVICE_DISCONNECTED', 'The device the connection runs over was disconnected']],
  [4, ['NM_REASON_SERVICE_STOPPED', 'The VPN service stopped']],
  [5, ['NM_REASON_IP_CONFIG_INVALID', 'The VPN sent an invalid IP configuration']],
  [6, ['NM_REASON_CONNECT_TIMEOUT', 'The connection attempt timed out']],
  [7, ['NM_REASON_SERVICE_START_TIMEOUT', 'The VPN service did not start in time']],
  [8, ['NM_REASON_SERVICE_START_FAILED', 'The VPN service failed to start']],
  [9, ['NM_REASON_NO_SECRETS', 'No password or key was available (none saved, or the prompt was dismissed)']],
  [10, ['NM_REASON_LOGIN_FAILED', 'The login failed: the server refused the credentials']],
  [11, ['NM_REASON_CONNECTION_REMOVED', 'The profile was deleted']],
  [12, ['NM_REASON_DEPENDENCY_FAILED', 'A connection this one depends on failed']],
  [13, ['NM_REASON_DEVICE_REALIZE_FAILED', 'The virtual device could not be created']],
  [14, ['NM_REASON_DEVICE_REMOVED', 'The device was removed']],
]);

export function nmReasonError(reason: number): ErrorInfo {
  const known = NM_REASONS.get(reason);
  return known ? { code: known[0], message: `${known[1]} (NetworkManager reason ${reason})` } : { code: `NM_REASON_${reason}`, message: `NetworkManager reason ${reason}` };
}

/** The id a NetworkManager dial (and a VPN without an interface of its own) is known by. */
export const nmConnectionId = (uuid: string): string => `nm:${uuid}`;

/**
 * One StateChanged(state, reason) of an active connection as a dial step. Pure. `cancelling`: Linkwatch asked
 * for the deactivation itself, so its end is a cancel, not a failure.
 */
export function nmDialStep(uuid: string, state: number, reason: number, cancelling: boolean): DialProgress {
  const connectionId = nmConnectionId(uuid);
  const mapped = NM_STATES.get(state);
  const detail = `NetworkManager ${mapped?.detail ?? `state ${state}`}`;
  if (state === 2) return { connectionId, phase: 'connected', detail, error: null };
  if (state === 4) return cancelling ? { connectionId, phase: 'cancelled', detail, error: null } : { connectionId, phase: 'failed', detail, error: nmReasonError(reason) };
  return { connectionId, phase: 'dialling', detail, error: null };
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
  /** The last answer, valid while NetworkManager's signals say nothing changed (null: ask again). */
  private cache: NmActiveConnection[] | null = null;
  private subscribed: MinimalBus | null = null;
  private readonly changeListeners = new Set<() => void>();
  /** StateChanged listeners by active-connection object path. */
  private readonly activeListeners = new Map<string, (state: number, reason: number) => void>();
  private unavailable = false;
  private lastGood: NmActiveConnection[] = [];
  private quietUntil = 0;
  /** After the bus could not be reached, it is not tried again before this time (a stale socket stays so). */
  private busRetryAt = 0;
  /** How many times NetworkManager was asked: a late answer counts only if no newer question was asked. */
  private queries = 0;
  /** How many change signals NetworkManager sent: an answer is cached only if none came while it was asked. */
  private signals = 0;
  /** Why the last read gave no fresh answer (`linkwatch diagnose`); null after a good one. */
  private problem: ErrorInfo | null = null;
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
    if (this.cache && this.subscribed && this.subscribed === this.bus) return this.cache;
    // Connecting (loading dbus-next, the socket, Hello) is bounded on its own (waitForBus) and not counted
    // here: on a loaded machine the module's first load alone can take longer than NetworkManager's answer.
    const bus = await this.connect();
    if (!bus) return [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const generation = ++this.queries;
      const signalsBefore = this.signals;
      const query = this.query(bus);
      const answer = await Promise.race([query, timedOut]);
      if (answer === 'timeout') {
        this.quietUntil = this.now() + this.backoffMs;
        this.problem = { code: 'ETIMEDOUT', message: `NetworkManager did not answer within ${this.timeoutMs} ms: its last names are kept` };
        // A slow answer (a loaded machine, NetworkManager busy activating) still counts when it comes: the
        // back-off is for a NetworkManager that does not answer at all, not for one that answers late.
        void query.then((late) => {
          if (generation !== this.queries || bus !== this.bus) return; // a newer question, or another bus
          this.lastGood = late;
          this.quietUntil = 0;
          this.cache = null;
          for (const listener of [...this.changeListeners]) listener();
        });
        return this.lastGood;
      }
      this.lastGood = answer;
      // A signal that came while NetworkManager was being asked may postdate part of this answer (the VPN
      // activated between two Gets): then the answer is used once but not kept, and the next read asks again.
      if (this.subscribed && this.subscribed === this.bus && this.signals === signalsBefore) this.cache = answer;
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  private async query(bus: MinimalBus): Promise<NmActiveConnection[]> {
    try {
      await this.subscribe(bus);
      const props = async (path: string): Promise<Properties> =>
        (await bus.getProxyObject(NM_NAME, path, PROPERTIES_XML)).getInterface('org.freedesktop.DBus.Properties') as Properties;
      const root = await props(NM_PATH);
      const paths = ((await root.Get(NM_NAME, 'ActiveConnections')).value as unknown[]).map(String);
      const DEVICE = 'org.freedesktop.NetworkManager.Device';
      /** An object path property that an older NetworkManager (or a mock) may not have: "/" then. */
      const optionalPath = async (p: Properties, iface: string, name: string): Promise<string> => {
        try {
          return String((await p.Get(iface, name)).value ?? '/');
        } catch {
          return '/';
        }
      };
      const actives = await Promise.all(
        paths.map(async (path) => {
          const p = await props(path);
          const get = async (name: string): Promise<unknown> => (await p.Get(ACTIVE_IFACE, name)).value;
          const devices = (await get('Devices')) as string[];
          const interfaces = await Promise.all(devices.map(async (device) => String((await (await props(device)).Get(DEVICE, 'Interface')).value)));
          const type = String(await get('Type'));
          const configs = type === 'vpn' ? [await optionalPath(p, ACTIVE_IFACE, 'Ip4Config'), await optionalPath(p, ACTIVE_IFACE, 'Ip6Config')] : [];
          return {
            id: String(await get('Id')),
            uuid: String(await get('Uuid')),
            type,
            state: Number(await get('State')),
            interfaces,
            path,
            ipInterface: null as string | null,
            configs: configs.filter((c) => c !== '/'),
          };
        }),
      );
      // A plugin VPN's tunnel: the device (not its base device) that has the VPN's IP configuration object.
      if (actives.some((a) => a.configs.length > 0)) {
        const listed: unknown = (await root.Get(NM_NAME, 'Devices')).value;
        const devicePaths = Array.isArray(listed) ? listed.map(String) : [];
        const byConfig = new Map<string, string>();
        for (const device of devicePaths) {
          const p = await props(device);
          const ifname = String((await p.Get(DEVICE, 'Interface')).value);
          for (const config of [await optionalPath(p, DEVICE, 'Ip4Config'), await optionalPath(p, DEVICE, 'Ip6Config')]) {
            if (config !== '/') byConfig.set(config, ifname);
          }
        }
        for (const active of actives) {
          const ifname = active.configs.map((c) => byConfig.get(c)).find((name) => name !== undefined && !active.interfaces.includes(name));
          active.ipInterface = ifname ?? null;
        }
      }
      this.problem = null;
      return actives.map(({ configs: _configs, ...active }) => active);
    } catch (error) {
      // NetworkManager not on the bus (ServiceUnknown), or the bus went away: no names, not an error.
      this.problem = { code: 'ENONM', message: `NetworkManager is not reachable: ${(error as Error).message}` };
      this.close();
      return [];
    }
  }

  /**
   * Subscribe to NetworkManager's signals once per bus connection: one match rule on its bus name (signals
   * are delivered to every listener of the connection; a proxy's `.on` would also need them introspected,
   * which dbusmock does not do). A bus without `call`/`on` (a test double) is read on every snapshot instead.
   */
  private async subscribe(bus: MinimalBus): Promise<void> {
    if (this.subscribed === bus || !bus.call || !bus.on) return;
    const dbus = await loadDbusNext();
    if (!dbus) return;
    await bus.call(
      new dbus.Message({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'AddMatch',
        signature: 's',
        body: [`type='signal',sender='${NM_NAME}'`],
      }),
    );
    bus.on('message', (message) => this.onSignal(message));
    this.subscribed = bus;
  }

  private onSignal(message: BusMessage): void {
    if (message.type !== 4 /* SIGNAL */) return;
    const { path = '', member = '' } = message;
    if (message.interface === ACTIVE_IFACE && member === 'StateChanged') {
      const [state, reason] = (message.body ?? []) as [number, number];
      this.activeListeners.get(path)?.(Number(state), Number(reason));
    } else if (!(member === 'PropertiesChanged' || (message.interface === SETTINGS_IFACE && (member === 'NewConnection' || member === 'ConnectionRemoved')))) {
      return; // device statistics and the like: not what Linkwatch shows
    }
    this.cache = null;
    this.signals += 1;
    // A NetworkManager that signals is not hung: its back-off after a slow answer ends here.
    this.quietUntil = 0;
    for (const listener of [...this.changeListeners]) listener();
  }

  /** Call `listener` when NetworkManager says its connections changed (a subscription is made if needed). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    void this.connect()
      .then((bus) => (bus ? this.subscribe(bus) : undefined))
      .catch(() => undefined);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  private async withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`NetworkManager did not answer ${what} within ${this.timeoutMs} ms`)), this.timeoutMs * 4);
    });
    try {
      return await Promise.race([work, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The saved VPN and WireGuard profiles; null when there is no NetworkManager (the section is absent). */
  async listProfiles(): Promise<NmSavedProfile[] | null> {
    const bus = await this.connect().catch(() => null);
    if (!bus) return null;
    try {
      return await this.withTimeout(
        (async () => {
          await this.subscribe(bus);
          const settings = (await bus.getProxyObject(NM_NAME, `${NM_PATH}/Settings`)).getInterface(SETTINGS_IFACE) as { ListConnections(): Promise<string[]> };
          const paths = await settings.ListConnections();
          /** Every profile's `connection.secondaries` (UUIDs), to tell which VPN a base profile brings up. */
          const bases: { id: string; secondaries: string[] }[] = [];
          const profiles = await Promise.all(
            paths.map(async (path): Promise<(NmSavedProfile & { autoconnect: unknown }) | null> => {
              const connection = (await bus.getProxyObject(NM_NAME, path)).getInterface(`${SETTINGS_IFACE}.Connection`) as {
                GetSettings(): Promise<Record<string, Record<string, { value: unknown }>>>;
              };
              const setting = (await connection.GetSettings()).connection ?? {};
              const type = String(setting.type?.value ?? '');
              const secondaries = Array.isArray(setting.secondaries?.value) ? (setting.secondaries.value as unknown[]).map(String) : [];
              bases.push({ id: String(setting.id?.value ?? ''), secondaries });
              if (!NM_SAVED_TYPES.has(type)) return null;
              return { id: String(setting.id?.value ?? ''), uuid: String(setting.uuid?.value ?? ''), type, path, autoconnect: setting.autoconnect?.value };
            }),
          );
          return profiles
            .filter((p): p is NmSavedProfile & { autoconnect: unknown } => p !== null && p.id !== '')
            .map(({ autoconnect, ...p }) => {
              const secondaryOf = bases.filter((base) => base.secondaries.includes(p.uuid)).map((base) => base.id);
              const systemReconnects = nmSystemReconnects(p.type, autoconnect, secondaryOf);
              return systemReconnects ? { ...p, systemReconnects } : p;
            });
        })(),
        'ListConnections',
      );
    } catch (error) {
      if (isServiceUnknown(error)) return null;
      throw error;
    }
  }

  /**
   * Activate `profile` and follow it: every StateChanged of its active connection through `onStep`, resolving
   * with the last step (activated, or deactivated with its reason). `cancel()` deactivates it.
   */
  async activate(profile: NmSavedProfile, onStep: (step: DialProgress) => void): Promise<{ activePath: string; done: Promise<DialProgress>; cancel(): Promise<void> }> {
    const bus = await this.connect();
    if (!bus) throw new Error('NetworkManager is not on the system bus');
    await this.subscribe(bus);
    const manager = (await bus.getProxyObject(NM_NAME, NM_PATH)).getInterface(NM_NAME) as {
      ActivateConnection(connection: string, device: string, specific: string): Promise<string>;
      DeactivateConnection(active: string): Promise<void>;
    };
    const activePath = String(await manager.ActivateConnection(profile.path, '/', '/'));
    let cancelling = false;
    let settle!: (step: DialProgress) => void;
    const done = new Promise<DialProgress>((resolve) => (settle = resolve));
    let last = -1;
    const onState = (state: number, reason: number): void => {
      if (state === last) return;
      last = state;
      const step = nmDialStep(profile.uuid, state, reason, cancelling);
      if (step.phase === 'dialling') onStep(step);
      else {
        this.activeListeners.delete(activePath);
        settle(step);
      }
    };
    this.activeListeners.set(activePath, onState);
    // A StateChanged sent before the listener was in place is not lost: read where it is now.
    try {
      const props = (await bus.getProxyObject(NM_NAME, activePath)).getInterface('org.freedesktop.DBus.Properties') as Properties;
      onState(Number((await props.Get(ACTIVE_IFACE, 'State')).value), 1);
    } catch {
      // Already gone: its StateChanged(4, reason) has been (or will be) delivered.
    }
    return {
      activePath,
      done,
      cancel: async () => {
        cancelling = true;
        await manager.DeactivateConnection(activePath);
      },
    };
  }

  /**
   * Take an active connection down: DeactivateConnection(active), then wait for its StateChanged to
   * DEACTIVATED (4) within `timeoutMs`. Resolves with NetworkManager's reason (2, user disconnected, when all
   * went well); rejects with a BackendError carrying NetworkManager's own error name (its D-Bus error: e.g.
   * `org.freedesktop.NetworkManager.ConnectionNotActive`) or ETIMEDOUT.
   */
  async deactivate(activePath: string, timeoutMs: number): Promise<number> {
    const bus = await this.connect();
    if (!bus) throw new BackendError('ENONM', `NetworkManager is not reachable: ${this.lastError?.message ?? 'no system bus'}`);
    await this.subscribe(bus);
    const manager = (await bus.getProxyObject(NM_NAME, NM_PATH)).getInterface(NM_NAME) as { DeactivateConnection(active: string): Promise<void> };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const previous = this.activeListeners.get(activePath);
    const deactivated = new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new BackendError('ETIMEDOUT', `NetworkManager did not say the connection was deactivated within ${timeoutMs} ms`)), timeoutMs);
      this.activeListeners.set(activePath, (state, reason) => {
        previous?.(state, reason);
        if (state === 4) resolve(reason);
      });
    });
    deactivated.catch(() => undefined); // awaited below; a DeactivateConnection error must not leave it unhandled
    try {
      try {
        await manager.DeactivateConnection(activePath);
      } catch (error) {
        const type = (error as { type?: string }).type;
        const text = (error as { text?: string }).text ?? (error as Error).message;
        throw new BackendError(type ?? 'EDEACTIVATE', `NetworkManager refused to deactivate it: ${text}`, { cause: error });
      }
      return await deactivated;
    } finally {
      clearTimeout(timer);
      if (previous) this.activeListeners.set(activePath, previous);
      else this.activeListeners.delete(activePath);
    }
  }

  /** For `linkwatch diagnose`: null when the last read was answered, else why not. */
  get lastError(): ErrorInfo | null {
    return this.unavailable ? { code: 'ENOBUS', message: 'no system D-Bus here: NetworkManager names are not read' } : this.problem;
  }

  close(): void {
    this.bus?.disconnect();
    this.bus = null;
    this.subscribed = null;
    this.cache = null;
  }

  /**
   * The bus, connected; null when there is none (for good: no socket, no dbus-next) or it cannot be reached
   * now (for `backoffMs`: a socket with no daemon behind it, a daemon that stopped). Never throws, and never
   * leaves a bus without an `error` listener: NetworkManager is optional, its absence is not a crash.
   */
  private async connect(): Promise<MinimalBus | null> {
    if (this.bus) return this.bus;
    if (this.unavailable || this.now() < this.busRetryAt) return null;
    let bus: MinimalBus | null;
    try {
      bus = await this.connectBus();
    } catch (error) {
      this.busRetryAt = this.now() + this.backoffMs;
      this.problem = { code: 'ENOBUS', message: `${(error as Error).message}: NetworkManager's names and profiles are not read` };
      return null;
    }
    if (!bus) {
      this.unavailable = true;
      return null;
    }
    // Later failures (the daemon stops, the socket breaks): drop this bus and connect afresh on a later read.
    bus.on?.('error', (error: Error) => {
      if (this.bus !== bus) return;
      this.problem = { code: 'ENOBUS', message: `the system bus connection failed (${error.message}): NetworkManager's names are not read` };
      this.close();
    });
    this.bus = bus;
    return bus;
  }
}

interface DbusNext {
  systemBus(): MinimalBus;
  Message: new (fields: Record<string, unknown>) => unknown;
}

/** dbus-next, imported on first use; null when it is not installed. */
async function loadDbusNext(): Promise<DbusNext | null> {
  try {
    const moduleName = 'dbus-next';
    const dbus = (await import(moduleName)) as Partial<DbusNext> & { default?: DbusNext };
    return dbus.systemBus && dbus.Message ? (dbus as DbusNext) : (dbus.default ?? null);
  } catch {
    return null;
  }
}

function isServiceUnknown(error: unknown): boolean {
  const type = (error as { type?: string })?.type ?? '';
  return type === 'org.freedesktop.DBus.Error.ServiceUnknown' || type === 'org.freedesktop.DBus.Error.NameHasNoOwner';
}

/** How long the system bus may take to accept us (socket connect, authentication, Hello). */
export const BUS_CONNECT_TIMEOUT_MS = 2_000;

/** The dbus-next internals `abandon` reaches: its connection's socket (lib/connection.js, `self.stream`). */
interface WithStream {
  _connection?: { stream?: { destroy?(): void } };
}

/** Close a bus that never connected: dbus-next's disconnect() only half-closes (stream.end) a silent peer. */
function abandon(bus: MinimalBus): void {
  try {
    bus.disconnect();
  } catch {
    // the socket is already gone
  }
  (bus as MinimalBus & WithStream)._connection?.stream?.destroy?.();
}

/**
 * A bus that has said Hello (dbus-next's MessageBus emits `connect` then), or why not. dbus-next reports a
 * failed connection only as an `error` event (ECONNREFUSED on a socket nobody listens on, ENOENT on a missing
 * one, an authentication failure), and its calls made meanwhile wait forever; so we wait for either, within
 * `timeoutMs`. The `error` listener added here stays, so that no error of this bus is ever unhandled.
 */
export function waitForBus(bus: MinimalBus & { once?(event: 'connect', listener: () => void): unknown }, address: string, timeoutMs = BUS_CONNECT_TIMEOUT_MS): Promise<MinimalBus> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abandon(bus);
      reject(new BusUnreachableError(address, error.message));
    }
    bus.on?.('error', (error: Error) => fail(error));
    bus.once?.('connect', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(bus);
    });
  });
}

/**
 * dbus-next's system bus once connected; null when there is no bus socket or no dbus-next (NetworkManager is
 * absent, for good); rejects with BusUnreachableError when the bus is there but cannot be reached.
 */
export async function systemBus(): Promise<MinimalBus | null> {
  const address = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  if (!address && !existsSync(SYSTEM_BUS_SOCKET)) return null;
  const dbus = await loadDbusNext();
  if (!dbus) return null;
  let bus: MinimalBus;
  try {
    bus = dbus.systemBus();
  } catch (error) {
    // An address dbus-next cannot parse or a transport it does not have: thrown at once.
    throw new BusUnreachableError(address ?? `unix:path=${SYSTEM_BUS_SOCKET}`, (error as Error).message);
  }
  return waitForBus(bus, address ?? `unix:path=${SYSTEM_BUS_SOCKET}`);
}
