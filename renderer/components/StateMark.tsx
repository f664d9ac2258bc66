import type { ReactNode } from 'react';
import type { RowStatus } from '../rows';

/** A mark whose shape differs per status, so colour is never the only cue (the word beside it says it too). */
const MARKS: Record<RowStatus, ReactNode> = {
  connected: <circle cx="5" cy="5" r="4" className="mark-fill" />,
  connecting: <path d="M5 1a4 4 0 1 1-4 4" className="mark-stroke" />,
  paused: (
    <>
      <rect x="1.5" y="1" width="2.4" height="8" rx="0.6" className="mark-fill" />
      <rect x="6.1" y="1" width="2.4" height="8" rx="0.6" className="mark-fill" />
    </>
  ),
  disconnected: <path d="M1.8 1.8 8.2 8.2M8.2 1.8 1.8 8.2" className="mark-stroke" />,
  failed: <path d="M5 1 9 9H1Z" className="mark-stroke" />,
  idle: <circle cx="5" cy="5" r="3.5" className="mark-stroke" />,
};

export function StateMark({ status }: { status: RowStatus }) {
  return (
    <svg className="state-mark" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false">
      {MARKS[status]}
    </svg>
  );
}
