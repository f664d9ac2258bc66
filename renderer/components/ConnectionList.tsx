import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorInfo } from '../../shared/connection';
import { translate } from '../../shared/i18n';
import { rovingTarget } from '../roving';
import type { Row } from '../rows';
import { ConnectionRow } from './ConnectionRow';

interface ConnectionListProps {
  rows: Row[];
  /** The backend cannot read: rows dimmed, timers stopped at `readAt`, buttons unavailable. */
  stale: boolean;
  readAt: number | null;
  confirmingKey: string | null;
  /** Bumped when the popup is shown: focus goes back to the first row. */
  focusRequest: number;
  /** Whether the list's first rows may take focus as they appear (nothing the user chose has it). */
  mayTakeFocus(): boolean;
  onAskDisconnect(key: string): void;
  onCancelDisconnect(): void;
  hangUp(id: string): Promise<ErrorInfo | null>;
  connect(name: string): Promise<ErrorInfo | null>;
  cancel(connectionId: string): Promise<ErrorInfo | null>;
}

/** Which row holds the tab stop: the one last focused (by key), or its neighbour once it is gone. */
interface ActiveRow {
  key: string | null;
  index: number;
}

function activeIndexOf(rows: readonly Row[], active: ActiveRow): number {
  const found = rows.findIndex((row) => row.key === active.key);
  if (found >= 0) return found;
  return Math.max(0, Math.min(active.index, rows.length - 1));
}

const MAIN = '[data-row-main]';

/**
 * The one list, with one tab stop (roving tabindex): ↑/↓ move between rows, Home/End jump to the ends, Tab
 * reaches the focused row's button. Focus is never lost to <body>: a row that moves (connected rows come
 * first) or goes away hands it to itself again or to its neighbour.
 */
export function ConnectionList({ rows, stale, readAt, confirmingKey, focusRequest, mayTakeFocus, onAskDisconnect, onCancelDisconnect, hangUp, connect, cancel }: ConnectionListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const focusInside = useRef(false);
  /** Which control of the active row had focus: its main button or its action. */
  const focusedPart = useRef<'main' | 'action'>('main');
  const [active, setActive] = useState<ActiveRow>({ key: null, index: 0 });
  const activeIndex = activeIndexOf(rows, active);

  const focusRow = (index: number): void => listRef.current?.querySelectorAll<HTMLButtonElement>(MAIN)[index]?.focus();

  // Showing the popup (and the first rows to appear, when nothing the user chose has focus) focus the first row.
  useEffect(() => {
    if (mayTakeFocus()) focusRow(0);
  }, [mayTakeFocus]);
  const focusRequestAtMount = useRef(focusRequest);
  useEffect(() => {
    if (focusRequest > focusRequestAtMount.current) focusRow(0);
  }, [focusRequest]);

  // After every change: focus that fell to <body> from inside the list comes back to the same row (moved by
  // the sort) on the same control, or to its neighbour when the row went away.
  useLayoutEffect(() => {
    const focused = document.activeElement;
    if (!focusInside.current || (focused && focused !== document.body)) return;
    const rowElement = listRef.current?.querySelectorAll<HTMLElement>('[data-row-key]')[activeIndex];
    const target = (focusedPart.current === 'action' ? rowElement?.querySelector<HTMLElement>('[data-row-action]') : null) ?? rowElement?.querySelector<HTMLElement>(MAIN);
    target?.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (!(event.target instanceof HTMLElement) || !event.target.matches(`${MAIN}, [data-row-action]`)) return;
    const target = rovingTarget(event, activeIndex, rows.length);
    if (target === null) return;
    event.preventDefault();
    focusRow(target);
  };

  return (
    <ul
      ref={listRef}
      className={`list${stale ? ' list-stale' : ''}`}
      aria-label={translate('popup', 'list.label')}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        focusInside.current = true;
        if (event.target instanceof HTMLElement) focusedPart.current = event.target.matches('[data-row-action]') ? 'action' : 'main';
      }}
      onBlur={(event) => {
        // Focus moving elsewhere in the page ends "inside"; focus dropped because its row moved or vanished does not.
        const next = event.relatedTarget;
        if (next instanceof Node && !event.currentTarget.contains(next)) focusInside.current = false;
      }}
    >
      {rows.map((row, index) => (
        <ConnectionRow
          key={row.key}
          row={row}
          active={index === activeIndex}
          stale={stale}
          readAt={readAt}
          confirming={confirmingKey === row.key}
          onFocusWithin={() => setActive((current) => (current.key === row.key && current.index === index ? current : { key: row.key, index }))}
          onAskDisconnect={onAskDisconnect}
          onCancelDisconnect={onCancelDisconnect}
          hangUp={hangUp}
          connect={connect}
          cancel={cancel}
        />
      ))}
    </ul>
  );
}
