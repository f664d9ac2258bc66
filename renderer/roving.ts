import type { KeyboardEvent } from 'react';

/**
 * The row a roving-tabindex list moves to for a key (↑/↓ one row, Home/End the ends), or null when the key is
 * not one of those (or comes with a modifier): the one keyboard model of the active and the saved lists.
 */
export function rovingTarget(event: KeyboardEvent, active: number, count: number): number | null {
  if (event.altKey || event.ctrlKey || event.metaKey || count === 0) return null;
  const last = count - 1;
  switch (event.key) {
    case 'ArrowDown':
      return Math.min(active + 1, last);
    case 'ArrowUp':
      return Math.max(active - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
