import type { ReactNode } from 'react';
import type { ConnectionState } from '../../shared/connection';
import { stateLabel } from '../format';

/** The state as a word plus a mark whose shape differs per state, so colour is never the only cue. */
const MARKS: Record<ConnectionState, ReactNode> = {
  connected: <circle cx="5" cy="5" r="4" className="mark-fill" />,
  connecting: <path d="M5 1a4 4 0 1 1-4 4" className="mark-stroke" />,
  paused: (
    <>
      <rect x="1.5" y="1" width="2.4" height="8" rx="0.6" className="mark-fill" />
      <rect x="6.1" y="1" width="2.4" height="8" rx="0.6" className="mark-fill" />
    </>
  ),
  disconnected: <path d="M1.8 1.8 8.2 8.2M8.2 1.8 1.8 8.2" className="mark-stroke" />,
};

export function StateBadge({ state }: { state: ConnectionState }) {
  return (
    <span className={`state state-${state}`}>
      <svg className="state-mark" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false">
        {MARKS[state]}
      </svg>
      {stateLabel(state)}
    </span>
  );
}
