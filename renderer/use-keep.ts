import { useState, useSyncExternalStore } from 'react';
import type { ErrorInfo } from '../shared/connection';
import type { LinkwatchBridge, Settings } from '../shared/ipc';
import type { KeepStatus } from '../shared/reconnect';
import { getBridge } from './bridge';

/** What the Keep connected toggles and health mutes read: which names are kept or muted, and each kept entry's status. */
export interface KeepState {
  kept: readonly string[];
  muted: readonly string[];
  /** Connections probed inside their tunnel (settings `probe`). */
  probed: readonly string[];
  statuses: readonly KeepStatus[];
}

const EMPTY: KeepState = { kept: [], muted: [], probed: [], statuses: [] };

/**
 * One subscription for every row (settings pushes and `connections:keep` pushes, asked once): each toggle
 * reads the same store instead of subscribing per row. Never polled.
 */
function createKeepStore(bridge: LinkwatchBridge | null) {
  let state = EMPTY;
  const listeners = new Set<() => void>();
  let started = false;
  const set = (patch: Partial<KeepState>): void => {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener();
  };
  const fromSettings = (settings: Settings): void => set({ kept: settings.keepConnected ?? [], muted: settings.healthMuted ?? [], probed: settings.probe ?? [] });
  const start = (): void => {
    if (started || !bridge) return;
    started = true;
    bridge.on('settings:changed', fromSettings);
    bridge.on('connections:keep', (statuses) => set({ statuses }));
    void bridge.invoke('settings:get').then((result) => result.ok && fromSettings(result.value));
  };
  return {
    subscribe(listener: () => void): () => void {
      start();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (): KeepState => state,
    async call(run: (b: LinkwatchBridge) => ReturnType<LinkwatchBridge['invoke']>): Promise<ErrorInfo | null> {
      if (!bridge) return { code: 'ENOBRIDGE', message: 'The popup is not connected to Linkwatch' };
      try {
        const result = await run(bridge);
        return result.ok ? null : result.error;
      } catch (caught) {
        return { code: 'EIPC', message: String(caught) };
      }
    },
  };
}

let store: ReturnType<typeof createKeepStore> | null = null;
function keepStore(): ReturnType<typeof createKeepStore> {
  store ??= createKeepStore(getBridge());
  return store;
}

export function useKeep(): KeepState & {
  setKept(name: string, on: boolean): Promise<ErrorInfo | null>;
  setMuted(name: string, muted: boolean): Promise<ErrorInfo | null>;
  setProbed(name: string, on: boolean): Promise<ErrorInfo | null>;
} {
  const s = keepStore();
  const state = useSyncExternalStore(s.subscribe, s.get);
  return {
    ...state,
    setKept: (name, on) => s.call((b) => b.invoke('connections:keep', name, on)),
    setMuted: (name, muted) => s.call((b) => b.invoke('connections:mute-health', name, muted)),
    setProbed: (name, on) => s.call((b) => b.invoke('connections:probe', name, on)),
  };
}

/**
 * A checkbox over a setting that main owns: it shows the user's click at once (optimistically) and follows
 * main's word once it arrives (settings:changed); a refused request puts it back and hands the error on.
 */
export function useOptimistic(actual: boolean, request: (value: boolean) => Promise<ErrorInfo | null>): { checked: boolean; set(value: boolean): Promise<ErrorInfo | null> } {
  const [pending, setPending] = useState<boolean | null>(null);
  return {
    checked: pending ?? actual,
    async set(value) {
      setPending(value);
      // Main pushes settings:changed before it answers: by now `actual` says what main holds, refused or not.
      const error = await request(value);
      setPending(null);
      return error;
    },
  };
}
