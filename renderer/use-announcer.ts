import { useEffect, useMemo, useRef, useState } from 'react';
import type { MonitorUpdate, Snapshot } from '../shared/connection';
import { initialPresence, settle, settleAt, transitionsOf, type Presence, type Transition } from './announce';

export interface Announcement {
  /** Changes with every announcement, so a repeated sentence still replaces the live region's node. */
  key: number;
  text: string;
}

/** What the store hook tells its observer: the subscribe answer, then every pushed update. */
export interface StoreObserver {
  subscribed(snapshot: Snapshot): void;
  update(update: MonitorUpdate): void;
}

/**
 * Turns the store's updates into sentences for the live region, debounced (see `announce.ts`). What was
 * already there when the popup subscribed is known, not news: the first snapshot seen seeds the announcer.
 */
export function useAnnouncer(): { announcement: Announcement | null; observer: StoreObserver } {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const announced = useRef<Map<string, Presence> | null>(null);
  const pending = useRef<Transition[]>([]);
  const firstAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const observer = useMemo<StoreObserver>(() => {
    const flush = (): void => {
      timer.current = null;
      const result = settle(announced.current ?? new Map(), pending.current);
      pending.current = [];
      announced.current = result.announced;
      if (result.messages.length > 0) setAnnouncement((previous) => ({ key: (previous?.key ?? 0) + 1, text: result.messages.join('. ') }));
    };
    return {
      subscribed(snapshot) {
        // A snapshot from before the core's first read knows nothing yet: the first update seeds instead.
        if (snapshot.takenAt !== null) announced.current ??= initialPresence(snapshot.connections);
      },
      update(update) {
        if (announced.current === null) {
          // The first read, or a push that beat the subscribe answer: its events are the popup's first sight.
          announced.current = initialPresence(update.snapshot.connections);
          return;
        }
        const transitions = transitionsOf(update.events);
        if (transitions.length === 0) return;
        const now = Date.now();
        if (pending.current.length === 0) firstAt.current = now;
        pending.current.push(...transitions);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(flush, settleAt(firstAt.current, now) - now);
      },
    };
  }, []);

  return { announcement, observer };
}
