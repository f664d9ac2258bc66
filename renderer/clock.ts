import { useSyncExternalStore } from 'react';
import { isPopupVisible, onPopupVisibility } from './visibility';

/**
 * One shared one-second clock for every ticking duration. It runs only while some component shows a
 * duration and the popup is visible; its ticks fall on the second so all rows change together. Hidden, it
 * stops (no timer at all); shown again, it reads the time at once, so durations are right from the first frame.
 */
const listeners = new Set<() => void>();
let current = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function notify(): void {
  current = Date.now();
  for (const listener of listeners) listener();
}

function tick(): void {
  timer = null;
  notify();
  schedule();
}

function schedule(): void {
  if (timer !== null || listeners.size === 0 || !isPopupVisible()) return;
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function stop(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

onPopupVisibility((visible) => {
  if (!visible) return stop();
  notify();
  schedule();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  current = Date.now();
  schedule();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stop();
  };
}

function getSnapshot(): number {
  return current;
}

/** Epoch milliseconds, re-rendering the caller once a second while the popup is shown. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot);
}
