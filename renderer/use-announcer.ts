import { useEffect, useMemo, useRef, useState } from 'react';
import type { ErrorInfo, MonitorUpdate, Snapshot } from '../shared/connection';
import type { SavedState } from '../shared/saved';
import { failedDials, initialPresence, settle, settleAt, staleChange, transitionsOf, type Presence, type Transition } from './announce';
import { isPopupVisible, onPopupVisibility } from './visibility';

export interface Announcement {
  /** Changes with every announcement, so a repeated sentence still replaces the live region's node. */
  key: number;
  text: string;
}

/** What the store hooks tell their observer: the subscribe answer, every pushed update, every saved state. */
export interface StoreObserver {
  subscribed(snapshot: Snapshot): void;
  update(update: MonitorUpdate): void;
  saved(state: SavedState): void;
}

/**
 * Turns the stores' news into sentences for the one live region: a connection up or down (debounced, see
 * `announce.ts`), a dial that failed, the list going stale and coming back; one sentence per change, never
 * one per dialling step. What was already there when the popup subscribed is known, not news. While the
 * popup is hidden nothing is said and no timer runs: what changed meanwhile is what the user sees on opening.
 */
export function useAnnouncer(): { announcement: Announcement | null; observer: StoreObserver } {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const announced = useRef<Map<string, Presence> | null>(null);
  const pending = useRef<Transition[]>([]);
  const firstAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastError = useRef<ErrorInfo | null | undefined>(undefined);
  const lastSaved = useRef<SavedState | null>(null);

  const observer = useMemo<StoreObserver>(() => {
    const say = (texts: string[]): void => {
      if (texts.length === 0 || !isPopupVisible()) return;
      setAnnouncement((previous) => ({ key: (previous?.key ?? 0) + 1, text: texts.join('. ') }));
    };
    const flush = (): void => {
      timer.current = null;
      const result = settle(announced.current ?? new Map(), pending.current);
      pending.current = [];
      announced.current = result.announced;
      say(result.messages);
    };
    return {
      subscribed(snapshot) {
        // A snapshot from before the core's first read knows nothing yet: the first update seeds instead.
        if (snapshot.takenAt !== null) announced.current ??= initialPresence(snapshot.connections);
        lastError.current ??= snapshot.error;
      },
      update(update) {
        const error = update.snapshot.error;
        const stale = lastError.current === undefined ? null : staleChange(lastError.current, error);
        lastError.current = error;
        if (announced.current === null || !isPopupVisible()) {
          // The first read, or news while nobody looks: the new state is the baseline, nothing is said.
          announced.current = initialPresence(update.snapshot.connections);
          return;
        }
        if (stale) say([stale]);
        const transitions = transitionsOf(update.events);
        if (transitions.length === 0) return;
        const now = Date.now();
        if (pending.current.length === 0) firstAt.current = now;
        pending.current.push(...transitions);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(flush, settleAt(firstAt.current, now) - now);
      },
      saved(state) {
        const texts = failedDials(lastSaved.current, state);
        lastSaved.current = state;
        say(texts);
      },
    };
  }, []);

  useEffect(() => {
    const off = onPopupVisibility((visible) => {
      if (visible || !timer.current) return;
      clearTimeout(timer.current);
      timer.current = null;
      pending.current = [];
    });
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  return { announcement, observer };
}
