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
 *
 * Saved profiles: ….Settings.ListConnections, ….Settings.Connection.GetSettings (the `connection` setting's
 * id, uuid and type), brought up with ActivateConnection(profile, "/", "/") and down with
 * DeactivateConnection(active). Progress and the failure reason come from the active connection's
 * StateChanged(state, reason) signal. The reader subscribes to NetworkManager's signals (one match rule on
 * its bus name) and answers reads from what it last read until a signal says something changed.
 */
import { existsSync } from 'node:fs';
import type { ConnectionState, ErrorInfo } from '../../../../shared/connection';
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
  getProxyObject(name: string, path: string): Promise<{ getInterface(name: string): unknown }>;
  disconnect(): void;
  call?(message: unknown): Promise<unknown>;
  on?(event: 'message', listener: (message: BusMessage) => void): unknown;
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const answer = await Promise.race([this.query(), timedOut]);
      if (answer === 'timeout') {
        this.quietUntil = this.now() + this.backoffMs;
        this.problem = { code: 'ETIMEDOUT', message: `NetworkManager did not answer within ${this.timeoutMs} ms: its last names are kept` };
        return this.lastGood;
      }
      this.lastGood = answer;
      if (this.subscribed && this.subscribed === this.bus) this.cache = answer;
      if (this.problem?.code === 'ETIMEDOUT') this.problem = null;
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  private async query(): Promise<NmActiveConnection[]> {
    try {
      const bus = await this.connect();
      if (!bus) return [];
      await this.subscribe(bus);
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

  private async connect(): Promise<MinimalBus | null> {
    if (this.bus) return this.bus;
    this.bus = await this.connectBus();
    if (!this.bus) this.unavailable = true;
    return this.bus;
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

/** dbus-next's system bus, or null when there is no bus socket or no dbus-next. */
async function systemBus(): Promise<MinimalBus | null> {
  if (!process.env.DBUS_SYSTEM_BUS_ADDRESS && !existsSync(SYSTEM_BUS_SOCKET)) return null;
  const dbus = await loadDbusNext();
  try {
    return dbus ? dbus.systemBus() : null;
  } catch {
    return null;
  }
}
