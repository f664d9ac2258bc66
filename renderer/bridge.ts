import type { LinkwatchBridge } from '../shared/ipc';

/**
 * The preload's `window.linkwatch`, or null when the page runs without it (opened in a plain browser): the
 * popup then says so instead of crashing. Read through a cast rather than a global declaration so this file
 * never clashes with whichever declaration the preload side ships.
 */
export function getBridge(): LinkwatchBridge | null {
  return (window as unknown as { linkwatch?: LinkwatchBridge }).linkwatch ?? null;
}
