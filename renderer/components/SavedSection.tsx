import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorInfo } from '../../shared/connection';
import type { SavedEntry, SavedState } from '../../shared/saved';
import { formatError } from '../format';
import { rovingTarget } from '../roving';
import { SCOPE_LABELS, savedRowStatus } from '../saved-format';
import { KindIcon } from './KindIcon';
import { KeepConnectedToggle } from './KeepConnectedToggle';

interface SavedSectionProps {
  state: SavedState;
  connect(name: string): Promise<ErrorInfo | null>;
  cancel(connectionId: string): Promise<ErrorInfo | null>;
}

/**
 * "Saved": the connections a user can bring up, below the active list. One tab stop for the list (roving, as
 * in the active list: ↑/↓, Home/End); each row's one button is Connect, Cancel while dialling, or Retry
 * after a failure, and keeps focus as it changes. Progress is a polite live region per row; a failure is an
 * alert with the OS's reason and code.
 */
export function SavedSection({ state, connect, cancel }: SavedSectionProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const [refused, setRefused] = useState<Record<string, ErrorInfo>>({});
  const entries = state.entries;
  const active = Math.min(activeIndex, Math.max(0, entries.length - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const target = rovingTarget(event, active, entries.length);
    if (target === null) return;
    event.preventDefault();
    listRef.current?.querySelectorAll<HTMLElement>('[data-saved-focus]')[target]?.focus();
  };

  const run = async (entry: SavedEntry, action: () => Promise<ErrorInfo | null>): Promise<void> => {
    const error = await action();
    setRefused((current) => {
      const next = { ...current };
      if (error) next[entry.name] = error;
      else delete next[entry.name];
      return next;
    });
  };

  return (
    <section className="saved" aria-labelledby="saved-heading">
      <h2 id="saved-heading" className="saved-heading">
        Saved
      </h2>
      {state.error && (
        <p className="row-error" role="alert">
          Can’t list saved connections: {formatError(state.error)}
        </p>
      )}
      {entries.length === 0 && !state.error && <p className="saved-empty">No saved dial-up or VPN connections.</p>}
      {entries.length > 0 && (
        <ul ref={listRef} className="list saved-list" aria-label="Saved connections" onKeyDown={onKeyDown}>
          {entries.map((entry, index) => (
            <SavedRow
              key={`${entry.scope}:${entry.name}`}
              entry={entry}
              tabIndex={index === active ? 0 : -1}
              refused={refused[entry.name] ?? null}
              onFocusWithin={() => setActiveIndex(index)}
              onConnect={() => void run(entry, () => connect(entry.name))}
              onCancel={(id) => void run(entry, () => cancel(id))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface SavedRowProps {
  entry: SavedEntry;
  tabIndex: number;
  refused: ErrorInfo | null;
  onFocusWithin(): void;
  onConnect(): void;
  onCancel(connectionId: string): void;
}

function SavedRow({ entry, tabIndex, refused, onFocusWithin, onConnect, onCancel }: SavedRowProps) {
  const statusId = useId();
  const dial = entry.dial;
  const dialling = dial?.phase === 'dialling';
  const failed = dial?.phase === 'failed' && !entry.connectionId;
  const status = savedRowStatus(entry);
  const error = refused ?? (failed ? dial.error : null);
  // One button that changes its job keeps focus where the user left it.
  const action = dialling
    ? { label: 'Cancel', aria: `Cancel connecting ${entry.name}`, disabled: dial.connectionId === null, run: () => dial.connectionId && onCancel(dial.connectionId) }
    : entry.connectionId || dial?.phase === 'connected'
      ? null
      : { label: failed ? 'Retry' : 'Connect', aria: `${failed ? 'Retry connecting' : 'Connect'} ${entry.name}`, disabled: false, run: onConnect };
  return (
    <li className={`row saved-row${dialling ? ' row-connecting' : ''}`} onFocus={onFocusWithin}>
      <div
        className="row-main saved-main"
        role="group"
        {...(action ? {} : { 'data-saved-focus': '', tabIndex })}
        aria-label={`${entry.name}, ${SCOPE_LABELS[entry.scope]}: ${status}`}
      >
        <span className={`kind kind-${entry.kind}`}>
          <KindIcon kind={entry.kind} />
        </span>
        <span className="row-text">
          <span className="row-name">{entry.name}</span>
          <span className="row-device">{SCOPE_LABELS[entry.scope]}</span>
        </span>
        <span id={statusId} className="row-side saved-status" aria-live="polite">
          {status}
        </span>
        {action && (
          <button
            type="button"
            className="button button-quiet"
            data-saved-focus=""
            tabIndex={tabIndex}
            aria-label={action.aria}
            aria-describedby={statusId}
            // aria-disabled, not disabled: a disabled button drops focus, and this one changes its job under it.
            aria-disabled={action.disabled}
            onClick={() => {
              if (!action.disabled) action.run();
            }}
          >
            {action.label}
          </button>
        )}
      </div>
      {error && (
        <p className="row-error" role="alert">
          {formatError(error)}
        </p>
      )}
      <KeepConnectedToggle entry={entry} />
    </li>
  );
}
