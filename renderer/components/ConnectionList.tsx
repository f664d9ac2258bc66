import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Connection, ErrorInfo } from '../../shared/connection';
import { rovingTarget } from '../roving';
import { ConnectionRow } from './ConnectionRow';

interface ConnectionListProps {
  connections: Connection[];
  confirmingId: string | null;
  /** Bumped when the popup is shown: focus goes back to the first row. */
  focusRequest: number;
  onAskDisconnect(id: string): void;
  onCancelDisconnect(): void;
  hangUp(id: string): Promise<ErrorInfo | null>;
}

/** Which row holds the tab stop: the one last focused, or its neighbour once it is gone. */
interface ActiveRow {
  id: string | null;
  index: number;
}

function activeIndexOf(connections: readonly Connection[], active: ActiveRow): number {
  const found = connections.findIndex((connection) => connection.id === active.id);
  if (found >= 0) return found;
  return Math.max(0, Math.min(active.index, connections.length - 1));
}

/**
 * The rows, as a list with one tab stop (roving tabindex): ↑/↓ move between rows, Home/End jump to the
 * first/last, Tab reaches the active row's Disconnect button.
 */
export function ConnectionList({ connections, confirmingId, focusRequest, onAskDisconnect, onCancelDisconnect, hangUp }: ConnectionListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const focusInside = useRef(false);
  const [active, setActive] = useState<ActiveRow>({ id: null, index: 0 });
  const activeIndex = activeIndexOf(connections, active);

  const focusRow = (index: number): void => {
    const mains = listRef.current?.querySelectorAll<HTMLButtonElement>('[data-row-main]');
    mains?.[index]?.focus();
  };

  // The first rows to appear take focus when nothing else has it, as when the popup is shown.
  useEffect(() => {
    if (document.activeElement === document.body) listRef.current?.querySelector<HTMLButtonElement>('[data-row-main]')?.focus();
  }, []);

  // Only a request made while the list is mounted: a list that appears later (a dial from the Saved section
  // came up) must not take focus from where the user is.
  const focusRequestAtMount = useRef(focusRequest);
  useEffect(() => {
    if (focusRequest > focusRequestAtMount.current) listRef.current?.querySelector<HTMLButtonElement>('[data-row-main]')?.focus();
  }, [focusRequest]);

  // A row that held focus went away (hung up, dropped): focus its neighbour instead of losing it to <body>.
  useEffect(() => {
    const focused = document.activeElement;
    if (focusInside.current && (!focused || focused === document.body)) {
      listRef.current?.querySelectorAll<HTMLButtonElement>('[data-row-main]')[activeIndex]?.focus();
    }
  }, [connections, activeIndex]);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const target = rovingTarget(event, activeIndex, connections.length);
    if (target === null) return;
    event.preventDefault();
    focusRow(target);
  };

  return (
    <ul
      ref={listRef}
      className="list"
      aria-label="Active connections"
      onKeyDown={onKeyDown}
      onFocus={() => {
        focusInside.current = true;
      }}
      onBlur={(event) => {
        // Focus moving elsewhere in the page ends "inside"; focus dropped because its row vanished does not.
        const next = event.relatedTarget;
        if (next instanceof Node && !event.currentTarget.contains(next)) focusInside.current = false;
      }}
    >
      {connections.map((connection, index) => (
        <ConnectionRow
          key={connection.id}
          connection={connection}
          index={index}
          active={index === activeIndex}
          confirming={confirmingId === connection.id}
          onFocusWithin={(id, rowIndex) => setActive((current) => (current.id === id && current.index === rowIndex ? current : { id, index: rowIndex }))}
          onAskDisconnect={onAskDisconnect}
          onCancelDisconnect={onCancelDisconnect}
          hangUp={hangUp}
        />
      ))}
    </ul>
  );
}
