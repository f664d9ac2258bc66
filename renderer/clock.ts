import { useSyncExternalStore } from 'react';

/**
 * One shared one-second clock for every ticking duration. It runs only while some component shows a
 * duration, and its ticks fall on the second so all rows change together.
 */
const listeners = new Set<() => void>();
let current = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function tick(): void {
  current = Date.now();
  for (const listener of listeners) listener();
  timer = setTimeout(tick, 1000 - (current % 1000) + 5);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    current = Date.now();
    timer = setTimeout(tick, 1000 - (current % 1000) + 5);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

function getSnapshot(): number {
  return current;
}

/** Epoch milliseconds, re-rendering the caller once a second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot);
}
