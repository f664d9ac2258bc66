import { useEffect, useId, useRef } from 'react';

interface ConfirmDisconnectProps {
  name: string;
  busy: boolean;
  onCancel(): void;
  onConfirm(): void;
}

/**
 * The inline confirmation in a row. Focus lands on Cancel: the safe choice is the default one, and
 * Escape cancels (handled by the popup, which knows which confirmation is open).
 */
export function ConfirmDisconnect({ name, busy, onCancel, onConfirm }: ConfirmDisconnectProps) {
  const questionId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <span id={questionId} className="confirm-question">
        Disconnect {name}?
      </span>
      <span className="confirm-actions">
        <button ref={cancel} type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy} aria-busy={busy}>
          {busy ? 'Disconnecting…' : 'Disconnect'}
        </button>
      </span>
    </div>
  );
}
