/**
 * What each request channel does, over small interfaces instead of Electron objects: the monitor, the
 * settings store and the popup. `main.ts` passes the real ones; the tests pass fakes.
 */
import type { Snapshot } from '../../shared/connection';
import type { SourceDiagnosis } from '../../shared/diagnostics';
import type { HistoryDay, HistoryQuery, HistorySession } from '../../shared/history';
import type { Settings } from '../../shared/ipc';
import type { SavedState } from '../../shared/saved';
import type { KeepStatus } from '../../shared/reconnect';
import { NO_POLICY, policyState, type Policy } from '../../shared/policy';
import { collectDiagnostics } from '../core/diagnostics';
import type { RequestHandlers } from './ipc-dispatch';

export interface HandlerDeps {
  monitor: {
    readonly snapshot: Snapshot;
    /** Read now; never throws (an error comes back in the snapshot). Optional: without it, the last reading. */
    refresh?(): Promise<Snapshot>;
    hangUp(id: string): Promise<void>;
    diagnoseSource(): Promise<SourceDiagnosis | null>;
  };
  settings: {
    get(): Settings;
    update(patch: Partial<Settings>): Promise<Settings>;
    /** The administrator's policy in force; absent: none. */
    getPolicy?(): Policy;
  };
  popup: { hide(): void };
  /** Saved connections (electron/core/saved.ts); absent: the popup shows no Saved section. */
  saved?: { refresh(): Promise<SavedState>; start(name: string): Promise<void>; cancel(connectionId: string): Promise<void> };
  /** The popup asked for live updates: from now on `connections:update` is pushed to it. */
  onSubscribe(): void;
  /** The popup asked for the saved connections: from now on `connections:saved` is pushed to it. */
  onSavedSubscribe?(): void;
  /** The history store's queries; absent or null when it could not be opened (the popup says so). */
  history?: { sessions(query: HistoryQuery): HistorySession[]; days(count: number): HistoryDay[] } | null;
  /** Keep connected (electron/core/reconnect/keep-connected.ts): its statuses after a change of the list. */
  keep?: { readonly statuses: KeepStatus[] };
}

/** `list` with `name` added (once) or removed: the settings' per-name lists. */
export function toggledName(list: readonly string[] | undefined, name: string, on: boolean): string[] {
  const rest = (list ?? []).filter((item) => item !== name);
  return on ? [...rest, name] : rest;
}

function historyOf(deps: HandlerDeps): NonNullable<HandlerDeps['history']> {
  if (deps.history) return deps.history;
  throw Object.assign(new Error('The history is not available (see the log for why)'), { code: 'ENOHISTORY' });
}

const NO_SAVED: SavedState = { available: false, entries: [], error: null };

/**
 * The policy hides Connect, Cancel and Disconnect (WireGuard's "limited operator"): the popup does not offer
 * them, and a request that arrives anyway is refused here, in the main process, not only hidden in the page.
 */
function refuseWhenHidden(deps: HandlerDeps): void {
  if ((deps.settings.getPolicy?.() ?? NO_POLICY).hideConnectControls) {
    throw Object.assign(new Error('Connecting and disconnecting are turned off by your organisation'), { code: 'ELOCKED' });
  }
}

export function createRequestHandlers(deps: HandlerDeps): RequestHandlers {
  return {
    'connections:subscribe': () => {
      deps.onSubscribe();
      return deps.monitor.snapshot;
    },
    // The monitor never throws and answers within its read timeout (with the error as data).
    'connections:refresh': () => deps.monitor.refresh?.() ?? deps.monitor.snapshot,
    'connections:hang-up': async (id) => {
      refuseWhenHidden(deps);
      await deps.monitor.hangUp(id);
      return null;
    },
    'connections:saved': async () => {
      deps.onSavedSubscribe?.();
      // Listed afresh each time the popup asks: a phone book edited in Windows' settings shows at once.
      return deps.saved ? await deps.saved.refresh() : NO_SAVED;
    },
    'connections:connect': async (name) => {
      refuseWhenHidden(deps);
      if (!deps.saved) throw new Error('this backend has no saved connections');
      await deps.saved.start(name);
      return null;
    },
    'connections:cancel': async (id) => {
      refuseWhenHidden(deps);
      if (!deps.saved) throw new Error('this backend has no saved connections');
      await deps.saved.cancel(id);
      return null;
    },
    'settings:get': () => deps.settings.get(),
    'settings:set': (patch) => deps.settings.update(patch),
    'settings:policy': () => policyState(deps.settings.getPolicy?.() ?? NO_POLICY),
    'popup:hide': () => {
      deps.popup.hide();
      return null;
    },
    'diagnostics:get': () => collectDiagnostics(deps.monitor, { policy: () => deps.settings.getPolicy?.() ?? NO_POLICY }),
    'history:sessions': (query) => historyOf(deps).sessions(query),
    'history:days': (count) => historyOf(deps).days(count),
    'connections:keep': async (name, on) => {
      // Keep connected dials by itself: not where the organisation turned connecting off (turning it off is fine).
      if (on) refuseWhenHidden(deps);
      if (!deps.saved || !deps.keep) throw new Error('this backend has no saved connections');
      // Only a name main listed itself is kept: the renderer sends a name to look up, nothing more.
      if (on && !(await deps.saved.refresh()).entries.some((entry) => entry.name === name)) {
        throw Object.assign(new Error(`No saved connection named "${name.slice(0, 100)}"`), { code: 'ENOENT' });
      }
      await deps.settings.update({ keepConnected: toggledName(deps.settings.get().keepConnected, name, on) });
      return deps.keep.statuses;
    },
    'connections:mute-health': (name, muted) => deps.settings.update({ healthMuted: toggledName(deps.settings.get().healthMuted, name, muted) }),
    'connections:probe': (name, on) => deps.settings.update({ probe: toggledName(deps.settings.get().probe, name, on) }),
  };
}
