/**
 * The popup in each of its states, over the real monitor and the real saved-connections core
 * (electron/core/monitor.ts, saved.ts) fed by a scripted ConnectionSource: what the screenshots, the axe
 * checks, the keyboard walk, the pseudo-locale and the hidden-popup tests look at. The source behaves as the
 * ConnectionSource contract says (platforms/source.ts): a failed read throws a BackendError with the OS's
 * code (834: RASMAN stopped, from ras-errors.ts), a dial reports `dialling` steps then one final step, a
 * hang-up removes the connection from the next read. Its data is what a Windows machine shows (RAS names
 * and device words from ras.h and the adapters' descriptions), so the popup's plain words are exercised.
 *
 * Deterministic: the source owns the clock the monitor reads (one second per read), so rates are exact.
 */
import type { Page } from '@playwright/test';
import { BackendError } from '../../electron/core/backend-error';
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource, DialProgress, SourceConnection, SourceEntry } from '../../electron/core/platforms/source';
import { SavedConnections } from '../../electron/core/saved';
import type { SourceDiagnosis } from '../../shared/diagnostics';
import type { HistoryDay, HistorySession } from '../../shared/history';
import { sourceConnection } from '../support/connections';
import { attachBridge, type PopupBridge, type PopupServer } from './harness';

export const T0_SHOWCASE = Date.UTC(2026, 10, 25, 9, 0, 0);
export const SHOWN_AT = T0_SHOWCASE + 3_723_000;

/** Every piece of data the showcase puts on screen (not words of the popup's own). */
export const SHOWCASE_DATA = [
  'Office VPN',
  'Home DSL',
  'WireGuard home',
  'Branch office',
  'Lab',
  '10.20.0.14/32',
  '84.17.203.66/32',
  '10.66.0.2/32',
  'fd00:66::2/64',
  'WireGuard',
  'WAN Miniport (IKEv2)',
  'WAN Miniport (PPPOE)',
  'WireGuard Tunnel',
  'RASCS_Connected',
  'RASCS_Authenticate',
  'PPPoE',
  'vpn',
  'wireguard',
  'Linkwatch',
];

/** What the RAS backend says when RASMAN stops (ras-errors.ts's wording). */
export const RASMAN_STOPPED = 'RasEnumConnectionsW failed: The Remote Access Connection Manager service stopped. (ERROR_RASMAN_SERVICE_STOPPED, 834)';

export interface Showcase {
  monitor: ConnectionMonitor;
  saved: SavedConnections;
  /** Make every read fail with RAS 834 (the list goes stale), or succeed again. */
  failReads(failing: boolean): void;
  /** Remove every connection and saved entry (the empty state). */
  clear(): void;
  /** The next dial of `name` stops at "signing in" until `finishDial` (or fails with 691 when told to). */
  finishDial(outcome: 'connected' | 'failed'): void;
  /** Let the connections' counters change on every read (rates move), or hold them still. */
  close(): void;
}

const BRANCH_DIAL_ID = 'ras:7f10';

/**
 * `clock: 'showcase'` (default): the monitor's clock is one second per read from SHOWN_AT, for pictures that
 * do not move. `'real'`: the machine's clock, for tests that watch time pass (and leave the page's alone).
 */
export function createShowcase(clock: 'showcase' | 'real' = 'showcase'): Showcase {
  let reads = 0;
  let failing = false;
  let cleared = false;
  let dial: { onProgress: (progress: DialProgress) => void; resolve: (progress: DialProgress) => void } | null = null;
  let branch: 'idle' | 'dialling' | 'connected' = 'idle';
  const hungUp = new Set<string>();
  const shift = clock === 'real' ? Date.now() - SHOWN_AT : 0;
  const now = clock === 'real' ? () => Date.now() : () => SHOWN_AT - 10_000 + reads * 1000;
  const T0 = T0_SHOWCASE + shift;
  // On the real clock, Office VPN has been up for under a minute, so its time visibly ticks by the second.
  const officeSince = clock === 'real' ? Date.now() - 45_000 : T0;

  const connections = (counters: boolean): SourceConnection[] => {
    const bytes = (base: number, perSecond: number) => (counters ? base + reads * perSecond : null);
    const list: SourceConnection[] = [
      sourceConnection({
        id: 'ras:1a2b',
        name: 'Office VPN',
        canDisconnect: true,
        phonebook: 'C:\\Users\\ana\\AppData\\Roaming\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk',
        addresses: ['10.20.0.14/32'],
        bytesIn: bytes(734_003_200 + Math.floor(reads / 2) * 180_000, 1_258_291),
        bytesOut: bytes(91_226_112 + Math.floor(reads / 3) * 40_000, 88_064),
        upSince: officeSince,
      }),
      sourceConnection({
        id: 'ras:3c4d',
        name: 'Home DSL',
        kind: 'broadband',
        deviceType: 'PPPoE',
        deviceName: 'WAN Miniport (PPPOE)',
        canDisconnect: true,
        addresses: ['84.17.203.66/32'],
        bytesIn: bytes(5_368_709_120, 24_576),
        bytesOut: bytes(402_653_184, 3_174),
        upSince: T0 - 2 * 86_400_000 - 5 * 3_600_000,
      }),
      sourceConnection({
        id: 'adapter:0000000001',
        name: 'WireGuard home',
        stateDetail: 'IfOperStatusUp',
        deviceType: 'wireguard',
        deviceName: 'WireGuard Tunnel',
        owner: 'WireGuard',
        addresses: ['10.66.0.2/32', 'fd00:66::2/64'],
        mtu: 1420,
        bytesIn: bytes(12_000_000, 2_048),
        bytesOut: bytes(3_000_000, 1_024),
        upSince: T0 + 1_800_000,
      }),
    ];
    if (branch !== 'idle') {
      list.push(
        sourceConnection({
          id: BRANCH_DIAL_ID,
          name: 'Branch office',
          state: branch === 'dialling' ? 'connecting' : 'connected',
          stateDetail: branch === 'dialling' ? 'RASCS_Authenticate' : 'RASCS_Connected',
          deviceName: 'WAN Miniport (SSTP)',
          canDisconnect: true,
          upSince: branch === 'connected' ? now() : null,
        }),
      );
    }
    return list.filter((connection) => !hungUp.has(connection.id));
  };

  const source: ConnectionSource = {
    backend: 'showcase',
    async read({ counters }) {
      reads += 1;
      if (failing) throw new BackendError(834, RASMAN_STOPPED);
      return cleared ? [] : connections(counters);
    },
    async listEntries(): Promise<SourceEntry[]> {
      if (cleared) return [];
      return [
        { name: 'Office VPN', scope: 'user', kind: 'vpn', phonebook: null },
        { name: 'Branch office', scope: 'user', kind: 'vpn', phonebook: null },
        { name: 'Lab', scope: 'allUsers', kind: 'vpn', phonebook: null },
      ];
    },
    connect(name, onProgress) {
      return new Promise<DialProgress>((resolve) => {
        if (name !== 'Branch office') {
          resolve({ connectionId: null, phase: 'failed', detail: 'RASCS_OpenPort', error: { code: 623, message: 'The phone-book entry cannot be found. (ERROR_CANNOT_FIND_PHONEBOOK_ENTRY, 623)' } });
          return;
        }
        branch = 'dialling';
        dial = { onProgress, resolve };
        onProgress({ connectionId: BRANCH_DIAL_ID, phase: 'dialling', detail: 'RASCS_Authenticate', error: null });
      });
    },
    async cancel(id) {
      if (id === BRANCH_DIAL_ID && dial) {
        branch = 'idle';
        dial.resolve({ connectionId: BRANCH_DIAL_ID, phase: 'cancelled', detail: 'RASCS_Disconnected', error: null });
        dial = null;
      }
    },
    async hangUp(id) {
      hungUp.add(id);
    },
    async diagnose() {
      return {
        parts: [{ name: 'rasapi32', detail: 'C:\\Windows\\System32\\rasapi32.dll', lastError: null }],
        interfaces: [
          { name: 'Office VPN', description: 'WAN Miniport (IKEv2)', type: 'IfType 23 (ppp)', state: 'IfOperStatusUp', addresses: ['10.20.0.14/32'], listed: true, reason: 'a RAS connection', connectionId: 'ras:1a2b' },
          { name: 'Ethernet', description: 'Intel(R) Ethernet Connection', type: 'IfType 6 (ethernet)', state: 'IfOperStatusUp', addresses: ['192.168.1.20/24'], listed: false, reason: 'physical Ethernet', connectionId: null },
        ],
        notes: [],
      } satisfies SourceDiagnosis;
    },
    close() {},
  };

  const monitor = new ConnectionMonitor(source, { now, platform: 'win32', pollIntervalMs: 200, livePollIntervalMs: 200 });
  const saved = new SavedConnections(source, monitor);
  return {
    monitor,
    saved,
    failReads(next) {
      failing = next;
      void monitor.refresh();
    },
    clear() {
      cleared = true;
      void monitor.refresh();
      void saved.refresh();
    },
    finishDial(outcome) {
      if (!dial) throw new Error('no dial under way');
      const { resolve } = dial;
      dial = null;
      if (outcome === 'connected') {
        branch = 'connected';
        resolve({ connectionId: BRANCH_DIAL_ID, phase: 'connected', detail: 'RASCS_Connected', error: null });
      } else {
        branch = 'idle';
        resolve({ connectionId: null, phase: 'failed', detail: 'RASCS_Authenticate', error: { code: 691, message: 'The user name or password is not valid on this domain. (ERROR_AUTHENTICATION_FAILURE, 691)' } });
      }
      void monitor.refresh();
    },
    close() {
      monitor.close();
    },
  };
}

/** A week of sessions for the History view, as the history store answers them (shared/history.ts). */
export function showcaseHistory(): { sessions(): HistorySession[]; days(): HistoryDay[] } {
  const base = { kind: 'vpn' as const, deviceType: 'vpn', deviceName: 'WAN Miniport (IKEv2)', adHoc: false, phoneNumber: null, addresses: ['10.20.0.14/32'], lastStateDetail: 'RASCS_Connected' };
  const sessions: HistorySession[] = [
    { ...base, id: 3, connectionId: 'ras:1a2b', name: 'Office VPN', connectedAt: T0_SHOWCASE, endedAt: null, end: null, durationMs: null, lastState: 'connected', lastError: null, bytesIn: 734_003_200, bytesOut: 91_226_112 },
    { ...base, id: 2, connectionId: 'ras:99', name: 'Office VPN', connectedAt: T0_SHOWCASE - 3_600_000 * 3, endedAt: T0_SHOWCASE - 3_600_000, end: 'dropped', durationMs: 7_200_000, lastState: 'disconnected', lastError: { code: 628, message: 'The connection was terminated by the remote computer before it could be completed. (ERROR_DISCONNECTION, 628)' }, bytesIn: 5_000_000, bytesOut: 400_000 },
    { ...base, id: 1, connectionId: 'ras:98', name: 'Branch office', connectedAt: T0_SHOWCASE - 86_400_000, endedAt: T0_SHOWCASE - 86_400_000 + 1_800_000, end: 'hung-up', durationMs: 1_800_000, lastState: 'disconnected', lastError: null, bytesIn: 2_000_000, bytesOut: 100_000 },
  ];
  const days: HistoryDay[] = [
    { day: '2026-11-25', sessions: 2, drops: 1, upMs: 7_200_000 + 3_723_000, bytesIn: 739_003_200, bytesOut: 91_626_112 },
    { day: '2026-11-24', sessions: 1, drops: 0, upMs: 1_800_000, bytesIn: 2_000_000, bytesOut: 100_000 },
  ];
  return { sessions: () => sessions, days: () => days };
}

export interface OpenShowcase {
  showcase: Showcase;
  popup: PopupBridge;
}

/** Open the popup over a fresh showcase, shown, with the page's clock at SHOWN_AT: fixed, or running from there. */
export async function openShowcase(page: Page, server: PopupServer, options: { clock?: 'fixed' | 'real' } = {}): Promise<OpenShowcase> {
  const showcase = createShowcase(options.clock === 'real' ? 'real' : 'showcase');
  if (options.clock !== 'real') await page.clock.setFixedTime(SHOWN_AT);
  const popup = await attachBridge(page, { monitor: showcase.monitor, saved: showcase.saved, history: showcaseHistory() });
  await page.goto(server.url);
  await popup.setVisible(true);
  return { showcase, popup };
}
