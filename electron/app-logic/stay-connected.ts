/**
 * Health and Keep connected wired to the app's parts, without Electron (main.ts passes the real ones, the
 * tests fakes): the monitor keeps every connected tunnel's health (counters at most once per 10 s while the
 * popup is hidden), a stall is notified once (muted per connection), Keep connected redials the entries in
 * the settings' `keepConnected`, its steps are notified and recorded in the history, and a resume from sleep
 * or a returning network dials the entries that wait.
 */
import type { MonitorUpdate } from '../../shared/connection';
import type { HistoryEvent } from '../../shared/history-events';
import type { Settings } from '../../shared/ipc';
import type { KeepStatus } from '../../shared/reconnect';
import type { SavedState } from '../../shared/saved';
import { EventHistory } from '../core/history/event-history';
import type { DialProgress } from '../core/platforms/source';
import { KeepConnected, type KeepClock } from '../core/reconnect/keep-connected';
import type { ProbeResult } from '../../shared/health';
import type { ProbeRequest } from '../core/health/probe-target';
import { HealthProber, type ProbedMonitor } from '../core/health/prober';
import { HealthNotifications } from './health-notifications';
import { NetworkReturn } from './network-return';
import type { Toast } from './notification-policy';
import { reconnectToast } from './reconnect-notifications';

export interface StayConnectedDeps {
  monitor: {
    wantHealth(): () => void;
    subscribe(listener: (update: MonitorUpdate) => void): () => void;
    onHangUp(listener: (id: string, done: Promise<void>) => void): () => void;
  };
  saved: { readonly state: SavedState; connect(name: string): Promise<DialProgress>; subscribe(listener: (state: SavedState) => void): () => void };
  settings: { get(): Settings; onChange(listener: (next: Settings, previous: Settings) => void): () => void };
  /** Shows a toast (main checks the Notifications setting). */
  notify(toast: Toast): void;
  /** Records a history event; absent when there is no history. */
  recordEvent?: (event: Omit<HistoryEvent, 'id'>) => void;
  /** Registers the resume-from-sleep listener (powerMonitor 'resume' in main); returns its removal. */
  onResume(listener: () => void): () => void;
  /** Keep connected's statuses changed (the popup's rows). */
  onKeepStatus?(statuses: KeepStatus[]): void;
  clock?: KeepClock;
  network?: NetworkReturn;
  /** The source's probe (the core process's), where the backend has one: for the settings' `probe` names. */
  probe?: (request: ProbeRequest) => Promise<ProbeResult>;
  /** The monitor's side of the probe (ConnectionMonitor.snapshot and noteProbe). */
  probed?: ProbedMonitor;
}

export interface StayConnected {
  keep: KeepConnected;
  dispose(): void;
}

export function setupStayConnected(deps: StayConnectedDeps): StayConnected {
  const releaseHealth = deps.monitor.wantHealth();
  const keep = new KeepConnected((name) => deps.saved.connect(name), deps.clock ? { clock: deps.clock } : {});
  const stalls = new HealthNotifications(deps.notify, () => deps.settings.get().healthMuted ?? []);
  const history = deps.recordEvent ? new EventHistory(deps.recordEvent) : null;
  const network = deps.network ?? new NetworkReturn(() => keep.networkBack());

  const offs: (() => void)[] = [releaseHealth];
  offs.push(
    keep.onEvent((event) => {
      history?.reconnect(event);
      const toast = reconnectToast(event);
      if (toast) deps.notify(toast);
    }),
  );
  offs.push(
    keep.onStatus((statuses) => {
      // The network watch runs only while something waits for its next attempt.
      if (keep.waiting) network.start();
      else network.stop();
      deps.onKeepStatus?.(statuses);
    }),
  );
  keep.setKept(deps.settings.get().keepConnected ?? []);
  offs.push(
    deps.settings.onChange((next, previous) => {
      if (next.keepConnected !== previous.keepConnected) keep.setKept(next.keepConnected ?? []);
    }),
  );
  let lastConnections: MonitorUpdate['snapshot']['connections'] = [];
  offs.push(
    deps.monitor.subscribe((update) => {
      lastConnections = update.snapshot.connections;
      keep.observe(update.snapshot.connections, deps.saved.state.entries);
      stalls.update(update);
      history?.update(update);
    }),
  );
  offs.push(deps.monitor.onHangUp((id) => keep.noteHangUp(id)));
  offs.push(deps.saved.subscribe((state) => keep.observe(lastConnections, state.entries)));
  offs.push(deps.onResume(() => keep.resumed()));
  // The optional probe: only for the connections the user turned it on for (settings `probe`, by name).
  const prober = deps.probe && deps.probed ? new HealthProber(deps.probed, deps.probe, (connection) => (deps.settings.get().probe ?? []).includes(connection.name)) : null;
  // Its timer runs only while some connection is chosen: no wake-up at all otherwise.
  const runProber = (settings: Settings): void => {
    if ((settings.probe ?? []).length > 0) prober?.start();
    else prober?.stop();
  };
  runProber(deps.settings.get());
  offs.push(deps.settings.onChange((next) => runProber(next)));
  offs.push(() => prober?.stop());
  return {
    keep,
    dispose() {
      for (const off of offs.splice(0)) off();
      network.stop();
      keep.dispose();
    },
  };
}
