import { useCallback, useEffect, useRef, useState } from 'react';
import type { LinkwatchBridge } from '../shared/ipc';

/**
 * Whether anyone can see the popup: the main process says so (`popup:visibility`, pushed when it shows or
 * hides the window) and Chromium agrees (`document.hidden` for a hidden window). While hidden the popup does
 * nothing: the clock stops, the stores keep what arrives without rendering it, the announcer is quiet; on
 * show they catch up at once with the values of that moment (issue 23: no periodic work while nothing looks).
 */
let visible = typeof document === 'undefined' ? true : !document.hidden;
const listeners = new Set<(visible: boolean) => void>();

export function isPopupVisible(): boolean {
  return visible;
}

/** Called by the bridge's push and by Chromium's visibilitychange; listeners run only on a real change. */
export function setPopupVisible(next: boolean): void {
  if (next === visible) return;
  visible = next;
  for (const listener of [...listeners]) listener(next);
}

export function onPopupVisibility(listener: (visible: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const shownListeners = new Set<() => void>();

/** Every time the main process shows the popup (a tray click), also when the page was already visible. */
export function onPopupShown(listener: () => void): () => void {
  shownListeners.add(listener);
  return () => shownListeners.delete(listener);
}

/** Follow the main process's word and the page's own visibility; returns the stop function. */
export function watchPopupVisibility(bridge: LinkwatchBridge | null): () => void {
  const off = bridge?.on('popup:visibility', (shown) => {
    setPopupVisible(shown);
    if (shown) for (const listener of [...shownListeners]) listener();
  });
  const onChange = (): void => setPopupVisible(!document.hidden);
  document.addEventListener('visibilitychange', onChange);
  return () => {
    off?.();
    document.removeEventListener('visibilitychange', onChange);
  };
}

/**
 * State that keeps following its source while the popup is hidden but renders only while it is shown: each
 * update is applied to the latest value at once (so nothing is lost and nothing piles up), and the value of
 * the moment is rendered when the popup shows again.
 */
export function useShownState<T>(initial: T | (() => T)): [T, (update: (current: T) => T) => void] {
  const [state, setState] = useState(initial);
  const latest = useRef(state);
  const update = useCallback((change: (current: T) => T) => {
    latest.current = change(latest.current);
    if (visible) setState(latest.current);
  }, []);
  useEffect(
    () =>
      onPopupVisibility((shown) => {
        if (shown) setState(latest.current);
      }),
    [],
  );
  return [state, update];
}
